/**
 * Headline series: an indicator with data never shows "no data" because its file had no
 * all-blank total row (only breakdowns, an explicit total category, or several units).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../platform/db/index.js';
import { parseFile } from '../imports/index.js';
import { chooseHeadlines, isTotalCategory, type ObsRow } from '../indicator-model/index.js';
import { importObservations } from './observations.js';
import { actor, testDatabase } from '../../../test/indicators-support.js';

let db: Database & { drop: () => Promise<void> };
before(async () => {
  db = await testDatabase();
});
after(async () => db?.drop());

const row = (indicator: string, breakdown: string, value: number | null, period = '2020'): ObsRow => ({ line: 2, indicator, area: 'se-0780', period, breakdown, value, status: '', note: '' });

describe('choosing the headline series', () => {
  it('prefers the total, then an explicit total category, then the breakdown with most values', () => {
    const h = chooseHeadlines([
      row('a', '', 1), row('a', 'sex=F', 2),
      row('b', 'sex=F', 1), row('b', 'sex=TotSa', 3), row('b', 'sex=M', 2), row('b', 'sex=M', 2, '2021'),
      row('c', 'unit=Percent', 1), row('c', 'unit=Count', 1), row('c', 'unit=Count', 1, '2021'),
      row('d', 'age=0-17;sex=Begge kjønn', 1), row('d', 'age=0;sex=0', 1),
      row('e', 'sex=F', null), row('e', '', null),
    ]);
    assert.equal(h.get('a'), '');
    assert.equal(h.get('b'), 'sex=TotSa');
    assert.equal(h.get('c'), 'unit=Count');
    assert.equal(h.get('d'), 'age=0;sex=0', 'every part must be a total category');
    assert.equal(h.has('e'), false, 'no values, no headline');
    for (const t of ['T', '_T', 'TOT', 'Total', 'TotSa', '0', 'Begge kjønn', 'I alt']) assert.ok(isTotalCategory(t), t);
    assert.equal(isTotalCategory('K'), false);
  });

  it('an Open SDG file with only disaggregated rows shows its headline on the summary the pages read', async () => {
    const csv = 'Year,Sex,GeoCode,Value\n2019,Female,se-0780,10\n2019,Male,se-0780,12\n2020,Female,se-0780,11\n2020,Male,se-0780,13\n2021,Female,se-0780,12\n';
    const parsed = await parseFile('opensdg', 'indicator_5-5-9.csv', Buffer.from(csv));
    parsed.indicators.push({ code: '5-5-9', name: 'Only by sex' });
    const r = await importObservations(db, actor, parsed, { format: 'opensdg' });
    assert.equal(r.ok, true, JSON.stringify(r.errors));
    const [ind] = await db.query<{ headline_breakdown: string }>(`SELECT headline_breakdown FROM ind_indicators WHERE code = '5-5-9'`);
    assert.equal(ind!.headline_breakdown, 'Sex=Female');
    const [s] = await db.query<{ first_value: number; latest_value: number; latest_period: string; n_periods: number }>(
      `SELECT s.* FROM ind_area_summary s JOIN ind_indicators i ON i.id = s.indicator_id WHERE i.code = '5-5-9'`,
    );
    assert.deepEqual([s!.first_value, s!.latest_value, s!.latest_period, s!.n_periods], [10, 12, '2021', 3]);
  });

  it('a second import through the staging path keeps the headline and refreshes its summary', async () => {
    const csv = 'Year,Sex,GeoCode,Value\n2022,Female,se-0780,14\n2022,Male,se-0780,15\n';
    const parsed = await parseFile('opensdg', 'indicator_5-5-9.csv', Buffer.from(csv));
    const r = await importObservations(db, actor, parsed, { format: 'opensdg' });
    assert.equal(r.ok, true, JSON.stringify(r.errors));
    assert.equal(r.inserted, 2);
    const [s] = await db.query<{ latest_value: number; latest_period: string; n_periods: number }>(
      `SELECT s.* FROM ind_area_summary s JOIN ind_indicators i ON i.id = s.indicator_id WHERE i.code = '5-5-9'`,
    );
    assert.deepEqual([s!.latest_value, s!.latest_period, s!.n_periods], [14, '2022', 4]);
  });

  it('an explicit total category (Kon=TotSa) becomes the headline of a long-format import', async () => {
    const csv = 'indicator,area,period,Kon,value\nkon-1,se-0780,2020,K,5\nkon-1,se-0780,2020,M,7\nkon-1,se-0780,2020,TotSa,12\nkon-1,se-0780,2021,TotSa,13\n';
    const parsed = await parseFile('long', 'kon.csv', Buffer.from(csv));
    parsed.indicators.push({ code: 'kon-1', name: 'Total as a category' });
    const r = await importObservations(db, actor, parsed, { format: 'long' });
    assert.equal(r.ok, true, JSON.stringify(r.errors));
    const [s] = await db.query<{ latest_value: number; n_periods: number }>(
      `SELECT s.* FROM ind_area_summary s JOIN ind_indicators i ON i.id = s.indicator_id WHERE i.code = 'kon-1'`,
    );
    assert.deepEqual([s!.latest_value, s!.n_periods], [13, 2]);
  });
});
