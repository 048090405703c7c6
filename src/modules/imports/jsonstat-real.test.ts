/**
 * JSON-stat as statistics offices publish it: an explicit total category, no geographic
 * dimension, codes the importer cannot read (TOTAL, aggregates, outdated codes), distinct
 * status symbols, monthly periods and the source's precision.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../platform/db/index.js';
import { parseFile } from './importers/index.js';
import { importObservations } from '../indicators/index.js';
import { actor, testDatabase } from '../../../test/indicators-support.js';

let db: Database & { drop: () => Promise<void> };
before(async () => {
  db = await testDatabase();
});
after(async () => db?.drop());

const js = (o: unknown) => Buffer.from(JSON.stringify(o));
const dim = (ids: string[], labels?: string[]) => ({ category: { index: ids, label: Object.fromEntries(ids.map((c, i) => [c, labels?.[i] ?? c])) } });

describe('JSON-stat as published', () => {
  it('a table without a region dimension goes to one fixed area; monthly periods and two decimals are kept', async () => {
    const ds = { version: '2.0', class: 'dataset', id: ['Tid', 'ContentsCode'], size: [3, 1], dimension: { Tid: dim(['2024M01', '2024M02', '2024M03']), ContentsCode: dim(['KPI']) }, value: [1.28, 1.3, 1.31] };
    const parsed = await parseFile('jsonstat', 'kpi.json', js(ds), { dims: { Tid: 'period', ContentsCode: 'fixed' }, indicator: 'kpi-month', area: 'se' });
    assert.deepEqual(parsed.errors, []);
    parsed.indicators.push({ code: 'kpi-month', name: 'Price index, monthly' });
    const r = await importObservations(db, actor, parsed, { format: 'jsonstat' });
    assert.equal(r.ok, true, JSON.stringify(r.errors));
    const [ind] = await db.query<{ decimals: number; periodicity: string }>(`SELECT decimals, periodicity FROM ind_indicators WHERE code = 'kpi-month'`);
    assert.deepEqual(ind, { decimals: 2, periodicity: 'monthly' });
    const obs = await db.query<{ period: string; key: string }>(`SELECT o.period, a.key FROM ind_observations o JOIN areas a ON a.id = o.area_id JOIN ind_indicators i ON i.id = o.indicator_id WHERE i.code = 'kpi-month' ORDER BY 1`);
    assert.deepEqual(obs.map((o) => `${o.key} ${o.period}`), ['se 2024-01', 'se 2024-02', 'se 2024-03']);
  });

  it('without a mapping such a table is refused with a message that says what to choose', async () => {
    const ds = { version: '2.0', class: 'dataset', id: ['Tid'], size: [1], dimension: { Tid: dim(['2024']) }, value: [1] };
    const parsed = await parseFile('jsonstat', 'x.json', js(ds), { dims: { Tid: 'period' }, indicator: 'x' });
    assert.match(parsed.errors.map((e) => e.message).join(), /one area for the whole table/);
  });

  it('codes it cannot read are mapped to an area, to the file, or skipped; unmapped ones are named', async () => {
    const ds = {
      version: '2.0', class: 'dataset', id: ['Region', 'Tid'], size: [4, 1],
      dimension: { Region: dim(['0780', 'TOTAL', 'EAK', '1502'], ['Växjö', 'Hela riket', 'Euroområdet', 'Molde (før 2020)']), Tid: dim(['2023']) },
      value: [1, 2, 3, 4],
    };
    const bad = await parseFile('jsonstat', 'r.json', js(ds), { dims: { Region: 'area', Tid: 'period' }, indicator: 'reg-1', country: 'SE' });
    const msgs = bad.errors.map((e) => e.message).join('\n');
    assert.match(msgs, /"TOTAL" is not an area code; map it/);
    assert.match(msgs, /"EAK" is not an area code/);
    const ok = await parseFile('jsonstat', 'r.json', js(ds), { dims: { Region: 'area', Tid: 'period' }, indicator: 'reg-1', country: 'SE', area: 'se', codes: { TOTAL: 'file', EAK: 'skip', '1502': 'no-1506' } });
    assert.deepEqual(ok.errors, []);
    assert.deepEqual(ok.rows.map((r) => `${r.area}=${r.value}`), ['se-0780=1', 'se=2', 'no-1506=4']);
  });

  it('the long template maps codes the same way', async () => {
    const csv = 'indicator,area,period,value\nt-1,0780,2020,1\nt-1,Landet,2020,2\nt-1,1502,2020,3\nt-1,Okänd,2020,4\n';
    const bad = await parseFile('long', 't.csv', Buffer.from(csv), { country: 'SE', codes: { Landet: 'se', '1502': 'no-1506' } });
    assert.deepEqual(bad.errors.map((e) => `${e.line} ${e.message}`), ['5 "Okänd" is not an area code']);
    const ok = await parseFile('long', 't.csv', Buffer.from(csv), { country: 'SE', codes: { Landet: 'se', '1502': 'no-1506', 'Okänd': 'skip' } });
    assert.deepEqual(ok.rows.map((r) => `${r.area}=${r.value}`), ['se-0780=1', 'se=2', 'no-1506=3']);
  });

  it('status symbols keep their meanings: "." not applicable, ".." missing, ":" confidential, "p" provisional', async () => {
    const ds = { version: '2.0', class: 'dataset', id: ['Region', 'Tid'], size: [1, 4], dimension: { Region: dim(['se-0780']), Tid: dim(['2020', '2021', '2022', '2023']) }, value: [null, null, null, 5], status: ['.', '..', ':', 'p'] };
    const parsed = await parseFile('jsonstat', 's.json', js(ds), { dims: { Region: 'area', Tid: 'period' }, indicator: 'sym-1' });
    assert.deepEqual(parsed.rows.map((r) => r.status), ['not_applicable', 'missing', 'confidential', 'provisional']);
    parsed.indicators.push({ code: 'sym-1', name: 'Symbols' });
    const r = await importObservations(db, actor, parsed, { format: 'jsonstat' });
    assert.equal(r.ok, true, JSON.stringify(r.errors));
  });

  it('an explicit total category (Kon=TotSa) is the headline; labels do not block the import', async () => {
    const ds = {
      version: '2.0', class: 'dataset', id: ['Region', 'Kon', 'Tid'], size: [1, 3, 2],
      dimension: { Region: dim(['0780']), Kon: dim(['1', '2', 'TotSa'], ['män', 'kvinnor', 'totalt']), Tid: dim(['2022', '2023']) },
      value: [10, 11, 12, 13, 22, 24],
    };
    const parsed = await parseFile('jsonstat', 'k.json', js(ds), { dims: { Region: 'area', Kon: 'breakdown', Tid: 'period' }, indicator: 'kon-js', country: 'SE' });
    parsed.indicators.push({ code: 'kon-js', name: 'By sex' });
    const r = await importObservations(db, actor, parsed, { format: 'jsonstat' });
    assert.equal(r.ok, true, JSON.stringify(r.errors));
    const [s] = await db.query<{ latest_value: number; headline_breakdown: string }>(
      `SELECT s.latest_value, i.headline_breakdown FROM ind_area_summary s JOIN ind_indicators i ON i.id = s.indicator_id WHERE i.code = 'kon-js'`,
    );
    assert.deepEqual(s, { latest_value: 24, headline_breakdown: 'Kon=TotSa' });
  });
});
