/**
 * Writing observations: an import is validated in full before anything is written, then staged
 * and merged set-wise so a file goes in whole or not at all, with its batch, history and audit row.
 * The row checks are in row-checks.ts; a file that arrives in chunks goes through the same steps
 * (exported here) from observations-stream.ts.
 *
 * Why this file is long: this is one pipeline (validate → stage → merge → summaries) whose
 * steps share the report and the batch; split, a reader would jump between files to follow one
 * import. The bodies were moved verbatim from service.ts (issue #9) so work on the loader applies.
 */
import type { Database, Executor } from '../../platform/db/index.js';
import { recordAudit, type Actor } from '../../platform/audit.js';
import { inferIndicatorMeta, type CategoryLabel, type IndicatorMeta, summariseFile, type FileSummary, type ObsRow, type ParseResult, type RowError } from '../indicator-model/index.js';
import { upsertIndicators } from './service.js';
import { assertCanWriteObservations } from './policy.js';
import { copyBinaryPieces, summaryBinaryPieces, distinctOf, eachRow, headlinesOf, packedOf, type PackedResult } from '../indicator-model/index.js';
import { BLOB_PIECE_BYTES, copyFromPieces, STREAM_PIECE_BYTES } from '../../platform/db/copy-stream.js';
import { rawQuery } from '../../platform/db/index.js';
import { findTextProblem } from '../../platform/text.js';
import { RowChecks } from './row-checks.js';

// Observations -----------------------------------------------------------------------

export type ImportOptions = {
  format: 'opensdg' | 'long' | 'jsonstat' | 'kolada' | 'demo';
  source?: string;
  filename?: string;
  dryRun?: boolean;
  frameworkKey?: string;
  onProgress?: (phase: 'validate' | 'stage' | 'merge' | 'done', done: number, total: number) => void;
  /** The rows a file streamed in chunks is expected to hold (its lines), for progress before its end is known. */
  expectedRows?: number;
};

export type ImportReport = {
  ok: boolean;
  dryRun: boolean;
  errors: RowError[];
  errorCount: number;
  rowsTotal: number;
  inserted: number;
  updated: number;
  unchanged: number;
  indicatorsChanged: number;
  batchId: number | null;
  indicators: string[];
  /** Indicators whose metadata the file carried but the importer may not change: left as they were. */
  metadataSkipped?: string[];
  /** What other modules did with metadata that came with the file (progress: targets), one line each. */
  notes?: string[];
  /** Every error is a refusal: the rows are valid, but for areas the importer may not write. */
  forbidden?: boolean;
};

export class Rollback extends Error {
  constructor(readonly report: ImportReport) {
    super('rollback');
  }
}

const MAX_REPORTED_ERRORS = 1000;

export function failed(errors: RowError[], rowsTotal: number, dryRun: boolean): ImportReport {
  const sorted = [...errors].sort((a, b) => a.line - b.line);
  return { ok: false, dryRun, errors: sorted.slice(0, MAX_REPORTED_ERRORS), errorCount: errors.length, rowsTotal, inserted: 0, updated: 0, unchanged: 0, indicatorsChanged: 0, batchId: null, indicators: [] };
}

/**
 * Checks that the actor may import at all (the one place, for the API, the web flow's jobs, the
 * command line and the demo loader), validates every row against the database (areas, indicators,
 * the actor's right to write each area's figures), then stages and merges in one transaction.
 * Nothing is written when any row is bad, on a dry run, or when the file holds nothing new
 * (running the same file again is a no-op). The rows may be given as a function that parses the
 * file: it is called only after the permission check, so a refused request costs no parse.
 */
