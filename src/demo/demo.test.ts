import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, snapshot, type TestApp } from '../../test/helpers.js';
import { loadDemoData } from './index.js';
import { recomputeAll } from '../modules/progress/index.js';
import { reindexAll } from '../modules/search/index.js';

/*
 * The demo is loaded on a first start and by `npm run cli -- demo` (start.test.ts and
 * start-cli.test.ts run those as processes); running it again must create nothing and change
 * nothing at all.
 */
let t: TestApp;
before(async () => {
  // Without the job worker: its recurring jobs (the progress refresh every 30 s) would come due on a
  // slow machine while the demo loads a second time, and the jobs table would change for that reason.
  t = await createTestApp({ demo: true, config: { JOB_WORKER: 'false' } });
});
after(() => t.close());

test('loading the demo a second time creates nothing and changes no record', async () => {
  const tables = (await t.db.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`))
    // Every table, the derived ones too: the progress figures are recomputed only where data moved
    // and the search index written only with what is written, so on a second load they stay as they are.
    .map((r) => r.name);
  assert.ok(tables.length > 50, `${tables.length} tables`);
  const before = await snapshot(t.db, tables);
  const lines: string[] = [];
  await loadDemoData(t.db, { dataDir: t.config.dataDir, log: (m) => lines.push(m) });
  const report = lines.join('\n');
  assert.match(report, /^directory: 0 created, [1-9]\d* already there$/m);
  assert.match(report, /^indicators: already there$/m);
  assert.match(report, /^meetings: 0 created$/m);
  assert.match(report, /^progress: 0 illustrative targets$/m);
  assert.match(report, /^plans: 0 created; challenges: 0 created$/m);
  assert.match(report, /^projects: 0 created$/m);
  assert.match(report, /^knowledge: 0 created$/m);
  assert.deepEqual(await snapshot(t.db, tables), before);
});

test('the demo’s progress figures are those a full recompute gives', async () => {
  // The loader recomputes only the indicators whose data moved; from an empty database that must
  // come to what recomputing everything gives.
  const figures = async () => ({
    tables: await snapshot(t.db, ['prog_statuses', 'prog_goal_scores']),
    index: await t.db.query('SELECT area_id, score, selected, missing, withheld, max_missing_share, u4ssc FROM prog_area_index ORDER BY area_id'),
    versions: await t.db.query('SELECT indicator_id, data_version FROM prog_versions ORDER BY indicator_id'),
  });
  const loaded = await figures();
  assert.ok(Number(loaded.tables.prog_statuses!.split(':')[0]) > 0, `the demo has progress figures: ${loaded.tables.prog_statuses}`);
  await recomputeAll(t.db);
  assert.deepEqual(await figures(), loaded);
});

test('the demo’s search index is the one a full rebuild gives', async () => {
  // The seeds index what they write through their modules' use cases; a seed that wrote rows
  // directly would leave them unfindable, and this would fail.
  const documents = () =>
    t.db.query(
      `SELECT doc_type, doc_id, title, title_fold, body, lang, url, restricted_to_org, organisation_ids, sdg_goals, year, tsv::text AS tsv
       FROM search_documents ORDER BY doc_type, doc_id`,
    );
  const loaded = await documents();
  assert.ok(loaded.length > 100, `the demo is indexed: ${loaded.length} documents`);
  await reindexAll(t.db, () => {});
  assert.deepEqual(await documents(), loaded);
});
