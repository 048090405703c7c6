/**
 * Expired sign-in material is removed on a schedule: an expired session or link
 * can never be used again, and keeping its hash only enlarges what a stolen
 * database would reveal. Accepted invitations stay (they record who invited whom).
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../platform/db/index.js';
import { defineJob } from '../../platform/jobs.js';

export async function removeExpiredAccountsData(db: Database): Promise<{ sessions: number; passwordResets: number; invitations: number }> {
  return db.orm.transaction(async (tx) => {
    const sessions = (await tx.execute(sql`DELETE FROM sessions WHERE expires_at < now() RETURNING 1`)).rows.length;
    // A used reset link is spent at once; an unused one when it expires.
    const passwordResets = (await tx.execute(sql`DELETE FROM password_resets WHERE expires_at < now() OR used_at IS NOT NULL RETURNING 1`)).rows.length;
    const invitations = (await tx.execute(sql`DELETE FROM invitations WHERE expires_at < now() AND accepted_at IS NULL RETURNING 1`)).rows.length;
    return { sessions, passwordResets, invitations };
  });
}

export const ACCOUNTS_RETENTION_JOB = defineJob({
  kind: 'accounts.retention',
  every: 6 * 3600_000,
  run: ({ db }) => removeExpiredAccountsData(db),
});
