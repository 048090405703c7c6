import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { anonymousActor, diff, publicActorName, recordAudit, type Actor } from '../../platform/audit.js';
import type { Database, Executor } from '../../platform/db/index.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type FieldError } from '../../platform/errors.js';
import { indexSearchDoc, removeSearchDoc, type SearchDocSource, type SearchLang } from '../../platform/search-index.js';
import { isUuid } from '../../platform/text.js';
import { directory } from '../directory/index.js';
import { getIndicator, sdgTargets } from '../indicators/index.js';
import { agendaItemRef, meetingRefFor } from '../meetings/index.js';
import { ActionInput, FollowupInput, FollowupStateInput, parseInput, PlanInput, PriorityInput, StatusUpdateInput } from './inputs.js';
import { assertCanManage, canManage, canSeeDrafts, requireSignedIn } from './policy.js';
import {
  actions,
  followups,
  plans,
  priorities,
  priorityActors,
  statusUpdates,
  type ActionRow,
  type FollowupRow,
  type PlanRow,
  type PriorityActorRow,
  type PriorityRow,
  type StatusUpdateRow,
} from './schema.js';

/*
 * The only code that writes priorities, plans, actions, status updates and follow-ups.
 * Each use case validates its input, opens one transaction, checks permission inside it,
 * checks every reference (organisations, people, indicators, SDG targets, agenda items) and
 * answers an unknown one with a 422 naming the field, writes, keeps the search index in step,
 * and records its audit row in the same transaction.
 * Why this file is long: every use case shares the reference checks below; it is just over the limit.
 */

// --- Reference checks --------------------------------------------------------------------

async function checkOrganisation(tx: Executor, id: string, field: string, errors: FieldError[]) {
  try {
    await directory.getOrganisation(tx, id);
  } catch (err) {
    if (err instanceof NotFoundError) errors.push({ field, message: 'No such organisation' });
    else throw err;
  }
}

async function checkPerson(tx: Executor, id: string, field: string, errors: FieldError[]) {
  try {
    await directory.getPerson(tx, id);
  } catch (err) {
    if (err instanceof NotFoundError) errors.push({ field, message: 'No such person' });
    else throw err;
  }
}

let targetSet: Set<string> | null = null;
export function isSdgTarget(code: string): boolean {
  targetSet ??= new Set(sdgTargets().map((t) => t.code));
  return targetSet.has(code);
}
function checkTargets(codes: string[], field: string, errors: FieldError[]) {
  codes.forEach((c, i) => {
    if (!isSdgTarget(c)) errors.push({ field: `${field}.${i}`, message: `Unknown SDG target ${c}` });
  });
}

async function checkIndicator(tx: Executor, code: string, field: string, errors: FieldError[]) {
  try {
    await getIndicator(tx, code);
  } catch (err) {
    if (err instanceof NotFoundError) errors.push({ field, message: `No indicator with the code ${code}` });
    else throw err;
  }
}

function fail(errors: FieldError[]) {
  if (errors.length) throw new ValidationError(errors);
}

/**
 * The organisation an audit row is filed under. Organisation histories are public, so a write on
 * a draft is filed under no organisation: the row exists (for platform admins and the entity's
 * own history) but never shows a draft's title on a public page.
 */
const auditOrg = (draft: boolean, orgId: string) => (draft ? null : orgId);

const goalsOf = (targets: string[], goals: string[] = []) => [...new Set([...goals, ...targets.map((t) => t.split('.')[0]!)])].map(Number).sort((a, b) => a - b);
const searchLang = (l: string): SearchLang => (['sv', 'nb', 'da', 'en'].includes(l) ? (l as SearchLang) : 'en');

// --- Priorities --------------------------------------------------------------------------

export async function getPriorityRow(db: Executor, id: string): Promise<PriorityRow> {
  if (!isUuid(id)) throw new NotFoundError('priority', id);
  const [row] = await db.select().from(priorities).where(eq(priorities.id, id)).limit(1);
  if (!row) throw new NotFoundError('priority', id);
  return row;
}