export async function importObservations(db: Database, actor: Actor, input: ParseResult | PackedResult | (() => Promise<ParseResult | PackedResult>), opts: ImportOptions): Promise<ImportReport> {
  assertCanWriteObservations(actor);
  const dryRun = !!opts.dryRun;
  // The rows stay in columns throughout (load-stream.ts): no object per row on this thread.
  const cols = packedOf(typeof input === 'function' ? await input() : input);
  const parsed = cols.rest;
  const rows = { length: cols.n };
  const progress = opts.onProgress ?? (() => {});
  const total = rows.length + parsed.errors.length;
  if (parsed.errors.length) return failed(parsed.errors, total, dryRun);
  progress('validate', 0, rows.length);

  const checks = new RowChecks(actor, parsed.indicators.map((m) => m.code));
  await checks.lookUp(db.orm, cols);
  const errors = checks.rowErrors(cols);
  errors.push(...metadataErrors(parsed));
  const validityErrors = errors.length;
  errors.push(...checks.deniedErrors(cols));
  // A file that is valid but writes someone else's figures is refused as such (403 in the API).
  if (errors.length) return { ...failed(errors, total, dryRun), ...(validityErrors === 0 ? { forbidden: true } : {}) };
  if (rows.length === 0 && parsed.indicators.length === 0) {
    return failed([{ line: 0, field: 'file', message: 'the file holds no observations' }], 0, dryRun);
  }
  const codes = distinctOf(cols, cols.indicator);
  const areaId = checks.areaId;

  try {
    return await db.orm.transaction(async (tx) => {
      // One import at a time: the fast path's "nothing there yet" check must not race another import.
      await rawQuery(tx, 'SELECT pg_advisory_xact_lock(7283514)');
      const { indId, changed: indicatorsChanged, skipped } = await writeIndicators(tx, actor, parsed.indicators, cols, checks.indRows, opts.frameworkKey);
      const metaChanged = indicatorsChanged + (await writeUnitsAndLabels(tx, actor, parsed, indId, skipped));
      const touched = [...new Set(codes.map((c) => indId.get(c)!))];
      // Fast path: indicators with no observations yet (a first import) need no staging or
      // comparison; every row is new, so the rows are bulk-loaded straight into place.
      const existing = await haveObservations(tx, touched);
      if (!existing) {
        const report: ImportReport = { ok: true, dryRun, errors: [], errorCount: 0, rowsTotal: rows.length, inserted: rows.length, updated: 0, unchanged: 0, indicatorsChanged: metaChanged, batchId: null, indicators: codes, metadataSkipped: skipped };
        if (dryRun) throw new Rollback(report);
        const batchId = await createBatch(tx, actor, opts, report, touched);
        report.batchId = batchId;
        await loadRows(db, tx, 'ind_observations', cols, indId, areaId, batchId, (n) => progress('stage', n, rows.length));
        return finishFirstImport(db, tx, actor, opts, cols, indId, areaId, report, touched);
      }
      await createStage(tx);
      await loadRows(db, tx, 'ind_stage', cols, indId, areaId, null, (n) => progress('stage', n, rows.length));
      return finishStaged(tx, actor, opts, cols, indId, { codes, metaChanged, skipped, touched });
    });
  } catch (err) {
    if (err instanceof Rollback) return err.report;
    throw err;
  }
}

/** Problems in the texts of the indicators and labels the file defines (line 0: no row of its own). */
export function metadataErrors(parsed: PackedResult['rest']): RowError[] {
  const errors: RowError[] = [];
  for (const m of parsed.indicators) {
    const problem = findTextProblem({ code: m.code, name: m.name, description: m.description, unit: m.unit, source: m.source, attribution: m.attribution }, { multiline: true, prefix: `indicator ${m.code}` });
    if (problem) errors.push({ line: 0, field: problem.field, message: problem.message });
  }
  for (const lb of parsed.labels ?? []) {
    const problem = findTextProblem({ dimension: lb.dimension, code: lb.code, label: lb.label }, { multiline: false, prefix: `label of ${lb.indicator}` });
    if (problem) errors.push({ line: 0, field: problem.field, message: problem.message });
  }
  return errors;
}

/** The indicators the file defines (with what their rows say of them), and the id of every indicator it names. */
export async function writeIndicators(tx: Executor, actor: Actor, metas: IndicatorMeta[], cols: PackedResult, indRows: { id: string; code: string }[], frameworkKey?: string) {
  const { ids, changed, skipped } = await upsertIndicators(tx, inferIndicatorMeta(metas, eachRow(cols)), frameworkKey, actor);
  const indId = new Map(indRows.map((i) => [i.code, i.id]));
  for (const [c, id] of ids) indId.set(c, id);
  return { indId, changed, skipped };
}

/** Sets the units and labels the file gives (where the actor may); returns how many changed. */
export async function writeUnitsAndLabels(tx: Executor, actor: Actor, parsed: PackedResult['rest'], indId: Map<string, string>, skipped: string[]): Promise<number> {
  const mayChangeMeta = async (id: string) => actor.isPlatformAdmin || (await rawQuery(tx, 'SELECT 1 FROM ind_indicators WHERE id = $1 AND owner_user_id = $2', [id, actor.userId])).length > 0;
  let unitsSet = 0;
  for (const [code, unit] of Object.entries(parsed.units ?? {})) {
    const id = indId.get(code);
    if (!id) continue;
    if (!(await mayChangeMeta(id))) {
      if (!skipped.includes(code)) skipped.push(code);
      continue;
    }
    unitsSet += (await rawQuery(tx, `UPDATE ind_indicators SET unit = $2, updated_at = now() WHERE id = $1 AND unit = '' RETURNING id`, [id, unit])).length;
  }
  // Changed labels are metadata changes: they count with the indicators' (and keep a repeat a no-op).
  return unitsSet + (await storeLabels(tx, actor, parsed.labels ?? [], indId));
}

