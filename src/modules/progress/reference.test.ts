/**
 * The set-based SQL recompute gives the same statuses, scores, colours, trends, points, quartiles
 * and stored components as the reference: the documented methods applied series by series in
 * JavaScript (./methods, tested against hand-computed cases in methods.test.ts). The data covers
 * the methods' branches: base 0, negative values, a sign change, a single year, no data from the
 * baseline on, a year range and a duplicate year, a quarterly-only series, a neutral indicator, a
 * limit, a manual status, bounds and thresholds, targets at all four levels and on a breakdown.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import { systemActor } from '../../platform/audit.js';
import { importObservations } from '../indicators/index.js';
import { createTarget, recomputeAll } from './index.js';
import { referenceAll, type StatusRow } from './reference.js';

let t: TestApp;
const actor = systemActor('test');

before(async () => {
  t = await createTestApp({ demo: true });
});
after(() => t?.close());

const SERIES: Record<string, number | null>[] = [
  { '2015': 50, '2020': 60 },
  { '2015': 0, '2019': 5 },
  { '2015': -10, '2020': -5 },
  { '2016': -1, '2020': 3 },
  { '2021': 7 },
  { '2010': 1, '2012': 2 },
  { '2015': 3, '2015-2016': 4, '2020': 5, '2021': null },
  { '2020-Q1': 3, '2020-Q2': 4 },
  { '2015': 90, '2018': 91, '2019': 92, '2020': 92, '2021': 99, '2022': 95, '2023': 96 },
  { '2015': 120, '2024': 20 },
  { '2017': 40, '2018': 40, '2019': 40 },
  { '2015': 95, '2020': 80, '2024': 75 },
  { '2015': 70, '2022': 85 },
];

const close = (a: unknown, b: unknown, path: string) => {
  if (typeof a === 'number' && typeof b === 'number') {
    assert.ok(Math.abs(a - b) <= 1e-9 + 2e-5 * Math.max(Math.abs(a), Math.abs(b)), `${path}: ${a} ≠ ${b}`);
  } else if (a && b && typeof a === 'object' && typeof b === 'object') {
    assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort(), `${path}: keys`);
    for (const k of Object.keys(a)) close((a as any)[k], (b as any)[k], `${path}.${k}`);
  } else assert.equal(a, b, path);
};

test('the SQL recompute agrees with the reference methods on every branch', async () => {
  const areas = (await t.db.query<{ key: string }>(`SELECT key FROM areas WHERE level = 'municipality' ORDER BY country DESC, key LIMIT ${SERIES.length}`)).map((a) => a.key);
  assert.equal(areas.length, SERIES.length);
  const metas = (['higher', 'lower', 'neutral'] as const).map((direction) => ({ code: `ref-${direction}`, name: `Reference ${direction}`, direction, sdgTargets: ['11.6'] }));
  const rows = [];
  let line = 1;
  for (const m of metas) {
    for (const [i, s] of SERIES.entries()) {
      for (const [period, value] of Object.entries(s)) {
        const v = value === null ? null : m.direction === 'lower' ? 100 - value : value;
        rows.push({ line: line++, indicator: m.code, area: areas[i]!, period, breakdown: '', value: v, status: '' as const, note: '' });
      }
    }
  }
  const rep = await importObservations(t.db, actor, { rows, errors: [], indicators: metas }, { format: 'long', source: 'test', filename: 'ref.csv' });
  assert.ok(rep.ok);
  const set = (raw: Record<string, unknown>) => createTarget(t.db, actor, raw);
  await set({ indicator: 'ref-higher', level: 'global', value: 80, limit: 100, bound: 0, green: 70, red: 30 });
  await set({ indicator: 'ref-higher', level: 'area', area: areas[8], value: 99, limit: 100 });
  await set({ indicator: 'ref-higher', level: 'area', area: areas[10], value: 50, manualStatus: 'moderate_progress', manualReason: 'Illustrative' });
  await set({ indicator: 'ref-lower', level: 'national', country: 'NO', value: 30, baselineYear: 2017 });
  await set({ indicator: 'ref-neutral', level: 'area', area: areas[0], value: 70, source: 'Illustrative' });
  await set({ indicator: 'ref-neutral', level: 'area', area: areas[11], value: 40, targetYear: 2026, baselineYear: 2016 });
  await set({ indicator: 'ref-higher', level: 'network', organisation: 'baerekraftsnettverket', value: 65, bound: 10 });
  await set({ indicator: 'demo-waste-recycled', level: 'global', breakdown: 'Waste type=Food', value: 40 });
  await recomputeAll(t.db);

  const stored = (await t.db.orm.execute(sql`SELECT indicator_id, indicator_code, area_id, breakdown, target_id, goal, u4ssc_dimension, status, method, score, colour, trend, u4ssc_points, quartile, details FROM prog_statuses`)).rows as StatusRow[];
  const ref = await referenceAll(t.db.orm);
  const key = (r: StatusRow) => `${r.indicator_code}|${r.area_id}|${r.breakdown}`;
  assert.deepEqual(stored.map(key).sort(), ref.map(key).sort(), 'the same rows');
  const byKey = new Map(stored.map((r) => [key(r), r]));
  const seen = new Set<string>();
  for (const r of ref) {
    const s = byKey.get(key(r))!;
    for (const f of ['target_id', 'goal', 'u4ssc_dimension', 'status', 'method', 'score', 'colour', 'trend', 'u4ssc_points', 'quartile'] as const) close(s[f] ?? null, r[f] ?? null, `${key(r)} ${f}`);
    close(s.details, r.details, `${key(r)} details`);
    seen.add(`${r.status}/${r.method}/${String(r.details.reason ?? '')}`);
  }
  // The data really reaches the branches it is meant to cover.
  for (const b of ['target_achieved/with_target/', 'substantial_progress/without_target/', 'deterioration/with_target/', 'moderate_progress/manual/',
    'not_available/none/single_year', 'not_available/none/no_base_year', 'not_available/none/sign_change', 'not_available/none/no_direction', 'not_available/none/no_data']) {
    assert.ok(seen.has(b), `covers ${b}: ${[...seen].join(', ')}`);
  }
  assert.ok(stored.some((s) => s.quartile !== null) && stored.some((s) => s.trend !== null) && stored.some((s) => s.u4ssc_points !== null) && stored.some((s) => s.breakdown !== ''));
});
