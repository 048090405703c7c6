/**
 * Imports the real reference data in ../shared/data: municipality lists, the
 * Kolada catalogues and values, the KS/U4SSC taxonomy, the Los Angeles Open SDG
 * dataset and Norway's boundaries. Skips, saying why, when ../shared is absent.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import YAML from 'yaml';
import { loadConfig } from '../../config.js';
import type { Database } from '../../platform/db/index.js';
import { createTestDatabase, testConfig } from '../../../test/helpers.js';
import { systemActor } from '../../platform/audit.js';
import { parseAreaList } from './importers/arealist.js';
import { parseTaxonomy, type TaxonomyKind } from './importers/taxonomy.js';
import { koladaGroups, koladaCatalogueToTaxonomy, parseKoladaData, parseFile, parseOpenSdgMeta, FileFormatError } from './importers/index.js';
import { importAreas, importGeometries, importObservations, importTaxonomy, loadSdgFramework, upsertAreaGroup } from './service.js';
import { sdgTargets } from './sdg.js';
import { slugify } from '../../platform/text.js';

const DATA = path.join(loadConfig().sharedDir, 'data');
const present = existsSync(path.join(DATA, 'README.md'));
const skip = present ? false : `reference data not found at ${DATA} (set SHARED_DIR to the folder that holds data/)`;
const read = (p: string) => readFileSync(path.join(DATA, p), 'utf8');
const csvRows = (p: string) => parseCsv(read(p), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
const actor = systemActor('shared-test');
let db: Database;
let drop: () => Promise<void> = async () => {};

before(async () => {
  if (!present) return;
  ({ db, drop } = await createTestDatabase(testConfig()));
  await loadSdgFramework(db, actor);
});
after(async () => drop());

const n = async (sql: string, params: unknown[] = []) => Number((await db.query<{ n: string }>(sql, params))[0]!.n);

describe('reference data in ../shared', { skip }, () => {
  it('the shipped SDG targets are the UN list', () => {
    const un = YAML.parse(read('sdg-framework/en_global_targets.yml')) as Record<string, string>;
    const codes = Object.keys(un).filter((k) => /^\d+-[0-9a-z]+-title$/.test(k)).map((k) => k.replace(/-title$/, '').replace('-', '.'));
    assert.deepEqual(sdgTargets().map((t) => t.code).sort(), codes.sort());
  });

  it('imports the municipality lists of all three countries, with Norway’s counties', async () => {
    const fylker = (JSON.parse(read('geo/norway_fylker_2024_small.geojson')) as { features: { properties: Record<string, string> }[] }).features.map((f) => ({ code: f.properties.fylkesnummer!, name: f.properties.name! }));
    const se = parseAreaList(read('municipalities/sweden_kommuner_and_regions_from_kolada.csv'), 'SE');
    const no = parseAreaList(read('municipalities/norway_kommuner_2024_from_robhop.csv'), 'NO', fylker);
    const dk = parseAreaList(read('municipalities/denmark_kommuner_from_magnuslarsen.csv'), 'DK');
    for (const list of [se, no, dk]) await importAreas(db, actor, list);
    assert.equal(await n(`SELECT count(*) n FROM areas WHERE country = 'SE' AND level = 'municipality'`), 290);
    assert.equal(await n(`SELECT count(*) n FROM areas WHERE country = 'SE' AND level = 'region'`), 21);
    assert.equal(await n(`SELECT count(*) n FROM areas WHERE country = 'NO' AND level = 'municipality'`), 357);
    assert.equal(await n(`SELECT count(*) n FROM areas WHERE country = 'DK' AND level = 'municipality'`), 98);
    assert.equal(await n(`SELECT count(*) n FROM areas a JOIN areas p ON p.id = a.parent_id WHERE a.key = 'no-1506' AND p.key = 'no-15'`), 1);
    assert.equal(await n(`SELECT count(*) n FROM areas WHERE key = 'se-0780' AND name = 'Växjö'`), 1);
  });

  it('imports the Kolada KPI catalogue, values and municipality groups', async () => {
    const tax = koladaCatalogueToTaxonomy({
      values: csvRows('kolada/kolada_kpi_catalogue_rKolada_snapshot.csv').map((r) => ({ id: r.id!, title: r.title!, description: r.description, is_divided_by_gender: r.is_divided_by_gender === 'True', operating_area: r.operating_area })),
    });
    assert.ok(tax.indicators.length > 6000);
    assert.ok(tax.framework.nodes.length > 10);
    await importTaxonomy(db, actor, tax);
    assert.ok((await n(`SELECT count(*) n FROM ind_indicator_links l JOIN ind_framework_nodes c ON c.id = l.node_id JOIN ind_frameworks f ON f.id = c.framework_id WHERE f.key = 'kolada'`)) > 6000);
    for (const file of ['kolada/kolada_values_N00945_rKolada_snapshot.csv', 'kolada/kolada_values_grp_data_rKolada_snapshot.csv']) {
      // The snapshot flattens API v3 rows; regroup them into the API's shape and import that.
      const byKey = new Map<string, { kpi: string; municipality: string; period: number; values: { gender: string; count: number; status: string; value: number | null }[] }>();
      for (const r of csvRows(file)) {
        const k = `${r.kpi}|${r.municipality_id}|${r.year}`;
        if (!byKey.has(k)) byKey.set(k, { kpi: r.kpi!, municipality: r.municipality_id!, period: Number(r.year), values: [] });
        byKey.get(k)!.values.push({ gender: r.gender!, count: Number(r.count), status: r.status ?? '', value: r.value === '' ? null : Number(r.value) });
      }
      const parsed = parseKoladaData({ values: [...byKey.values()] });
      assert.deepEqual(parsed.errors, []);
      const rep = await importObservations(db, actor, parsed, { format: 'kolada', filename: path.basename(file) });
      assert.equal(rep.ok, true, JSON.stringify(rep.errors.slice(0, 3)));
      assert.ok(rep.inserted > 0);
    }
    const [k] = await db.query<{ attribution: string }>(`SELECT attribution FROM ind_indicators WHERE code = 'N00945'`);
    assert.equal(k!.attribution, 'Källa: Kolada');

    const groupsByid = new Map<string, { id: string; title: string; members: { id: string }[] }>();
    for (const r of csvRows('kolada/kolada_municipality_groups_rKolada_snapshot.csv')) {
      if (!groupsByid.has(r.group_id!)) groupsByid.set(r.group_id!, { id: r.group_id!, title: r.group_title!, members: [] });
      groupsByid.get(r.group_id!)!.members.push({ id: r.member_id! });
    }
    const groups = koladaGroups({ values: [...groupsByid.values()] });
    assert.ok(groups.length > 3000);
    // Every group is converted; a sample is written, which exercises the same path as all of them.
    for (const g of groups.filter((x) => /Växjö|Vänersborg/.test(x.title)).slice(0, 20)) {
      const r = await upsertAreaGroup(db, actor, { key: `kolada-${slugify(g.id)}`, name: g.title, lang: 'sv', kind: 'kolada', source: 'Kolada', memberKeys: g.memberKeys });
      assert.deepEqual(r.unknown, [], g.title);
    }
    assert.ok((await n(`SELECT count(*) n FROM ind_area_groups`)) > 0);
  });

  it('imports the KS taxonomy: U4SSC, De norske målepunktene and the UN SDG indicators, linked to SDG targets', async () => {
    const files: [TaxonomyKind, string][] = [
      ['u4ssc', 'norway-ks/u4ssc_kpis_from_KS_taxonomy.csv'],
      ['ks', 'norway-ks/ks_de_norske_malepunktene.csv'],
      ['un-sdg', 'norway-ks/ks_un_sdg_indicators.csv'],
    ];
    for (const [kind, file] of files) {
      const tax = parseTaxonomy(read(file), kind);
      const r = await importTaxonomy(db, actor, tax);
      assert.ok(r.indicators > 80, `${kind}: ${r.indicators}`);
    }
    assert.equal(await n(`SELECT count(*) n FROM ind_indicators WHERE code LIKE 'u4ssc-%'`), 90);
    // The crosswalk: indicators of several frameworks point at SDG target 11.6.
    const fws = await db.query<{ key: string }>(
      `SELECT DISTINCT f2.key FROM ind_indicator_links l JOIN ind_framework_nodes n ON n.id = l.node_id JOIN ind_frameworks f ON f.id = n.framework_id AND f.key = 'sdg'
       JOIN ind_indicators i ON i.id = l.indicator_id JOIN ind_frameworks f2 ON f2.id = i.framework_id WHERE n.code = '11.6' ORDER BY 1`,
    );
    assert.deepEqual(fws.map((f) => f.key), ['ks', 'u4ssc', 'un-sdg']);
  });

  it('imports the Los Angeles Open SDG dataset file by file; the broken files are reported, not half-imported', async () => {
    const dir = 'opensdg-los-angeles';
    const files = readdirSync(path.join(DATA, dir, 'data')).filter((f) => /^indicator_[0-9a-z-]+\.csv$/i.test(f));
    let ok = 0;
    const failed: string[] = [];
    for (const f of files) {
      const code = f.replace(/^indicator_|\.csv$/g, '');
      const metaPath = path.join(DATA, dir, 'meta', `${code}.md`);
      try {
        const parsed = await parseFile('opensdg', f, readFileSync(path.join(DATA, dir, 'data', f)), { area: 'se-0780' });
        parsed.indicators.push(existsSync(metaPath) ? parseOpenSdgMeta(readFileSync(metaPath, 'utf8'), code) : { code, name: code });
        const before = await n(`SELECT count(*) n FROM ind_observations o JOIN ind_indicators i ON i.id = o.indicator_id WHERE i.code = $1`, [code]);
        const r = await importObservations(db, actor, parsed, { format: 'opensdg', filename: f });
        if (r.ok) ok++;
        else {
          failed.push(f);
          assert.equal(await n(`SELECT count(*) n FROM ind_observations o JOIN ind_indicators i ON i.id = o.indicator_id WHERE i.code = $1`, [code]), before);
        }
      } catch (err) {
        if (!(err instanceof FileFormatError)) throw err;
        failed.push(f);
      }
    }
    assert.ok(ok >= files.length - 10, `${ok} of ${files.length} imported; failed: ${failed.join(', ')}`);
    assert.equal(await n(`SELECT count(*) n FROM ind_indicator_links l JOIN ind_indicators i ON i.id = l.indicator_id WHERE i.code = '1-2-1'`), 1);
  });

  it('imports Norway’s municipality boundaries', async () => {
    const r = await importGeometries(db, actor, JSON.parse(read('geo/norway_kommuner_2024_small.geojson')), { country: 'NO', codeProperty: 'kommunenummer', source: 'Kartverket via robhop' });
    assert.equal(r.stored, 357);
    assert.deepEqual(r.unknown, []);
  });
});