/**
 * Whether any of these indicators has observations. One primary-key probe per indicator. Asked as
 * `indicator_id = ANY(…)`, the planner expects matches to be common and scans the table for the
 * first one, which on a first import never comes: a full scan of millions of rows per file (about
 * a second each late in the benchmark).
 */
export async function haveObservations(tx: Executor, ids: string[]): Promise<boolean> {
  const [{ existing } = { existing: true }] = await rawQuery<{ existing: boolean }>(
    tx,
    `SELECT EXISTS (SELECT 1 FROM unnest($1::uuid[]) AS t(id)
       CROSS JOIN LATERAL (SELECT 1 FROM ind_observations o WHERE o.indicator_id = t.id ORDER BY o.indicator_id, o.area_id LIMIT 1) x) AS existing`,
    [ids],
  );
  return existing;
}

/** After a first import's rows are in place: headlines, the file's own summaries, the batch's end and audit row. */
export async function finishFirstImport(db: Database, tx: Executor, actor: Actor, opts: ImportOptions, cols: PackedResult, indId: Map<string, string>, areaId: Map<string, string>, report: ImportReport, touched: string[]): Promise<ImportReport> {
  const progress = opts.onProgress ?? (() => {});
  const parsed = cols.rest;
  progress('merge', 0, cols.n);
  // The file holds every observation these indicators have, so their summaries come from it directly.
  const headlines = headlinesOf(cols);
  const stored = await applyHeadlines(tx, indId, headlines);
  if (!parsed.summaries) throw new Error('the load needs the file summaries (packedOf makes them)');
  await writeSummaries(db, tx, summariseRows([], indId, areaId, parsed.summaries));
  // The file's summaries follow the file's own headline choice; an indicator whose headline
  // was set otherwise before its first data gets its summaries from the database instead.
  const differing = [...headlines].filter(([code, bd]) => stored.get(indId.get(code)!) !== bd).map(([code]) => indId.get(code)!);
  if (differing.length) await refreshSummaries(tx, { indicatorIds: differing });
  await finishBatch(tx, actor, opts, report, touched);
  progress('done', cols.n, cols.n);
  return report;
}

/** The staging table a merge reads the file's rows from; gone at the transaction's end. */
export async function createStage(tx: Executor) {
  await rawQuery(
    tx,
    `CREATE TEMP TABLE ind_stage (indicator_id uuid NOT NULL, area_id uuid NOT NULL, period text NOT NULL, breakdown text NOT NULL,
      value double precision, status text NOT NULL, note text NOT NULL) ON COMMIT DROP`,
  );
}

/**
 * After the file's rows are in the staging table: counts what is new, changed and unchanged, keeps
 * replaced values in the history, merges, refreshes headlines and summaries, ends the batch. A dry
 * run or a pure repeat throws Rollback with its report.
 */