/** The priority if this actor may see it; a draft is "not found" for everyone but its owner. */
export async function getPriority(db: Executor, actor: Actor, id: string): Promise<PriorityRow> {
  const row = await getPriorityRow(db, id);
  if (row.state === 'draft' && !(await canSeeDrafts(db, actor, row.organisationId))) throw new NotFoundError('priority', id);
  return row;
}

async function checkPriority(tx: Executor, input: PriorityInput) {
  const errors: FieldError[] = [];
  await checkOrganisation(tx, input.organisationId, 'organisationId', errors);
  checkTargets(input.sdgTargets, 'sdgTargets', errors);
  const seen = new Set<string>();
  for (const [i, code] of input.indicatorCodes.entries()) {
    if (seen.has(code)) errors.push({ field: `indicatorCodes.${i}`, message: 'Chosen twice' });
    seen.add(code);
    await checkIndicator(tx, code, `indicatorCodes.${i}`, errors);
  }
  // Actors may be named by slug in forms; from here on they are ids.
  for (const [i, a] of input.actors.entries()) {
    const org = await directory.getOrganisation(tx, a.organisationId).catch((err) => {
      if (err instanceof NotFoundError) return null;
      throw err;
    });
    if (org) a.organisationId = org.id;
    else errors.push({ field: `actors.${i}.organisationId`, message: `No organisation “${a.organisationId}” in the directory` });
  }
  fail(errors);
}

const priorityValues = (input: PriorityInput) => ({
  organisationId: input.organisationId,
  title: input.title,
  lang: input.lang,
  rationale: input.rationale,
  sdgGoals: [...new Set(input.sdgGoals)],
  sdgTargets: [...new Set(input.sdgTargets)],
  indicatorCodes: input.indicatorCodes,
  state: input.state,
});

async function replaceActors(tx: Executor, priorityId: string, input: PriorityInput) {
  // Partners added by accepting a challenge response stay; the hand-made mapping is replaced.
  await tx.delete(priorityActors).where(and(eq(priorityActors.priorityId, priorityId), sql`${priorityActors.challengeId} IS NULL`));
  if (input.actors.length)
    await tx.insert(priorityActors).values(input.actors.map((a) => ({ priorityId, organisationId: a.organisationId, role: a.role, contact: a.contact ?? null })));
}

export async function createPriority(db: Database, actor: Actor, raw: unknown): Promise<PriorityRow> {
  const input = parseInput(PriorityInput, raw);
  return db.orm.transaction(async (tx) => {
    await checkPriority(tx, input);
    await assertCanManage(tx, actor, input.organisationId);
    const [row] = await tx.insert(priorities).values(priorityValues(input)).returning();
    await replaceActors(tx, row!.id, input);
    await recordAudit(tx, actor, { action: 'priority.create', entityType: 'priority', entityId: row!.id, organisationId: auditOrg(row!.state === 'draft', row!.organisationId), summary: row!.title });
    return row!;
  });
}

export async function updatePriority(db: Database, actor: Actor, id: string, raw: unknown): Promise<PriorityRow> {
  const input = parseInput(PriorityInput, raw);
  return db.orm.transaction(async (tx) => {
    const before = await getPriority(tx, actor, id);
    await checkPriority(tx, input);
    await assertCanManage(tx, actor, before.organisationId);
    if (input.organisationId !== before.organisationId) await assertCanManage(tx, actor, input.organisationId);
    const values = priorityValues(input);
    const [row] = await tx.update(priorities).set({ ...values, updatedAt: new Date() }).where(eq(priorities.id, before.id)).returning();
    await replaceActors(tx, before.id, input);
    await recordAudit(tx, actor, { action: 'priority.update', entityType: 'priority', entityId: before.id, organisationId: auditOrg(row!.state === 'draft' || before.state === 'draft', row!.organisationId), summary: row!.title, changes: diff(before, values) });
    return row!;
  });
}

export async function listPriorityActors(db: Executor, priorityIds: string[]): Promise<PriorityActorRow[]> {
  if (!priorityIds.length) return [];
  return db.select().from(priorityActors).where(inArray(priorityActors.priorityId, priorityIds)).orderBy(asc(priorityActors.createdAt));
}

