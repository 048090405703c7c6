/**
 * Open SDG metadata → progress: importing a city's Open SDG repository stores the target lines,
 * calculation options and manual progress statuses in its metadata as the area's targets, through
 * the extension point (platform/import-hooks.ts) the progress module registers; again, nothing.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Database } from '../../platform/db/index.js';
import { systemActor } from '../../platform/audit.js';
import { createTestDatabase, testConfig } from '../../../test/helpers.js';
import { indicatorsCli } from '../imports/index.js';
import { indicatorVersions } from '../indicators/index.js';
import { directory } from '../directory/index.js';
import { openSdgTargetsListener } from './opensdg-hook.js';

let db: Database;
let drop: () => Promise<void>;
let dir: string;
const actor = systemActor('test');

before(async () => {
  ({ db, drop } = await createTestDatabase(testConfig()));
  // Areas are the directory's: made through its face.
  await db.orm.transaction((tx) =>
    directory.upsertAreas(tx, actor, [
      { country: 'NO', level: 'country', code: '', name: 'Norge' },
      { country: 'NO', level: 'municipality', code: '1506', name: 'Molde', parentKey: 'no' },
    ]),
  );
  dir = mkdtempSync(path.join(tmpdir(), 'opensdg-'));
  mkdirSync(path.join(dir, 'data'));
  mkdirSync(path.join(dir, 'meta'));
  // As published: CRLF line endings; one indicator with a target line and calculation options,
  // one with a target line and a manual status, one with neither.
  const crlf = (s: string) => s.replace(/\n/g, '\r\n');
  writeFileSync(path.join(dir, 'data', 'indicator_7-2-1.csv'), 'Year,Value\n2016,40\n2018,48\n2020,55\n2022,61\n');
  writeFileSync(
    path.join(dir, 'meta', '7-2-1.md'),
    crlf('---\nindicator_name: Renewable share\nindicator_number: 7.2.1\ngraph_target_lines:\n  - value: 80\n    label: City plan 2030\nprogress_calculation_options:\n  - direction: positive\n    target: 75\n    target_year: 2030\n    base_year: 2016\n---\n'),
  );
  writeFileSync(path.join(dir, 'data', 'indicator_11-6-1.csv'), 'Year,Value\n2019,30\n2021,28\n');
  writeFileSync(path.join(dir, 'meta', '11-6-1.md'), crlf('---\nindicator_name: Waste collected\ngraph_target_lines:\n  - value: 20\nprogress_status: moderate_progress\n---\n'));
  writeFileSync(path.join(dir, 'data', 'indicator_3-9-1.csv'), 'Year,Value\n2020,5\n');
  writeFileSync(path.join(dir, 'meta', '3-9-1.md'), '---\nindicator_name: Air quality\n---\n');
});
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await drop();
});

const run = async () => {
  const lines: string[] = [];
  const code = await indicatorsCli(db, ['opensdg-dir', dir, '--area', 'no-1506'], { actor, out: (s) => lines.push(s), openSdgMetadata: [openSdgTargetsListener] });
  return { code, lines };
};
/** Molde's area targets by indicator code; the codes and the area come through the indicators' and directory's faces. */
const targets = async () => {
  const area = await directory.getAreaByKey(db.orm, 'no-1506');
  const rows = await db.query<{ indicator_id: string; value: number; target_year: number; baseline_year: number; manual_status: string | null; source: string }>(
    `SELECT indicator_id, value, target_year, baseline_year, manual_status, source FROM prog_targets WHERE level = 'area' AND area_id = $1`,
    [area.id],
  );
  const codes = new Map((await indicatorVersions(db.orm, [...new Set(rows.map((r) => r.indicator_id))])).map((v) => [v.id, v.code]));
  return rows
    .map(({ indicator_id, ...r }) => ({ code: codes.get(indicator_id)!, ...r }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
};
const counts = async () => (await db.query<{ a: number; t: number }>(`SELECT (SELECT count(*)::int FROM audit_events) AS a, (SELECT count(*)::int FROM prog_targets) AS t`))[0]!;

describe('Open SDG metadata reaches the progress module', () => {
  it('stores target lines, calculation options and manual statuses as the area’s targets', async () => {
    const r = await run();
    assert.equal(r.code, 0, r.lines.join('\n'));
    assert.ok(r.lines.includes('meta/7-2-1.md: target created'), r.lines.join('\n'));
    assert.deepEqual(await targets(), [
      { code: '11-6-1', value: 20, target_year: 2030, baseline_year: 2015, manual_status: 'moderate_progress', source: '' },
      // progress_calculation_options win over the target line for the value; the line's label is the source.
      { code: '7-2-1', value: 75, target_year: 2030, baseline_year: 2016, manual_status: null, source: 'City plan 2030' },
    ]);
  });

  it('importing the same repository again changes nothing', async () => {
    const before = await counts();
    const r = await run();
    assert.equal(r.code, 0, r.lines.join('\n'));
    assert.ok(!r.lines.some((l) => l.includes('target')), r.lines.join('\n'));
    assert.deepEqual(await counts(), before);
  });

  it('a changed target in the metadata updates the target', async () => {
    writeFileSync(path.join(dir, 'meta', '11-6-1.md'), '---\nindicator_name: Waste collected\ngraph_target_lines:\n  - value: 18\nprogress_status: limited_progress\n---\n');
    const r = await run();
    assert.ok(r.lines.includes('meta/11-6-1.md: target updated'), r.lines.join('\n'));
    const t = (await targets()).find((x) => x.code === '11-6-1')!;
    assert.deepEqual([t.value, t.manual_status], [18, 'limited_progress']);
  });
});