export async function finishStaged(tx: Executor, actor: Actor, opts: ImportOptions, cols: PackedResult, indId: Map<string, string>, meta: { codes: string[]; metaChanged: number; skipped: string[]; touched: string[] }): Promise<ImportReport> {
  const progress = opts.onProgress ?? (() => {});
  const dryRun = !!opts.dryRun;
  progress('merge', 0, cols.n);
  const [counts] = await rawQuery<{ inserted: number; updated: number; unchanged: number }>(
    tx,
    `SELECT count(*) FILTER (WHERE o.indicator_id IS NULL)::int AS inserted,
            count(*) FILTER (WHERE o.indicator_id IS NOT NULL AND (s.value IS DISTINCT FROM o.value OR s.status <> o.status OR s.note <> o.note))::int AS updated,
            count(*) FILTER (WHERE o.indicator_id IS NOT NULL AND NOT (s.value IS DISTINCT FROM o.value OR s.status <> o.status OR s.note <> o.note))::int AS unchanged
     FROM ind_stage s LEFT JOIN ind_observations o
       ON o.indicator_id = s.indicator_id AND o.area_id = s.area_id AND o.period = s.period AND o.breakdown = s.breakdown`,
  );
  const report: ImportReport = {
    ok: true,
    dryRun,
    errors: [],
    errorCount: 0,
    rowsTotal: cols.n,
    inserted: counts!.inserted,
    updated: counts!.updated,
    unchanged: counts!.unchanged,
    indicatorsChanged: meta.metaChanged,
    batchId: null,
    indicators: meta.codes,
    metadataSkipped: meta.skipped,
  };
  if (dryRun) throw new Rollback(report);
  if (report.inserted + report.updated === 0) {
    // Metadata-only changes still count; pure repeats roll back and leave no trace.
    if (report.indicatorsChanged === 0) throw new Rollback(report);
    await recordAudit(tx, actor, { action: 'indicators.metadata.import', entityType: 'indicator', entityId: meta.codes[0] ?? '', summary: `${report.indicatorsChanged} indicators updated from ${opts.filename ?? opts.format}` });
    progress('done', cols.n, cols.n);
    return report;
  }
  const batchId = await createBatch(tx, actor, opts, report, meta.touched);
  report.batchId = batchId;
  if (report.updated > 0) {
    await rawQuery(
      tx,
      `INSERT INTO ind_observation_history (indicator_id, area_id, period, breakdown, value, status, note, batch_id, replaced_by)
       SELECT o.indicator_id, o.area_id, o.period, o.breakdown, o.value, o.status, o.note, o.batch_id, $1
       FROM ind_stage s JOIN ind_observations o
         ON o.indicator_id = s.indicator_id AND o.area_id = s.area_id AND o.period = s.period AND o.breakdown = s.breakdown
       WHERE s.value IS DISTINCT FROM o.value OR s.status <> o.status OR s.note <> o.note`,
      [batchId],
    );
  }
  // Rows in key order fill the primary-key B-tree page by page instead of at random.
  if (report.updated + report.unchanged === 0) {
    await rawQuery(
      tx,
      `INSERT INTO ind_observations (indicator_id, area_id, period, breakdown, value, status, note, batch_id)
       SELECT indicator_id, area_id, period, breakdown, value, status, note, $1 FROM ind_stage ORDER BY indicator_id, area_id, period, breakdown`,
      [batchId],
    );
  } else {
    await rawQuery(
      tx,
      `INSERT INTO ind_observations (indicator_id, area_id, period, breakdown, value, status, note, batch_id)
       SELECT indicator_id, area_id, period, breakdown, value, status, note, $1 FROM ind_stage ORDER BY indicator_id, area_id, period, breakdown
       ON CONFLICT (indicator_id, area_id, period, breakdown) DO UPDATE
         SET value = excluded.value, status = excluded.status, note = excluded.note, batch_id = excluded.batch_id
         WHERE ind_observations.value IS DISTINCT FROM excluded.value OR ind_observations.status <> excluded.status OR ind_observations.note <> excluded.note`,
      [batchId],
    );
  }
  await applyHeadlines(tx, indId, headlinesOf(cols));
  await refreshSummaries(tx, 'stage');
  await finishBatch(tx, actor, opts, report, meta.touched);
  progress('done', cols.n, cols.n);
  return report;
}

/**
 * Stores the labels a file gives its breakdown dimensions and categories. Like other metadata,
 * the indicator's owner or a platform admin may change a label; anyone else's import only fills
 * labels that are missing. Returns how many labels changed (0 for a repeated import).
 */
