/**
 * A file imported in chunks while it is parsed (issue #12): the load of a chunk starts before the
 * parse has sent the rest, the result is the whole-file import's, and a problem in a late chunk
 * rolls everything back and gets the report the whole-file import gives.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../platform/db/index.js';
import { ForbiddenError } from '../../platform/errors.js';
import { chunkOf, ColumnStream, type PackedResult } from '../indicator-model/index.js';
import { importObservations, importObservationsStreamed, upsertIndicators, type ImportReport } from '../indicators/index.js';
import { parseFilePacked } from './importers/index.js';
import { importFile, importFiles, ParsePool } from './parse-pool.js';
import { actor, TEST_AREAS, testDatabase } from '../../../test/indicators-support.js';

let db: Database & { drop: () => Promise<void> };
const CODES = ['st-a', 'st-b', 'st-c', 'st-d', 'wh-a', 'wh-b', 'wh-c', 'wh-d', 'st-late', 'st-old', 'st-one', 'wh-one', 'st-small', 'st-e', 'wh-e'];
before(async () => {
  db = await testDatabase();
  await db.orm.transaction((tx) => upsertIndicators(tx, CODES.map((code) => ({ code, name: code }))));
});
after(async () => db?.drop());

const AREAS = TEST_AREAS.map((a) => a.key);
const MONTHS = Array.from({ length: 240 }, (_, i) => `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);

/** A long-format CSV: every area × month for each indicator, some values missing, one unit. */
function csv(codes: string[], edit: (line: number, cells: string[]) => string[] = (_l, c) => c, salt = 0): Buffer {
  const out = ['indicator,area,period,value,status,unit'];
  let seed = 7 + salt;
  for (const c of codes)
    for (const a of AREAS)
      for (const m of MONTHS) {
        seed = (seed * 16807) % 2147483647;
        const missing = seed % 53 === 0;
        out.push(edit(out.length + 1, [c, a, m, missing ? '' : String((seed % 100000) / 100), missing ? 'missing' : '', '%']).join(','));
      }
  return Buffer.from(out.join('\n') + '\n');
}

const count = async (table: string) => Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n);
const tables = ['ind_observations', 'ind_area_summary', 'ind_import_batches', 'audit_events', 'ind_observation_history'];
const counts = async () => Promise.all(tables.map(count));

/** Everything an import wrote for the indicators `prefix`-a to -d, with the codes renamed so two imports compare. */
async function written(prefix: string) {
  const like = `${prefix}-_`;
  const obs = await db.query<Record<string, unknown>>(
    `SELECT i.code, a.key, o.period, o.breakdown, o.value, o.status, o.note FROM ind_observations o JOIN ind_indicators i ON i.id = o.indicator_id JOIN areas a ON a.id = o.area_id
     WHERE i.code LIKE $1 ORDER BY 1, 2, 3, 4`,
    [like],
  );
  const sums = await db.query<Record<string, unknown>>(
    `SELECT i.code, a.key, s.first_period, s.first_value, s.latest_period, s.latest_value, s.latest_status, s.n_periods, s.series::text AS series
     FROM ind_area_summary s JOIN ind_indicators i ON i.id = s.indicator_id JOIN areas a ON a.id = s.area_id WHERE i.code LIKE $1 ORDER BY 1, 2`,
    [like],
  );
  const inds = await db.query<Record<string, unknown>>(`SELECT code, unit, headline_breakdown, data_version, area_count FROM ind_indicators WHERE code LIKE $1 ORDER BY code`, [like]);
  const strip = (rows: Record<string, unknown>[]) => rows.map((r) => ({ ...r, code: String(r.code).slice(prefix.length) }));
  return { obs: strip(obs), sums: strip(sums), inds: strip(inds) };
}

const batchOf = async (id: number | null) =>
  (await db.query<Record<string, unknown>>('SELECT format, filename, rows_total, rows_inserted, rows_updated, rows_unchanged, cardinality(indicator_ids) AS n FROM ind_import_batches WHERE id = $1', [id]))[0];

/** The report without what differs between any two imports (the batch's number). */
const sameReport = (r: ImportReport) => ({ ...r, batchId: r.batchId === null ? null : 'a batch', indicators: r.indicators.map((c) => c.replace(/^(st|wh)-/, '')) });

