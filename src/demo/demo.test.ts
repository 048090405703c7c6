import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, snapshot, type TestApp } from '../../test/helpers.js';
import { loadDemoData } from './index.js';

/*
 * The demo is loaded on a first start and by `npm run cli -- demo` (start.test.ts and
 * start-cli.test.ts run those as processes); running it again must create nothing and change
 * nothing but the derived tables it rebuilds.
 */
let t: TestApp;
before(async () => {
  t = await createTestApp({ demo: true });
});
after(() => t.close());

test('loading the demo a second time creates nothing and changes no record', async () => {
  const tables = (await t.db.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`))
    .map((r) => r.name)
    // Derived, not records: the search index (reindexAll) and the progress figures (the progress
    // loader recomputes them; prog_versions holds when) are rebuilt by every load.
    .filter((n) => !['search_documents', 'prog_area_index', 'prog_versions'].includes(n));
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