async function storeLabels(tx: Executor, actor: Actor, labels: CategoryLabel[], indId: Map<string, string>): Promise<number> {
  if (!labels.length) return 0;
  const byKey = new Map<string, { indicator_id: string; dimension: string; code: string; label: string; lang: string }>();
  for (const l of labels) {
    const id = indId.get(l.indicator);
    if (id) byKey.set(`${id}\u0000${l.dimension}\u0000${l.code}`, { indicator_id: id, dimension: l.dimension, code: l.code, label: l.label, lang: l.lang });
  }
  const all = [...byKey.values()];
  if (!all.length) return 0;
  const ids = [...new Set(all.map((l) => l.indicator_id))];
  const own = new Set(
    actor.isPlatformAdmin ? ids : (await rawQuery<{ id: string }>(tx, 'SELECT id FROM ind_indicators WHERE id = ANY($1::uuid[]) AND owner_user_id = $2', [ids, actor.userId])).map((r) => r.id),
  );
  let changed = 0;
  for (let i = 0; i < all.length; i += 2000) {
    const chunk = all.slice(i, i + 2000);
    for (const [mine, part] of [[true, chunk.filter((l) => own.has(l.indicator_id))], [false, chunk.filter((l) => !own.has(l.indicator_id))]] as const) {
      if (!part.length) continue;
      const res = await rawQuery(
        tx,
        `INSERT INTO ind_labels (indicator_id, dimension, code, label, lang)
         SELECT indicator_id, dimension, code, label, lang FROM jsonb_to_recordset($1::jsonb) AS x(indicator_id uuid, dimension text, code text, label text, lang text)
         ON CONFLICT (indicator_id, dimension, code) DO ${
           mine
             ? `UPDATE SET label = excluded.label, lang = excluded.lang
                WHERE ind_labels.label IS DISTINCT FROM excluded.label OR ind_labels.lang IS DISTINCT FROM excluded.lang`
             : 'NOTHING'
         }
         RETURNING 1`,
        [JSON.stringify(part)],
      );
      changed += res.length;
    }
  }
  return changed;
}

export async function createBatch(tx: Executor, actor: Actor, opts: ImportOptions, report: ImportReport, touched: string[]): Promise<number> {
  const [batch] = await rawQuery<{ id: string }>(
    tx,
    `INSERT INTO ind_import_batches (actor_user_id, actor_label, format, source, filename, rows_total, rows_inserted, rows_updated, rows_unchanged, indicator_ids)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::uuid[]) RETURNING id`,
    [actor.userId, actor.label, opts.format, opts.source ?? '', opts.filename ?? '', report.rowsTotal, report.inserted, report.updated, report.unchanged, touched],
  );
  return Number(batch!.id);
}

async function finishBatch(tx: Executor, actor: Actor, opts: ImportOptions, report: ImportReport, touched: string[]) {
  await rawQuery(
    tx,
    `UPDATE ind_indicators i SET data_version = data_version + 1,
       area_count = (SELECT count(*) FROM ind_area_summary s WHERE s.indicator_id = i.id)
     WHERE i.id = ANY($1::uuid[])`,
    [touched],
  );
  await recordAudit(tx, actor, {
    action: 'indicators.import',
    entityType: 'import_batch',
    entityId: String(report.batchId),
    summary: `${opts.format} ${opts.filename ?? ''}: ${report.inserted} new, ${report.updated} changed, ${report.unchanged} unchanged`.trim(),
  });
}

/** Bulk load into the staging table or straight into ind_observations, by COPY on both engines. */
export async function loadRows(db: Database, tx: Executor, table: 'ind_stage' | 'ind_observations', rows: PackedResult, indId: Map<string, string>, areaId: Map<string, string>, batchId: number | null, tick: (n: number) => void) {
  const cols = `indicator_id, area_id, period, breakdown, value, status, note${batchId === null ? '' : ', batch_id'}`;
  // On PostgreSQL the stream makes the size of a COPY free, and a few of them give the progress bar
  // something to show. PGlite runs each COPY on this thread without a break, so the event loop,
  // and with it the pipe from the parsing process, waits until it ends: in COPYs of 100,000 rows
  // with a turn of the loop between them, the next file's columns arrive during this load instead
  // of after it (a multi-file import otherwise waited seconds per file for them).
  const CHUNK = 100_000;
  const pieceBytes = db.kind === 'pglite' ? BLOB_PIECE_BYTES : STREAM_PIECE_BYTES;
  for (let i = 0; i < rows.n; i += CHUNK) {
    const n = Math.min(CHUNK, rows.n - i);
    await copyFromPieces(db, tx, `${table} (${cols})`, 'FORMAT binary', copyBinaryPieces(rows, { indicator: indId, area: areaId }, batchId, i, i + n, pieceBytes));
    tick(i + n);
    if (db.kind === 'pglite') await new Promise((resolve) => setImmediate(resolve));
  }
}

type SummaryRow = FileSummary & { indicatorId: string; areaId: string };

/**
 * Gives indicators without total values a headline series chosen from the file (chooseHeadlines);
 * an indicator whose headline is already set, or that has total values, keeps its headline.
 * Returns the stored headline of each indicator in the file.
 */
