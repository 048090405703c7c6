import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { iso, PageQuery, pageOf, paged, readErrors, write, writeErrors } from '../../web/api.js';
import { directory } from '../directory/index.js';
import { ActionInput, FollowupInput, FollowupStateInput, PlanInput, PriorityInput, StatusUpdateInput } from './inputs.js';
import * as q from './queries.js';
import { ACTION_STATUSES, ACTOR_ROLES, DIRECTIONS, FOLLOWUP_STATES, PLAN_STATES, PRIORITY_STATES, type ActionRow, type FollowupRow, type PlanRow, type StatusUpdateRow } from './schema.js';
import * as svc from './service.js';

// --- Presenters: what leaves the server --------------------------------------------------

const Id = z.object({ id: z.string().min(1).max(100) });
const OrgRef = z.object({ id: z.string().uuid(), slug: z.string(), name: z.string(), kind: z.string() });
const Priority = z.object({
  id: z.string().uuid(), organisationId: z.string().uuid(), title: z.string(), lang: z.string(), rationale: z.string(),
  sdgGoals: z.array(z.string()), sdgTargets: z.array(z.string()), indicatorCodes: z.array(z.string()), state: z.enum(PRIORITY_STATES),
  actors: z.array(z.object({ organisationId: z.string().uuid(), role: z.enum(ACTOR_ROLES), contact: z.string().nullable(), challengeId: z.string().uuid().nullable() })),
  createdAt: z.string(), updatedAt: z.string(), web: z.string(),
});
const Plan = z.object({
  id: z.string().uuid(), organisationId: z.string().uuid(), title: z.string(), lang: z.string(), description: z.string(),
  periodStart: z.string().nullable(), periodEnd: z.string().nullable(), state: z.enum(PLAN_STATES),
  adoptedMeetingId: z.string().uuid().nullable(), adoptedItemId: z.string().uuid().nullable(), adoptedOn: z.string().nullable(), decisionNote: z.string(),
  parentId: z.string().uuid().nullable(), documents: z.array(z.object({ title: z.string(), url: z.string() })),
  createdAt: z.string(), updatedAt: z.string(), web: z.string(),
});
const Status = z.object({ status: z.enum(ACTION_STATUSES), manual: z.boolean(), reason: z.string().nullable(), lateMilestones: z.number().int(), offTrackIndicators: z.array(z.string()) });
const Action = z.object({
  id: z.string().uuid(), planId: z.string().uuid(), identifier: z.string(), title: z.string(), lang: z.string(), description: z.string(),
  primaryOrgId: z.string().uuid(), collaboratorIds: z.array(z.string().uuid()), contactIds: z.array(z.string().uuid()),
  startDate: z.string().nullable(), endDate: z.string().nullable(),
  milestones: z.array(z.object({ title: z.string(), due: z.string(), completedOn: z.string().nullable() })),
  sdgTargets: z.array(z.string()), indicators: z.array(z.object({ code: z.string(), direction: z.enum(DIRECTIONS) })),
  currency: z.string().nullable(), budget: z.array(z.object({ year: z.number().int(), amount: z.number() })),
  manualStatus: z.enum(ACTION_STATUSES).nullable(), manualReason: z.string().nullable(),
  createdAt: z.string(), updatedAt: z.string(), web: z.string(),
});
const StatusUpdate = z.object({ id: z.string().uuid(), actionId: z.string().uuid(), onDate: z.string(), body: z.string(), authorLabel: z.string(), createdAt: z.string() });
const Followup = z.object({
  id: z.string().uuid(), meetingId: z.string().uuid(), agendaItemId: z.string().uuid().nullable(), what: z.string(), who: z.string(), dueDate: z.string().nullable(),
  state: z.enum(FOLLOWUP_STATES), actionId: z.string().uuid().nullable(), priorityId: z.string().uuid().nullable(), indicatorCode: z.string().nullable(), createdAt: z.string(),
});
const Tally = z.object({ count: z.number().int(), budget: z.record(z.string(), z.number()) });

