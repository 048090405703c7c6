/**
 * Property: whatever valid Open SDG CSV or JSON-stat dataset goes in, exporting it and importing
 * the export again changes nothing: no observation, no indicator metadata, no batch, no audit row.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Database } from '../../platform/db/index.js';
import { parseFile } from './importers/index.js';
import { exportRows, getIndicator } from '../indicators/index.js';
import { toOpenSdgCsv } from '../indicators/index.js';
import { toJsonStat } from '../indicators/index.js';
import { importObservations } from '../indicators/index.js';
import { labelBooks } from '../indicators/index.js';
import { actor, testDatabase } from '../../../test/indicators-support.js';

let db: Database & { drop: () => Promise<void> };
before(async () => {
  db = await testDatabase();
});
after(async () => db?.drop());

const AREAS = ['se-0780', 'se-0765', 'no-1506', 'dk-657'];
type Obs = { period: string; area: string; sex: string; value: number | null; status: string };

/** Distinct observations: one per area × period × sex; a missing value always carries its reason. */
const observations = fc
  .uniqueArray(
    fc.record({
      period: fc.integer({ min: 2000, max: 2030 }).map(String),
      area: fc.constantFrom(...AREAS),
      sex: fc.constantFrom('', 'F', 'M'),
      value: fc.option(fc.tuple(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.constantFrom(1, 10, 100, 1000)).map(([n, d]) => n / d), { freq: 6 }),
      status: fc.constantFrom('', 'provisional', 'estimated'),
    }),
    { minLength: 1, maxLength: 25, selector: (o) => `${o.area}|${o.period}|${o.sex}` },
  )
  .map((os): Obs[] => os.map((o) => (o.value === null ? { ...o, status: 'missing' } : o)));

const counts = async () => {
  const [r] = await db.query<{ b: number; a: number }>('SELECT (SELECT count(*)::int FROM ind_import_batches) AS b, (SELECT count(*)::int FROM audit_events) AS a');
  return r!;
};
const state = async (code: string) => {
  const ind = await getIndicator(db.orm, code);
  const rows = await exportRows(db.orm, [ind.id]);
  const { updated_at: _u, data_version: _d, ...meta } = ind;
  return { meta, rows: rows.map((r) => `${r.area_key}|${r.period}|${r.breakdown}|${r.value}|${r.status}|${r.note}`).sort() };
};

let n = 0;
async function roundTrip(format: 'opensdg' | 'jsonstat', obs: Obs[]) {
  const code = `prop-${format}-${++n}`;
  const csv = ['Year,Sex,GeoCode,Status,Value', ...obs.map((o) => `${o.period},${o.sex},${o.area},${o.status},${o.value ?? ''}`)].join('\n') + '\n';
  const first = await parseFile('opensdg', `indicator_${code}.csv`, Buffer.from(csv));
  assert.deepEqual(first.errors, []);
  first.indicators.push({ code, name: `Property ${n}`, unit: 'percent', source: 'Generated', attribution: 'Source: generated data' });
  const r1 = await importObservations(db, actor, first, { format: 'opensdg' });
  assert.equal(r1.ok, true, JSON.stringify(r1.errors));
  const before = await state(code);
  const c0 = await counts();
  const ind = await getIndicator(db.orm, code);
  const rows = await exportRows(db.orm, [ind.id]);
  const again =
    format === 'opensdg'
      ? await parseFile('opensdg', `indicator_${code}.csv`, Buffer.from(toOpenSdgCsv(rows, ind.unit)))
      : await parseFile(
          'jsonstat',
          `${code}.json`,
          Buffer.from(JSON.stringify(toJsonStat(rows, [{ code, name: ind.name, unit: ind.unit, decimals: ind.decimals, source: ind.source, attribution: ind.attribution }], new Map(rows.map((r) => [r.area_key, r.area_name])), { label: ind.name, source: ind.attribution || ind.source }))),
        );
  assert.deepEqual(again.errors, []);
  const r2 = await importObservations(db, actor, again, { format });
  assert.equal(r2.ok, true, JSON.stringify(r2.errors));
  assert.deepEqual([r2.inserted, r2.updated, r2.batchId], [0, 0, null]);
  assert.deepEqual(await state(code), before);
  assert.deepEqual(await counts(), c0);
}