/**
 * Adds a partner to a priority's actor mapping, inside the caller's transaction: the challenges
 * module calls this when a challenge's owner accepts a response (it has checked the permission).
 */
export async function addPartnerTx(tx: Executor, actor: Actor, p: { priorityId: string; organisationId: string; contact: string | null; challengeId: string }) {
  const [row] = await tx.insert(priorityActors).values({ priorityId: p.priorityId, organisationId: p.organisationId, role: 'partner', contact: p.contact, challengeId: p.challengeId }).returning();
  await recordAudit(tx, actor, { action: 'priority.partner', entityType: 'priority', entityId: p.priorityId, summary: 'Partner from an accepted challenge response', changes: { organisationId: p.organisationId, challengeId: p.challengeId } });
  return row!;
}

// --- Plans -------------------------------------------------------------------------------

export async function getPlanRow(db: Executor, id: string): Promise<PlanRow> {
  if (!isUuid(id)) throw new NotFoundError('plan', id);
  const [row] = await db.select().from(plans).where(eq(plans.id, id)).limit(1);
  if (!row) throw new NotFoundError('plan', id);
  return row;
}

export async function planVisible(db: Executor, actor: Actor, plan: PlanRow): Promise<boolean> {
  return plan.state !== 'draft' || canSeeDrafts(db, actor, plan.organisationId);
}

export async function getPlan(db: Executor, actor: Actor, id: string): Promise<PlanRow> {
  const row = await getPlanRow(db, id);
  if (!(await planVisible(db, actor, row))) throw new NotFoundError('plan', id);
  return row;
}

async function checkPlan(tx: Executor, actor: Actor, input: PlanInput, selfId: string | null) {
  const errors: FieldError[] = [];
  await checkOrganisation(tx, input.organisationId, 'organisationId', errors);
  if (input.adoptedItemId && !(await agendaItemRef(tx, input.adoptedItemId))) errors.push({ field: 'adoptedItemId', message: 'No such agenda item' });
  if (input.parentId) {
    const parent = await getPlanRow(tx, input.parentId).catch(() => null);
    if (!parent || !(await planVisible(tx, actor, parent))) errors.push({ field: 'parentId', message: 'No such plan' });
    else if (selfId) {
      // A plan cannot sit under itself or under one of its own children.
      for (let p: PlanRow | null = parent, n = 0; p && n < 50; n++) {
        if (p.id === selfId) {
          errors.push({ field: 'parentId', message: 'A plan cannot be placed under itself or one of its children' });
          break;
        }
        p = p.parentId ? await getPlanRow(tx, p.parentId).catch(() => null) : null;
      }
    }
  }
  fail(errors);
}

async function planValues(tx: Executor, input: PlanInput) {
  const item = input.adoptedItemId ? await agendaItemRef(tx, input.adoptedItemId) : null;
  return {
    organisationId: input.organisationId,
    title: input.title,
    lang: input.lang,
    description: input.description,
    periodStart: input.periodStart ?? null,
    periodEnd: input.periodEnd ?? null,
    state: input.state,
    adoptedItemId: item?.id ?? null,
    adoptedMeetingId: item?.meetingId ?? null,
    adoptedOn: input.adoptedOn ?? null,
    decisionNote: input.decisionNote,
    parentId: input.parentId ?? null,
    documents: input.documents,
  };
}

/** Keeps the search index in step with a plan and all its actions: public unless the plan is a draft. */
export async function reindexPlan(tx: Executor, plan: PlanRow) {
  const acts = await tx.select().from(actions).where(eq(actions.planId, plan.id));
  if (plan.state === 'draft') {
    await removeSearchDoc(tx, 'plan', plan.id);
    for (const a of acts) await removeSearchDoc(tx, 'action', a.id);
    return;
  }
  await indexSearchDoc(tx, {
    type: 'plan', id: plan.id, title: plan.title, body: plan.description, lang: searchLang(plan.lang), url: `/plans/${plan.id}`,
    organisationIds: [plan.organisationId], sdgGoals: goalsOf(acts.flatMap((a) => a.sdgTargets)), year: plan.periodStart ? Number(plan.periodStart.slice(0, 4)) : null,
  });
  for (const a of acts) await indexAction(tx, a);
}

