import { and, asc, count, desc, eq, inArray, ne, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/audit.js';
import { readAll, type Executor } from '../../platform/db/index.js';
import { emptyPage, pageWindow, type Page, type PageRequest } from '../../platform/paging.js';
import { directory, type OrganisationRow } from '../directory/index.js';
import { getIndicator, indicatorSeries } from '../indicators/index.js';
import { agendaItemRef, type AgendaItemRef, meetingRefFor } from '../meetings/index.js';
import { canManage } from './policy.js';
import { actions, followups, plans, priorities, statusUpdates, type ActionRow, type Direction, type FollowupRow, type PlanRow, type PriorityActorRow, type PriorityRow, type StatusUpdateRow } from './schema.js';
import { getAction, getPlan, listPriorityActors } from './service.js';
import { actionStatus, todayIso, type ComputedStatus, type IndicatorSignal } from './status.js';

/*
 * The read side. Drafts are dropped here, in one place per type: a draft priority or plan (and
 * the actions of a draft plan) is returned only to members of the owner organisation.
 */

/**
 * Where the progress module (targets per indicator and area) plugs in. It does not exist on this
 * branch; when it does, app.ts passes a function that answers whether an area is on track for an
 * indicator's target, and action statuses take it into account. Without it, statuses follow the
 * milestones and dates alone.
 */
export type IndicatorTargetSource = (db: Executor, q: { code: string; areaId: string }) => Promise<{ target: number; onTrack: boolean } | null>;

export type OrgRef = { id: string; slug: string; name: string; kind: string; areaId: string | null };
const orgRef = (o: OrganisationRow): OrgRef => ({ id: o.id, slug: o.slug, name: o.name, kind: o.kind, areaId: o.areaId });

/** Organisation lookups memoised for one request. */
export function orgCache(db: Executor) {
  const m = new Map<string, Promise<OrgRef | null>>();
  return (id: string) => {
    let p = m.get(id);
    if (!p) {
      p = directory.getOrganisation(db, id).then(orgRef, () => null);
      m.set(id, p);
    }
    return p;
  };
}

// --- Priorities --------------------------------------------------------------------------

export type PriorityView = PriorityRow & { actors: PriorityActorRow[] };

/** Drafts only for the owner's members (canSeeDrafts), as a WHERE condition: lists page and count only what the reader may see. */
const notDraftOrMember = (actor: Actor, state: AnyColumn, orgId: AnyColumn) => or(ne(state, 'draft'), directory.memberOfSql(actor, orgId))!;

function priorityConds(actor: Actor, q: { organisationIds?: string[] }) {
  const conds: SQL[] = [notDraftOrMember(actor, priorities.state, priorities.organisationId)];
  if (q.organisationIds) conds.push(inArray(priorities.organisationId, q.organisationIds));
  return and(...conds);
}

async function withActors(db: Executor, rows: PriorityRow[]): Promise<PriorityView[]> {
  const actors = await listPriorityActors(db, rows.map((r) => r.id));
  return rows.map((r) => ({ ...r, actors: actors.filter((a) => a.priorityId === r.id) }));
}

export async function listPriorities(db: Executor, actor: Actor, q: { organisationIds?: string[] } = {}): Promise<PriorityView[]> {
  if (q.organisationIds && !q.organisationIds.length) return [];
  return withActors(db, await db.select().from(priorities).where(priorityConds(actor, q)).orderBy(asc(priorities.createdAt), asc(priorities.id)));
}

/** One page of the priorities the reader may see (the API's list). */
export async function pagePriorities(db: Executor, actor: Actor, q: { organisationIds?: string[] } & PageRequest = {}): Promise<Page<PriorityView>> {
  if (q.organisationIds && !q.organisationIds.length) return emptyPage(q);
  const w = pageWindow(q);
  const where = priorityConds(actor, q);
  const rows = await db.select().from(priorities).where(where).orderBy(asc(priorities.createdAt), asc(priorities.id)).limit(w.pageSize).offset(w.offset);
  const [{ total }] = (await db.select({ total: count() }).from(priorities).where(where)) as [{ total: number }];
  return { items: await withActors(db, rows), page: w.page, pageSize: w.pageSize, total };
}

/** A network's or cohort's members (current organisations) and their priorities, side by side. */
export async function cohortPriorities(db: Executor, actor: Actor, orgId: string) {
  const ms = await directory.listMemberships(db, { organisationId: orgId, pageSize: 500 });
  const today = todayIso();
  const memberIds = [...new Set(ms.items.filter((m) => m.memberOrganisationId && (!m.endDate || m.endDate >= today.slice(0, m.endDate.length))).map((m) => m.memberOrganisationId!))];
  // The members in one query, not one per member.
  const [rows, prios] = await readAll(db, [() => directory.getOrganisationsByIds(db, memberIds), () => listPriorities(db, actor, { organisationIds: memberIds })]);
  const byId = new Map(rows.map((o) => [o.id, orgRef(o)]));
  const members = memberIds.flatMap((id) => byId.get(id) ?? []);
  const goals = [...new Set(prios.flatMap((p) => goalsOfPriority(p)))].sort((a, b) => Number(a) - Number(b));
  const indicators = [...new Set(prios.flatMap((p) => p.indicatorCodes))].sort();
  return { members, priorities: prios, goals, indicators };
}

export const goalsOfPriority = (p: Pick<PriorityRow, 'sdgGoals' | 'sdgTargets'>) => [...new Set([...p.sdgGoals, ...p.sdgTargets.map((t) => t.split('.')[0]!)])];

// --- Plans -------------------------------------------------------------------------------

function planConds(actor: Actor, q: { organisationId?: string; parentId?: string }) {
  const conds: SQL[] = [notDraftOrMember(actor, plans.state, plans.organisationId)];
  if (q.organisationId) conds.push(eq(plans.organisationId, q.organisationId));
  if (q.parentId) conds.push(eq(plans.parentId, q.parentId));
  return and(...conds);
}
const planOrder = [sql`${plans.periodStart} DESC NULLS FIRST`, asc(plans.title), asc(plans.id)];

export async function listPlans(db: Executor, actor: Actor, q: { organisationId?: string; parentId?: string } = {}): Promise<PlanRow[]> {
  return db.select().from(plans).where(planConds(actor, q)).orderBy(...planOrder);
}

/** One page of the plans the reader may see (the API's list). */
export async function pagePlans(db: Executor, actor: Actor, q: { organisationId?: string; parentId?: string } & PageRequest = {}): Promise<Page<PlanRow>> {
  const w = pageWindow(q);
  const where = planConds(actor, q);
  const items = await db.select().from(plans).where(where).orderBy(...planOrder).limit(w.pageSize).offset(w.offset);
  const [{ total }] = (await db.select({ total: count() }).from(plans).where(where)) as [{ total: number }];
  return { items, page: w.page, pageSize: w.pageSize, total };
}

export type ActionSummary = { action: ActionRow; plan: PlanRow; status: ComputedStatus; owner: OrgRef | null };

async function signalsFor(db: Executor, a: ActionRow, owner: OrgRef | null, targets?: IndicatorTargetSource): Promise<IndicatorSignal[]> {
  if (!targets || !owner?.areaId) return [];
  const out: IndicatorSignal[] = [];
  for (const ind of a.indicators) {
    const t = await targets(db, { code: ind.code, areaId: owner.areaId });
    if (t) out.push({ code: ind.code, onTrack: t.onTrack });
  }
  return out;
}

export async function summariseActions(db: Executor, rows: ActionRow[], planOf: (id: string) => PlanRow, opts: { targets?: IndicatorTargetSource; today?: string } = {}): Promise<ActionSummary[]> {
  const org = orgCache(db);
  const today = opts.today ?? todayIso();
  const out: ActionSummary[] = [];
  for (const a of rows) {
    const owner = await org(a.primaryOrgId);
    out.push({ action: a, plan: planOf(a.planId), owner, status: actionStatus(a, today, await signalsFor(db, a, owner, opts.targets)) });
  }
  return out;
}

export async function planActions(db: Executor, planIds: string[]): Promise<ActionRow[]> {
  if (!planIds.length) return [];
  return db.select().from(actions).where(inArray(actions.planId, planIds)).orderBy(asc(actions.identifier));
}

export type PlanDetail = {
  plan: PlanRow;
  owner: OrgRef | null;
  parent: PlanRow | null;
  children: PlanRow[];
  adoptedBy: AgendaItemRef | null;
  actions: ActionSummary[];
  canEdit: boolean;
};

export async function planDetail(db: Executor, actor: Actor, id: string, opts: { targets?: IndicatorTargetSource } = {}): Promise<PlanDetail> {
  const plan = await getPlan(db, actor, id);
  const parentRow = plan.parentId ? await getPlan(db, actor, plan.parentId).catch(() => null) : null;
  const children = await listPlans(db, actor, { parentId: plan.id });
  const rows = await planActions(db, [plan.id]);
  return {
    plan,
    owner: await orgCache(db)(plan.organisationId),
    parent: parentRow,
    children,
    adoptedBy: plan.adoptedItemId ? await adoptingItem(db, actor, plan.adoptedItemId) : null,
    actions: await summariseActions(db, rows, () => plan, opts),
    canEdit: await canManage(db, actor, plan.organisationId),
  };
}

/**
 * The agenda item that adopted a plan, if the reader may see it on its meeting's page (readableFollowups'
 * rule): an item of an agenda not yet published to them is not named on the plan's public page.
 */
async function adoptingItem(db: Executor, actor: Actor, itemId: string): Promise<AgendaItemRef | null> {
  const item = await agendaItemRef(db, itemId);
  if (!item) return null;
  const visible = (await meetingRefFor(db, actor, item.meetingId).catch(() => ({ items: [] as { id: string }[] }))).items;
  return visible.some((i) => i.id === item.id) ? item : null;
}

export type Tally = { count: number; budget: Record<string, number> };
export type Rollup = {
  plans: PlanRow[];
  actions: ActionSummary[];
  byGoal: [string, Tally][];
  byStatus: [string, Tally][];
  byOrganisation: [OrgRef, Tally][];
  total: Tally;
};

const budgetOf = (a: ActionRow) => a.budget.reduce((s, b) => s + b.amount, 0);
function add(t: Tally, a: ActionRow) {
  t.count++;
  if (a.currency) t.budget[a.currency] = (t.budget[a.currency] ?? 0) + budgetOf(a);
}
const tally = (): Tally => ({ count: 0, budget: {} });

/**
 * A plan with the plans below it (a regional roadmap over member municipalities' plans): their
 * actions together, counted by SDG goal, by status and by the owning organisation, with budget
 * totals per currency. An action linked to two goals counts once under each goal and once in
 * the total. Draft child plans the reader may not see are left out.
 */
export async function rollup(db: Executor, actor: Actor, id: string, opts: { targets?: IndicatorTargetSource; today?: string } = {}): Promise<Rollup> {
  const root = await getPlan(db, actor, id);
  const all: PlanRow[] = [root];
  for (let i = 0; i < all.length && all.length < 500; i++) for (const c of await listPlans(db, actor, { parentId: all[i]!.id })) if (!all.some((p) => p.id === c.id)) all.push(c);
  const byId = new Map(all.map((p) => [p.id, p]));
  const rows = await planActions(db, all.map((p) => p.id));
  const acts = await summariseActions(db, rows, (pid) => byId.get(pid)!, opts);
  const goal = new Map<string, Tally>();
  const status = new Map<string, Tally>();
  const owner = new Map<string, [OrgRef, Tally]>();
  const total = tally();
  const org = orgCache(db);
  for (const s of acts) {
    add(total, s.action);
    const goals = [...new Set(s.action.sdgTargets.map((t) => t.split('.')[0]!))];
    for (const g of goals.length ? goals : ['']) {
      if (!goal.has(g)) goal.set(g, tally());
      add(goal.get(g)!, s.action);
    }
    if (!status.has(s.status.status)) status.set(s.status.status, tally());
    add(status.get(s.status.status)!, s.action);
    const o = await org(s.plan.organisationId);
    if (o) {
      if (!owner.has(o.id)) owner.set(o.id, [o, tally()]);
      add(owner.get(o.id)![1], s.action);
    }
  }
  return {
    plans: all,
    actions: acts,
    byGoal: [...goal].sort((a, b) => (a[0] === '' ? 1 : b[0] === '' ? -1 : Number(a[0]) - Number(b[0]))),
    byStatus: [...status],
    byOrganisation: [...owner.values()].sort((a, b) => a[0].name.localeCompare(b[0].name)),
    total,
  };
}

// --- Actions -----------------------------------------------------------------------------

export type IndicatorChange = {
  code: string;
  name: string;
  unit: string;
  direction: Direction;
  baseline: { period: string; value: number } | null;
  latest: { period: string; value: number } | null;
  change: number | null;
  /** True when the measured change goes the expected way; null when it cannot be told. */
  asExpected: boolean | null;
};

/** For each linked indicator: the owner's area's value when the action started, the latest, and the change. */
/** An indicator and its total series in one area, as indicatorChanges reads them; null for an unknown code. */
type IndicatorInArea = { info: Awaited<ReturnType<typeof getIndicator>>; series: { period: string; value: number | null }[] } | null;

export async function indicatorChanges(db: Executor, a: ActionRow, areaId: string | null, seen: Map<string, Promise<IndicatorInArea>> = new Map()): Promise<IndicatorChange[]> {
  const out: IndicatorChange[] = [];
  for (const ind of a.indicators) {
    // Actions of one organisation share indicators: each is read once per call chain (`seen`), not once per action.
    let read = seen.get(ind.code);
    if (!read) {
      read = (async () => {
        const info = await getIndicator(db, ind.code).catch(() => null);
        if (!info) return null;
        return { info, series: areaId ? (await indicatorSeries(db, info.id, [areaId], { totalOnly: true })).filter((p) => p.value != null) : [] };
      })();
      seen.set(ind.code, read);
    }
    const got = await read;
    if (!got) continue;
    const { info, series } = got;
    const startYear = a.startDate?.slice(0, 4) ?? null;
    const before = startYear ? series.filter((p) => p.period.slice(0, 4) <= startYear) : [];
    const b = before.at(-1) ?? null;
    const l = series.at(-1) ?? null;
    const baseline = b ? { period: b.period, value: b.value! } : null;
    const latest = l && (!b || l.period > b.period) ? { period: l.period, value: l.value! } : null;
    const change = baseline && latest ? latest.value - baseline.value : null;
    const asExpected = change == null ? null : ind.direction === 'increase' ? change > 0 : ind.direction === 'decrease' ? change < 0 : Math.abs(change) <= Math.abs(baseline!.value) * 0.02;
    out.push({ code: info.code, name: info.name, unit: info.unit, direction: ind.direction, baseline, latest, change, asExpected });
  }
  return out;
}

export type ActionDetail = ActionSummary & {
  collaborators: OrgRef[];
  contacts: { id: string; slug: string; name: string; title: string | null }[];
  updates: StatusUpdateRow[];
  indicators: IndicatorChange[];
  followups: (FollowupRow & { item: AgendaItemRef | null })[];
  canEdit: boolean;
};

export async function actionDetail(db: Executor, actor: Actor, id: string, opts: { targets?: IndicatorTargetSource } = {}): Promise<ActionDetail> {
  const { action, plan } = await getAction(db, actor, id);
  const [summary] = await summariseActions(db, [action], () => plan, opts);
  const org = orgCache(db);
  const collaborators = (await readAll(db, action.collaboratorIds.map((id) => () => org(id)))).filter((o): o is OrgRef => !!o);
  const contacts = [];
  for (const pid of action.contactIds) {
    const p = await directory.getPerson(db, pid).catch(() => null);
    if (p) contacts.push({ id: p.id, slug: p.slug, name: p.name, title: p.title });
  }
  const updates = await db.select().from(statusUpdates).where(eq(statusUpdates.actionId, action.id)).orderBy(desc(statusUpdates.onDate), desc(statusUpdates.createdAt));
  const fus = await readableFollowups(db, actor, await db.select().from(followups).where(eq(followups.actionId, action.id)).orderBy(asc(followups.createdAt)));
  const withItems = [];
  for (const f of fus) withItems.push({ ...f, item: f.agendaItemId ? await agendaItemRef(db, f.agendaItemId) : null });
  return {
    ...summary!,
    collaborators,
    contacts,
    updates,
    indicators: await indicatorChanges(db, action, summary!.owner?.areaId ?? null),
    followups: withItems,
    canEdit: await canManage(db, actor, plan.organisationId),
  };
}

/**
 * Only follow-up items of agenda items the reader may see: none of a meeting whose agenda is not
 * published to them, none of a closed item for those who may not read closed content.
 */
async function readableFollowups(db: Executor, actor: Actor, rows: FollowupRow[]): Promise<FollowupRow[]> {
  const items = new Map<string, Set<string>>();
  const out: FollowupRow[] = [];
  for (const f of rows) {
    if (!items.has(f.meetingId)) items.set(f.meetingId, new Set((await meetingRefFor(db, actor, f.meetingId).catch(() => ({ items: [] }))).items.map((i) => i.id)));
    if (f.agendaItemId && items.get(f.meetingId)!.has(f.agendaItemId)) out.push(f);
  }
  return out;
}

/**
 * Follow-up items of a meeting (for its organisers' overview and the API): only those of agenda
 * items the reader may see (readableFollowups' rule), and none linked to an action of a draft plan
 * or to a draft priority the reader may not see. All in the WHERE, so the API pages and counts them.
 */
async function meetingFollowupConds(db: Executor, actor: Actor, meetingId: string): Promise<SQL | null> {
  const items = (await meetingRefFor(db, actor, meetingId).catch(() => ({ items: [] as { id: string }[] }))).items.map((i) => i.id);
  if (!items.length) return null;
  return and(
    eq(followups.meetingId, meetingId),
    inArray(followups.agendaItemId, items),
    sql`(${followups.actionId} IS NULL OR EXISTS (SELECT 1 FROM plan_actions a JOIN plan_plans p ON p.id = a.plan_id WHERE a.id = ${followups.actionId} AND (p.state <> 'draft' OR ${directory.memberOfSql(actor, sql`p.organisation_id`)})))`,
    sql`(${followups.priorityId} IS NULL OR NOT EXISTS (SELECT 1 FROM plan_priorities pr WHERE pr.id = ${followups.priorityId} AND pr.state = 'draft' AND NOT ${directory.memberOfSql(actor, sql`pr.organisation_id`)}))`,
  )!;
}

export async function meetingFollowups(db: Executor, actor: Actor, meetingId: string): Promise<FollowupRow[]> {
  const where = await meetingFollowupConds(db, actor, meetingId);
  return where ? db.select().from(followups).where(where).orderBy(asc(followups.createdAt), asc(followups.id)) : [];
}

/** One page of a meeting's follow-up items the reader may see (the API's list). */
export async function pageMeetingFollowups(db: Executor, actor: Actor, meetingId: string, q: PageRequest = {}): Promise<Page<FollowupRow>> {
  const where = await meetingFollowupConds(db, actor, meetingId);
  if (!where) return emptyPage(q);
  const w = pageWindow(q);
  const items = await db.select().from(followups).where(where).orderBy(asc(followups.createdAt), asc(followups.id)).limit(w.pageSize).offset(w.offset);
  const [{ total }] = (await db.select({ total: count() }).from(followups).where(where)) as [{ total: number }];
  return { items, page: w.page, pageSize: w.pageSize, total };
}

/** Counts for the four-promises panel: adopted plans with actions linked to SDG targets, and actions with measured change. */
export async function promiseEvidence(db: Executor, org: OrgRef) {
  const owned = (await db.select().from(plans).where(eq(plans.organisationId, org.id))).filter((p) => p.state !== 'draft');
  const adopted = owned.filter((p) => p.state === 'adopted' || p.state === 'revised');
  const acts = await planActions(db, adopted.map((p) => p.id));
  const linked = acts.filter((a) => a.sdgTargets.length > 0);
  const adoptedWithLinked = adopted.filter((p) => linked.some((a) => a.planId === p.id));
  let measured = 0;
  const seen = new Map<string, Promise<IndicatorInArea>>();
  for (const a of acts) {
    if (!a.indicators.length) continue;
    const ch = await indicatorChanges(db, a, org.areaId, seen);
    if (ch.some((c) => c.change != null)) measured++;
  }
  return { adoptedPlans: adoptedWithLinked, linkedActions: linked.length, measuredActions: measured };
}

export async function priorityCount(db: Executor, orgId: string) {
  const rows = await db.select({ id: priorities.id }).from(priorities).where(and(eq(priorities.organisationId, orgId), eq(priorities.state, 'published')));
  return rows.length;
}


/**
 * Actions of the plans this actor may see (an action of a draft plan only for the owner's members),
 * each with its plan: what other modules may offer for linking (the projects module's form).
 */
export async function visibleActions(db: Executor, actor: Actor, q: { organisationId?: string } = {}): Promise<{ action: ActionRow; plan: PlanRow }[]> {
  const ps = await listPlans(db, actor, q);
  const byId = new Map(ps.map((p) => [p.id, p]));
  return (await planActions(db, ps.map((p) => p.id))).map((action) => ({ action, plan: byId.get(action.planId)! }));
}
