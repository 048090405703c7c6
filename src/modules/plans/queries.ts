import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Actor } from '../../platform/audit.js';
import type { Executor } from '../../platform/db/index.js';
import { directory, type OrganisationRow } from '../directory/index.js';
import { getIndicator, indicatorSeries } from '../indicators/index.js';
import { agendaItemRef, type AgendaItemRef, meetingRefFor } from '../meetings/index.js';
import { canManage, canSeeDrafts } from './policy.js';
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

/** Memoised "may this actor see this organisation's drafts" for one request. */
function draftAccess(db: Executor, actor: Actor) {
  const m = new Map<string, Promise<boolean>>();
  return (orgId: string) => {
    let p = m.get(orgId);
    if (!p) {
      p = canSeeDrafts(db, actor, orgId);
      m.set(orgId, p);
    }
    return p;
  };
}

// --- Priorities --------------------------------------------------------------------------

export type PriorityView = PriorityRow & { actors: PriorityActorRow[] };

export async function listPriorities(db: Executor, actor: Actor, q: { organisationIds?: string[] } = {}): Promise<PriorityView[]> {
  if (q.organisationIds && !q.organisationIds.length) return [];
  const rows = await db
    .select()
    .from(priorities)
    .where(q.organisationIds ? inArray(priorities.organisationId, q.organisationIds) : undefined)
    .orderBy(asc(priorities.createdAt));
  const drafts = draftAccess(db, actor);
  const visible: PriorityRow[] = [];
  for (const r of rows) if (r.state !== 'draft' || (await drafts(r.organisationId))) visible.push(r);
  const actors = await listPriorityActors(db, visible.map((r) => r.id));
  return visible.map((r) => ({ ...r, actors: actors.filter((a) => a.priorityId === r.id) }));
}

/** A network's or cohort's members (current organisations) and their priorities, side by side. */
export async function cohortPriorities(db: Executor, actor: Actor, orgId: string) {
  const ms = await directory.listMemberships(db, { organisationId: orgId, pageSize: 500 });
  const today = todayIso();
  const memberIds = [...new Set(ms.items.filter((m) => m.memberOrganisationId && (!m.endDate || m.endDate >= today.slice(0, m.endDate.length))).map((m) => m.memberOrganisationId!))];
  const org = orgCache(db);
  const members = (await Promise.all(memberIds.map(org))).filter((o): o is OrgRef => !!o);
  const prios = await listPriorities(db, actor, { organisationIds: memberIds });
  const goals = [...new Set(prios.flatMap((p) => goalsOfPriority(p)))].sort((a, b) => Number(a) - Number(b));
  const indicators = [...new Set(prios.flatMap((p) => p.indicatorCodes))].sort();
  return { members, priorities: prios, goals, indicators };
}

export const goalsOfPriority = (p: Pick<PriorityRow, 'sdgGoals' | 'sdgTargets'>) => [...new Set([...p.sdgGoals, ...p.sdgTargets.map((t) => t.split('.')[0]!)])];

// --- Plans -------------------------------------------------------------------------------

export async function listPlans(db: Executor, actor: Actor, q: { organisationId?: string; parentId?: string } = {}): Promise<PlanRow[]> {
  const conds = [];
  if (q.organisationId) conds.push(eq(plans.organisationId, q.organisationId));
  if (q.parentId) conds.push(eq(plans.parentId, q.parentId));
  const rows = await db.select().from(plans).where(conds.length ? and(...conds) : undefined).orderBy(desc(plans.periodStart), asc(plans.title));
  const drafts = draftAccess(db, actor);
  const out: PlanRow[] = [];
  for (const r of rows) if (r.state !== 'draft' || (await drafts(r.organisationId))) out.push(r);
  return out;
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
    adoptedBy: plan.adoptedItemId ? await agendaItemRef(db, plan.adoptedItemId) : null,
    actions: await summariseActions(db, rows, () => plan, opts),
    canEdit: await canManage(db, actor, plan.organisationId),
  };
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
export async function indicatorChanges(db: Executor, a: ActionRow, areaId: string | null): Promise<IndicatorChange[]> {
  const out: IndicatorChange[] = [];
  for (const ind of a.indicators) {
    const info = await getIndicator(db, ind.code).catch(() => null);
    if (!info) continue;
    const series = areaId ? (await indicatorSeries(db, info.id, [areaId], { totalOnly: true })).filter((p) => p.value != null) : [];
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
  const collaborators = (await Promise.all(action.collaboratorIds.map(org))).filter((o): o is OrgRef => !!o);
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

/** Follow-up items of a meeting (for its organisers' overview and the API). Links to drafts are dropped for readers who may not see them. */
export async function meetingFollowups(db: Executor, actor: Actor, meetingId: string): Promise<FollowupRow[]> {
  const rows = await readableFollowups(db, actor, await db.select().from(followups).where(eq(followups.meetingId, meetingId)).orderBy(asc(followups.createdAt)));
  const out: FollowupRow[] = [];
  for (const f of rows) {
    if (f.actionId && !(await getAction(db, actor, f.actionId).catch(() => null))) continue;
    if (f.priorityId) {
      const [p] = await db.select().from(priorities).where(eq(priorities.id, f.priorityId));
      if (p && p.state === 'draft' && !(await canSeeDrafts(db, actor, p.organisationId))) continue;
    }
    out.push(f);
  }
  return out;
}

/** Counts for the four-promises panel: adopted plans with actions linked to SDG targets, and actions with measured change. */
export async function promiseEvidence(db: Executor, org: OrgRef) {
  const owned = (await db.select().from(plans).where(eq(plans.organisationId, org.id))).filter((p) => p.state !== 'draft');
  const adopted = owned.filter((p) => p.state === 'adopted' || p.state === 'revised');
  const acts = await planActions(db, adopted.map((p) => p.id));
  const linked = acts.filter((a) => a.sdgTargets.length > 0);
  const adoptedWithLinked = adopted.filter((p) => linked.some((a) => a.planId === p.id));
  let measured = 0;
  for (const a of acts) {
    if (!a.indicators.length) continue;
    const ch = await indicatorChanges(db, a, org.areaId);
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
