import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../platform/db/index.js';
import { parseFile, parseOpenSdgMeta } from './importers/index.js';
import { importObservations, importTaxonomy, upsertIndicators } from '../indicators/index.js';
import { rawQuery } from '../../platform/db/index.js';
import { createUpload } from './uploads.js';
import { runUpload, WORKER_PARSE_BYTES } from './jobs.js';
import { parseTaxonomy } from './importers/taxonomy.js';
import { actor, fixture, testDatabase } from '../../../test/indicators-support.js';

let db: Database & { drop: () => Promise<void> };
before(async () => {
  db = await testDatabase();
  await db.orm.transaction((tx) => upsertIndicators(tx, [{ code: 'demo-energy', name: 'Energy use per inhabitant', unit: 'MWh', sdgTargets: ['7.3'] }]));
});
after(async () => db?.drop());

const count = async (table: string) => Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n);

describe('importing observations', () => {
  it('loads the SDG framework with 17 goals and 169 targets', async () => {
    const rows = await db.query<{ level: string; n: string }>(`SELECT level, count(*) AS n FROM ind_framework_nodes GROUP BY level ORDER BY level`);
    assert.deepEqual(rows.map((r) => [r.level, Number(r.n)]), [['goal', 17], ['target', 169]]);
  });

  it('imports Open SDG CSV with its metadata, links the SDG target, and a second run changes nothing', async () => {
    const meta = parseOpenSdgMeta(fixture('11-6-1.md').toString('utf8'));
    const parsed = await parseFile('opensdg', 'indicator_11-6-1.csv', fixture('indicator_11-6-1.csv'));
    parsed.indicators.push(meta);
    const r1 = await importObservations(db, actor, parsed, { format: 'opensdg', filename: 'indicator_11-6-1.csv' });
    assert.equal(r1.ok, true, JSON.stringify(r1.errors));
    assert.equal(r1.inserted, 8);
    assert.ok(r1.batchId);
    const link = await db.query(`SELECT 1 FROM ind_indicator_links l JOIN ind_indicators i ON i.id = l.indicator_id JOIN ind_framework_nodes n ON n.id = l.node_id WHERE i.code = '11-6-1' AND n.code = '11.6'`);
    assert.equal(link.length, 1);
    const batches = await count('ind_import_batches');
    const audits = await count('audit_events');
    const again = await parseFile('opensdg', 'indicator_11-6-1.csv', fixture('indicator_11-6-1.csv'));
    again.indicators.push(meta);
    const r2 = await importObservations(db, actor, again, { format: 'opensdg' });
    assert.equal(r2.ok, true);
    assert.equal(r2.inserted + r2.updated, 0);
    assert.equal(r2.unchanged, 8);
    assert.equal(r2.batchId, null);
    assert.equal(await count('ind_import_batches'), batches);
    assert.equal(await count('audit_events'), audits);
    const [s] = await db.query<{ first_value: number; latest_value: number; latest_period: string }>(
      `SELECT s.* FROM ind_area_summary s JOIN ind_indicators i ON i.id = s.indicator_id JOIN areas a ON a.id = s.area_id WHERE i.code = '11-6-1' AND a.key = 'se-0780'`,
    );
    assert.deepEqual([s!.first_value, s!.latest_value, s!.latest_period], [41.2, 45.1, '2021']);
  });

  it('imports the long template, keeps breakdowns and statuses', async () => {
    const parsed = await parseFile('long', 'long-template.csv', fixture('long-template.csv'));
    assert.deepEqual(parsed.errors, []);
    const r = await importObservations(db, actor, parsed, { format: 'long' });
    assert.equal(r.ok, true, JSON.stringify(r.errors));
    assert.equal(r.inserted, 7);
    const rows = await rawQuery<{ breakdown: string; value: number; status: string; note: string }>(
      db.orm,
      `SELECT o.breakdown, o.value, o.status, o.note FROM ind_observations o JOIN areas a ON a.id = o.area_id JOIN ind_indicators i ON i.id = o.indicator_id
       WHERE i.code = 'demo-energy' AND a.key = 'se-0780' AND o.period = '2021' ORDER BY o.breakdown`,
    );
    assert.deepEqual(rows.map((x) => [x.breakdown, x.value, x.status, x.note]), [
      ['', 11.9, 'provisional', 'Preliminary figure'],
      ['gender=K', 6.1, '', ''],
      ['gender=M', 5.8, '', ''],
    ]);
  });

  it('reports every bad row with its number and reason, and writes nothing', async () => {
    const before = await count('ind_observations');
    const parsed = await parseFile('long', 'long-bad.csv', fixture('long-bad.csv'));
    const lines = parsed.errors.map((e) => [e.line, e.field]);
    assert.deepEqual(lines, [[3, 'period'], [4, 'value'], [6, 'row']]);
    const r = await importObservations(db, actor, parsed, { format: 'long' });
    assert.equal(r.ok, false);
    assert.equal(await count('ind_observations'), before);
    // With the parse errors fixed, the unknown area is caught against the database.
    const only = { ...parsed, errors: [] };
    const r2 = await importObservations(db, actor, only, { format: 'long' });
    assert.equal(r2.ok, false);
    assert.deepEqual(r2.errors.map((e) => [e.line, e.field, e.message]), [[5, 'area', 'unknown area "se-9999"']]);
    assert.equal(await count('ind_observations'), before);
  });

  it('rejects an unknown indicator', async () => {
    const parsed = await parseFile('long', 'x.csv', Buffer.from('indicator,area,period,value\nnope-1,se-0780,2020,1\n'));
    const r = await importObservations(db, actor, parsed, { format: 'long' });
    assert.equal(r.ok, false);
    assert.match(r.errors[0]!.message, /unknown indicator "nope-1"/);
  });

  it('a dry run reports the counts and changes nothing', async () => {
    const before = await count('ind_observations');
    const parsed = await parseFile('long', 'x.csv', Buffer.from('indicator,area,period,value\ndemo-energy,se-0780,2022,10.5\ndemo-energy,se-0780,2020,99\n'));
    const r = await importObservations(db, actor, parsed, { format: 'long', dryRun: true });
    assert.equal(r.ok, true);
    assert.deepEqual([r.inserted, r.updated, r.unchanged, r.batchId], [1, 1, 0, null]);
    assert.equal(await count('ind_observations'), before);
  });

  it('a failure mid-import leaves the data unchanged', async () => {
    const before = await db.query(`SELECT * FROM ind_observations ORDER BY 1,2,3,4`);
    const batches = await count('ind_import_batches');
    const parsed = await parseFile('long', 'x.csv', Buffer.from('indicator,area,period,value\ndemo-energy,se-0780,2023,1\ndemo-energy,se-1487,2023,2\n'));
    // A trigger that fails on the second row simulates a crash half-way through the merge.
    await db.exec(`CREATE FUNCTION ind_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      IF NEW.value = 2 THEN RAISE EXCEPTION 'simulated failure'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER ind_test_fail BEFORE INSERT ON ind_observations FOR EACH ROW EXECUTE FUNCTION ind_test_fail();`);
    try {
      await assert.rejects(importObservations(db, actor, parsed, { format: 'long' }), /simulated failure/);
    } finally {
      await db.exec('DROP TRIGGER ind_test_fail ON ind_observations; DROP FUNCTION ind_test_fail();');
    }
    assert.deepEqual(await db.query(`SELECT * FROM ind_observations ORDER BY 1,2,3,4`), before);
    assert.equal(await count('ind_import_batches'), batches);
  });

  it('a re-import with changed values keeps the earlier batch and records what changed', async () => {
    const parsed = await parseFile('long', 'fix.csv', Buffer.from('indicator,area,period,value\ndemo-energy,se-0780,2020,13.0\ndemo-energy,no-1506,2020,14.1\n'));
    const r = await importObservations(db, actor, parsed, { format: 'long', filename: 'fix.csv' });
    assert.deepEqual([r.ok, r.inserted, r.updated, r.unchanged], [true, 0, 1, 1]);
    const hist = await db.query<{ value: number; batch_id: string; replaced_by: string }>(`SELECT value, batch_id, replaced_by FROM ind_observation_history WHERE replaced_by = $1`, [r.batchId]);
    assert.equal(hist.length, 1);
    assert.equal(hist[0]!.value, 12.5);
    assert.notEqual(Number(hist[0]!.batch_id), r.batchId);
  });

  it('imports SSB JSON-stat with a dimension mapping', async () => {
    await db.orm.transaction((tx) => upsertIndicators(tx, [{ code: 'ssb-Personer1', name: 'Persons' }]));
    const parsed = await parseFile('jsonstat', 'ssb.json', fixture('ssb-jsonstat.json'), { country: 'NO', indicatorPrefix: 'ssb-' });
    assert.deepEqual(parsed.errors, []);
    assert.equal(parsed.rows.length, 12);
    const r = await importObservations(db, actor, parsed, { format: 'jsonstat' });
    assert.equal(r.ok, true, JSON.stringify(r.errors));
    assert.equal(r.inserted, 12);
    const [m] = await db.query<{ value: number | null; status: string }>(
      `SELECT o.value, o.status FROM ind_observations o JOIN areas a ON a.id = o.area_id WHERE a.key = 'no-3242' AND o.period = '2024' AND o.breakdown = 'Kjonn=1'`,
    );
    assert.deepEqual(m, { value: null, status: 'missing' });
  });

  it('imports Kolada v3 data after its KPI catalogue', async () => {
    const { koladaKpisToMeta } = await import('./importers/kolada.js');
    const metas = koladaKpisToMeta(JSON.parse(fixture('kolada-kpi.json').toString('utf8')));
    const parsed = await parseFile('kolada', 'k.json', fixture('kolada-data.json'));
    parsed.indicators.push(...metas);
    const r = await importObservations(db, actor, parsed, { format: 'kolada', frameworkKey: 'kolada' });
    assert.equal(r.ok, true, JSON.stringify(r.errors));
    assert.equal(r.inserted, 5);
    const [ind] = await db.query<{ attribution: string; lang: string }>(`SELECT attribution, lang FROM ind_indicators WHERE code = 'N07403'`);
    assert.deepEqual(ind, { attribution: 'Källa: Kolada', lang: 'sv' });
  });

  it('imports a framework from the KS/U4SSC taxonomy with the crosswalk to SDG targets; repeating changes nothing', async () => {
    const tax = parseTaxonomy(fixture('u4ssc-taxonomy.csv').toString('utf8'), 'u4ssc');
    assert.deepEqual(tax.errors.map((e) => [e.line, e.field]), [[5, 'notation']]);
    assert.deepEqual(tax.indicators.map((i) => [i.code, i.sdgTargets]), [['u4ssc-EN-EN-AQ-1C', ['11.6', '3.9']], ['u4ssc-EC-ICT-ICT-1C', ['17.8']]]);
    const r1 = await importTaxonomy(db, actor, tax);
    assert.ok(r1.changed > 0);
    const links = await db.query<{ code: string; fw: string; node: string }>(
      `SELECT i.code, f.key AS fw, n.code AS node FROM ind_indicator_links l JOIN ind_indicators i ON i.id = l.indicator_id
       JOIN ind_framework_nodes n ON n.id = l.node_id JOIN ind_frameworks f ON f.id = n.framework_id
       WHERE i.code LIKE 'u4ssc-%' ORDER BY 1, 2, 3`,
    );
    // Sorted here: the database's collation may order upper and lower case either way.
    assert.deepEqual(links.map((x) => `${x.code} ${x.fw} ${x.node}`).sort(), [
      'u4ssc-EC-ICT-ICT-1C sdg 17.8',
      'u4ssc-EC-ICT-ICT-1C u4ssc EC-ICT',
      // The taxonomy's own dimensions (importers/taxonomy-dimensions.ts): subject as perspective, coverage as level.
      'u4ssc-EC-ICT-ICT-1C u4ssc coverage:City-level',
      'u4ssc-EC-ICT-ICT-1C u4ssc perspective:Economy',
      'u4ssc-EN-EN-AQ-1C sdg 11.6',
      'u4ssc-EN-EN-AQ-1C sdg 3.9',
      'u4ssc-EN-EN-AQ-1C u4ssc EN-EN',
      'u4ssc-EN-EN-AQ-1C u4ssc coverage:City-level',
      'u4ssc-EN-EN-AQ-1C u4ssc perspective:Environment',
    ]);
    const audits = await count('audit_events');
    const r2 = await importTaxonomy(db, actor, tax);
    assert.equal(r2.changed, 0);
    assert.equal(await count('audit_events'), audits);
  });

  it('imports GeoJSON boundaries for known areas and names the unknown ones', async () => {
    const { importGeometries } = await import('../indicators/index.js');
    const r = await importGeometries(db, actor, JSON.parse(fixture('boundaries.geojson').toString('utf8')), { country: 'SE', codeProperty: 'kommunkod' });
    assert.deepEqual([r.stored, r.unknown], [2, ['se-9999']]);
    await assert.rejects(importGeometries(db, actor, { type: 'FeatureCollection', features: [{ properties: {}, geometry: null }] }, { country: 'SE', codeProperty: 'kommunkod' }), (err: Error & { fields?: { message: string }[] }) => err.fields?.[0]?.message === 'feature 1: no "kommunkod"');
  });
});

describe('web uploads', () => {
  it('parses a large upload in the parsing process, with the same row numbers in its report', async () => {
    const lines = ['indicator,area,period,value,age'];
    for (let i = 0; lines.length < 40_000; i++) lines.push(`demo-energy,se-0780,2021,${(i % 1000) / 10},a${i}`);
    lines[29_999] = 'demo-energy,se-0780,2021,not-a-number,bad';
    const content = Buffer.from(lines.join('\n') + '\n');
    assert.ok(content.length > WORKER_PARSE_BYTES);
    const id = await createUpload(db, actor, { filename: 'big.csv', format: 'long', content, mapping: {} });
    const before = await count('ind_observations');
    const r = await runUpload(db, actor, id, true);
    assert.equal(r.ok, false);
    assert.deepEqual(r.errors.map((e) => [e.line, e.field]), [[30_000, 'value']]);
    assert.equal(r.rowsTotal, 39_999);
    assert.equal(await count('ind_observations'), before);
  });
});