export const presentPriority = (base: string, p: q.PriorityView) => ({
  id: p.id, organisationId: p.organisationId, title: p.title, lang: p.lang, rationale: p.rationale, sdgGoals: p.sdgGoals, sdgTargets: p.sdgTargets,
  indicatorCodes: p.indicatorCodes, state: p.state, actors: p.actors.map((a) => ({ organisationId: a.organisationId, role: a.role, contact: a.contact, challengeId: a.challengeId })),
  createdAt: iso(p.createdAt)!, updatedAt: iso(p.updatedAt)!, web: `${base}/priorities/${p.id}`,
});
export const presentPlan = (base: string, p: PlanRow) => ({
  id: p.id, organisationId: p.organisationId, title: p.title, lang: p.lang, description: p.description, periodStart: p.periodStart, periodEnd: p.periodEnd, state: p.state,
  adoptedMeetingId: p.adoptedMeetingId, adoptedItemId: p.adoptedItemId, adoptedOn: p.adoptedOn, decisionNote: p.decisionNote, parentId: p.parentId, documents: p.documents,
  createdAt: iso(p.createdAt)!, updatedAt: iso(p.updatedAt)!, web: `${base}/plans/${p.id}`,
});
export const presentAction = (base: string, a: ActionRow) => ({
  id: a.id, planId: a.planId, identifier: a.identifier, title: a.title, lang: a.lang, description: a.description, primaryOrgId: a.primaryOrgId,
  collaboratorIds: a.collaboratorIds, contactIds: a.contactIds, startDate: a.startDate, endDate: a.endDate, milestones: a.milestones, sdgTargets: a.sdgTargets,
  indicators: a.indicators, currency: a.currency, budget: a.budget, manualStatus: a.manualStatus, manualReason: a.manualReason,
  createdAt: iso(a.createdAt)!, updatedAt: iso(a.updatedAt)!, web: `${base}/actions/${a.id}`,
});
const presentStatus = (s: q.ActionSummary['status']) => ({ status: s.status, manual: s.manual, reason: s.reason, lateMilestones: s.lateMilestones.length, offTrackIndicators: s.offTrack });
const presentUpdate = (u: StatusUpdateRow) => ({ id: u.id, actionId: u.actionId, onDate: u.onDate, body: u.body, authorLabel: u.authorLabel, createdAt: iso(u.createdAt)! });
const presentFollowup = (f: FollowupRow) => ({
  id: f.id, meetingId: f.meetingId, agendaItemId: f.agendaItemId, what: f.what, who: f.who, dueDate: f.dueDate, state: f.state,
  actionId: f.actionId, priorityId: f.priorityId, indicatorCode: f.indicatorCode, createdAt: iso(f.createdAt)!,
});
const presentOrgRef = (o: q.OrgRef) => ({ id: o.id, slug: o.slug, name: o.name, kind: o.kind });

