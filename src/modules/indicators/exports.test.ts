import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import JSONstat from 'jsonstat-toolkit';
import type { Database } from '../../platform/db/index.js';
import { parseFile } from '../imports/index.js';
import { upsertIndicators } from './service.js';
import { importObservations } from './observations.js';
import { exportRows, getIndicator } from './queries.js';
import { toOpenSdgCsv } from './exporters/opensdg.js';
import { toJsonStat } from './exporters/jsonstat.js';
import { actor, fixture, testDatabase } from '../../../test/indicators-support.js';
import { seedIndicatorsDemo } from './demo.js';
import { clearChartCache, lineOption, renderCount, renderSvg, stats } from './charts.js';

let db: Database & { drop: () => Promise<void> };
before(async () => {
  db = await testDatabase();
  await db.orm.transaction((tx) => upsertIndicators(tx, [{ code: 'demo-energy', name: 'Energy use', unit: 'MWh', decimals: 1 }]));
  const r = await importObservations(db, actor, await parseFile('long', 'long-template.csv', fixture('long-template.csv')), { format: 'long' });
  assert.equal(r.ok, true);
});
after(async () => db?.drop());

const snapshot = async () =>
  (await exportRows(db.orm, [(await getIndicator(db.orm, 'demo-energy')).id])).map((r) => [r.area_key, r.period, r.breakdown, r.value, r.status, r.note].join('|'));

describe('exports', () => {
  it('Open SDG CSV round trip: export, re-import, nothing changes', async () => {
    const ind = await getIndicator(db.orm, 'demo-energy');
    const rows = await exportRows(db.orm, [ind.id]);
    const csvText = toOpenSdgCsv(rows, ind.unit);
    assert.equal(csvText.split('\n')[0], 'Year,gender,GeoCode,Units,Status,Note,Value');
    const before = await snapshot();
    const parsed = await parseFile('opensdg', 'indicator_demo-energy.csv', Buffer.from(csvText));
    assert.deepEqual(parsed.errors, []);
    const r = await importObservations(db, actor, parsed, { format: 'opensdg' });
    assert.deepEqual([r.ok, r.inserted, r.updated, r.unchanged], [true, 0, 0, 7]);
    assert.deepEqual(await snapshot(), before);
  });

  it('JSON-stat export reads back with jsonstat-toolkit and re-imports unchanged', async () => {
    const ind = await getIndicator(db.orm, 'demo-energy');
    const rows = await exportRows(db.orm, [ind.id]);
    const ds = toJsonStat(rows, [{ code: ind.code, name: ind.name, unit: ind.unit, decimals: ind.decimals }], new Map(rows.map((r) => [r.area_key, r.area_name])), { label: ind.name, source: 'test' });
    const j = JSONstat(JSON.parse(JSON.stringify(ds)));
    assert.equal(j.class, 'dataset');
    assert.deepEqual(j.id, ['indicator', 'area', 'period', 'breakdown']);
    assert.deepEqual(j.Dimension('area').id, ['dk-657', 'no-1506', 'se-0780']);
    assert.equal(j.Dimension('area').Category('se-0780').label, 'Växjö');
    assert.equal(j.Data({ indicator: 'demo-energy', area: 'se-0780', period: '2021', breakdown: '_T' }).value, 11.9);
    assert.equal(j.Data({ indicator: 'demo-energy', area: 'se-0780', period: '2021', breakdown: '_T' }).status, 'provisional');
    assert.equal(j.Data({ indicator: 'demo-energy', area: 'se-0780', period: '2021', breakdown: 'gender=K' }).value, 6.1);
    assert.equal(j.Data({ indicator: 'demo-energy', area: 'dk-657', period: '2020', breakdown: '_T' }).value, null);
    const before = await snapshot();
    const parsed = await parseFile('jsonstat', 'export.json', Buffer.from(JSON.stringify(ds)));
    assert.deepEqual(parsed.errors, []);
    // The dense cube's empty cells are not observations, so exactly the exported rows come back.
    assert.equal(parsed.rows.length, rows.length);
    const r = await importObservations(db, actor, parsed, { format: 'jsonstat' });
    assert.deepEqual([r.ok, r.inserted, r.updated], [true, 0, 0]);
    assert.deepEqual(await snapshot(), before);
  });
});

describe('demo data', () => {
  it('seeds once; a second run changes nothing', async () => {
    const first = await seedIndicatorsDemo(db);
    assert.equal(first.changed, true);
    const count = async () => (await db.query<{ n: string; b: string; a: string }>(`SELECT (SELECT count(*) FROM ind_observations) n, (SELECT count(*) FROM ind_import_batches) b, (SELECT count(*) FROM audit_events) a`))[0];
    const c1 = await count();
    const second = await seedIndicatorsDemo(db);
    assert.equal(second.changed, false);
    assert.deepEqual(await count(), c1);
    const [v] = await db.query<{ n: string }>(`SELECT count(*) n FROM ind_area_summary s JOIN areas a ON a.id = s.area_id WHERE a.key = 'se-0780'`);
    assert.equal(Number(v!.n), 5);
  });
});

describe('charts', () => {
  it('renders SVG once per data version and serves the cache after that', () => {
    clearChartCache();
    const before = renderCount();
    const build = () => lineOption([{ name: 'Växjö', points: [['2020', 1], ['2021', 2]] }], 'sv', '%', 1);
    const a = renderSvg('k:1', 400, 200, build);
    const b = renderSvg('k:1', 400, 200, build);
    assert.equal(renderCount() - before, 1);
    assert.equal(a, b);
    assert.match(a, /^<svg aria-hidden="true" focusable="false" /);
    renderSvg('k:2', 400, 200, build);
    assert.equal(renderCount() - before, 2);
  });
  it('computes median, rank and percentile', () => {
    assert.deepEqual(stats([1, 2, 3, 4], 3), { median: 2.5, percentile: 75, rank: 2 });
    assert.deepEqual(stats([], null), { median: null, percentile: null, rank: null });
    // Lower is better: the smallest value ranks first; a neutral indicator has no best.
    assert.deepEqual(stats([1, 2, 3, 4], 2, 'lower'), { median: 2.5, percentile: 75, rank: 2 });
    assert.deepEqual(stats([1, 2, 3, 4], 1, 'lower'), { median: 2.5, percentile: 100, rank: 1 });
    assert.deepEqual(stats([1, 2, 3, 4], 3, 'neutral'), { median: 2.5, percentile: null, rank: null });
  });
});