async function indexAction(tx: Executor, a: ActionRow) {
  await indexSearchDoc(tx, {
    type: 'action', id: a.id, title: `${a.identifier} ${a.title}`, body: a.description, lang: searchLang(a.lang), url: `/actions/${a.id}`,
    organisationIds: [a.primaryOrgId, ...a.collaboratorIds], sdgGoals: goalsOf(a.sdgTargets), year: a.startDate ? Number(a.startDate.slice(0, 4)) : null,
  });
}

export async function createPlan(db: Database, actor: Actor, raw: unknown): Promise<PlanRow> {
  const input = parseInput(PlanInput, raw);
  return db.orm.transaction(async (tx) => {
    await checkPlan(tx, actor, input, null);
    await assertCanManage(tx, actor, input.organisationId);
    const [row] = await tx.insert(plans).values(await planValues(tx, input)).returning();
    await reindexPlan(tx, row!);
    await recordAudit(tx, actor, { action: 'plan.create', entityType: 'plan', entityId: row!.id, organisationId: auditOrg(row!.state === 'draft', row!.organisationId), summary: row!.title });
    return row!;
  });
}

export async function updatePlan(db: Database, actor: Actor, id: string, raw: unknown): Promise<PlanRow> {
  const input = parseInput(PlanInput, raw);
  return db.orm.transaction(async (tx) => {
    const before = await getPlan(tx, actor, id);
    await checkPlan(tx, actor, input, before.id);
    await assertCanManage(tx, actor, before.organisationId);
    if (input.organisationId !== before.organisationId) await assertCanManage(tx, actor, input.organisationId);
    const values = await planValues(tx, input);
    const [row] = await tx.update(plans).set({ ...values, updatedAt: new Date() }).where(eq(plans.id, before.id)).returning();
    await reindexPlan(tx, row!);
    await recordAudit(tx, actor, { action: 'plan.update', entityType: 'plan', entityId: before.id, organisationId: auditOrg(row!.state === 'draft' || before.state === 'draft', row!.organisationId), summary: row!.title, changes: diff(before, values) });
    return row!;
  });
}

// --- Actions -----------------------------------------------------------------------------

export async function getActionRow(db: Executor, id: string): Promise<ActionRow> {
  if (!isUuid(id)) throw new NotFoundError('action', id);
  const [row] = await db.select().from(actions).where(eq(actions.id, id)).limit(1);
  if (!row) throw new NotFoundError('action', id);
  return row;
}

/** The action and its plan, if this actor may see the plan (an action of a draft plan is a draft too). */
export async function getAction(db: Executor, actor: Actor, id: string): Promise<{ action: ActionRow; plan: PlanRow }> {
  const action = await getActionRow(db, id);
  const plan = await getPlanRow(db, action.planId);
  if (!(await planVisible(db, actor, plan))) throw new NotFoundError('action', id);
  return { action, plan };
}

/** Every reference of an action checked against the directory, the indicators and the SDG list. */
export async function checkActionRefs(tx: Executor, input: ActionInput, prefix = ''): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  await checkOrganisation(tx, input.primaryOrgId, `${prefix}primaryOrgId`, errors);
  for (const [i, id] of input.collaboratorIds.entries()) await checkOrganisation(tx, id, `${prefix}collaboratorIds.${i}`, errors);
  for (const [i, id] of input.contactIds.entries()) await checkPerson(tx, id, `${prefix}contactIds.${i}`, errors);
  checkTargets(input.sdgTargets, `${prefix}sdgTargets`, errors);
  for (const [i, ind] of input.indicators.entries()) await checkIndicator(tx, ind.code, `${prefix}indicators.${i}.code`, errors);
  return errors;
}