export async function planRoutes(app: FastifyInstance, deps: AppDeps & { indicatorTargets?: q.IndicatorTargetSource }) {
  const { db, config } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = config.publicUrl;
  const targets = deps.indicatorTargets ? { targets: deps.indicatorTargets } : {};
  const orgQuery = z.object({ organisation: z.string().max(200).optional().describe('Organisation id or slug') });
  const orgIdOf = async (ref: string | undefined) => (ref ? (await directory.getOrganisation(db.orm, ref)).id : undefined);

  // --- Priorities ---
  let tags = ['Priorities'];
  r.get('/api/priorities', { schema: { tags, summary: 'Priority areas, oldest first (drafts only for their owner)', querystring: orgQuery.extend(PageQuery.shape), response: { 200: pageOf(Priority), ...readErrors } } }, async (req) => {
    const orgId = await orgIdOf(req.query.organisation);
    const res = await q.pagePriorities(db.orm, req.actor, { ...(orgId ? { organisationIds: [orgId] } : {}), page: req.query.page, pageSize: req.query.pageSize });
    return paged(req, res.page, res.pageSize, res.total, res.items.map((p) => presentPriority(base, p)));
  });
  r.post('/api/priorities', { schema: { tags, summary: 'Record a priority area', ...write, body: PriorityInput, response: { 201: Priority, ...writeErrors } } }, async (req, reply) => {
    const p = await svc.createPriority(db, req.actor, req.body);
    return reply.code(201).send(presentPriority(base, { ...p, actors: await svc.listPriorityActors(db.orm, [p.id]) }));
  });
  r.get('/api/priorities/:id', { schema: { tags, summary: 'A priority area', params: Id, response: { 200: Priority, ...readErrors } } }, async (req) => {
    const p = await svc.getPriority(db.orm, req.actor, req.params.id);
    return presentPriority(base, { ...p, actors: await svc.listPriorityActors(db.orm, [p.id]) });
  });
  r.put('/api/priorities/:id', { schema: { tags, summary: 'Replace a priority area (partners from accepted challenge responses stay)', ...write, params: Id, body: PriorityInput, response: { 200: Priority, ...writeErrors } } }, async (req) => {
    const p = await svc.updatePriority(db, req.actor, req.params.id, req.body);
    return presentPriority(base, { ...p, actors: await svc.listPriorityActors(db.orm, [p.id]) });
  });
  r.get('/api/organisations/:id/cohort-priorities', { schema: { tags, summary: 'A network’s or cohort’s members and their priorities, side by side', params: Id, response: { 200: z.object({ members: z.array(OrgRef), priorities: z.array(Priority), goals: z.array(z.string()), indicators: z.array(z.string()) }), ...readErrors } } }, async (req) => {
    const org = await directory.getOrganisation(db.orm, req.params.id);
    const c = await q.cohortPriorities(db.orm, req.actor, org.id);
    return { members: c.members.map(presentOrgRef), priorities: c.priorities.map((p) => presentPriority(base, p)), goals: c.goals, indicators: c.indicators };
  });

  // --- Plans ---
  tags = ['Plans'];
  r.get('/api/plans', { schema: { tags, summary: 'Plans, latest period first (drafts only for their owner)', querystring: orgQuery.extend(PageQuery.shape), response: { 200: pageOf(Plan), ...readErrors } } }, async (req) => {
    const orgId = await orgIdOf(req.query.organisation);
    const res = await q.pagePlans(db.orm, req.actor, { ...(orgId ? { organisationId: orgId } : {}), page: req.query.page, pageSize: req.query.pageSize });
    return paged(req, res.page, res.pageSize, res.total, res.items.map((p) => presentPlan(base, p)));
  });
  r.post('/api/plans', { schema: { tags, summary: 'Create a plan', ...write, body: PlanInput, response: { 201: Plan, ...writeErrors } } }, async (req, reply) =>
    reply.code(201).send(presentPlan(base, await svc.createPlan(db, req.actor, req.body))));
  r.get('/api/plans/:id', {
    schema: { tags, summary: 'A plan with its actions and their statuses', params: Id, response: { 200: Plan.extend({ children: z.array(Plan), actions: z.array(Action.extend({ status: Status })) }), ...readErrors } },
  }, async (req) => {
    const d = await q.planDetail(db.orm, req.actor, req.params.id, targets);
    return { ...presentPlan(base, d.plan), children: d.children.map((c) => presentPlan(base, c)), actions: d.actions.map((a) => ({ ...presentAction(base, a.action), status: presentStatus(a.status) })) };
  });
  r.put('/api/plans/:id', { schema: { tags, summary: 'Replace a plan', ...write, params: Id, body: PlanInput, response: { 200: Plan, ...writeErrors } } }, async (req) =>
    presentPlan(base, await svc.updatePlan(db, req.actor, req.params.id, req.body)));
  r.get('/api/plans/:id/rollup', {
    schema: {
      tags, summary: 'Roadmap roll-up: the actions of a plan and the plans below it, by SDG goal, status and organisation, with budget totals per currency', params: Id,
      response: {
        200: z.object({
          plans: z.array(Plan), total: Tally,
          byGoal: z.array(z.object({ goal: z.string().nullable(), tally: Tally })),
          byStatus: z.array(z.object({ status: z.enum(ACTION_STATUSES), tally: Tally })),
          byOrganisation: z.array(z.object({ organisation: OrgRef, tally: Tally })),
        }),
        ...readErrors,
      },
    },
  }, async (req) => {
    const ru = await q.rollup(db.orm, req.actor, req.params.id, targets);
    return {
      plans: ru.plans.map((p) => presentPlan(base, p)), total: ru.total,
      byGoal: ru.byGoal.map(([goal, tally]) => ({ goal: goal || null, tally })),
      byStatus: ru.byStatus.map(([status, tally]) => ({ status: status as (typeof ACTION_STATUSES)[number], tally })),
      byOrganisation: ru.byOrganisation.map(([o, tally]) => ({ organisation: presentOrgRef(o), tally })),
    };
  });
  r.post('/api/plans/:id/actions', { schema: { tags, summary: 'Add an action to a plan', ...write, params: Id, body: ActionInput, response: { 201: Action, ...writeErrors } } }, async (req, reply) =>
    reply.code(201).send(presentAction(base, await svc.createAction(db, req.actor, req.params.id, req.body))));

  // --- Actions ---
  tags = ['Actions'];
  r.get('/api/actions/:id', {
    schema: {
      tags, summary: 'An action with its status, status updates, measured indicator change and the meetings where it was discussed', params: Id,
      response: {
        200: Action.extend({
          status: Status, updates: z.array(StatusUpdate), followups: z.array(Followup),
          indicatorChanges: z.array(z.object({ code: z.string(), direction: z.enum(DIRECTIONS), baseline: z.object({ period: z.string(), value: z.number() }).nullable(), latest: z.object({ period: z.string(), value: z.number() }).nullable(), change: z.number().nullable(), asExpected: z.boolean().nullable() })),
        }),
        ...readErrors,
      },
    },
  }, async (req) => {
    const d = await q.actionDetail(db.orm, req.actor, req.params.id, targets);
    return {
      ...presentAction(base, d.action), status: presentStatus(d.status), updates: d.updates.map(presentUpdate), followups: d.followups.map(presentFollowup),
      indicatorChanges: d.indicators.map((c) => ({ code: c.code, direction: c.direction, baseline: c.baseline, latest: c.latest, change: c.change, asExpected: c.asExpected })),
    };
  });
  r.put('/api/actions/:id', { schema: { tags, summary: 'Replace an action', ...write, params: Id, body: ActionInput, response: { 200: Action, ...writeErrors } } }, async (req) =>
    presentAction(base, await svc.updateAction(db, req.actor, req.params.id, req.body)));
  r.post('/api/actions/:id/updates', { schema: { tags, summary: 'Add a dated status update to an action', ...write, params: Id, body: StatusUpdateInput, response: { 201: StatusUpdate, ...writeErrors } } }, async (req, reply) =>
    reply.code(201).send(presentUpdate(await svc.addStatusUpdate(db, req.actor, req.params.id, req.body))));

  // --- Follow-up items from meetings ---
  tags = ['Actions'];
  r.post('/api/followups', { schema: { tags, summary: 'Record a follow-up item of a meeting’s agenda item, linked to an action, a priority or an indicator', ...write, body: FollowupInput, response: { 201: Followup, ...writeErrors } } }, async (req, reply) =>
    reply.code(201).send(presentFollowup(await svc.createFollowup(db, req.actor, req.body))));
  r.patch('/api/followups/:id', { schema: { tags, summary: 'Change a follow-up item’s state (open, done, cancelled)', ...write, params: Id, body: FollowupStateInput, response: { 200: Followup, ...writeErrors } } }, async (req) =>
    presentFollowup(await svc.setFollowupState(db, req.actor, req.params.id, req.body)));
  r.get('/api/followups', { schema: { tags, summary: 'Follow-up items of a meeting, oldest first (only of agenda items the reader may see)', querystring: PageQuery.extend({ meeting: z.string().uuid() }), response: { 200: pageOf(Followup) } } }, async (req) => {
    const res = await q.pageMeetingFollowups(db.orm, req.actor, req.query.meeting, req.query);
    return paged(req, res.page, res.pageSize, res.total, res.items.map(presentFollowup));
  });
}
