import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, testConfig } from '../../../test/helpers.js';
import type { Database } from '../../platform/db/index.js';
import { enqueue, JobWorker, latestJob } from '../../platform/jobs.js';
import { ACCOUNTS_RETENTION_JOB } from './retention.js';

describe('accounts retention', () => {
  let db: Database;
  let drop: () => Promise<void>;
  before(async () => ({ db, drop } = await createTestDatabase(testConfig())));
  after(async () => drop());

  it('the scheduled job removes expired sessions, spent or expired reset links and expired open invitations, and nothing else', async () => {
    const [u] = await db.query<{ id: string }>(`INSERT INTO users (email, display_name, password_hash) VALUES ('r@example.org', 'R', 'x') RETURNING id`);
    const uid = u!.id;
    await db.query(`INSERT INTO sessions (id, user_id, expires_at) VALUES ('old', $1, now() - interval '1 minute'), ('live', $1, now() + interval '1 day')`, [uid]);
    await db.query(
      `INSERT INTO password_resets (token_hash, user_id, expires_at, used_at) VALUES
         ('expired', $1, now() - interval '1 minute', NULL), ('used', $1, now() + interval '1 hour', now()), ('open', $1, now() + interval '1 hour', NULL)`,
      [uid],
    );
    await db.query(
      `INSERT INTO invitations (token_hash, email, invited_by, expires_at, accepted_at, accepted_user_id) VALUES
         ('i-expired', 'x@example.org', $1, now() - interval '1 day', NULL, NULL),
         ('i-accepted', 'r@example.org', $1, now() - interval '1 day', now() - interval '2 days', $1),
         ('i-open', 'y@example.org', $1, now() + interval '1 day', NULL, NULL)`,
      [uid],
    );
    await enqueue(db, ACCOUNTS_RETENTION_JOB.kind, {}, { key: 'schedule' });
    const worker = new JobWorker(db, { kinds: [ACCOUNTS_RETENTION_JOB.kind] });
    assert.equal(await worker.runOne(), true);
    const job = (await latestJob(db, ACCOUNTS_RETENTION_JOB.kind, 'schedule'))!;
    // The finished run queued its successor, six hours on.
    assert.equal(job.state, 'queued');
    assert.ok(new Date(job.run_after).getTime() > Date.now() + 5 * 3600_000);
    const [done] = await db.query<{ result: unknown }>(`SELECT result FROM jobs WHERE kind = $1 AND state = 'done'`, [ACCOUNTS_RETENTION_JOB.kind]);
    assert.deepEqual(done!.result, { sessions: 1, passwordResets: 2, invitations: 1 });
    assert.deepEqual((await db.query<{ id: string }>(`SELECT id FROM sessions`)).map((r) => r.id), ['live']);
    assert.deepEqual((await db.query<{ t: string }>(`SELECT token_hash AS t FROM password_resets`)).map((r) => r.t), ['open']);
    assert.deepEqual((await db.query<{ t: string }>(`SELECT token_hash AS t FROM invitations ORDER BY 1`)).map((r) => r.t), ['i-accepted', 'i-open']);
  });
});
