/**
 * Property: whatever valid Open SDG CSV or JSON-stat dataset goes in, exporting it and importing
 * the export again changes nothing: no observation, no indicator metadata, no batch, no audit row.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Database } from '../../platform/db/index.js';
import { parseFile } from './importers/index.js';
import { exportRows, getIndicator } from './queries.js';
import { toOpenSdgCsv } from './exporters/opensdg.js';
import { toJsonStat } from './exporters/jsonstat.js';
import { importObservations } from './service.js';
import { actor, testDatabase } from './test-support.js';

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

describe('round trips change nothing', () => {
  it('Open SDG CSV: import, export, import again', async () => {
    await fc.assert(fc.asyncProperty(observations, (obs) => roundTrip('opensdg', obs)), { numRuns: 25, seed: 20261129 });
  });
  it('JSON-stat: import, export, import again', async () => {
    await fc.assert(fc.asyncProperty(observations, (obs) => roundTrip('jsonstat', obs)), { numRuns: 25, seed: 20261129 });
  });
});
