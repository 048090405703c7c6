import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Database } from '../../platform/db/index.js';
import { indicatorsCli } from './cli.js';
import { upsertIndicators } from '../indicators/index.js';
import { FIXTURES, fixture, testDatabase } from '../../../test/indicators-support.js';
import type { Fetch } from './connectors.js';

let db: Database & { drop: () => Promise<void> };
before(async () => {
  db = await testDatabase();
  await db.orm.transaction((tx) => upsertIndicators(tx, [{ code: 'demo-energy', name: 'Energy use' }]));
});
after(async () => db?.drop());

async function run(args: string[], fetch?: Fetch) {
  const lines: string[] = [];
  const code = await indicatorsCli(db, args, { out: (s) => lines.push(s), ...(fetch ? { fetch } : {}) });
  return { code, text: lines.join('\n') };
}
const f = (name: string) => path.join(FIXTURES, name);
const count = async (table: string) => Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n);

describe('indicator CLI', () => {
  it('a dry run reports and writes nothing; the import then goes in; a repeat changes nothing', async () => {
    const dry = await run(['import', 'long', f('long-template.csv'), '--dry-run']);
    assert.equal(dry.code, 0);
    assert.match(dry.text, /Dry run, nothing written: would import 7 rows: 7 new/);
    assert.equal(await count('ind_observations'), 0);
    assert.match((await run(['import', 'long', f('long-template.csv')])).text, /Imported as batch #\d+\. 7 rows: 7 new, 0 changed, 0 unchanged\./);
    assert.match((await run(['import', 'long', f('long-template.csv')])).text, /Nothing changed\. 7 rows: 0 new, 0 changed, 7 unchanged\./);
  });

  it('lists bad rows and exits non-zero', async () => {
    const r = await run(['import', 'long', f('long-bad.csv')]);
    assert.equal(r.code, 1);
    assert.match(r.text, /row 3 period: "twenty" is not a period/);
    assert.match(r.text, /row 6 row: duplicate of row 2/);
  });

  it('imports Open SDG with its metadata, a taxonomy, a Kolada catalogue, groups and boundaries', async () => {
    assert.match((await run(['import', 'opensdg', f('indicator_11-6-1.csv'), '--meta', f('11-6-1.md')])).text, /8 new/);
    // 4 categories of the hierarchy, plus the taxonomy's dimensions (perspective, measuring level) as filter
    // headings: the line names both, not 9 "categories".
    assert.match((await run(['framework', 'u4ssc', f('u4ssc-taxonomy.csv')])).text, /^2 indicators read, 9 framework headings \(categories and filters\); \d+ changes?\.\n  skipped row 5 notation: "XX: bad" is not a U4SSC code/);
    assert.match((await run(['kolada-kpis', f('kolada-kpi.json')])).text, /^1 indicator read, 1 framework heading \(categories and filters\); \d+ changes?\./);
    assert.match((await run(['kolada-areas', f('kolada-municipality.json')])).text, /4 areas read/);
    assert.match((await run(['kolada-groups', f('kolada-groups.json')])).text, /1 group read: 1 created, 0 changed\./);
    assert.match((await run(['geojson', f('boundaries.geojson'), '--country', 'SE', '--property', 'kommunkod'])).text, /2 boundaries stored\.\nUnknown areas: se-9999/);
  });

  it('fetches a Kolada KPI through the live connector (replayed) and imports it', async () => {
    const fetch: Fetch = async (url) => {
      const body = url.includes('/data/kpi/') ? fixture('kolada-data.json') : url.endsWith('/kpi/N07403') ? fixture('kolada-kpi.json') : null;
      return body ? { ok: true, status: 200, statusText: 'OK', json: async () => JSON.parse(body.toString('utf8')) } : { ok: false, status: 404, statusText: 'Not Found', json: async () => ({}) };
    };
    const r = await run(['fetch-kolada', 'N07403', '--municipalities', '0780,1487', '--years', '2022,2023'], fetch);
    assert.equal(r.code, 0, r.text);
    assert.match(r.text, /Imported as batch #\d+\. 5 rows: 5 new/);
  });

  it('imports an Open SDG directory file by file, parsing in a worker; a broken file changes nothing and is reported', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'samverka-opensdg-'));
    try {
      mkdirSync(path.join(dir, 'data'));
      mkdirSync(path.join(dir, 'meta'));
      writeFileSync(path.join(dir, 'data', 'indicator_11-6-1.csv'), fixture('indicator_11-6-1.csv'));
      writeFileSync(path.join(dir, 'meta', '11-6-1.md'), fixture('11-6-1.md'));
      writeFileSync(path.join(dir, 'data', 'indicator_7-2-1.csv'), 'Year,Value\n2020,41.5\n2021,43.25\n');
      writeFileSync(path.join(dir, 'data', 'indicator_7-3-1.csv'), 'Year,Value\n2020,abc\n');
      const before = await count('ind_import_batches');
      const r = await run(['opensdg-dir', dir, '--area', 'se-0780']);
      assert.equal(r.code, 1, r.text);
      assert.match(r.text, /indicator_7-3-1\.csv: 1 problem, e\.g\. row 2 Value: "abc" is not a number/);
      assert.match(r.text, /2 of 3 files imported; 1 failed\./);
      const rows = await db.query<{ code: string; value: number; name: string }>(
        `SELECT i.code, o.value, i.name FROM ind_observations o JOIN ind_indicators i ON i.id = o.indicator_id JOIN areas a ON a.id = o.area_id WHERE a.key = 'se-0780' AND i.code IN ('7-2-1', '7-3-1') ORDER BY o.period`,
      );
      assert.deepEqual(rows.map((x) => [x.code, x.value]), [['7-2-1', 41.5], ['7-2-1', 43.25]]);
      const [summary] = await db.query<{ series: unknown }>(`SELECT s.series FROM ind_area_summary s JOIN ind_indicators i ON i.id = s.indicator_id WHERE i.code = '7-2-1'`);
      assert.deepEqual(summary!.series, [['2020', 41.5], ['2021', 43.25]], 'summaries made in the worker land as the pages read them');
      const after = await count('ind_import_batches');
      assert.ok(after > before);
      // Already imported: the same directory again changes nothing.
      const again = await run(['opensdg-dir', dir, '--area', 'se-0780']);
      assert.match(again.text, /2 of 3 files imported; 1 failed\./);
      assert.equal(await count('ind_import_batches'), after);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a published repository as it is: CRLF and BOM metadata, a bad metadata file named and skipped, an "Area" disaggregation, date-range periods, and no renaming without metadata', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'samverka-opensdg-real-'));
    try {
      mkdirSync(path.join(dir, 'data'));
      mkdirSync(path.join(dir, 'meta'));
      // Windows line endings and a BOM, as about a fifth of a real city's metadata files have.
      writeFileSync(path.join(dir, 'meta', '3-9-1.md'), '\uFEFF---\r\nindicator_name: Mortality from air pollution\r\ntarget_id: 3.9\r\ncomputation_units: Rate\r\n---\r\nBody text.\r\n');
      writeFileSync(path.join(dir, 'data', 'indicator_3-9-1.csv'), 'Year,Area,Value\r\n26/02/2020-12/10/2020,Urban,4.5\r\n26/02/2020-12/10/2020,Rural,3.5\r\n2021,Urban,4.25\r\n');
      writeFileSync(path.join(dir, 'meta', '6-1-1.md'), '---\nindicator_name: [unclosed\n---\n');
      writeFileSync(path.join(dir, 'data', 'indicator_6-1-1.csv'), 'Year,Value\n2020,1\n');
      writeFileSync(path.join(dir, 'data', 'indicator_demo-energy.csv'), 'Year,Value\n2020,12\n');
      const r = await run(['opensdg-dir', dir, '--area', 'se-0780']);
      assert.match(r.text, /meta\/6-1-1\.md: The metadata is not valid YAML/);
      assert.match(r.text, /2 of 3 files imported; 1 failed\./);
      const [ind] = await db.query<{ name: string; unit: string; headline_breakdown: string }>(`SELECT name, unit, headline_breakdown FROM ind_indicators WHERE code = '3-9-1'`);
      assert.deepEqual(ind, { name: 'Mortality from air pollution', unit: 'Rate', headline_breakdown: 'Area=Urban' });
      const obs = await db.query<{ period: string; breakdown: string }>(`SELECT o.period, o.breakdown FROM ind_observations o JOIN ind_indicators i ON i.id = o.indicator_id WHERE i.code = '3-9-1' ORDER BY 1, 2`);
      assert.deepEqual(obs.map((o) => `${o.period} ${o.breakdown}`), ['2020 Area=Rural', '2020 Area=Urban', '2021 Area=Urban']);
      const [energy] = await db.query<{ name: string }>(`SELECT name FROM ind_indicators WHERE code = 'demo-energy'`);
      assert.equal(energy!.name, 'Energy use', 'data without metadata must not rename an existing indicator');
      assert.equal((await db.query(`SELECT 1 FROM ind_indicators WHERE code = '6-1-1'`)).length, 0);
      const dry = await run(['opensdg-dir', dir, '--area', 'se-0780', '--dry-run']);
      assert.match(dry.text, /would be imported \(dry run, nothing written\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints help for an unknown command', async () => {
    const r = await run(['nope']);
    assert.equal(r.code, 2);
    assert.match(r.text, /Indicator commands/);
  });
});
