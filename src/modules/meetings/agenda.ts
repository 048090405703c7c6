/**
 * A meeting's agenda: its items, the cases (OParl Paper) they carry, their order, and the minutes'
 * decisions. Every write runs in one transaction, checks permission inside it, and records its audit row.
 */
import { and, asc, eq, isNull, max, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/audit.js';
import { diff, recordAudit } from '../../platform/audit.js';
import type { Database, Executor } from '../../platform/db/index.js';
import { ValidationError } from '../../platform/errors.js';
import {
  CaseInput,
  DecisionsInput,
  ItemInput,
  ItemUpdateInput,
  parseInput,
} from './inputs.js';
import { sanitizeRichText } from '../../web/richtext.js';
import { reindexMeeting } from './search.js';
import {
  agendaItems,
  caseReferrals,
  cases,
  meetingFiles,
  meetings,
  type AgendaItemRow,
  type CaseRow,
} from './schema.js';
import { assertOrganisationsExist, getItemRow, meetingForWrite, touchMeeting } from './service.js';

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
  const parsed = parseInput(ItemUpdateInput, raw);
  return db.orm.transaction(async (tx) => {
    const { meeting, leadOrgId } = await meetingForWrite(tx, actor, meetingId);
    const item = await getItemRow(tx, meeting.id, itemId);
    // Left out, the visibility stays as it is: a closed item becomes public only when asked to.
    const input: ItemInput = { ...parsed, isPublic: parsed.isPublic ?? item.isPublic };
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

