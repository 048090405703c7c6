/**
 * Memberships: adding, changing and ending them, and confirming a role held "on behalf of" another
 * organisation (docs/permissions.md). Each write runs in one transaction with its audit row.
 */
import { and, count, eq, inArray, isNull } from 'drizzle-orm';
import { type Database, type Executor } from '../../platform/db/index.js';
import { recordAudit, diff, type Actor } from '../../platform/audit.js';
import { ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '../../platform/errors.js';
import { pageWindow, type Page } from '../../platform/paging.js';
import {
  memberships,
  organisations,
  people,
  type MembershipRow,
  type OrganisationRow,
} from './schema.js';
import {
  endsBeforeStart,
  MembershipFields,
  MembershipInput,
  MembershipUpdate,
  PersonInput,
} from './inputs.js';
import * as policy from './policy.js';
import { indexPersonDoc } from './search.js';
import { type MemberEntry, membershipEntries, orgCols } from './profiles.js';
import { getMembership, getOrganisation, getPerson } from './reads.js';
import { insertPerson, mustExist } from './service.js';
import { isCurrent, parseInput, today } from './inputs.js';

/**
 * Acting "on behalf of" another organisation shows the role among that organisation's
 * representatives, so it needs the right to act for it (its own body's choice is free). Without
 * that right the naming waits for the other organisation's confirmation: true means pending.
 */
async function onBehalfNeedsConfirmation(tx: Executor, actor: Actor, onBehalfOfId: string | null | undefined, orgId: string): Promise<boolean> {
  if (!onBehalfOfId || onBehalfOfId === orgId) return false;
  return !(await policy.canManageOrganisation(tx, actor, onBehalfOfId));
}

/** Adds a membership; a new person can be created in the same step. */
export async function createMembership(
  db: Database,
  actor: Actor,
  raw: unknown,
  newPerson?: unknown,
): Promise<MembershipRow> {
  const personInput = newPerson ? parseInput(PersonInput, newPerson) : null;
  // With a new person, the member is that person; the rest of the checks are the same.
  const input: MembershipInput = personInput
    ? { ...parseInput(MembershipFields.omit({ personId: true, memberOrganisationId: true }), raw), personId: null, memberOrganisationId: null }
    : parseInput(MembershipInput, raw);
  if (endsBeforeStart(input.startDate, input.endDate)) {
    throw new ValidationError([{ field: 'endDate', message: 'The end date is before the start date' }]);
  }
  return db.orm.transaction(async (tx) => {
    const org = await getOrganisation(tx, input.organisationId).catch(() => {
      throw new NotFoundError('organisation', input.organisationId);
    });
    await policy.assertCanManageOrganisation(tx, actor, org.id);
    let personId = input.personId ?? null;
    if (personInput) personId = (await insertPerson(tx, actor, personInput, org.id)).id;
    else await mustExist(tx, 'personId', people, personId);
    await mustExist(tx, 'memberOrganisationId', organisations, input.memberOrganisationId);
    await mustExist(tx, 'onBehalfOfId', organisations, input.onBehalfOfId);
    const onBehalfPending = await onBehalfNeedsConfirmation(tx, actor, input.onBehalfOfId, org.id);
    // An unclaimed person record (created by a platform admin, or by someone managing several
    // organisations) is claimed by the first organisation that gives the person a role.
    if (personId) await tx.update(people).set({ ownerOrganisationId: org.id }).where(and(eq(people.id, personId), isNull(people.ownerOrganisationId)));
    const [row] = await tx
      .insert(memberships)
      .values({
        organisationId: org.id,
        personId,
        memberOrganisationId: input.memberOrganisationId ?? null,
        role: input.role,
        label: input.label ?? null,
        onBehalfOfId: input.onBehalfOfId ?? null,
        onBehalfPending,
        startDate: input.startDate ?? null,
        endDate: input.endDate ?? null,
      })
      .returning();
    const who = personId ? (await getPerson(tx, personId)).name : (await getOrganisation(tx, input.memberOrganisationId!)).name;
    await recordAudit(tx, actor, {
      action: 'membership.create',
      entityType: 'membership',
      entityId: row!.id,
      organisationId: org.id,
      summary: `${who}: ${input.role}${input.label ? ` (${input.label})` : ''}`,
      changes: { role: input.role, personId, memberOrganisationId: input.memberOrganisationId ?? null, onBehalfOfId: input.onBehalfOfId ?? null, ...(onBehalfPending ? { onBehalfPending } : {}), startDate: input.startDate ?? null, endDate: input.endDate ?? null },
    });
    await indexPersonDoc(tx, personId);
    return row!;
  });
}

export async function updateMembership(db: Database, actor: Actor, id: string, raw: unknown): Promise<MembershipRow> {
  const input = parseInput(MembershipUpdate, raw);
  return db.orm.transaction(async (tx) => {
    const before = await getMembership(tx, id);
    await policy.assertCanManageOrganisation(tx, actor, before.organisationId);
    await mustExist(tx, 'onBehalfOfId', organisations, input.onBehalfOfId);
    // A new "on behalf of" is checked afresh; an unchanged one keeps its state (confirmed or waiting).
    const changed = (input.onBehalfOfId ?? null) !== before.onBehalfOfId;
    const values = {
      role: input.role,
      label: input.label ?? null,
      onBehalfOfId: input.onBehalfOfId ?? null,
      onBehalfPending: changed ? await onBehalfNeedsConfirmation(tx, actor, input.onBehalfOfId, before.organisationId) : before.onBehalfPending,
      startDate: input.startDate ?? null,
      endDate: input.endDate ?? null,
    };
    const [row] = await tx.update(memberships).set({ ...values, updatedAt: new Date() }).where(eq(memberships.id, id)).returning();
    await recordAudit(tx, actor, { action: 'membership.update', entityType: 'membership', entityId: id, organisationId: before.organisationId, changes: diff(before as unknown as Record<string, unknown>, values) });
    return row!;
  });
}

export async function endMembership(db: Database, actor: Actor, id: string, endDate: string | null | undefined): Promise<MembershipRow> {
  return db.orm.transaction(async (tx) => {
    const before = await getMembership(tx, id);
    await policy.assertCanManageOrganisation(tx, actor, before.organisationId);
    if (before.endDate && !isCurrent(before.endDate)) throw new ConflictError('This membership has already ended.', 'already_ended');
    const on = endDate ?? today();
    if (endsBeforeStart(before.startDate, on)) throw new ValidationError([{ field: 'endDate', message: 'The end date is before the start date' }]);
    const [row] = await tx.update(memberships).set({ endDate: on, updatedAt: new Date() }).where(eq(memberships.id, id)).returning();
    await recordAudit(tx, actor, { action: 'membership.end', entityType: 'membership', entityId: id, organisationId: before.organisationId, changes: { endDate: { from: before.endDate, to: on } } });
    return row!;
  });
}

export type OnBehalfRequest = MemberEntry & { onBehalfOfPending: Pick<OrganisationRow, 'id' | 'slug' | 'name' | 'kind'> };

/** Memberships naming, without confirmation, an organisation the actor may act for. */
export async function listOnBehalfRequests(db: Executor, actor: Actor, q?: { page?: number | undefined; pageSize?: number | undefined }): Promise<Page<OnBehalfRequest>> {
  if (!actor.userId && !actor.isPlatformAdmin) throw new UnauthenticatedError();
  // canManageOrganisation on the organisation named, in the WHERE: the page and its count hold only the actor's requests.
  const where = and(eq(memberships.onBehalfPending, true), policy.canManageSql(actor, memberships.onBehalfOfId))!;
  const w = q ? pageWindow(q) : null;
  const entries = await membershipEntries(db, where, w ? { limit: w.pageSize, offset: w.offset } : undefined);
  const [{ total }] = (await db.select({ total: count() }).from(memberships).where(where)) as [{ total: number }];
  const page = { page: w?.page ?? 1, pageSize: w?.pageSize ?? Math.max(1, total), total };
  if (!entries.length) return { items: [], ...page };
  const targets = await db.select(orgCols).from(organisations).where(inArray(organisations.id, [...new Set(entries.map((e) => e.membership.onBehalfOfId!))]));
  const byId = new Map(targets.map((o) => [o.id, o]));
  return { items: entries.map((e) => ({ ...e, onBehalfOfPending: byId.get(e.membership.onBehalfOfId!)! })), ...page };
}

async function settleOnBehalf(db: Database, actor: Actor, id: string, accept: boolean): Promise<MembershipRow> {
  return db.orm.transaction(async (tx) => {
    const before = await getMembership(tx, id);
    if (!before.onBehalfPending || !before.onBehalfOfId) throw new ConflictError('This membership awaits no confirmation.', 'not_pending');
    if (!(await policy.canManageOrganisation(tx, actor, before.onBehalfOfId))) {
      if (!actor.userId && !actor.isPlatformAdmin) throw new UnauthenticatedError();
      throw new ForbiddenError('Only admins and editors of the organisation named can confirm or decline acting on its behalf.');
    }
    const values = accept ? { onBehalfPending: false } : { onBehalfPending: false, onBehalfOfId: null };
    const [row] = await tx.update(memberships).set({ ...values, updatedAt: new Date() }).where(eq(memberships.id, id)).returning();
    const org = await getOrganisation(tx, before.organisationId);
    await recordAudit(tx, actor, {
      action: accept ? 'membership.on_behalf.confirm' : 'membership.on_behalf.decline',
      entityType: 'membership',
      entityId: id,
      organisationId: before.onBehalfOfId,
      summary: `${accept ? 'Confirmed' : 'Declined'} a role in ${org.name} on its behalf`,
      changes: accept ? { onBehalfPending: { from: true, to: false } } : { onBehalfOfId: { from: before.onBehalfOfId, to: null } },
    });
    return row!;
  });
}

export const confirmOnBehalf = (db: Database, actor: Actor, id: string) => settleOnBehalf(db, actor, id, true);
export const declineOnBehalf = (db: Database, actor: Actor, id: string) => settleOnBehalf(db, actor, id, false);
