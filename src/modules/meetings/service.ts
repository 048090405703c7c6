/**
 * Writes of meetings themselves: create, change, copy, publish, delete, and the organisers' acceptance.
 * With agenda.ts (items, cases, decisions), participants.ts and files.ts it is the only code that writes
 * meetings; the lookups below are shared by all four. Every write runs in one transaction, checks
 * permission inside it, and records its audit row there too.
 */
import { and, asc, count, eq, isNull, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/audit.js';
import { diff, recordAudit } from '../../platform/audit.js';
import type { Database, Executor } from '../../platform/db/index.js';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { pageWindow, type Page, type PageRequest } from '../../platform/paging.js';
import { isUuid } from '../../platform/text.js';
import { directory } from '../directory/index.js';
import { MeetingInput, parseInput } from './inputs.js';
import { assertCanManage, assertCanManageEach, requireSignedIn } from './policy.js';
import { sanitizeRichText } from '../../web/richtext.js';
import { reindexMeeting } from './search.js';
import {
  agendaItems,
  meetingOrganisations,
  meetings,
  type AgendaItemRow,
  type MeetingRow,
} from './schema.js';

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

export async function assertOrganisationsExist(db: Executor, ids: readonly string[], field: string) {
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
export async function meetingForWrite(tx: Executor, actor: Actor, meetingId: string) {
  const meeting = await getMeetingRow(tx, meetingId);
  const orgIds = await organiserIds(tx, meeting.id);
  await assertCanManage(tx, actor, orgIds);
  return { meeting, orgIds, leadOrgId: orgIds[0] ?? null };
}

/** Marks the meeting changed: OParl `modified` and the iCalendar SEQUENCE follow it. */
export async function touchMeeting(tx: Executor, meetingId: string) {
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