export const actionValues = (input: ActionInput) => ({
  identifier: input.identifier,
  title: input.title,
  lang: input.lang,
  description: input.description,
  primaryOrgId: input.primaryOrgId,
  collaboratorIds: [...new Set(input.collaboratorIds)].filter((id) => id !== input.primaryOrgId),
  contactIds: [...new Set(input.contactIds)],
  startDate: input.startDate ?? null,
  endDate: input.endDate ?? null,
  milestones: input.milestones.map((m) => ({ title: m.title, due: m.due, completedOn: m.completedOn ?? null })),
  sdgTargets: [...new Set(input.sdgTargets)],
  indicators: input.indicators,
  currency: input.currency ?? null,
  budget: [...input.budget].sort((a, b) => a.year - b.year),
  manualStatus: input.manualStatus ?? null,
  manualReason: input.manualStatus ? (input.manualReason ?? null) : null,
});

async function identifierTaken(tx: Executor, planId: string, identifier: string, exceptId: string | null) {
  const rows = await tx.select({ id: actions.id }).from(actions).where(and(eq(actions.planId, planId), eq(actions.identifier, identifier)));
  return rows.some((r) => r.id !== exceptId);
}

export async function createAction(db: Database, actor: Actor, planId: string, raw: unknown): Promise<ActionRow> {
  const input = parseInput(ActionInput, raw);
  return db.orm.transaction(async (tx) => {
    const plan = await getPlan(tx, actor, planId);
    await assertCanManage(tx, actor, plan.organisationId);
    fail(await checkActionRefs(tx, input));
    if (await identifierTaken(tx, plan.id, input.identifier, null)) throw new ConflictError('Another action of this plan has this identifier.', 'identifier_taken', 'identifier');
    const [row] = await tx.insert(actions).values({ planId: plan.id, ...actionValues(input) }).returning();
    if (plan.state !== 'draft') await reindexPlan(tx, plan);
    await recordAudit(tx, actor, { action: 'action.create', entityType: 'action', entityId: row!.id, organisationId: auditOrg(plan.state === 'draft', plan.organisationId), summary: `${row!.identifier} ${row!.title}` });
    return row!;
  });
}

export async function updateAction(db: Database, actor: Actor, id: string, raw: unknown): Promise<ActionRow> {
  const input = parseInput(ActionInput, raw);
  return db.orm.transaction(async (tx) => {
    const { action: before, plan } = await getAction(tx, actor, id);
    await assertCanManage(tx, actor, plan.organisationId);
    fail(await checkActionRefs(tx, input));
    if (await identifierTaken(tx, plan.id, input.identifier, before.id)) throw new ConflictError('Another action of this plan has this identifier.', 'identifier_taken', 'identifier');
    const values = actionValues(input);
    const [row] = await tx.update(actions).set({ ...values, updatedAt: new Date() }).where(eq(actions.id, before.id)).returning();
    if (plan.state !== 'draft') await reindexPlan(tx, plan);
    await recordAudit(tx, actor, { action: 'action.update', entityType: 'action', entityId: before.id, organisationId: auditOrg(plan.state === 'draft', plan.organisationId), summary: `${row!.identifier} ${row!.title}`, changes: diff(before, values) });
    return row!;
  });
}

export async function addStatusUpdate(db: Database, actor: Actor, actionId: string, raw: unknown): Promise<StatusUpdateRow> {
  const input = parseInput(StatusUpdateInput, raw);
  return db.orm.transaction(async (tx) => {
    const { action, plan } = await getAction(tx, actor, actionId);
    await assertCanManage(tx, actor, plan.organisationId);
    const [row] = await tx.insert(statusUpdates).values({ actionId: action.id, onDate: input.onDate, body: input.body, authorLabel: publicActorName(actor) }).returning();
    await tx.update(actions).set({ updatedAt: new Date() }).where(eq(actions.id, action.id));
    await recordAudit(tx, actor, { action: 'action.status_update', entityType: 'action', entityId: action.id, organisationId: auditOrg(plan.state === 'draft', plan.organisationId), summary: input.body.slice(0, 200) });
    return row!;
  });
}

// --- Follow-up items from meetings ---------------------------------------------------------

/**
 * A follow-up item is written by those who manage one of the meeting's organising bodies.
 * The linked action or priority must be one the writer can see, so a follow-up never points
 * at somebody else's draft.
 */
