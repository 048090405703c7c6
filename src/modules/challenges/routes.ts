import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { iso, PageQuery, pageOf, paged, readErrors, write, writeErrors } from '../../web/api.js';
import { ChallengeInput, ResponseInput } from './inputs.js';
import * as q from './queries.js';
import { CHALLENGE_STATES, HELP_KINDS, RESPONSE_STATES, type ChallengeRow } from './schema.js';
import * as svc from './service.js';

const Id = z.object({ id: z.string().min(1).max(100) });
const Rid = z.object({ id: z.string().min(1).max(100), rid: z.string().min(1).max(100) });
const OrgRef = z.object({ id: z.string().uuid(), slug: z.string(), name: z.string(), kind: z.string(), country: z.string().nullable() });
const Challenge = z.object({
  id: z.string().uuid(), organisationId: z.string().uuid(), priorityId: z.string().uuid().nullable(), title: z.string(), lang: z.string(), problem: z.string(),
  sdgTargets: z.array(z.string()), indicatorCode: z.string().nullable(), indicatorTarget: z.number().nullable(), helpKinds: z.array(z.enum(HELP_KINDS)),
  deadline: z.string().nullable(), contactName: z.string(), contactEmail: z.string(), state: z.enum(CHALLENGE_STATES), publishedAt: z.string().nullable(),
  createdAt: z.string(), updatedAt: z.string(), web: z.string(),
});
const Response = z.object({
  id: z.string().uuid(), challengeId: z.string().uuid(), responder: OrgRef.nullable(), newOrgName: z.string().nullable(), newOrgKind: z.string().nullable(),
  offer: z.string(), state: z.enum(RESPONSE_STATES), contact: z.object({ name: z.string(), email: z.string() }).nullable().describe('Only for the owner and the author'),
  createdAt: z.string(), decidedAt: z.string().nullable(),
});
const Gap = z.object({ code: z.string(), name: z.string(), unit: z.string(), current: z.object({ period: z.string(), value: z.number() }).nullable(), target: z.number().nullable(), gap: z.number().nullable() });

export const presentChallenge = (base: string, c: ChallengeRow) => ({
  id: c.id, organisationId: c.organisationId, priorityId: c.priorityId, title: c.title, lang: c.lang, problem: c.problem, sdgTargets: c.sdgTargets,
  indicatorCode: c.indicatorCode, indicatorTarget: c.indicatorTarget, helpKinds: c.helpKinds, deadline: c.deadline, contactName: c.contactName, contactEmail: c.contactEmail,
  state: c.state, publishedAt: iso(c.publishedAt), createdAt: iso(c.createdAt)!, updatedAt: iso(c.updatedAt)!, web: `${base}/challenges/${c.id}`,
});
const presentOrg = (o: q.OrgRef | null) => (o ? { id: o.id, slug: o.slug, name: o.name, kind: o.kind, country: o.country } : null);
const presentResponse = (v: q.ResponseView) => ({
  id: v.response.id, challengeId: v.response.challengeId, responder: presentOrg(v.responder), newOrgName: v.response.newOrgName, newOrgKind: v.response.newOrgKind,
  offer: v.response.offer, state: v.response.state, contact: v.contact, createdAt: iso(v.response.createdAt)!, decidedAt: iso(v.response.decidedAt),
});

export async function challengeRoutes(app: FastifyInstance, { db, config }: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = config.publicUrl;
  const tags = ['Challenges'];
  const Filter = z.object({
    sdg: z.string().regex(/^(1[0-7]|[1-9])$/).optional().describe('SDG goal number'),
    organisation: z.string().max(200).optional().describe('Owner organisation (id or slug), such as a municipality'),
    country: z.enum(['SE', 'NO', 'DK']).optional(),
    help: z.enum(HELP_KINDS).optional(),
    state: z.enum(CHALLENGE_STATES).optional(),
  });

  r.get('/api/challenges', { schema: { tags, summary: 'Challenges, newest first (drafts only for their owner), filtered by SDG goal, organisation, country and kind of help', querystring: Filter.extend(PageQuery.shape), response: { 200: pageOf(Challenge.extend({ owner: OrgRef.nullable() })) } } }, async (req) => {
    const res = await q.pageChallenges(db.orm, req.actor, req.query);
    return paged(req, res.page, res.pageSize, res.total, res.items.map((i) => ({ ...presentChallenge(base, i.challenge), owner: presentOrg(i.owner) })));
  });
  r.post('/api/challenges', { schema: { tags, summary: 'Publish (or draft) a challenge', ...write, body: ChallengeInput, response: { 201: Challenge, ...writeErrors } } }, async (req, reply) =>
    reply.code(201).send(presentChallenge(base, await svc.createChallenge(db, req.actor, req.body))));
  r.get('/api/challenges/:id', { schema: { tags, summary: 'A challenge with its live indicator gap and the responses this reader may see', params: Id, response: { 200: Challenge.extend({ owner: OrgRef.nullable(), gap: Gap.nullable(), responses: z.array(Response) }), ...readErrors } } }, async (req) => {
    const d = await q.challengeDetail(db.orm, req.actor, req.params.id);
    return { ...presentChallenge(base, d.challenge), owner: presentOrg(d.owner), gap: d.gap, responses: d.responses.map(presentResponse) };
  });
  r.put('/api/challenges/:id', { schema: { tags, summary: 'Replace a challenge (also how its state changes)', ...write, params: Id, body: ChallengeInput, response: { 200: Challenge, ...writeErrors } } }, async (req) =>
    presentChallenge(base, await svc.updateChallenge(db, req.actor, req.params.id, req.body)));
  r.get('/api/challenges/:id/responses', { schema: { tags, summary: 'Responses this reader may see, oldest first (unaccepted ones only for the owner and their author)', params: Id, querystring: PageQuery, response: { 200: pageOf(Response), ...readErrors } } }, async (req) => {
    const res = await q.pageResponses(db.orm, req.actor, req.params.id, req.query);
    return paged(req, res.page, res.pageSize, res.total, res.items.map(presentResponse));
  });
  r.post('/api/challenges/:id/responses', { schema: { tags, summary: 'Respond to an open challenge (the owner is emailed)', ...write, params: Id, body: ResponseInput, response: { 201: Response, ...writeErrors } } }, async (req, reply) => {
    const row = await svc.respond(db, req.actor, req.params.id, req.body, base);
    const c = await svc.getChallenge(db.orm, req.actor, req.params.id);
    const [v] = await q.presentResponses(db.orm, req.actor, c, [row]);
    return reply.code(201).send(presentResponse(v!));
  });
  r.post('/api/challenges/:id/responses/:rid/accept', { schema: { tags, summary: 'Accept a response: the responder becomes a partner (a new organisation enters the directory)', ...write, params: Rid, response: { 200: Response, ...writeErrors } } }, async (req) => {
    const res = await svc.acceptResponse(db, req.actor, req.params.id, req.params.rid);
    const [v] = await q.presentResponses(db.orm, req.actor, res.challenge, [res.response]);
    return presentResponse(v!);
  });
  r.post('/api/challenges/:id/responses/:rid/decline', { schema: { tags, summary: 'Decline a response (it stays private)', ...write, params: Rid, response: { 200: Response, ...writeErrors } } }, async (req) => {
    const row = await svc.declineResponse(db, req.actor, req.params.id, req.params.rid);
    const c = await svc.getChallenge(db.orm, req.actor, req.params.id);
    const [v] = await q.presentResponses(db.orm, req.actor, c, [row]);
    return presentResponse(v!);
  });
}
