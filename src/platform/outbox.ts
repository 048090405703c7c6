/**
 * Outgoing mail goes through the job queue: a use case queues the message inside
 * its write's transaction, so a write that rolls back sends nothing, and a mail
 * server that is down delays the message instead of failing the request. The
 * worker (any app server) delivers it and retries with backoff; a message that
 * still fails is kept as a failed job with the reason (`npm run cli -- jobs`).
 */
import type { Database, Executor } from './db/index.js';
import { defineJob, enqueue } from './jobs.js';
import { createMailer, type Mail } from './mail.js';

export const MAIL_JOB = 'mail.send';

/** Queues a message; call it with the transaction of the write that causes it. */
export async function queueMail(ex: Executor | Database, mail: Mail): Promise<void> {
  await enqueue(ex, MAIL_JOB, { to: mail.to, subject: mail.subject, text: mail.text });
}

// One-time links (password resets, invitations, sign-offs) are stored hashed elsewhere; their
// plain text lives in the message only. Once sent (or given up), the text leaves the job row.
const redact = (db: Database, id: string, sent: boolean) =>
  db.query(`UPDATE jobs SET payload = (payload - 'text') || jsonb_build_object('sent', $2::boolean) WHERE id = $1`, [id, sent]);

defineJob({
  kind: MAIL_JOB,
  // With the default backoff the attempts are about 10 s, 20 s, 40 s and 80 s apart: a mail server
  // restart is ridden out, a wrong address or a refusal ends as a failed job with the reason.
  maxAttempts: 5,
  async run({ db, job, payload, mailer, config }) {
    // A worker that died after sending but before marking the job done finds the mark and stops here.
    if (payload.sent === true) return { sent: false, reason: 'already sent' };
    const out = mailer ?? (config ? createMailer(config) : null);
    if (!out) throw new Error('This worker has no mailer and no configuration to make one.');
    await out.send({ to: String(payload.to), subject: String(payload.subject), text: String(payload.text ?? '') });
    await redact(db, job.id, true);
    return { sent: true };
  },
  async onGiveUp(db, job) {
    await redact(db, job.id, false);
  },
});