/** A JSON-stat dataset as a statistics office writes it: a labelled breakdown dimension, labelled categories, its language. */
const labelled = fc.record({
  dimLabel: fc.constantFrom('Kjønn', 'Kön', 'avstand til skole', 'Age group', 'Køn'),
  cats: fc.uniqueArray(fc.record({ code: fc.constantFrom('1', '2', '01', 'K', 'M', 'TotSa', 'Y15-24'), label: fc.string({ minLength: 1, maxLength: 20 }).filter((x) => x.trim() !== '' && !/[\u0000-\u001f\u007f-\u009f\ud800-\udfff]/.test(x)) }), { minLength: 1, maxLength: 4, selector: (c) => c.code }),
  areas: fc.uniqueArray(fc.constantFrom(...AREAS), { minLength: 1, maxLength: 3 }),
  years: fc.uniqueArray(fc.integer({ min: 2000, max: 2030 }).map(String), { minLength: 1, maxLength: 3 }),
  lang: fc.constantFrom('no', 'sv', 'da', 'en'),
  seed: fc.integer({ min: 1, max: 1000 }),
});

const labelState = async (code: string) =>
  (await db.query<{ k: string }>(`SELECT l.dimension || '|' || l.code || '|' || l.label || '|' || l.lang AS k FROM ind_labels l JOIN ind_indicators i ON i.id = l.indicator_id WHERE i.code = $1 ORDER BY 1`, [code])).map((r) => r.k);

async function labelledRoundTrip(p: typeof labelled extends fc.Arbitrary<infer T> ? T : never) {
  const code = `prop-labels-${++n}`;
  const cells = p.areas.length * p.cats.length * p.years.length;
  const ds = {
    version: '2.0',
    class: 'dataset',
    label: `Labelled ${n}`,
    id: ['Region', 'Dim', 'Tid'],
    size: [p.areas.length, p.cats.length, p.years.length],
    role: { geo: ['Region'], time: ['Tid'] },
    dimension: {
      Region: { category: { index: p.areas } },
      Dim: { label: p.dimLabel, category: { index: p.cats.map((c) => c.code), label: Object.fromEntries(p.cats.map((c) => [c.code, c.label])) } },
      Tid: { category: { index: p.years } },
    },
    value: Array.from({ length: cells }, (_, i) => ((i * p.seed) % 97) / 4),
    extension: { px: { language: p.lang } },
  };
  const first = await parseFile('jsonstat', `${code}.json`, Buffer.from(JSON.stringify(ds)), { indicator: code });
  assert.deepEqual(first.errors, []);
  first.indicators.push({ code, name: `Labelled ${n}`, unit: 'percent', source: 'Generated' });
  const r1 = await importObservations(db, actor, first, { format: 'jsonstat' });
  assert.equal(r1.ok, true, JSON.stringify(r1.errors));
  const labels = await labelState(code);
  assert.ok(labels.length > 0, 'the labels are stored');
  const before = await state(code);
  const c0 = await counts();
  const ind = await getIndicator(db.orm, code);
  const rows = await exportRows(db.orm, [ind.id]);
  const books = await labelBooks(db.orm, [ind.id]);
  const exported = toJsonStat(rows, [{ code, name: ind.name, unit: ind.unit, decimals: ind.decimals, source: ind.source, attribution: ind.attribution, lang: ind.lang }], new Map(rows.map((r) => [r.area_key, r.area_name])), {
    label: ind.name,
    source: ind.source,
    labels: new Map(books.has(ind.id) ? [[code, books.get(ind.id)!]] : []),
  });
  const again = await parseFile('jsonstat', `${code}.json`, Buffer.from(JSON.stringify(exported)));
  assert.deepEqual(again.errors, []);
  const r2 = await importObservations(db, actor, again, { format: 'jsonstat' });
  assert.equal(r2.ok, true, JSON.stringify(r2.errors));
  assert.deepEqual([r2.inserted, r2.updated, r2.indicatorsChanged, r2.batchId], [0, 0, 0, null]);
  assert.deepEqual(await state(code), before);
  assert.deepEqual(await labelState(code), labels);
  assert.deepEqual(await counts(), c0);
}

describe('round trips change nothing', () => {
  it('JSON-stat with labels: import, export, import again keeps every label and changes nothing', async () => {
    await fc.assert(fc.asyncProperty(labelled, (p) => labelledRoundTrip(p)), { numRuns: 20, seed: 20261129 });
  });
  it('Open SDG CSV: import, export, import again', async () => {
    await fc.assert(fc.asyncProperty(observations, (obs) => roundTrip('opensdg', obs)), { numRuns: 25, seed: 20261129 });
  });
  it('JSON-stat: import, export, import again', async () => {
    await fc.assert(fc.asyncProperty(observations, (obs) => roundTrip('jsonstat', obs)), { numRuns: 25, seed: 20261129 });
  });
});
