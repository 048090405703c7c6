/**
 * Deadline reminders: one email to each editor (and admin) of a project's
 * owner a set number of days before each deadline. `sendDeadlineReminders`
 * is the one function a scheduler calls; it is idempotent per deadline and
 * date (a row in project_reminders_sent claims it, in the transaction that
 * queues the messages), so running it every hour, twice, or from two servers
 * sends each reminder once. A deadline moved to a
 * new date is reminded again for the new date.
 */
import { and, eq, gte, lte, notInArray, sql } from 'drizzle-orm';
import type { Database } from '../../platform/db/index.js';
import { queueMail } from '../../platform/outbox.js';
import { accounts } from '../accounts/index.js';
import { formatDate, isLocale } from '../../web/i18n/index.js';
import { pt } from './i18n.js';
import { projectMilestones, projectRemindersSent, projects } from './schema.js';

export const DEFAULT_REMINDER_DAYS = 14;

export async function sendDeadlineReminders(db: Database, opts: { publicUrl: string; daysBefore?: number; today?: string }): Promise<{ sent: number; deadlines: number }> {
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const until = new Date(Date.parse(`${today}T00:00:00Z`) + (opts.daysBefore ?? DEFAULT_REMINDER_DAYS) * 86_400_000).toISOString().slice(0, 10);
  const due = await db.orm
    .select({ m: projectMilestones, p: projects })
    .from(projectMilestones)
    .innerJoin(projects, eq(projects.id, projectMilestones.projectId))
    .where(
      and(
        eq(projectMilestones.kind, 'deadline'),
        gte(projectMilestones.dueDate, today),
        lte(projectMilestones.dueDate, until),
        notInArray(projects.state, ['ended', 'cancelled']),
        sql`NOT EXISTS (SELECT 1 FROM project_reminders_sent r WHERE r.milestone_id = ${projectMilestones.id} AND r.due_date = ${projectMilestones.dueDate})`,
      ),
    );
  let sent = 0;
  let deadlines = 0;
  for (const { m, p } of due) {
    // The claim and the messages are one transaction: a second run (or server) finds the claim and skips,
    // and a run that fails midway leaves neither, so the next run tries again. Delivery, with its retries,
    // is the mail queue's (platform/outbox.ts).
    const queued = await db.orm.transaction(async (tx) => {
      const claimed = await tx.insert(projectRemindersSent).values({ milestoneId: m.id, dueDate: m.dueDate }).onConflictDoNothing().returning();
      if (!claimed.length) return null;
      const editors = (await accounts.listOrgRoles(tx, p.ownerOrgId)).filter((x) => x.role === 'admin' || x.role === 'editor');
      const l = isLocale(p.lang) ? p.lang : 'en';
      for (const u of editors) {
        await queueMail(tx, {
          to: u.email,
          subject: pt[l].reminderSubject(m.title, p.acronym ?? p.name),
          text: `${m.title}: ${formatDate(l, m.dueDate)}\n${p.name}\n\n${opts.publicUrl}/projects/${p.slug}\n`,
        });
      }
      await tx.update(projectRemindersSent).set({ recipients: editors.length }).where(and(eq(projectRemindersSent.milestoneId, m.id), eq(projectRemindersSent.dueDate, m.dueDate)));
      return editors.length;
    });
    if (queued === null) continue;
    sent += queued;
    deadlines++;
  }
  return { sent, deadlines };
}
