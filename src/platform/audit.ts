import { bigserial, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { and, desc, eq, lt } from 'drizzle-orm';
import type { Executor } from './db/index.js';

export const auditEvents = pgTable('audit_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  actorUserId: uuid('actor_user_id'),
  actorLabel: text('actor_label').notNull(),
  action: text('action').notNull(),
  entityType: text('entity_type').notNull(),
  entityId: text('entity_id').notNull(),
  organisationId: uuid('organisation_id'),
  summary: text('summary').notNull().default(''),
  changes: jsonb('changes').$type<Record<string, unknown>>().notNull().default({}),
});

/** Who is acting. Every write names one, so the audit trail is never anonymous. */
export type Actor = {
  userId: string | null;
  label: string;
  isPlatformAdmin: boolean;
  /** Organisation id -> role held there by this user. */
  orgRoles: ReadonlyMap<string, 'admin' | 'editor' | 'member'>;
};

/**
 * The name to show the public for what an actor wrote (an article's author, a status update's): a
 * signed-in user's label is "Name <email>", for the audit trail, and the address stays there.
 */
export const publicActorName = (actor: Pick<Actor, 'label'>): string => actor.label.replace(/\s*<[^<>]*>\s*$/, '').trim();

/** Someone signed in nowhere: what such a reader may see is public. */
export const anonymousActor = (): Actor => ({ userId: null, label: 'anonymous', isPlatformAdmin: false, orgRoles: new Map() });

export const systemActor = (label = 'system'): Actor => ({
  userId: null,
  label,
  isPlatformAdmin: true,
  orgRoles: new Map(),
});

export type AuditInput = {
  action: string;
  entityType: string;
  entityId: string;
  organisationId?: string | null;
  summary?: string;
  changes?: Record<string, unknown>;
};

/** Must be called with the transaction of the write it records. */
export async function recordAudit(tx: Executor, actor: Actor, e: AuditInput): Promise<void> {
  await tx.insert(auditEvents).values({
    actorUserId: actor.userId,
    actorLabel: actor.label,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    organisationId: e.organisationId ?? null,
    summary: e.summary ?? '',
    changes: e.changes ?? {},
  });
}

/** Field-by-field difference of two records, for the history page. */
export function diff<T extends Record<string, unknown>>(before: T, after: Partial<T>): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const [k, v] of Object.entries(after)) {
    if (v === undefined) continue;
    const old = before[k];
    if (JSON.stringify(old ?? null) !== JSON.stringify(v ?? null)) out[k] = { from: old ?? null, to: v ?? null };
  }
  return out;
}

export async function listAudit(
  db: Executor,
  filter: { organisationId?: string; entityType?: string; entityId?: string; before?: number; limit?: number },
) {
  const conds = [];
  if (filter.organisationId) conds.push(eq(auditEvents.organisationId, filter.organisationId));
  if (filter.entityType) conds.push(eq(auditEvents.entityType, filter.entityType));
  if (filter.entityId) conds.push(eq(auditEvents.entityId, filter.entityId));
  if (filter.before) conds.push(lt(auditEvents.id, filter.before));
  return db
    .select()
    .from(auditEvents)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(auditEvents.id))
    .limit(filter.limit ?? 50);
}

// ---------------------------------------------------------------------------
// The history presenter (issue #8): what an audit row may show to whom.

/**
 * Entries about these may name closed or unpublished things (a closed item's or case's title, a
 * closed file's name, size and checksum, a draft meeting) or accounts (e-mail addresses): their
 * details are shown to the organisation's members only. The audit row does not say whether the
 * thing is closed now, so the details are withheld from everyone else whatever its state.
 */
const DETAILS_FOR_MEMBERS = new Set(['agenda_item', 'case', 'meeting_file', 'meeting', 'user', 'org_role', 'invitation']);
const EMAIL = /[^\s<>"'(),;:]+@[^\s<>"'(),;:]+\.[A-Za-z]{2,}/g;
const HIDDEN_EMAIL = '(e-mail address hidden)';

function maskEmails(v: unknown): unknown {
  if (typeof v === 'string') return v.replace(EMAIL, HIDDEN_EMAIL);
  if (Array.isArray(v)) return v.map(maskEmails);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskEmails(x)]));
  return v;
}

export type PresentedAuditEvent = {
  id: number;
  at: Date;
  /** The actor's name; the e-mail address stored in the label is never shown. */
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  summary: string;
  changes: Record<string, unknown>;
  /** True when the details were withheld from this reader. */
  hidden: boolean;
};

/** One audit row as a reader may see it: `member` readers see everything but e-mail addresses in actor names. */
export function presentAuditEvent(e: typeof auditEvents.$inferSelect, reader: { member: boolean }): PresentedAuditEvent {
  const actor = e.actorLabel.replace(/\s*<[^>]*>$/, '');
  const base = { id: e.id, at: e.at, actor, action: e.action, entityType: e.entityType, entityId: e.entityId };
  if (reader.member) return { ...base, summary: e.summary, changes: e.changes, hidden: false };
  if (DETAILS_FOR_MEMBERS.has(e.entityType)) return { ...base, summary: '', changes: {}, hidden: true };
  return { ...base, summary: maskEmails(e.summary) as string, changes: maskEmails(e.changes) as Record<string, unknown>, hidden: false };
}
