import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../platform/db/index.js';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import { parseFile } from '../imports/index.js';
import { upsertIndicators } from './service.js';
import { importObservations } from './observations.js';
import { movedMost, movement } from './area-overview.js';
import { actor, testDatabase } from '../../../test/indicators-support.js';
import * as q from './queries.js';

let db: Database & { drop: () => Promise<void> };
before(async () => {
  db = await testDatabase();
  await db.orm.transaction((tx) =>
    upsertIndicators(tx, [
      { code: 'up-good', name: 'Renewable share', unit: '%', direction: 'higher', sdgTargets: ['7.2'] },
      { code: 'up-bad', name: 'Emissions', unit: 't', direction: 'lower', sdgTargets: ['13.2'] },
      { code: 'small', name: 'Small change', direction: 'higher' },
      { code: 'old-move', name: 'Moved long ago', direction: 'higher' },
      { code: 'from-zero', name: 'From zero', direction: 'higher' },
      { code: 'flat', name: 'Flat', direction: 'neutral' },
    ]),
  );
  const csv = [
    'indicator,area,period,value',
    // +50 % over the window: better (higher is good).
    'up-good,se-0780,2019,20', 'up-good,se-0780,2020,22', 'up-good,se-0780,2021,25', 'up-good,se-0780,2022,30',
    // +100 %: worse (lower is good); the largest movement.
    'up-bad,se-0780,2020,5', 'up-bad,se-0780,2021,8', 'up-bad,se-0780,2022,10',
    // +5 %.
    'small,se-0780,2021,100', 'small,se-0780,2022,105',
    // A tenfold rise before the window; within the last four periods only +1 %.
    'old-move,se-0780,2015,1', 'old-move,se-0780,2016,10', 'old-move,se-0780,2017,100', 'old-move,se-0780,2018,100', 'old-move,se-0780,2019,100', 'old-move,se-0780,2020,101',
    // A base of zero has no relative change; the next value in the window is the base.
    'from-zero,se-0780,2020,0', 'from-zero,se-0780,2021,4', 'from-zero,se-0780,2022,5',
    'flat,se-0780,2021,7', 'flat,se-0780,2022,7',
  ].join('\n');
  const parsed = await parseFile('long', 'moves.csv', Buffer.from(csv));
  const r = await importObservations(db, actor, parsed, { format: 'long' });
  assert.equal(r.ok, true, JSON.stringify(r.errors));
});
after(async () => db?.drop());

test('moved most: largest relative change over the last periods first, by the indicator’s direction; zero bases and flat series skipped', async () => {
  const area = await q.getArea(db.orm, 'se-0780');
  const rows = await movedMost(db.orm, area.id, 5);
  assert.deepEqual(
    rows.map((r) => [r.code, r.base_period, r.latest_period, Math.round(r.rel * 100)]),
    [
      ['up-bad', '2020', '2022', 100],
      ['up-good', '2019', '2022', 50],
      ['from-zero', '2021', '2022', 25],
      ['small', '2021', '2022', 5],
      ['old-move', '2017', '2020', 1],
    ],
  );
  assert.equal(movement(rows[0]!.direction, rows[0]!.rel), 'worse');
  assert.equal(movement(rows[1]!.direction, rows[1]!.rel), 'better');
  assert.equal(movement('neutral', 0.3), 'changed');
  assert.equal((await movedMost(db.orm, area.id, 2)).length, 2);
});

test('the area page opens with 17 SDG tiles and the indicators that moved most, before the goal sections', async () => {
  let t: TestApp | undefined;
  try {
    t = await createTestApp({ demo: true });
    const res = await (await t.agent()).get('/areas/se-0780', { 'accept-language': 'sv' });
    assert.equal(res.statusCode, 200);
    const main = res.body.slice(res.body.indexOf('<main'));
    assert.equal((main.match(/class="sdg-tile"/g) ?? []).length, 17);
    const tiles = main.indexOf('class="sdg-tiles"');
    const moved = main.indexOf('class="area-moved"');
    const firstGoal = main.indexOf('class="ind-goal"');
    assert.ok(tiles > 0 && tiles < moved && moved < firstGoal, 'tiles, then moved most, then the goal sections');
    assert.match(main, /Störst förändring/);
    // A tile with data links to its goal's section on the page; the section exists.
    const link = /<a class="sdg-tile"[^>]*href="#goal-(\d+)"/.exec(main);
    assert.ok(link);
    assert.ok(main.includes(`id="goal-${link[1]}"`));
    // Percentages in the page's language (Swedish: a non-breaking space before %, a minus sign).
    const items = [...main.matchAll(/<li class="area-moved__item" data-movement="(better|worse|changed)">/g)];
    assert.ok(items.length >= 3 && items.length <= 5, `${items.length} moved`);
    assert.match(main, /<strong>[+−]\d+\s%<\/strong>/u);
  } finally {
    await t?.close();
  }
});