export async function createFollowup(db: Database, actor: Actor, raw: unknown, opts: { meetingId?: string } = {}): Promise<FollowupRow> {
  const input = parseInput(FollowupInput, raw);
  return db.orm.transaction(async (tx) => {
    const item = await agendaItemRef(tx, input.agendaItemId);
    // From a meeting's page the item must be one of that meeting's.
    if (!item || (opts.meetingId && item.meetingId !== opts.meetingId)) throw new ValidationError([{ field: 'agendaItemId', message: 'No such agenda item' }]);
    const errors: FieldError[] = [];
    if (input.actionId && !(await getAction(tx, actor, input.actionId).catch(() => null))) errors.push({ field: 'actionId', message: 'No such action' });
    if (input.priorityId && !(await getPriority(tx, actor, input.priorityId).catch(() => null))) errors.push({ field: 'priorityId', message: 'No such priority' });
    if (input.indicatorCode) await checkIndicator(tx, input.indicatorCode, 'indicatorCode', errors);
    fail(errors);
    requireSignedIn(actor);
    let allowed = false;
    for (const orgId of item.organiserIds) if (await canManage(tx, actor, orgId)) allowed = true;
    if (!allowed) throw new ForbiddenError('Only admins and editors of the meeting’s organising body can add follow-up items.');
    const [row] = await tx
      .insert(followups)
      .values({ meetingId: item.meetingId, agendaItemId: item.id, what: input.what, who: input.who, dueDate: input.dueDate ?? null, state: input.state, actionId: input.actionId ?? null, priorityId: input.priorityId ?? null, indicatorCode: input.indicatorCode ?? null })
      .returning();
    await recordAudit(tx, actor, { action: 'followup.create', entityType: 'followup', entityId: row!.id, organisationId: await followupHistoryOrg(tx, item), summary: input.what.slice(0, 200) });
    return row!;
  });
}

/**
 * The organisation whose public history a follow-up's audit rows are filed under: the meeting's first
 * organiser, or none when the public may not read the agenda item (a closed item, an agenda not yet
 * published), as a draft's writes are.
 */
async function followupHistoryOrg(tx: Executor, item: { id: string; meetingId: string; organiserIds: string[] }): Promise<string | null> {
  const publicItems = (await meetingRefFor(tx, anonymousActor(), item.meetingId)).items;
  return publicItems.some((i) => i.id === item.id) ? (item.organiserIds[0] ?? null) : null;
}

/** Changes a follow-up item's state (open, done, cancelled); the same people who may add one. */
export async function setFollowupState(db: Database, actor: Actor, id: string, raw: unknown): Promise<FollowupRow> {
  return db.orm.transaction(async (tx) => {
    const [f] = isUuid(id) ? await tx.select().from(followups).where(eq(followups.id, id)).for('update') : [];
    if (!f) throw new NotFoundError('followup', id);
    requireSignedIn(actor);
    const item = f.agendaItemId ? await agendaItemRef(tx, f.agendaItemId) : null;
    let allowed = actor.isPlatformAdmin;
    for (const orgId of item?.organiserIds ?? []) if (!allowed && (await canManage(tx, actor, orgId))) allowed = true;
    if (!allowed) throw new ForbiddenError('Only admins and editors of the meeting’s organising body can change its follow-up items.');
    const input = parseInput(FollowupStateInput, raw);
    if (input.state === f.state) return f;
    const [row] = await tx.update(followups).set({ state: input.state, updatedAt: new Date() }).where(eq(followups.id, f.id)).returning();
    await recordAudit(tx, actor, { action: 'followup.state', entityType: 'followup', entityId: f.id, organisationId: item ? await followupHistoryOrg(tx, item) : null, summary: `${f.state} → ${input.state}` });
    return row!;
  });
}

/** Every plan and its actions through their own indexing, for a rebuild of the search index. */
export const plansSearchSource: SearchDocSource = {
  types: ['plan', 'action'],
  rebuild: async (tx) => {
    const rows = await tx.select().from(plans);
    for (const p of rows) await reindexPlan(tx, p);
    return rows.length;
  },
};
