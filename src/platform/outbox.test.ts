import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, testConfig } from '../../test/helpers.js';
import type { Database } from './db/index.js';
import { JobWorker, type JobRow } from './jobs.js';
import { createMailer, type Mail, type Mailer } from './mail.js';
import { MAIL_JOB, queueMail } from './outbox.js';

const config = testConfig();
const mail = (to: string): Mail => ({ to, subject: 'Hej', text: `Your link: https://example.org/reset-password/secret-${to}` });
const jobsTo = (db: Database, to: string) => db.query<JobRow>(`SELECT id::text, state, attempts, error, payload FROM jobs WHERE kind = $1 AND payload->>'to' = $2 ORDER BY id`, [MAIL_JOB, to]);
/** Runs every due mail job with the given mailer, as a server's worker would. */
async function deliver(db: Database, mailer: Mailer, backoffMs = 10_000) {
  const w = new JobWorker(db, { kinds: [MAIL_JOB], mailer, backoffMs });
  while (await w.runOne()) {
    /* next */
  }
}

describe('mail outbox', () => {
  let db: Database;
  let drop: () => Promise<void>;
  before(async () => ({ db, drop } = await createTestDatabase(config)));
  after(async () => drop());

  it('sends a message queued in a committed transaction once, then removes its text from the queue', async () => {
    const mailer = createMailer(config);
    await db.orm.transaction((tx) => queueMail(tx, mail('anna@example.org')));
    assert.equal(mailer.sent.length, 0, 'nothing is sent in the request');
    await deliver(db, mailer);
    assert.deepEqual(mailer.sent, [mail('anna@example.org')]);
    const [job] = await jobsTo(db, 'anna@example.org');
    assert.equal(job!.state, 'done');
    assert.equal(job!.payload.text, undefined, 'the one-time link does not stay in the jobs table');
    assert.equal(job!.payload.sent, true);
    await deliver(db, mailer);
    assert.equal(mailer.sent.length, 1);
  });

  it('sends nothing for a write that rolls back', async () => {
    const mailer = createMailer(config);
    await assert.rejects(
      db.orm.transaction(async (tx) => {
        await queueMail(tx, mail('bo@example.org'));
        throw new Error('the write failed after queuing its mail');
      }),
      /the write failed/,
    );
    await deliver(db, mailer);
    assert.deepEqual(mailer.sent, []);
    assert.deepEqual(await jobsTo(db, 'bo@example.org'), []);
  });

  it('retries a refused message with backoff, then fails it with the reason', async () => {
    const refused: Mail[] = [];
    const down: Mailer = {
      sent: [],
      async send(m) {
        refused.push(m);
        throw new Error('421 service not available');
      },
    };
    await queueMail(db, mail('cecilia@example.org'));
    await deliver(db, down);
    let [job] = await jobsTo(db, 'cecilia@example.org');
    assert.equal(job!.state, 'queued', 'put back for a later attempt');
    assert.equal(job!.attempts, 1);
    assert.match(job!.error!, /attempt 1 failed: 421 service not available/);
    const [later] = await db.query<{ later: boolean }>(`SELECT run_after > now() AS later FROM jobs WHERE id = $1`, [job!.id]);
    assert.equal(later!.later, true, 'not retried at once');
    // With no backoff the remaining attempts run now; the fifth failure is final.
    await db.query(`UPDATE jobs SET run_after = now() WHERE id = $1`, [job!.id]);
    await deliver(db, down, 0);
    [job] = await jobsTo(db, 'cecilia@example.org');
    assert.equal(job!.state, 'failed');
    assert.equal(job!.attempts, 5);
    assert.equal(refused.length, 5);
    assert.match(job!.error!, /421 service not available/);
    assert.equal(job!.payload.text, undefined, 'a message given up on does not keep its link either');
  });

  it('does not send twice when a worker died after sending but before marking the job done', async () => {
    const mailer = createMailer(config);
    await queueMail(db, mail('dag@example.org'));
    // What the first worker left: the message out, the mark written, the job still 'running' when it died.
    await db.query(`UPDATE jobs SET payload = (payload - 'text') || '{"sent": true}'::jsonb, state = 'running', locked_by = 'gone:1', attempts = 1 WHERE kind = $1 AND payload->>'to' = 'dag@example.org'`, [MAIL_JOB]);
    const w = new JobWorker(db, { kinds: [MAIL_JOB], mailer, backoffMs: 0 });
    await w.recoverStale();
    while (await w.runOne()) {
      /* next */
    }
    assert.deepEqual(mailer.sent, []);
    const [job] = await jobsTo(db, 'dag@example.org');
    assert.equal(job!.state, 'done');
  });
});
