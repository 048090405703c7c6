import { and, asc, count, eq, isNull, max, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/audit.js';
import { diff, recordAudit } from '../../platform/audit.js';
import type { Database, Executor } from '../../platform/db/index.js';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { pageWindow, type Page, type PageRequest } from '../../platform/paging.js';
import { isUuid } from '../../platform/text.js';
import { inspectUpload, type FileStorage } from '../../platform/storage/index.js';
import { directory } from '../directory/index.js';
import {
  CaseInput,
  DecisionsInput,
  FileMeta,
  ItemInput,
  MeetingInput,
  ParticipantInput,
  parseInput,
} from './inputs.js';
import { assertCanManage, assertCanManageEach, requireSignedIn } from './policy.js';
import { sanitizeRichText } from '../../web/richtext.js';
import { reindexMeeting } from './search.js';
import {
  agendaItems,
  caseReferrals,
  cases,
  meetingFiles,
  meetingOrganisations,
  meetingParticipants,
  meetings,
  type AgendaItemRow,
  type CaseRow,
  type FileRow,
  type MeetingRow,
} from './schema.js';

/*
 * The only code that writes meetings. Every write runs in one transaction,
 * checks permission inside it, and records its audit row there too.
 */

// ---------------------------------------------------------------------------
// Lookups used by writes and reads alike

export { getMeetingRow, organiserIds } from './rows.js';
import { getMeetingRow, organiserIds } from './rows.js';

export async function getItemRow(db: Executor, meetingId: string, itemId: string): Promise<AgendaItemRow> {
  if (!isUuid(itemId)) throw new NotFoundError('agenda item', itemId);
  const [row] = await db
    .select()
    .from(agendaItems)
    .where(and(eq(agendaItems.id, itemId), eq(agendaItems.meetingId, meetingId), isNull(agendaItems.deletedAt)))
    .limit(1);
  if (!row) throw new NotFoundError('agenda item', itemId);
  return row;
}

async function assertOrganisationsExist(db: Executor, ids: readonly string[], field: string) {
  for (const [i, id] of ids.entries()) {
    try {
      await directory.getOrganisation(db, id);
    } catch (err) {
      if (err instanceof NotFoundError) throw new ValidationError([{ field: `${field}.${i}`, message: 'No such organisation' }]);
      throw err;
    }
  }
}

/** Loads the meeting and checks the actor may change it, inside the caller's transaction. */
async function meetingForWrite(tx: Executor, actor: Actor, meetingId: string) {
  const meeting = await getMeetingRow(tx, meetingId);
  const orgIds = await organiserIds(tx, meeting.id);
  await assertCanManage(tx, actor, orgIds);
  return { meeting, orgIds, leadOrgId: orgIds[0] ?? null };
}

/** Marks the meeting changed: OParl `modified` and the iCalendar SEQUENCE follow it. */
async function touchMeeting(tx: Executor, meetingId: string) {
  await tx
    .update(meetings)
    .set({ updatedAt: sql`now()`, sequence: sql`${meetings.sequence} + 1` })
    .where(eq(meetings.id, meetingId));
}

// ---------------------------------------------------------------------------
// Meetings

function meetingValues(input: MeetingInput) {
  return {
    title: input.title,
    lang: input.lang,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    timeZone: input.timeZone,
    state: input.state,
    streetAddress: input.streetAddress,
    postalCode: input.postalCode,
    locality: input.locality,
    room: input.room,
    onlineUrl: input.onlineUrl,
    onlinePlatform: input.onlinePlatform,
    description: sanitizeRichText(input.description),
  };
}

/**
 * The organiser rows for a meeting, in the given order. The lead (first) organiser is always one
 * the actor may act for. Another organiser the actor may not act for waits for its own acceptance
 * (`pending`): a meeting appears in every organiser's calendar, so one body cannot make a meeting
 * another's. Organisers already on the meeting keep their state.
 */
async function organiserRows(tx: Executor, actor: Actor, meetingId: string, wanted: readonly string[], kept: ReadonlyMap<string, { pending: boolean; requestedBy: string | null }>) {
  const rows = [];
  for (const [position, organisationId] of wanted.entries()) {
    const before = kept.get(organisationId);
    if (before && !(position === 0 && before.pending)) {
      rows.push({ meetingId, organisationId, position, pending: before.pending, requestedBy: before.requestedBy });
      continue;
    }
    const may = await directory.canManageOrganisation(tx, actor, organisationId);
    if (!may && position === 0) await assertCanManageEach(tx, actor, [organisationId]);
    rows.push({ meetingId, organisationId, position, pending: !may, requestedBy: may ? null : actor.userId });
  }
  return rows;
}

export async function createMeeting(db: Database, actor: Actor, raw: unknown): Promise<MeetingRow> {
  const input = parseInput(MeetingInput, raw);
  return db.orm.transaction(async (tx) => {
    await assertOrganisationsExist(tx, input.organisationIds, 'organisationIds');
    const [row] = await tx.insert(meetings).values(meetingValues(input)).returning();
    const orgRows = await organiserRows(tx, actor, row!.id, input.organisationIds, new Map());
    await tx.insert(meetingOrganisations).values(orgRows);
    const pending = orgRows.filter((o) => o.pending).map((o) => o.organisationId);
    await recordAudit(tx, actor, {
      action: 'meeting.create',
      entityType: 'meeting',
      entityId: row!.id,
      organisationId: input.organisationIds[0] ?? null,
      summary: `Created meeting “${row!.title}”`,
      ...(pending.length ? { changes: { pendingOrganisationIds: pending } } : {}),
    });
    await reindexMeeting(tx, row!.id);
    return row!;
  });
}

export async function updateMeeting(db: Database, actor: Actor, id: string, raw: unknown): Promise<MeetingRow> {
  const input = parseInput(MeetingInput, raw);
  return db.orm.transaction(async (tx) => {
    const { meeting, orgIds } = await meetingForWrite(tx, actor, id);
    await assertOrganisationsExist(tx, input.organisationIds, 'organisationIds');
    const current = await tx.select().from(meetingOrganisations).where(eq(meetingOrganisations.meetingId, meeting.id)).orderBy(asc(meetingOrganisations.position));
    const kept = new Map(current.map((o) => [o.organisationId, { pending: o.pending, requestedBy: o.requestedBy }]));
    // Removing an organiser that accepted, or handing the lead to another, needs the right to act
    // for each organiser concerned; withdrawing a request that awaits acceptance does not.
    const concerned = [
      ...orgIds.filter((o) => !input.organisationIds.includes(o)),
      ...(input.organisationIds[0] !== orgIds[0] && input.organisationIds[0] ? [input.organisationIds[0]] : []),
    ];
    await assertCanManageEach(tx, actor, concerned);
    const values = meetingValues(input);
    const [row] = await tx
      .update(meetings)
      .set({ ...values, updatedAt: sql`now()`, sequence: sql`${meetings.sequence} + 1` })
      .where(eq(meetings.id, meeting.id))
      .returning();
    const all = current.map((o) => o.organisationId);
    let changes: Record<string, unknown> = {};
    if (all.join() !== input.organisationIds.join()) {
      const orgRows = await organiserRows(tx, actor, meeting.id, input.organisationIds, kept);
      await tx.delete(meetingOrganisations).where(eq(meetingOrganisations.meetingId, meeting.id));
      await tx.insert(meetingOrganisations).values(orgRows);
      const accepted = orgRows.filter((o) => !o.pending).map((o) => o.organisationId);
      const pending = orgRows.filter((o) => o.pending).map((o) => o.organisationId);
      if (accepted.join() !== orgIds.join()) changes.organisationIds = { from: orgIds, to: accepted };
      const pendingBefore = current.filter((o) => o.pending).map((o) => o.organisationId);
      if (pending.join() !== pendingBefore.join()) changes.pendingOrganisationIds = { from: pendingBefore, to: pending };
    }
    changes = { ...diff(meeting as unknown as Record<string, unknown>, values), ...changes };
    await recordAudit(tx, actor, {
      action: 'meeting.update',
      entityType: 'meeting',
      entityId: meeting.id,
      organisationId: input.organisationIds[0] ?? null,
      summary: `Edited meeting “${row!.title}”`,
      changes,
    });
    await reindexMeeting(tx, meeting.id);
    return row!;
  });
}

// ---------------------------------------------------------------------------
// Organisers' acceptance (docs/permissions.md)

export type OrganiserRequest = {
  meeting: Pick<MeetingRow, 'id' | 'title' | 'lang' | 'startsAt' | 'endsAt' | 'timeZone'>;
  organisation: { id: string; slug: string; name: string };
  lead: { id: string; slug: string; name: string } | null;
};

/**
 * Meetings naming, without its acceptance, an organisation the actor may act for (admin or editor,
 * directly or above it: canManageSql), soonest first. The rule is in the WHERE so the API pages
 * and counts only the actor's own requests; without a page, all of them (the requests page).
 */
export async function listOrganiserRequests(db: Executor, actor: Actor, q?: PageRequest): Promise<Page<OrganiserRequest>> {
  requireSignedIn(actor);
  const where = and(eq(meetingOrganisations.pending, true), isNull(meetings.deletedAt), directory.canManageSql(actor, meetingOrganisations.organisationId));
  const select = db
    .select({ meetingId: meetingOrganisations.meetingId, organisationId: meetingOrganisations.organisationId, meeting: { id: meetings.id, title: meetings.title, lang: meetings.lang, startsAt: meetings.startsAt, endsAt: meetings.endsAt, timeZone: meetings.timeZone } })
    .from(meetingOrganisations)
    .innerJoin(meetings, eq(meetings.id, meetingOrganisations.meetingId))
    .where(where)
    .orderBy(asc(meetings.startsAt), asc(meetings.id), asc(meetingOrganisations.organisationId));
  const w = q ? pageWindow(q) : null;
  const rows = w ? await select.limit(w.pageSize).offset(w.offset) : await select;
  const [{ total }] = (await db.select({ total: count() }).from(meetingOrganisations).innerJoin(meetings, eq(meetings.id, meetingOrganisations.meetingId)).where(where)) as [{ total: number }];
  const out: OrganiserRequest[] = [];
  for (const r of rows) {
    const o = await directory.getOrganisation(db, r.organisationId);
    const [leadId] = await organiserIds(db, r.meetingId);
    const lead = leadId ? await directory.getOrganisation(db, leadId) : null;
    out.push({ meeting: r.meeting, organisation: { id: o.id, slug: o.slug, name: o.name }, lead: lead && { id: lead.id, slug: lead.slug, name: lead.name } });
  }
  return { items: out, page: w?.page ?? 1, pageSize: w?.pageSize ?? Math.max(1, total), total };
}

async function settleOrganiser(db: Database, actor: Actor, meetingId: string, organisationId: string, accept: boolean): Promise<void> {
  await db.orm.transaction(async (tx) => {
    const meeting = await getMeetingRow(tx, meetingId);
    if (!isUuid(organisationId)) throw new NotFoundError('organiser', organisationId);
    const [row] = await tx.select().from(meetingOrganisations).where(and(eq(meetingOrganisations.meetingId, meeting.id), eq(meetingOrganisations.organisationId, organisationId)));
    if (!row) throw new NotFoundError('organiser', organisationId);
    // Only the organisation named answers for itself.
    await assertCanManageEach(tx, actor, [organisationId]);
    if (!row.pending) throw new ConflictError('This organisation is already an organiser of the meeting.', 'not_pending');
    if (accept) await tx.update(meetingOrganisations).set({ pending: false }).where(and(eq(meetingOrganisations.meetingId, meeting.id), eq(meetingOrganisations.organisationId, organisationId)));
    else await tx.delete(meetingOrganisations).where(and(eq(meetingOrganisations.meetingId, meeting.id), eq(meetingOrganisations.organisationId, organisationId)));
    await touchMeeting(tx, meeting.id);
    const org = await directory.getOrganisation(tx, organisationId);
    await recordAudit(tx, actor, {
      action: accept ? 'meeting.organiser.accept' : 'meeting.organiser.decline',
      entityType: 'meeting',
      entityId: meeting.id,
      organisationId,
      summary: `${org.name} ${accept ? 'accepted' : 'declined'} organising “${meeting.title}”`,
      changes: { organisationId, pending: { from: true, to: accept ? false : null } },
    });
    await reindexMeeting(tx, meeting.id);
  });
}

export const acceptOrganiser = (db: Database, actor: Actor, meetingId: string, organisationId: string) => settleOrganiser(db, actor, meetingId, organisationId, true);
export const declineOrganiser = (db: Database, actor: Actor, meetingId: string, organisationId: string) => settleOrganiser(db, actor, meetingId, organisationId, false);

/** Removed meetings stay as tombstones, so OParl clients learn of the removal. */
export async function deleteMeeting(db: Database, actor: Actor, id: string): Promise<void> {
  await db.orm.transaction(async (tx) => {
    const { meeting, leadOrgId } = await meetingForWrite(tx, actor, id);
    await tx.update(meetings).set({ deletedAt: sql`now()`, updatedAt: sql`now()`, sequence: sql`${meetings.sequence} + 1` }).where(eq(meetings.id, meeting.id));
    await recordAudit(tx, actor, { action: 'meeting.delete', entityType: 'meeting', entityId: meeting.id, organisationId: leadOrgId, summary: `Removed meeting “${meeting.title}”` });
    await reindexMeeting(tx, meeting.id);
  });
}

/**
 * Meetings repeat by copying: same bodies, place and items (with their cases),
 * at a new time, without decisions, files or publication.
 */
export async function copyMeeting(db: Database, actor: Actor, id: string, raw: { startsAt: Date | null; endsAt?: Date | null }): Promise<MeetingRow> {
  if (!(raw.startsAt instanceof Date) || Number.isNaN(raw.startsAt.getTime())) {
    throw new ValidationError([{ field: 'startsAt', message: 'Give a valid start date and time' }]);
  }
  return db.orm.transaction(async (tx) => {
    const { meeting, orgIds, leadOrgId } = await meetingForWrite(tx, actor, id);
    const duration = meeting.endsAt ? meeting.endsAt.getTime() - meeting.startsAt.getTime() : null;
    const endsAt = raw.endsAt ?? (duration !== null ? new Date(raw.startsAt!.getTime() + duration) : null);
    if (endsAt && endsAt < raw.startsAt!) throw new ValidationError([{ field: 'endsAt', message: 'The end must be after the start' }]);
    const [copy] = await tx
      .insert(meetings)
      .values({
        title: meeting.title,
        lang: meeting.lang,
        startsAt: raw.startsAt!,
        endsAt,
        timeZone: meeting.timeZone,
        state: 'planned',
        streetAddress: meeting.streetAddress,
        postalCode: meeting.postalCode,
        locality: meeting.locality,
        room: meeting.room,
        onlineUrl: meeting.onlineUrl,
        onlinePlatform: meeting.onlinePlatform,
        description: meeting.description,
        copiedFromId: meeting.id,
      })
      .returning();
    await tx.insert(meetingOrganisations).values(orgIds.map((organisationId, position) => ({ meetingId: copy!.id, organisationId, position })));
    const items = await tx.select().from(agendaItems).where(and(eq(agendaItems.meetingId, meeting.id), isNull(agendaItems.deletedAt))).orderBy(asc(agendaItems.position));
    if (items.length) {
      await tx.insert(agendaItems).values(
        items.map((it) => ({
          meetingId: copy!.id,
          position: it.position,
          number: it.number,
          title: it.title,
          isPublic: it.isPublic,
          caseId: it.caseId,
          lang: it.lang,
          summary: it.summary,
          description: it.description,
          recommendation: it.recommendation,
        })),
      );
    }
    await recordAudit(tx, actor, {
      action: 'meeting.copy',
      entityType: 'meeting',
      entityId: copy!.id,
      organisationId: leadOrgId,
      summary: `Copied meeting “${meeting.title}”`,
      changes: { copiedFrom: meeting.id },
    });
    await reindexMeeting(tx, copy!.id);
    return copy!;
  });
}

/**
 * Publishes or withdraws the agenda or the minutes. `at` back-dates a
 * publication (the demo data and imports of past meetings); never in the future.
 */
export async function setPublication(db: Database, actor: Actor, id: string, what: 'agenda' | 'minutes', publish: boolean, at?: Date): Promise<MeetingRow> {
  if (at && (Number.isNaN(at.getTime()) || at.getTime() > Date.now())) {
    throw new ValidationError([{ field: 'publishedAt', message: 'A publication date cannot be in the future' }]);
  }
  return db.orm.transaction(async (tx) => {
    const { meeting, leadOrgId } = await meetingForWrite(tx, actor, id);
    if (what === 'minutes' && publish && !meeting.agendaPublishedAt) {
      throw new ConflictError('Publish the agenda before the minutes.', 'agenda_not_published');
    }
    if (what === 'agenda' && !publish && meeting.minutesPublishedAt) {
      throw new ConflictError('Withdraw the minutes before the agenda.', 'minutes_published');
    }
    const col = what === 'agenda' ? 'agendaPublishedAt' : 'minutesPublishedAt';
    const already = meeting[col];
    // Publishing again keeps the first publication date: it is the date on record.
    const value = publish ? (already ?? at ?? new Date()) : null;
    const [row] = await tx
      .update(meetings)
      .set({ [col]: value, updatedAt: sql`now()`, sequence: sql`${meetings.sequence} + 1` })
      .where(eq(meetings.id, meeting.id))
      .returning();
    await recordAudit(tx, actor, {
      action: `meeting.${what}.${publish ? 'publish' : 'withdraw'}`,
      entityType: 'meeting',
      entityId: meeting.id,
      organisationId: leadOrgId,
      summary: `${publish ? 'Published' : 'Withdrew'} the ${what} of “${meeting.title}”`,
    });
    await reindexMeeting(tx, meeting.id);
    return row!;
  });
}

// ---------------------------------------------------------------------------
// Cases (OParl Paper)

async function saveCase(tx: Executor, actor: Actor, existingId: string | null, input: CaseInput, fallbackTitle: string, ownerOrgId: string, lang: string, itemField = 'case'): Promise<string | null> {
  const hasAny = input.reference || input.title || input.caseType || input.caseDate || input.caseOfficer || input.otherOfficers.length || input.referralOrganisationIds.length;
  if (!hasAny) return null;
  await assertOrganisationsExist(tx, input.referralOrganisationIds, `${itemField}.referralOrganisationIds`);
  if (new Set(input.referralOrganisationIds).size !== input.referralOrganisationIds.length) {
    throw new ValidationError([{ field: `${itemField}.referralOrganisationIds`, message: 'An organisation is listed twice' }]);
  }
  const values = {
    reference: input.reference,
    title: input.title ?? fallbackTitle,
    caseType: input.caseType,
    caseDate: input.caseDate,
    caseOfficer: input.caseOfficer,
    otherOfficers: input.otherOfficers,
    lang: lang as CaseRow['lang'],
  };
  let id = existingId;
  if (id) {
    await tx.update(cases).set({ ...values, updatedAt: sql`now()` }).where(eq(cases.id, id));
    await tx.delete(caseReferrals).where(eq(caseReferrals.caseId, id));
  } else {
    const [row] = await tx.insert(cases).values({ ...values, organisationId: ownerOrgId }).returning({ id: cases.id });
    id = row!.id;
    await recordAudit(tx, actor, { action: 'case.create', entityType: 'case', entityId: id, organisationId: ownerOrgId, summary: `Created case “${values.title}”` });
  }
  if (input.referralOrganisationIds.length) {
    await tx.insert(caseReferrals).values(input.referralOrganisationIds.map((organisationId, position) => ({ caseId: id!, organisationId, position })));
  }
  return id;
}

// ---------------------------------------------------------------------------
// Agenda items

function itemValues(input: ItemInput) {
  return {
    number: input.number,
    title: input.title,
    isPublic: input.isPublic,
    lang: input.lang,
    summary: sanitizeRichText(input.summary),
    description: sanitizeRichText(input.description),
    recommendation: sanitizeRichText(input.recommendation),
    decision: sanitizeRichText(input.decision),
    result: input.result,
  };
}

export async function addItem(db: Database, actor: Actor, meetingId: string, raw: unknown): Promise<AgendaItemRow> {
  const input = parseInput(ItemInput, raw);
  return db.orm.transaction(async (tx) => {
    const { meeting, leadOrgId } = await meetingForWrite(tx, actor, meetingId);
    const [last] = await tx.select({ p: max(agendaItems.position) }).from(agendaItems).where(and(eq(agendaItems.meetingId, meeting.id), isNull(agendaItems.deletedAt)));
    const position = (last?.p ?? -1) + 1;
    const caseId = input.case ? await saveCase(tx, actor, null, input.case, input.title, leadOrgId!, input.lang) : null;
    const [row] = await tx.insert(agendaItems).values({ ...itemValues(input), meetingId: meeting.id, position, caseId }).returning();
    await touchMeeting(tx, meeting.id);
    await recordAudit(tx, actor, {
      action: 'agenda_item.create',
      entityType: 'agenda_item',
      entityId: row!.id,
      organisationId: leadOrgId,
      summary: `Added item “${row!.title}” to “${meeting.title}”`,
    });
    await reindexMeeting(tx, meeting.id);
    return row!;
  });
}

export async function updateItem(db: Database, actor: Actor, meetingId: string, itemId: string, raw: unknown): Promise<AgendaItemRow> {
  const input = parseInput(ItemInput, raw);
  return db.orm.transaction(async (tx) => {
    const { meeting, leadOrgId } = await meetingForWrite(tx, actor, meetingId);
    const item = await getItemRow(tx, meeting.id, itemId);
    const caseId = input.case ? await saveCase(tx, actor, item.caseId, input.case, input.title, leadOrgId!, input.lang) : item.caseId;
    const values = itemValues(input);
    const [row] = await tx.update(agendaItems).set({ ...values, caseId, updatedAt: sql`now()` }).where(eq(agendaItems.id, item.id)).returning();
    if (item.isPublic !== input.isPublic) {
      // The files' flag follows the item, so search never indexes a closed item's text as public.
      await tx.update(meetingFiles).set({ isPublic: input.isPublic, updatedAt: sql`now()` }).where(eq(meetingFiles.agendaItemId, item.id));
    }
    await touchMeeting(tx, meeting.id);
    await recordAudit(tx, actor, {
      action: 'agenda_item.update',
      entityType: 'agenda_item',
      entityId: item.id,
      organisationId: leadOrgId,
      summary: `Edited item “${row!.title}”`,
      // A closed item's content stays out of the audit summary shown on history pages.
      changes: Object.fromEntries(Object.keys(diff(item as unknown as Record<string, unknown>, values)).map((k) => [k, 'changed'])),
    });
    await reindexMeeting(tx, meeting.id);
    return row!;
  });
}

export async function deleteItem(db: Database, actor: Actor, meetingId: string, itemId: string): Promise<void> {
  await db.orm.transaction(async (tx) => {
    const { meeting, leadOrgId } = await meetingForWrite(tx, actor, meetingId);
    const item = await getItemRow(tx, meeting.id, itemId);
    await tx.update(agendaItems).set({ deletedAt: sql`now()`, updatedAt: sql`now()` }).where(eq(agendaItems.id, item.id));
    await tx.update(meetingFiles).set({ deletedAt: sql`now()`, updatedAt: sql`now()` }).where(and(eq(meetingFiles.agendaItemId, item.id), isNull(meetingFiles.deletedAt)));
    await renumber(tx, meeting.id);
    await touchMeeting(tx, meeting.id);
    await recordAudit(tx, actor, { action: 'agenda_item.delete', entityType: 'agenda_item', entityId: item.id, organisationId: leadOrgId, summary: `Removed item “${item.title}”` });
    await reindexMeeting(tx, meeting.id);
  });
}

async function renumber(tx: Executor, meetingId: string, order?: string[]) {
  const items = await tx
    .select({ id: agendaItems.id })
    .from(agendaItems)
    .where(and(eq(agendaItems.meetingId, meetingId), isNull(agendaItems.deletedAt)))
    .orderBy(asc(agendaItems.position), asc(agendaItems.createdAt));
  const ids = order ?? items.map((i) => i.id);
  for (const [position, id] of ids.entries()) {
    await tx.update(agendaItems).set({ position }).where(eq(agendaItems.id, id));
  }
}

/** Moves an item one step up or down, or to a given 0-based position. */
export async function moveItem(db: Database, actor: Actor, meetingId: string, itemId: string, to: 'up' | 'down' | number): Promise<void> {
  await db.orm.transaction(async (tx) => {
    const { meeting, leadOrgId } = await meetingForWrite(tx, actor, meetingId);
    const item = await getItemRow(tx, meeting.id, itemId);
    const rows = await tx
      .select({ id: agendaItems.id })
      .from(agendaItems)
      .where(and(eq(agendaItems.meetingId, meeting.id), isNull(agendaItems.deletedAt)))
      .orderBy(asc(agendaItems.position), asc(agendaItems.createdAt));
    const ids = rows.map((r) => r.id);
    const from = ids.indexOf(item.id);
    let target = to === 'up' ? from - 1 : to === 'down' ? from + 1 : to;
    if (!Number.isInteger(target) || target < 0 || target >= ids.length) {
      if (typeof to === 'number') throw new ValidationError([{ field: 'position', message: `Must be between 0 and ${ids.length - 1}` }]);
      target = from; // already first or last: nothing to do
    }
    if (target === from) return;
    ids.splice(from, 1);
    ids.splice(target, 0, item.id);
    await renumber(tx, meeting.id, ids);
    await touchMeeting(tx, meeting.id);
    await recordAudit(tx, actor, { action: 'agenda_item.move', entityType: 'agenda_item', entityId: item.id, organisationId: leadOrgId, summary: `Moved item “${item.title}”`, changes: { position: { from, to: target } } });
    await reindexMeeting(tx, meeting.id);
  });
}

/** The secretary's minutes: a decision and result per item, and general notes. */
export async function recordDecisions(db: Database, actor: Actor, meetingId: string, raw: unknown): Promise<void> {
  const input = parseInput(DecisionsInput, raw);
  await db.orm.transaction(async (tx) => {
    const { meeting, leadOrgId } = await meetingForWrite(tx, actor, meetingId);
    for (const [i, d] of input.items.entries()) {
      const [hit] = await tx
        .select({ id: agendaItems.id })
        .from(agendaItems)
        .where(and(eq(agendaItems.id, d.id), eq(agendaItems.meetingId, meeting.id), isNull(agendaItems.deletedAt)));
      if (!hit) throw new ValidationError([{ field: `items.${i}.id`, message: 'Not an item of this meeting' }]);
      await tx.update(agendaItems).set({ decision: sanitizeRichText(d.decision), result: d.result, updatedAt: sql`now()` }).where(eq(agendaItems.id, d.id));
    }
    const set: Partial<typeof meetings.$inferInsert> = {};
    if (input.minutesNotes !== undefined) set.minutesNotes = sanitizeRichText(input.minutesNotes);
    if (input.markHeld && meeting.state !== 'cancelled') set.state = 'held';
    if (Object.keys(set).length) await tx.update(meetings).set(set).where(eq(meetings.id, meeting.id));
    await touchMeeting(tx, meeting.id);
    await recordAudit(tx, actor, {
      action: 'meeting.minutes.record',
      entityType: 'meeting',
      entityId: meeting.id,
      organisationId: leadOrgId,
      summary: `Recorded decisions for “${meeting.title}”`,
      changes: { items: input.items.map((d) => d.id) },
    });
    await reindexMeeting(tx, meeting.id);
  });
}

// ---------------------------------------------------------------------------
// Participants

export async function addParticipant(db: Database, actor: Actor, meetingId: string, raw: unknown): Promise<void> {
  const input = parseInput(ParticipantInput, raw);
  await db.orm.transaction(async (tx) => {
    const { meeting, leadOrgId } = await meetingForWrite(tx, actor, meetingId);
    try {
      await directory.getPerson(tx, input.personId);
    } catch (err) {
      if (err instanceof NotFoundError) throw new ValidationError([{ field: 'personId', message: 'No such person' }]);
      throw err;
    }
    const [existing] = await tx
      .select({ id: meetingParticipants.id })
      .from(meetingParticipants)
      .where(and(eq(meetingParticipants.meetingId, meeting.id), eq(meetingParticipants.personId, input.personId)));
    if (existing) {
      await tx.update(meetingParticipants).set({ role: input.role, attendance: input.attendance, updatedAt: sql`now()` }).where(eq(meetingParticipants.id, existing.id));
    } else {
      await tx.insert(meetingParticipants).values({ meetingId: meeting.id, personId: input.personId, role: input.role, attendance: input.attendance });
    }
    await touchMeeting(tx, meeting.id);
    await recordAudit(tx, actor, {
      action: existing ? 'meeting.participant.update' : 'meeting.participant.add',
      entityType: 'meeting',
      entityId: meeting.id,
      organisationId: leadOrgId,
      summary: `${existing ? 'Updated' : 'Added'} a participant of “${meeting.title}”`,
      changes: { personId: input.personId, role: input.role, attendance: input.attendance },
    });
  });
}

export async function removeParticipant(db: Database, actor: Actor, meetingId: string, participantId: string): Promise<void> {
  await db.orm.transaction(async (tx) => {
    const { meeting, leadOrgId } = await meetingForWrite(tx, actor, meetingId);
    if (!isUuid(participantId)) throw new NotFoundError('participant', participantId);
    const gone = await tx
      .delete(meetingParticipants)
      .where(and(eq(meetingParticipants.id, participantId), eq(meetingParticipants.meetingId, meeting.id)))
      .returning({ personId: meetingParticipants.personId });
    if (!gone.length) throw new NotFoundError('participant', participantId);
    await touchMeeting(tx, meeting.id);
    await recordAudit(tx, actor, { action: 'meeting.participant.remove', entityType: 'meeting', entityId: meeting.id, organisationId: leadOrgId, summary: `Removed a participant of “${meeting.title}”`, changes: { personId: gone[0]!.personId } });
  });
}

// ---------------------------------------------------------------------------
// Files

export class UploadRejectedError extends ValidationError {
  constructor(readonly reason: string, message: string) {
    super([{ field: 'file', message }], message);
  }
}

const REJECT_MESSAGES: Record<string, string> = {
  empty: 'The file is empty.',
  too_large: 'The file is larger than the upload limit.',
  type_not_allowed: 'This type of file is not allowed. Allowed: PDF, DOCX, XLSX, PPTX, ODT, ODS, PNG, JPEG, CSV and TXT.',
  extension_mismatch: 'The file’s name does not match its content.',
  bad_name: 'The file needs a name.',
};

/**
 * Checks the upload completely before anything is written; then the row and
 * the bytes are stored together. If the transaction fails after the bytes were
 * written, they are removed again, so a failed upload leaves nothing behind.
 */
export async function addFile(
  db: Database,
  storage: FileStorage,
  actor: Actor,
  meetingId: string,
  upload: { data: Uint8Array; fileName: string } | null,
  rawMeta: unknown,
  maxBytes: number,
): Promise<FileRow> {
  const meta = parseInput(FileMeta, rawMeta);
  // Permission before inspecting content: strangers learn nothing about what we accept.
  await db.orm.transaction(async (tx) => {
    const { meeting } = await meetingForWrite(tx, actor, meetingId);
    if (meta.agendaItemId) await getItemRow(tx, meeting.id, meta.agendaItemId).catch(() => {
      throw new ValidationError([{ field: 'agendaItemId', message: 'Not an item of this meeting' }]);
    });
  });
  if (!upload) throw new UploadRejectedError('missing', 'Choose a file to upload.');
  const checked = await inspectUpload(upload.data, upload.fileName, maxBytes);
  if (!checked.ok) throw new UploadRejectedError(checked.reason, REJECT_MESSAGES[checked.reason] ?? 'The file was refused.');
  let wrote = false;
  try {
    return await db.orm.transaction(async (tx) => {
      const { meeting, leadOrgId } = await meetingForWrite(tx, actor, meetingId);
      let isPublic = true;
      if (meta.agendaItemId) isPublic = (await getItemRow(tx, meeting.id, meta.agendaItemId)).isPublic;
      const [row] = await tx
        .insert(meetingFiles)
        .values({
          meetingId: meeting.id,
          agendaItemId: meta.agendaItemId,
          role: meta.role,
          title: meta.title ?? checked.fileName.replace(/\.[a-z0-9]+$/i, ''),
          fileName: checked.fileName,
          mimeType: checked.mime,
          sizeBytes: checked.size,
          sha512: checked.sha512,
          storageKey: checked.key,
          extractedText: checked.text,
          isPublic,
          createdBy: actor.userId,
        })
        .returning();
      await touchMeeting(tx, meeting.id);
      await recordAudit(tx, actor, {
        action: 'meeting.file.add',
        entityType: 'meeting_file',
        entityId: row!.id,
        organisationId: leadOrgId,
        summary: `Uploaded “${row!.fileName}” to “${meeting.title}”`,
        changes: { sha512: checked.sha512, size: checked.size, mime: checked.mime },
      });
      await reindexMeeting(tx, meeting.id);
      await storage.put(checked.key, checked.data);
      wrote = true;
      return row!;
    });
  } catch (err) {
    if (wrote) await storage.delete(checked.key).catch(() => undefined);
    throw err;
  }
}

export async function deleteFile(db: Database, storage: FileStorage, actor: Actor, meetingId: string, fileId: string): Promise<void> {
  const key = await db.orm.transaction(async (tx) => {
    const { meeting, leadOrgId } = await meetingForWrite(tx, actor, meetingId);
    if (!isUuid(fileId)) throw new NotFoundError('file', fileId);
    const [file] = await tx.select().from(meetingFiles).where(and(eq(meetingFiles.id, fileId), eq(meetingFiles.meetingId, meeting.id), isNull(meetingFiles.deletedAt)));
    if (!file) throw new NotFoundError('file', fileId);
    // The row stays as a tombstone for OParl; its text and bytes go.
    await tx.update(meetingFiles).set({ deletedAt: sql`now()`, updatedAt: sql`now()`, extractedText: null }).where(eq(meetingFiles.id, file.id));
    await touchMeeting(tx, meeting.id);
    await recordAudit(tx, actor, { action: 'meeting.file.delete', entityType: 'meeting_file', entityId: file.id, organisationId: leadOrgId, summary: `Removed “${file.fileName}” from “${meeting.title}”` });
    await reindexMeeting(tx, meeting.id);
    return file.storageKey;
  });
  await storage.delete(key).catch(() => undefined);
}