async function applyHeadlines(tx: Executor, indId: Map<string, string>, headlines: Map<string, string>): Promise<Map<string, string>> {
  for (const [code, bd] of headlines) {
    if (bd === '') continue;
    await rawQuery(
      tx,
      `UPDATE ind_indicators i SET headline_breakdown = $2, updated_at = now()
       WHERE i.id = $1 AND i.headline_breakdown = ''
         AND NOT EXISTS (SELECT 1 FROM ind_observations o WHERE o.indicator_id = i.id AND o.breakdown = '' AND o.value IS NOT NULL)`,
      [indId.get(code), bd],
    );
  }
  const ids = [...headlines.keys()].map((c) => indId.get(c)!);
  const rows = await rawQuery<{ id: string; headline_breakdown: string }>(tx, 'SELECT id, headline_breakdown FROM ind_indicators WHERE id = ANY($1::uuid[])', [ids]);
  return new Map(rows.map((r) => [r.id, r.headline_breakdown]));
}

/** Summaries of the headline series per indicator × area, from the file's own summaries or its rows. */
export function summariseRows(rows: ObsRow[], indId: Map<string, string>, areaId: Map<string, string>, precomputed?: FileSummary[]): SummaryRow[] {
  return (precomputed ?? summariseFile(rows)).map((s) => ({ ...s, indicatorId: indId.get(s.indicator)!, areaId: areaId.get(s.area)! }));
}

async function writeSummaries(db: Database, tx: Executor, rows: SummaryRow[]) {
  if (!rows.length) return;
  const ids = [...new Set(rows.map((r) => r.indicatorId))];
  await rawQuery(tx, 'DELETE FROM ind_area_summary WHERE indicator_id = ANY($1::uuid[])', [ids]);
  const pieceBytes = db.kind === 'pglite' ? BLOB_PIECE_BYTES : STREAM_PIECE_BYTES;
  await copyFromPieces(db, tx, 'ind_area_summary (indicator_id, area_id, first_period, first_value, latest_period, latest_value, latest_status, n_periods, series)', 'FORMAT binary', summaryBinaryPieces(rows, pieceBytes));
}

/**
 * Recomputes the per indicator × area summaries the pages read. With 'stage',
 * only the pairs in the current import; with 'all', everything.
 */
export async function refreshSummaries(tx: Executor, scope: 'stage' | 'all' | { indicatorIds: string[] }) {
  const pairs = '(SELECT DISTINCT indicator_id, area_id FROM ind_stage)';
  const params: unknown[] = [];
  let filter = '';
  if (scope === 'stage') {
    await rawQuery(tx, `DELETE FROM ind_area_summary s USING ${pairs} t WHERE s.indicator_id = t.indicator_id AND s.area_id = t.area_id`);
    filter = `JOIN ${pairs} t ON t.indicator_id = o.indicator_id AND t.area_id = o.area_id`;
  } else if (scope === 'all') {
    await rawQuery(tx, 'DELETE FROM ind_area_summary');
  } else {
    params.push(scope.indicatorIds);
    await rawQuery(tx, 'DELETE FROM ind_area_summary WHERE indicator_id = ANY($1::uuid[])', params);
  }
  // One grouped pass for periods, counts and the series; first and latest values by primary-key lookups.
  await rawQuery(
    tx,
    `WITH agg AS (
       SELECT o.indicator_id, o.area_id,
         min(o.period) FILTER (WHERE o.value IS NOT NULL) AS fp,
         max(o.period) FILTER (WHERE o.value IS NOT NULL) AS lp,
         count(o.value)::int AS n,
         json_agg(json_build_array(o.period, o.value) ORDER BY o.period) AS series
       FROM ind_observations o ${filter}
       JOIN ind_indicators i ON i.id = o.indicator_id AND o.breakdown = i.headline_breakdown
       ${params.length ? 'WHERE o.indicator_id = ANY($1::uuid[])' : ''}
       GROUP BY o.indicator_id, o.area_id
       HAVING count(o.value) > 0)
     INSERT INTO ind_area_summary (indicator_id, area_id, first_period, first_value, latest_period, latest_value, latest_status, n_periods, series)
     SELECT a.indicator_id, a.area_id, a.fp, f.value, a.lp, l.value, l.status, a.n, a.series
     FROM agg a
     JOIN ind_indicators i ON i.id = a.indicator_id
     JOIN ind_observations f ON f.indicator_id = a.indicator_id AND f.area_id = a.area_id AND f.period = a.fp AND f.breakdown = i.headline_breakdown
     JOIN ind_observations l ON l.indicator_id = a.indicator_id AND l.area_id = a.area_id AND l.period = a.lp AND l.breakdown = i.headline_breakdown`,
    params,
  );
}
