/**
 * Imports the real reference data in ../shared/data: municipality lists, the
 * Kolada catalogues and values, the KS/U4SSC taxonomy, the Los Angeles Open SDG
 * dataset and Norway's boundaries. Skips, saying why, when ../shared is absent.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { loadConfig } from '../../config.js';
import type { Database } from '../../platform/db/index.js';
import { createTestDatabase, testConfig } from '../../../test/helpers.js';
import { systemActor } from '../../platform/audit.js';
import { parseFile, parseOpenSdgMeta, FileFormatError } from './importers/index.js';
import { importObservations, loadSdgFramework } from '../indicators/index.js';
import { importReference, type ReferenceKind } from './reference.js';
import { sdgTargets } from '../indicators/index.js';

const DATA = path.join(loadConfig().sharedDir, 'data');
const present = existsSync(path.join(DATA, 'README.md'));
const skip = present ? false : `reference data not found at ${DATA} (set SHARED_DIR to the folder that holds data/)`;
const read = (p: string) => readFileSync(path.join(DATA, p), 'utf8');
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

  // Through importReference: the code behind the web form, the API and the CLI.
  const raw = (p: string) => readFileSync(path.join(DATA, p));

  it('imports the municipality lists of all three countries, with Norway’s counties', async () => {
    await importReference(db, actor, { kind: 'areas-se', file: raw('municipalities/sweden_kommuner_and_regions_from_kolada.csv') });
    const no = await importReference(db, actor, { kind: 'areas-no', file: raw('municipalities/norway_kommuner_2024_from_robhop.csv'), regions: raw('geo/norway_fylker_2024_small.geojson') });
    assert.equal(no.created, 1 + 15 + 357);
    await importReference(db, actor, { kind: 'areas-dk', file: raw('municipalities/denmark_kommuner_from_magnuslarsen.csv') });
    assert.equal(await n(`SELECT count(*) n FROM areas WHERE country = 'SE' AND level = 'municipality'`), 290);
    assert.equal(await n(`SELECT count(*) n FROM areas WHERE country = 'SE' AND level = 'region'`), 21);
    assert.equal(await n(`SELECT count(*) n FROM areas WHERE country = 'NO' AND level = 'municipality'`), 357);
    assert.equal(await n(`SELECT count(*) n FROM areas WHERE country = 'DK' AND level = 'municipality'`), 98);
    assert.equal(await n(`SELECT count(*) n FROM areas a JOIN areas p ON p.id = a.parent_id WHERE a.key = 'no-1506' AND p.key = 'no-15'`), 1);
    assert.equal(await n(`SELECT count(*) n FROM areas WHERE key = 'se-0780' AND name = 'Växjö'`), 1);
    // Kolada's own municipality catalogue names the same Swedish areas: nothing changes.
    const kolada = await importReference(db, actor, { kind: 'kolada-areas', file: raw('kolada/kolada_municipalities_rKolada_snapshot.csv') });
    assert.deepEqual([kolada.created, kolada.changed], [0, 0]);
  });

  it('imports the Kolada KPI catalogue, values and municipality groups from rKolada snapshots', async () => {
    const kpis = await importReference(db, actor, { kind: 'kolada-kpis', file: raw('kolada/kolada_kpi_catalogue_rKolada_snapshot.csv') });
    assert.ok(kpis.read > 6000);
    assert.ok(kpis.nodes! > 10);
    assert.ok((await n(`SELECT count(*) n FROM ind_indicator_links l JOIN ind_framework_nodes c ON c.id = l.node_id JOIN ind_frameworks f ON f.id = c.framework_id WHERE f.key = 'kolada'`)) > 6000);
    for (const file of ['kolada/kolada_values_N00945_rKolada_snapshot.csv', 'kolada/kolada_values_grp_data_rKolada_snapshot.csv']) {
      const parsed = await parseFile('kolada', path.basename(file), raw(file));
      assert.deepEqual(parsed.errors, []);
      const rep = await importObservations(db, actor, parsed, { format: 'kolada', filename: path.basename(file) });
      assert.equal(rep.ok, true, JSON.stringify(rep.errors.slice(0, 3)));
      assert.ok(rep.inserted > 0);
    }
    const [k] = await db.query<{ attribution: string }>(`SELECT attribution FROM ind_indicators WHERE code = 'N00945'`);
    assert.equal(k!.attribution, 'Källa: Kolada');

    const groups = await importReference(db, actor, { kind: 'kolada-groups', file: raw('kolada/kolada_municipality_groups_rKolada_snapshot.csv') });
    assert.ok(groups.read > 3000);
    assert.equal(groups.created, groups.read);
    assert.deepEqual(groups.unknown, []);
    // Kolada's peers of Växjö: municipalities like it, each one an area of ours.
    const peers = await db.query<{ key: string }>(
      `SELECT a.key FROM ind_area_groups g JOIN ind_area_group_members m ON m.group_id = g.id JOIN areas a ON a.id = m.area_id WHERE g.name = 'Liknande kommuner, övergripande, Växjö, 2025'`,
    );
    assert.ok(peers.length >= 5 && peers.every((p) => /^se-\d{4}$/.test(p.key)), JSON.stringify(peers));
  });

  it('imports the KS taxonomy: U4SSC, De norske målepunktene and the UN SDG indicators, linked to SDG targets', async () => {
    const files: [ReferenceKind, string][] = [
      ['framework-u4ssc', 'norway-ks/u4ssc_kpis_from_KS_taxonomy.csv'],
      ['framework-ks', 'norway-ks/ks_de_norske_malepunktene.csv'],
      ['framework-un-sdg', 'norway-ks/ks_un_sdg_indicators.csv'],
    ];
    for (const [kind, file] of files) {
      const r = await importReference(db, actor, { kind, file: raw(file) });
      assert.ok(r.read > 80, `${kind}: ${r.read}`);
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
    const r = await importReference(db, actor, { kind: 'geojson', file: raw('geo/norway_kommuner_2024_small.geojson'), country: 'NO', property: 'kommunenummer', source: 'Kartverket via robhop' });
    assert.equal(r.changed, 357);
    assert.deepEqual(r.unknown, []);
  });
});