/** Runs importFiles on one file, chunked by `chunkRows`, and hands back its report. */
async function importChunked(filename: string, buf: Buffer, chunkRows: number): Promise<ImportReport> {
  let out: ImportReport | Error | undefined;
  await importFiles(db, actor, [() => ({ format: 'long', filename, buf, options: { format: 'long', filename } })], (_i, _f, r) => (out = r), chunkRows);
  if (!out || out instanceof Error) throw out ?? new Error('no report');
  return out;
}

/** The whole-file import, as importFiles ran it before chunks. */
async function importWhole(filename: string, buf: Buffer): Promise<ImportReport> {
  return importObservations(db, actor, await parseFilePacked('long', filename, buf), { format: 'long', filename });
}

// A load that waited for the whole file would never see the first chunk written: the time-out turns that hang into a failure.
describe('an import in chunks', { timeout: 120_000 }, () => {
  it('sends the columns in chunks before the parse ends, and they join into the whole-file parse', async () => {
    const buf = csv(['st-a']);
    const pool = new ParsePool();
    try {
      const stream = pool.parseChunked({ format: 'long', filename: 'f.csv', buf }, 500);
      const seen: string[] = [];
      let end: PackedResult | undefined;
      for (;;) {
        const ev = await stream.next();
        if ('chunk' in ev) seen.push(`chunk ${ev.chunk.n}`);
        else {
          assert.equal(ev.joined, true);
          end = ev.end;
          break;
        }
      }
      assert.ok(seen.length >= 5, `several chunks: ${seen.join(', ')}`);
      const whole = await parseFilePacked('long', 'f.csv', buf);
      assert.equal(end!.n, whole.n);
      assert.deepEqual(end!.rest, whole.rest);
      for (const k of ['lines', 'indicator', 'area', 'period', 'breakdown', 'status', 'note', 'value', 'isNull'] as const) assert.deepEqual(end![k], whole[k], k);
      assert.deepEqual(end!.dict, whole.dict);
    } finally {
      await pool.close();
    }
  });

  it('loads the first chunk before the rest is parsed, with the same rows, summaries and report as the whole file', async () => {
    const whole = await parseFilePacked('long', 'f.csv', csv(['st-a', 'st-b']));
    // The stream is fed by hand here, so the order is the test's: the second chunk and the end are
    // only sent once the load has written the first.
    const stream = new ColumnStream();
    const events: string[] = [];
    const half = Math.floor(whole.n / 2);
    let firstLoaded!: () => void;
    const loaded = new Promise<void>((resolve) => (firstLoaded = resolve));
    const running = importObservationsStreamed(db, actor, stream, { format: 'long', filename: 'f.csv' }, [], (step, detail) => {
      events.push(`${step} ${detail}`);
      if (step === 'loaded') firstLoaded();
    });
    stream.chunk(chunkOf(whole, 0, half, 0));
    events.push('sent 1');
    await loaded;
    stream.chunk(chunkOf(whole, half, whole.n, whole.dict.length));
    events.push('sent 2');
    stream.end({ rest: whole.rest });
    const streamed = await running;
    assert.deepEqual(events, ['sent 1', `loaded ${half}`, 'sent 2', `loaded ${whole.n}`]);

    const reference = await importWhole('f.csv', csv(['wh-a', 'wh-b']));
    assert.equal(streamed.ok, true, JSON.stringify(streamed.errors));
    assert.deepEqual(sameReport(streamed), sameReport(reference));
    assert.deepEqual(await written('st'), await written('wh'));
    assert.deepEqual(await batchOf(streamed.batchId), await batchOf(reference.batchId));
  });

  it('imports a file whose parse ended before its load began whole, as chunks would gain nothing', async () => {
    const whole = await parseFilePacked('long', 'e.csv', csv(['st-e']));
    const stream = new ColumnStream();
    const half = Math.floor(whole.n / 2);
    stream.chunk(chunkOf(whole, 0, half, 0));
    stream.chunk(chunkOf(whole, half, whole.n, whole.dict.length));
    stream.end({ rest: whole.rest });
    const steps: string[] = [];
    const report = await importObservationsStreamed(db, actor, stream, { format: 'long', filename: 'e.csv' }, [], (step, detail) => steps.push(`${step} ${detail}`));
    assert.deepEqual(steps, ['whole the parse ended before the load began']);
    const reference = await importWhole('e.csv', csv(['wh-e']));
    assert.deepEqual(sameReport(report), sameReport(reference));
  });

  it('merges a second import in chunks as the whole file does (new, changed and unchanged rows, history)', async () => {
    const change = (line: number, c: string[]) => (line % 7 === 0 && c[3] !== '' ? [c[0]!, c[1]!, c[2]!, String(Number(c[3]) + 1), c[4]!, c[5]!] : c);
    const [s, w] = [await importChunked('g.csv', csv(['st-c'], change), 700), await importWhole('g.csv', csv(['wh-c'], change))];
    assert.equal(s.inserted, w.inserted);
    const [s2, w2] = [await importChunked('g2.csv', csv(['st-c', 'st-d']), 700), await importWhole('g2.csv', csv(['wh-c', 'wh-d']))];
    assert.ok(s2.updated > 0 && s2.unchanged > 0 && s2.inserted > 0, JSON.stringify(s2));
    assert.deepEqual(sameReport(s2), sameReport(w2));
    assert.deepEqual(await written('st'), await written('wh'));
    assert.deepEqual(await batchOf(s2.batchId), await batchOf(w2.batchId));
    const history = async (p: string) => Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ind_observation_history h JOIN ind_indicators i ON i.id = h.indicator_id WHERE i.code LIKE $1`, [`${p}-%`]))[0]!.n);
    assert.equal(await history('st'), await history('wh'));
  });

  it('rolls back chunks already loaded when a late row names an unknown area, and reports as the whole file', async () => {
    const bad = (line: number, c: string[]) => (line >= 2000 && line % 250 === 0 ? [c[0]!, 'se-9999', ...c.slice(2)] : c);
    const buf = csv(['st-late'], bad);
    const before = await counts();
    const pool = new ParsePool();
    const steps: string[] = [];
    let report: ImportReport;
    try {
      report = await importObservationsStreamed(db, actor, pool.parseChunked({ format: 'long', filename: 'h.csv', buf }, 600), { format: 'long', filename: 'h.csv' }, [], (step, detail) => steps.push(`${step} ${detail}`));
    } finally {
      await pool.close();
    }
    assert.ok(steps.filter((s) => s.startsWith('loaded')).length >= 2, `chunks were written before the bad one: ${steps.join(', ')}`);
    assert.match(steps.at(-1)!, /^whole /);
    assert.deepEqual(await counts(), before, 'nothing written');
    assert.equal(report.ok, false);
    assert.deepEqual(report, await importWhole('h.csv', buf));
    assert.ok(report.errors.every((e) => e.line >= 2000 && /unknown area "se-9999"/.test(e.message)), JSON.stringify(report.errors.slice(0, 3)));
    assert.deepEqual(await counts(), before, 'nothing written by the reference either');
  });

  it('rolls back when a late row repeats one of an earlier chunk, and reports the duplicate as the whole file', async () => {
    // Line 2500 copies line 2 (same indicator, area and period): a duplicate only the whole file shows.
    let first: string[] = [];
    const dup = (line: number, c: string[]) => {
      if (line === 2) first = c;
      return line === 2500 ? first : c;
    };
    const buf = csv(['st-dup'], dup);
    const before = await counts();
    const report = await importChunked('d.csv', buf, 600);
    assert.deepEqual(await counts(), before, 'nothing written');
    assert.equal(report.ok, false);
    assert.deepEqual(report, await importWhole('d.csv', buf));
  });

  it('rolls back when the parse gives its columns up at a late row, and reports the row as the whole file', async () => {
    const bad = (line: number, c: string[]) => (line === 2321 ? [...c.slice(0, 3), 'twelve', ...c.slice(4)] : c);
    const buf = csv(['st-late'], bad);
    const before = await counts();
    const report = await importChunked('i.csv', buf, 600);
    assert.deepEqual(await counts(), before, 'nothing written');
    assert.deepEqual(report, await importWhole('i.csv', buf));
    assert.deepEqual(report.errors.map((e) => [e.line, e.field]), [[2321, 'value']]);
  });

  it('imports the file whole when an indicator of a later chunk has data already, with the whole file’s result', async () => {
    await importWhole('old.csv', csv(['st-old'], undefined, 3));
    const before = await counts();
    const pool = new ParsePool();
    const steps: string[] = [];
    let report: ImportReport;
    try {
      const buf = csv(['st-late', 'st-old']);
      report = await importObservationsStreamed(db, actor, pool.parseChunked({ format: 'long', filename: 'j.csv', buf }, 600), { format: 'long', filename: 'j.csv' }, [], (step, detail) => steps.push(`${step} ${detail}`));
    } finally {
      await pool.close();
    }
    assert.match(steps.at(-1)!, /^whole an indicator in a later chunk has data already/);
    assert.equal(report.ok, true, JSON.stringify(report.errors));
    assert.equal(report.inserted, AREAS.length * MONTHS.length);
    assert.equal(report.updated + report.unchanged, AREAS.length * MONTHS.length);
    assert.equal((await counts())[2], before[2]! + 1, 'one batch');
  });
});

describe('one file imported on its own (web jobs, the API, the command line)', { timeout: 120_000 }, () => {
  it('loads a large file chunk by chunk while it parses, with the whole file’s result and progress towards its line count', async () => {
    const steps: string[] = [];
    const progress: [string, number, number][] = [];
    const report = await importFile(
      db,
      actor,
      { format: 'long', filename: 'k.csv', buf: csv(['st-one']), options: { format: 'long', filename: 'k.csv', onProgress: (phase, done, total) => progress.push([phase, done, total]) } },
      { inlineBelow: 1024, chunkRows: 700, onStream: (step, detail) => steps.push(`${step} ${detail}`) },
    );
    const reference = await importWhole('k.csv', csv(['wh-one']));
    assert.ok(steps.length >= 3 && steps.every((s) => s.startsWith('loaded')), steps.join(', '));
    assert.deepEqual({ ...sameReport(report), indicators: [] }, { ...sameReport(reference), indicators: [] });
    const staged = progress.filter(([phase]) => phase === 'stage');
    const lines = AREAS.length * MONTHS.length + 1;
    assert.ok(staged.length >= 3 && staged.every(([, done, total]) => total === lines && done < total), JSON.stringify(staged.slice(0, 3)));
    assert.deepEqual(progress.at(-1), ['done', report.rowsTotal, report.rowsTotal]);
  });

  it('imports a small file, a dry run and a file with metadata whole, and refuses an actor who may not import before reading the file', async () => {
    const buf = csv(['st-small']);
    const steps: string[] = [];
    const dry = await importFile(db, actor, { format: 'long', filename: 'l.csv', buf, options: { format: 'long', dryRun: true } }, { inlineBelow: 1024, chunkRows: 700, onStream: (s) => steps.push(s) });
    // Parsed whole and imported whole: the chunked load never ran.
    assert.deepEqual([dry.ok, dry.dryRun, dry.inserted, steps], [true, true, AREAS.length * MONTHS.length, []]);
    const before = await counts();
    const meta = 'indicator_name: Small\nunit: percent\n';
    // The metadata names no indicator: it is the file's first row's, an indicator the metadata creates.
    const withMeta = await importFile(db, actor, { format: 'long', filename: 'l.csv', buf: csv(['st-meta']), openSdgMeta: meta, options: { format: 'long' } }, { inlineBelow: 1024, chunkRows: 700 });
    assert.equal(withMeta.ok, true, JSON.stringify(withMeta.errors));
    assert.equal((await counts())[0], before[0]! + AREAS.length * MONTHS.length);
    const name = await db.query<{ name: unknown }>(`SELECT name FROM ind_indicators WHERE code = 'st-meta'`);
    assert.match(JSON.stringify(name[0]!.name), /Small/);
    const reader = { ...actor, userId: '00000000-0000-4000-8000-000000000001', label: 'a reader', isPlatformAdmin: false, orgRoles: new Map() };
    await assert.rejects(importFile(db, reader, { format: 'long', filename: 'm.csv', buf: Buffer.from('not,a\nfile'), options: { format: 'long' } }, { inlineBelow: 1 }), (e: Error) => e instanceof ForbiddenError);
  });
});
