/*
 * Reading events: one as its reader may see it, its files for download, the lists, an editor's
 * drafts. The writes, the registrations and the search document are in events.ts.
 */
import { and, count, asc, desc, eq, gte, inArray, isNull, lt } from 'drizzle-orm';
import type { Actor } from '../../platform/audit.js';
import type { Executor } from '../../platform/db/index.js';
import { NotFoundError } from '../../platform/errors.js';
import { isUuid } from '../../platform/text.js';
import { directory } from '../directory/index.js';
import { getEventRow, listFiles, listItems, organiserIds, registrationState, type RegistrationState } from './events.js';
import { canManageAny } from './policy.js';
import { eventFiles, eventOrganisers, events, type EventFileRow, type EventItemRow, type EventRow } from './schema.js';

export type EventView = { event: EventRow; organisers: { id: string; slug: string; name: string }[]; speakerOrgs: Map<string, { slug: string; name: string }>; items: EventItemRow[]; files: EventFileRow[]; canEdit: boolean; registration: RegistrationState };

/** An event as this reader may see it: drafts only for its organisers' editors (else 404). */
export async function eventForReader(db: Executor, actor: Actor, id: string): Promise<EventView> {
  const event = await getEventRow(db, id);
  const orgIds = await organiserIds(db, event.id);
  const canEdit = await canManageAny(db, actor, orgIds);
  if (event.status !== 'published' && !canEdit) throw new NotFoundError('event', id);
  const organisers = [];
  for (const o of orgIds) {
    const org = await directory.getOrganisation(db, o).catch(() => null);
    if (org) organisers.push({ id: org.id, slug: org.slug, name: org.name });
  }
  const items = await listItems(db, event.id);
  const speakerOrgs = new Map<string, { slug: string; name: string }>();
  for (const it of items) {
    if (!it.speakerOrganisationId || speakerOrgs.has(it.speakerOrganisationId)) continue;
    const org = await directory.getOrganisation(db, it.speakerOrganisationId).catch(() => null);
    if (org) speakerOrgs.set(org.id, { slug: org.slug, name: org.name });
  }
  return { event, organisers, speakerOrgs, items, files: await listFiles(db, event.id), canEdit, registration: await registrationState(db, event) };
}

export async function fileForDownload(db: Executor, actor: Actor, eventId: string, fileId: string): Promise<EventFileRow> {
  await eventForReader(db, actor, eventId);
  if (!isUuid(fileId)) throw new NotFoundError('file', fileId);
  const [f] = await db.select().from(eventFiles).where(and(eq(eventFiles.id, fileId), eq(eventFiles.eventId, eventId), isNull(eventFiles.deletedAt)));
  if (!f) throw new NotFoundError('file', fileId);
  return f;
}

export async function listEvents(db: Executor, q: { when: 'upcoming' | 'past'; organisationIds?: string[]; page?: number; pageSize?: number; now?: Date }): Promise<{ items: EventRow[]; hasMore: boolean; page: number; pageSize: number; total: number }> {
  const page = Math.max(1, q.page ?? 1);
  const size = Math.min(200, Math.max(1, q.pageSize ?? 20));
  const now = q.now ?? new Date();
  const conds = [eq(events.status, 'published'), isNull(events.deletedAt), q.when === 'upcoming' ? gte(events.endsAt, now) : lt(events.endsAt, now)];
  if (q.organisationIds) {
    if (!q.organisationIds.length) return { items: [], hasMore: false, page, pageSize: size, total: 0 };
    conds.push(inArray(events.id, db.select({ id: eventOrganisers.eventId }).from(eventOrganisers).where(inArray(eventOrganisers.organisationId, q.organisationIds))));
  }
  const rows = await db
    .select()
    .from(events)
    .where(and(...conds))
    .orderBy(q.when === 'upcoming' ? asc(events.startsAt) : desc(events.startsAt))
    .limit(size + 1)
    .offset((page - 1) * size);
  const [{ total }] = (await db.select({ total: count() }).from(events).where(and(...conds))) as [{ total: number }];
  return { items: rows.slice(0, size), hasMore: rows.length > size, page, pageSize: size, total };
}

/**
 * Draft events this actor may edit (one of the organisers is theirs to manage), soonest first. The
 * permission is in the WHERE, so that the cap (200) counts this reader's drafts only, not everyone's.
 */
export async function eventDraftsFor(db: Executor, actor: Actor): Promise<EventRow[]> {
  if (!actor.userId && !actor.isPlatformAdmin) return [];
  const mine = db.select({ id: eventOrganisers.eventId }).from(eventOrganisers).where(directory.canManageSql(actor, eventOrganisers.organisationId));
  return db
    .select()
    .from(events)
    .where(and(eq(events.status, 'draft'), isNull(events.deletedAt), inArray(events.id, mine)))
    .orderBy(asc(events.startsAt), asc(events.id))
    .limit(200);
}

export async function allPublishedEvents(db: Executor): Promise<EventRow[]> {
  return db.select().from(events).where(and(eq(events.status, 'published'), isNull(events.deletedAt)));
}
