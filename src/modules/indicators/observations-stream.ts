/**
 * The observation import of a file that arrives in chunks while it is still being parsed (issue
 * #12): each chunk is checked exactly as importObservations checks a whole file (row-checks.ts)
 * and written at once, in the transaction that will hold the whole file, so the load of the first
 * chunk overlaps the parse of the later ones. Whatever the whole file decides is decided as it would
 * be (first import or merge, units, headlines, summaries, the batch's counts); whenever the chunks
 * cannot show that the whole-file import would succeed the same way (a chunk with a problem, an
 * indicator with data after a first import began, a parse that gave its columns up for the row
 * parse's report), the transaction rolls back and the file, once parsed whole, goes through
 * importObservations: a refused file writes nothing and gets exactly the report it always got.
 * A file whose parse has ended before its load begins goes through importObservations too: with
 * nothing left to overlap, the chunks would only cost.
 */
import type { Database } from '../../platform/db/index.js';
import { rawQuery } from '../../platform/db/index.js';
import type { Actor } from '../../platform/audit.js';
import { distinctOf, type ColumnStream, type IndicatorMeta, type StreamEvent } from '../indicator-model/index.js';
import { assertCanWriteObservations } from './policy.js';
import { RowChecks } from './row-checks.js';
import {
  createBatch,
  createStage,
  finishFirstImport,
  finishStaged,
  haveObservations,
  importObservations,
  loadRows,
  Rollback,
  writeUnitsAndLabels,
  type ImportOptions,
  type ImportReport,
} from './observations.js';

/** The chunks cannot stand for the whole file: it is imported whole instead, as it always was. */
class WholeFile extends Error {
  constructor(readonly why: string) {
    super(why);
  }
}

/**
 * Imports a file from its chunks as they arrive. `extraIndicators`: metadata from beside the file
 * (Open SDG's meta/*.md). A file with metadata, a dry run, or a file that ends before a first chunk
 * goes through importObservations whole: metadata is completed from all of a file's rows
 * (inferIndicatorMeta: decimals, periodicity) and must be written before any row refers to it.
 * `onStream` hears what the load does with the stream, for tests that check the overlap.
 */
export async function importObservationsStreamed(
  db: Database,
  actor: Actor,
  stream: ColumnStream,
  opts: ImportOptions,
  extraIndicators: IndicatorMeta[] = [],
  onStream?: (step: 'loaded' | 'whole', detail: string) => void,
): Promise<ImportReport> {
  const whole = async (why: string) => {
    onStream?.('whole', why);
    const cols = await stream.whole();
    cols.rest.indicators.push(...extraIndicators);
    return importObservations(db, actor, cols, opts);
  };
  // Before the first chunk is awaited, as importObservations checks before it parses: a refusal is not about the file.
  assertCanWriteObservations(actor);
  // Chunks pay only while the load would otherwise wait for the parse. A file whose parse has ended
  // by now goes in whole, with one COPY, instead of a COPY, lookups and a round trip per chunk.
  if (stream.done) return whole('the parse ended before the load began');
  const first = await stream.next();
  if (!('chunk' in first)) return whole('the parse sent the file whole');
  if (opts.dryRun) return whole('a dry run writes nothing');
  if (extraIndicators.length) return whole('the file comes with indicator metadata');
  const progress = opts.onProgress ?? (() => {});
  try {
    return await db.orm.transaction(async (tx) => {
      // One import at a time, as in importObservations.
      await rawQuery(tx, 'SELECT pg_advisory_xact_lock(7283514)');
      const checks = new RowChecks(actor, []);
      const indId = new Map<string, string>();
      const touched: string[] = [];
      let mode: 'first' | 'merge' | null = null;
      let batchId: number | null = null;
      let loaded = 0;
      let ev: StreamEvent = first;
      while ('chunk' in ev) {
        const chunk = ev.chunk;
        if (loaded === 0) progress('validate', 0, chunk.n);
        await checks.lookUp(tx, chunk);
        if (checks.rowErrors(chunk).length || checks.deniedErrors(chunk).length) throw new WholeFile(`rows from ${chunk.lines[0]} have problems`);
        for (const r of checks.indRows) indId.set(r.code, r.id);
        const fresh = distinctOf(chunk, chunk.indicator).map((c) => indId.get(c)!).filter((id) => !touched.includes(id));
        touched.push(...fresh);
        if (fresh.length) {
          // The whole file is a first import when none of its indicators has data: the first
          // chunk's decide it, and each later one's must agree or the file goes in whole.
          const existing = await haveObservations(tx, fresh);
          if (mode === null) {
            mode = existing ? 'merge' : 'first';
            if (mode === 'merge') await createStage(tx);
            // The batch's counts are known at the end; the rows need its id now.
            else batchId = await createBatch(tx, actor, opts, { rowsTotal: 0, inserted: 0, updated: 0, unchanged: 0 } as ImportReport, touched);
          } else if (mode === 'first' && existing) throw new WholeFile('an indicator in a later chunk has data already');
        }
        await loadRows(db, tx, mode === 'first' ? 'ind_observations' : 'ind_stage', chunk, indId, checks.areaId, batchId, () => {});
        loaded += chunk.n;
        onStream?.('loaded', String(loaded));
        progress('stage', loaded, Math.max(loaded, opts.expectedRows ?? 0));
        ev = await stream.next();
      }
      if (!ev.joined) throw new WholeFile('the parse gave its columns up for the row parse');
      const cols = ev.end;
      const codes = distinctOf(cols, cols.indicator);
      const skipped: string[] = [];
      const metaChanged = await writeUnitsAndLabels(tx, actor, cols.rest, indId, skipped);
      if (mode === 'merge') return finishStaged(tx, actor, opts, cols, indId, { codes, metaChanged, skipped, touched });
      const report: ImportReport = { ok: true, dryRun: false, errors: [], errorCount: 0, rowsTotal: cols.n, inserted: cols.n, updated: 0, unchanged: 0, indicatorsChanged: metaChanged, batchId, indicators: codes, metadataSkipped: skipped };
      await rawQuery(tx, 'UPDATE ind_import_batches SET rows_total = $2, rows_inserted = $3, indicator_ids = $4::uuid[] WHERE id = $1', [batchId, report.rowsTotal, report.inserted, touched]);
      return finishFirstImport(db, tx, actor, opts, cols, indId, checks.areaId, report, touched);
    });
  } catch (err) {
    if (err instanceof Rollback) return err.report;
    if (err instanceof WholeFile) return whole(err.why);
    throw err;
  }
}
