import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, testConfig } from '../../../test/helpers.js';
import type { Database } from '../../platform/db/index.js';
import { enqueue, JobWorker } from '../../platform/jobs.js';
import './jobs.js';

describe('import upload retention', () => {
  let db: Database;
  let drop: () => Promise<void>;
  const config = testConfig({ UPLOAD_RETENTION_DAYS: '7' });
  before(async () => ({ db, drop } = await createTestDatabase(config)));
  after(async () => drop());

  it('removes the file of imports that ended UPLOAD_RETENTION_DAYS ago, keeps their report, and closes abandoned uploads', async () => {
    const add = (name: string, status: string, daysAgo: number) =>
      db.query(
        `INSERT INTO ind_uploads (filename, format, content, status, report, updated_at) VALUES ($1, 'long', '\\x616263'::bytea, $2, '{"ok": true, "inserted": 3}', now() - make_interval(days => $3))`,
        [name, status, daysAgo],
      );
    await add('old-done.csv', 'done', 8);
    await add('old-failed.csv', 'failed', 8);
    await add('recent-done.csv', 'done', 6);
    await add('old-checked.csv', 'checked', 9);
    await add('old-running.csv', 'running', 9);
    await enqueue(db, 'indicators.upload-retention', {});
    const worker = new JobWorker(db, { kinds: ['indicators.upload-retention'], config });
    assert.equal(await worker.runOne(), true);
    const rows = await db.query<{ filename: string; status: string; size: number; report: Record<string, unknown> }>(
      `SELECT filename, status, octet_length(content) AS size, report FROM ind_uploads ORDER BY filename`,
    );
    const by = Object.fromEntries(rows.map((r) => [r.filename, r]));
    assert.equal(by['old-done.csv']!.size, 0);
    assert.equal(by['old-done.csv']!.status, 'done');
    assert.equal(by['old-done.csv']!.report.inserted, 3, 'the report is kept');
    assert.ok(by['old-done.csv']!.report.contentRemovedAt);
    assert.equal(by['old-failed.csv']!.size, 0);
    assert.equal(by['recent-done.csv']!.size, 3, 'inside the retention period: kept');
    assert.equal(by['old-checked.csv']!.size, 0);
    assert.equal(by['old-checked.csv']!.status, 'failed');
    assert.match(JSON.stringify(by['old-checked.csv']!.report), /Not imported within 7 days/);
    assert.equal(by['old-running.csv']!.size, 3, 'a running import keeps its file');
    const [job] = await db.query<{ result: unknown }>(`SELECT result FROM jobs WHERE kind = 'indicators.upload-retention' AND state = 'done'`);
    assert.deepEqual(job!.result, { finished: 2, abandoned: 1 });
  });
});
