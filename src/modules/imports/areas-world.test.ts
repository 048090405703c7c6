/**
 * Areas beyond the Nordics and below municipalities, and areas that change over time
 * (Norway's 2020 and 2024 reforms, shipped in data/area-changes.tsv).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../platform/db/index.js';
import { parseFile } from './importers/index.js';
import { importReference } from './reference.js';
import { loadShippedAreaChanges, parseAreaChanges } from './area-changes.js';
import { importObservations } from '../indicators/index.js';
import { actor, testDatabase } from '../../../test/indicators-support.js';
import { readFileSync } from 'node:fs';

let db: Database & { drop: () => Promise<void> };
before(async () => {
  db = await testDatabase();
});
after(async () => db?.drop());

const csv = (s: string) => Buffer.from(s);

describe('areas anywhere', () => {
  it('imports a non-Nordic city and a district, and data for them', async () => {
    const list = 'country,level,code,name,parent_key\nFI,country,,Suomi,\nFI,municipality,091,Helsinki,fi\nDE,country,,Deutschland,\nDE,municipality,09162000,München,de\nSE,district,Teleborg,Teleborg,se-0780\n';
    const r = await importReference(db, actor, { kind: 'areas-any', file: csv(list) });
    assert.deepEqual([r.read, r.created], [5, 5]);
    const keys = (await db.query<{ key: string }>(`SELECT key FROM areas WHERE key IN ('fi-091', 'de-09162000', 'se-0780-teleborg') ORDER BY key`)).map((a) => a.key);
    assert.deepEqual(keys, ['de-09162000', 'fi-091', 'se-0780-teleborg']);
    const parsed = await parseFile('long', 'x.csv', csv('indicator,area,period,value\nworld-1,fi-091,2022,1.5\nworld-1,se-0780-teleborg,2022,2.5\n'));
    assert.deepEqual(parsed.errors, []);
    parsed.indicators.push({ code: 'world-1', name: 'Anywhere' });
    const imp = await importObservations(db, actor, parsed, { format: 'long' });
    assert.equal(imp.ok, true, JSON.stringify(imp.errors));
    // Again: nothing changes.
    assert.equal((await importReference(db, actor, { kind: 'areas-any', file: csv(list) })).created, 0);
  });

  it('refuses a district without a municipality, and a bad country, by row', async () => {
    await assert.rejects(importReference(db, actor, { kind: 'areas-any', file: csv('country,level,code,name\nXYZ,municipality,1,X\n') }), /Row 2: "XYZ" is not an ISO 3166 country code/);
    await assert.rejects(importReference(db, actor, { kind: 'areas-any', file: csv('country,level,code,name,parent_key\nSE,district,a,A,se\n') }), (e: Error) => /not a municipality/.test(JSON.stringify((e as { fields?: unknown }).fields ?? e.message)));
  });
});

describe('areas over time', () => {
  it('the shipped file reads, and applying it twice changes nothing the second time', async () => {
    const rows = parseAreaChanges((await import('node:fs')).readFileSync(new URL('./data/area-changes.tsv', import.meta.url), 'utf8'));
    assert.ok(rows.some((r) => r.oldCode === '3037' && r.newCode === '3242' && r.date === '2024-01-01'), 'Hurdal 3037 -> 3242');
    assert.ok(rows.some((r) => r.level === 'region' && r.oldCode === '30' && r.newCode === '32'), 'Viken -> Akershus');
    const first = await loadShippedAreaChanges(db, actor);
    assert.ok(first.created > 100);
    const second = await loadShippedAreaChanges(db, actor);
    assert.deepEqual([second.created, second.changed], [0, 0]);
    const [viken] = await db.query<{ valid_from: string; valid_to: string }>(`SELECT valid_from::text, valid_to::text FROM areas WHERE key = 'no-30'`);
    assert.deepEqual(viken, { valid_from: '2020-01-01', valid_to: '2023-12-31' });
  });

  it("a code valid in the data's year resolves; an outdated one is named with its successor and nothing is written", async () => {
    const before = await db.query(`SELECT count(*)::int AS n FROM ind_observations`);
    const parsed = await parseFile('long', 'no.csv', csv('indicator,area,period,value\nhurdal-1,no-3037,2022,1\nhurdal-1,no-3242,2024,2\nhurdal-1,no-3037,2024,3\nhurdal-1,no-3242,2021,4\n'));
    parsed.indicators.push({ code: 'hurdal-1', name: 'Hurdal over time' });
    const bad = await importObservations(db, actor, parsed, { format: 'long' });
    assert.equal(bad.ok, false);
    assert.deepEqual(
      bad.errors.map((e) => `${e.line}: ${e.message}`),
      ['4: "no-3037" (Hurdal) was replaced after 2023, so it has no data for 2024; map it to no-3242', '5: "no-3242" (Hurdal) exists from 2024, so it has no data for 2021; for earlier years use no-3037'],
    );
    assert.deepEqual(await db.query(`SELECT count(*)::int AS n FROM ind_observations`), before);
    const fixed = await parseFile('long', 'no.csv', csv('indicator,area,period,value\nhurdal-1,no-3037,2022,1\nhurdal-1,no-3242,2024,2\n'));
    fixed.indicators.push({ code: 'hurdal-1', name: 'Hurdal over time' });
    const ok = await importObservations(db, actor, fixed, { format: 'long' });
    assert.equal(ok.ok, true, JSON.stringify(ok.errors));
  });

  it("holds all of Norway's 2020 municipal changes: 422 municipalities became 356", () => {
    const rows = parseAreaChanges(readFileSync(new URL('./data/area-changes.tsv', import.meta.url), 'utf8'));
    const m2020 = rows.filter((r) => r.date === '2020-01-01' && r.level === 'municipality');
    const ended = new Set(m2020.filter((r) => r.oldCode !== r.newCode).map((r) => r.oldCode));
    const kept = new Set(m2020.filter((r) => r.oldCode === r.newCode).map((r) => r.oldCode));
    const successors = new Set(m2020.filter((r) => r.oldCode !== r.newCode).map((r) => r.newCode));
    // 310 codes ended and 2 lived on (Stavanger, Trondheim); the 110 others of 2019's 422 were untouched.
    assert.deepEqual([ended.size, kept.size, successors.size], [310, 2, 246]);
    assert.equal(422 - ended.size - kept.size + successors.size, 356);
    assert.equal(rows.filter((r) => r.date === '2020-01-01' && r.level === 'region').length, 13);
    // Samples across the reform: a renumbering, a merger across county lines, a split.
    const pair = (o: string, n: string) => m2020.some((r) => r.oldCode === o && r.newCode === n);
    assert.ok(pair('0101', '3001') && pair('0121', '3026') && pair('1850', '1806') && pair('1850', '1875') && pair('1444', '1577'));
  });

  it('follows a code through several reforms: 0702 Holmestrand -> 0715 (2018) -> 3802 (2020) -> 3903 (2024)', async () => {
    await loadShippedAreaChanges(db, actor);
    const [stavanger] = await db.query<{ valid_from: string | null }>(`SELECT valid_from::text FROM areas WHERE key = 'no-1103'`);
    assert.equal(stavanger!.valid_from, null, 'Stavanger kept its code in 2020, so its earlier data stays valid');
    const before = await db.query(`SELECT count(*)::int AS n FROM ind_observations`);
    const parsed = await parseFile('long', 'h.csv', csv('indicator,area,period,value\nholm-1,no-0702,2016,1\nholm-1,no-0702,2021,2\nholm-1,no-0702,2024,3\nholm-1,no-0715,2019,4\n'));
    parsed.indicators.push({ code: 'holm-1', name: 'Holmestrand over time' });
    const r = await importObservations(db, actor, parsed, { format: 'long' });
    assert.equal(r.ok, false);
    assert.deepEqual(
      r.errors.map((e) => `${e.line}: ${e.message}`),
      [
        '3: "no-0702" (Holmestrand) was replaced after 2017, so it has no data for 2021; map it to no-3802 (via no-0715)',
        '4: "no-0702" (Holmestrand) was replaced after 2017, so it has no data for 2024; map it to no-3903 (via no-0715, no-3802)',
      ],
    );
    assert.deepEqual(await db.query(`SELECT count(*)::int AS n FROM ind_observations`), before);
  });
});
