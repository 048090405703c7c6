import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { listAudit, presentAuditEvent } from '../../platform/audit.js';
import * as policy from './policy.js';
import { iso, PageQuery, pageLinks, pageOf, paged, Problem, readErrors, write, writeErrors } from '../../web/api.js';
import { CommitmentInput, EndInput, isCurrent, MembershipInput, MembershipUpdate, OrganisationInput, PersonInput, SignatureInput } from './inputs.js';
import { ORG_KINDS, ROLES, type AreaRow, type CommitmentRow, type MembershipRow, type OrganisationRow, type PersonRow } from './schema.js';
import * as svc from './service.js';
import * as delegations from './delegations.js';
import * as memberships from './memberships.js';
import * as profiles from './profiles.js';
import * as reads from './reads.js';
import { popoloExport, PopoloDocument } from './popolo.js';

// --- Presenters: rows -> API shapes ----------------------------------------

const Organisation = z.object({
  id: z.string().uuid(),
  slug: z.string(),
  name: z.string(),
  shortName: z.string().nullable(),
  kind: z.enum(ORG_KINDS),
  parentId: z.string().uuid().nullable(),
  areaId: z.string().uuid().nullable(),
  lang: z.string(),
  description: z.string(),
  website: z.string().nullable(),
  foundedOn: z.string().nullable(),
  endedOn: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  web: z.string().describe('The HTML page'),
});
const Person = z.object({
  id: z.string().uuid(),
  slug: z.string(),
  name: z.string(),
  title: z.string().nullable(),
  lang: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  endedOn: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  web: z.string(),
});
const Membership = z.object({
  id: z.string().uuid(),
  organisationId: z.string().uuid(),
  personId: z.string().uuid().nullable(),
  memberOrganisationId: z.string().uuid().nullable(),
  role: z.enum(ROLES),
  label: z.string().nullable(),
  onBehalfOfId: z.string().uuid().nullable(),
  onBehalfPending: z.boolean().describe('Named "on behalf of" by someone who may not act for that organisation: awaits its confirmation'),
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  current: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const Commitment = z.object({
  id: z.string().uuid(),
  slug: z.string(),
  title: z.string(),
  lang: z.string(),
  datedOn: z.string().nullable(),
  body: z.string(),
  url: z.string().nullable(),
  endedOn: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  web: z.string(),
});
const Area = z.object({ id: z.string().uuid(), key: z.string(), country: z.string(), level: z.string(), code: z.string(), name: z.string() });
const Signature = z.object({
  id: z.string().uuid(),
  commitmentId: z.string().uuid(),
  organisationId: z.string().uuid(),
  signedOn: z.string().nullable(),
  endedOn: z.string().nullable(),
  note: z.string().nullable(),
});
const Ref = z.object({ id: z.string().min(1).max(200).describe('UUID or slug') });
const RefOnly = z.object({ id: z.string().min(1).max(100).describe('UUID') });

const presentOrg = (base: string, o: OrganisationRow) => ({
  id: o.id, slug: o.slug, name: o.name, shortName: o.shortName, kind: o.kind, parentId: o.parentId, areaId: o.areaId, lang: o.lang,
  description: o.description, website: o.website, foundedOn: o.foundedOn, endedOn: o.endedOn,
  createdAt: iso(o.createdAt)!, updatedAt: iso(o.updatedAt)!, web: `${base}/organisations/${o.slug}`,
});
const presentPerson = (base: string, p: PersonRow) => ({
  id: p.id, slug: p.slug, name: p.name, title: p.title, lang: p.lang, email: p.email, phone: p.phone, endedOn: p.endedOn,
  createdAt: iso(p.createdAt)!, updatedAt: iso(p.updatedAt)!, web: `${base}/people/${p.slug}`,
});
const presentMembership = (m: MembershipRow) => ({
  id: m.id, organisationId: m.organisationId, personId: m.personId, memberOrganisationId: m.memberOrganisationId, role: m.role, label: m.label,
  onBehalfOfId: m.onBehalfOfId, onBehalfPending: m.onBehalfPending, startDate: m.startDate, endDate: m.endDate, current: isCurrent(m.endDate),
  createdAt: iso(m.createdAt)!, updatedAt: iso(m.updatedAt)!,
});
const presentCommitment = (base: string, c: CommitmentRow) => ({
  id: c.id, slug: c.slug, title: c.title, lang: c.lang, datedOn: c.datedOn, body: c.body, url: c.url, endedOn: c.endedOn,
  createdAt: iso(c.createdAt)!, updatedAt: iso(c.updatedAt)!, web: `${base}/commitments/${c.slug}`,
});
const presentArea = (a: AreaRow) => ({ id: a.id, key: a.key, country: a.country, level: a.level, code: a.code, name: a.name });


export async function directoryRoutes(app: FastifyInstance, { db, config }: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = config.publicUrl;
  const tags = ['Directory'];

  // --- Organisations ---
  r.get('/api/organisations', {
    schema: {
      tags, summary: 'List organisations',
      querystring: PageQuery.extend({ q: z.string().max(200).optional(), kind: z.enum(ORG_KINDS).optional(), parent: z.string().uuid().optional(), includeEnded: z.enum(['true', 'false']).optional() }),
      response: { 200: pageOf(Organisation) },
    },
  }, async (req) => {
    const q = req.query;
    const res = await reads.listOrganisations(db.orm, { search: q.q, kind: q.kind, parentId: q.parent, includeEnded: q.includeEnded === 'true', page: q.page, pageSize: q.pageSize, locale: req.locale });
    return { ...res, items: res.items.map((o) => presentOrg(base, o)), links: pageLinks(req, res.page, res.pageSize, res.total) };
  });

  r.post('/api/organisations', { schema: { tags, summary: 'Create an organisation', ...write, body: OrganisationInput, response: { 201: Organisation, ...writeErrors } } }, async (req, reply) => {
    const o = await svc.createOrganisation(db, req.actor, req.body);
    return reply.code(201).send(presentOrg(base, o));
  });

  const MemberEntry = z.object({
    membership: Membership,
    person: z.object({ id: z.string(), slug: z.string(), name: z.string(), title: z.string().nullable() }).nullable(),
    memberOrganisation: z.object({ id: z.string(), slug: z.string(), name: z.string(), kind: z.string() }).nullable(),
    organisation: z.object({ id: z.string(), slug: z.string(), name: z.string(), kind: z.string() }),
    onBehalfOf: z.object({ id: z.string(), slug: z.string(), name: z.string(), kind: z.string() }).nullable(),
  });
  const presentEntry = (e: profiles.MemberEntry) => ({ ...e, membership: presentMembership(e.membership) });

  r.get('/api/organisations/:id', {
    schema: {
      tags, summary: 'An organisation with its members, memberships, representatives, sub-organisations and commitments',
      params: Ref,
      response: {
        200: Organisation.extend({
          area: Area.nullable(),
          ancestors: z.array(z.object({ id: z.string(), slug: z.string(), name: z.string(), kind: z.string() })),
          children: z.array(Organisation),
          members: z.array(MemberEntry),
          membershipsElsewhere: z.array(MemberEntry),
          representatives: z.array(MemberEntry),
          commitments: z.array(z.object({ signature: Signature, commitment: z.object({ id: z.string(), slug: z.string(), title: z.string() }) })),
        }),
        ...readErrors,
      },
    },
  }, async (req) => {
    const p = await profiles.organisationProfile(db.orm, req.params.id);
    return {
      ...presentOrg(base, p.organisation),
      area: p.area ? presentArea(p.area) : null,
      ancestors: p.ancestors,
      children: p.children.map((c) => presentOrg(base, c)),
      members: p.members.map(presentEntry),
      membershipsElsewhere: p.membershipsElsewhere.map(presentEntry),
      representatives: p.representatives.map(presentEntry),
      commitments: p.commitments.map((s) => ({ signature: s.signature, commitment: { id: s.commitment.id, slug: s.commitment.slug, title: s.commitment.title } })),
    };
  });

  r.put('/api/organisations/:id', { schema: { tags, summary: 'Replace an organisation’s details', ...write, params: Ref, body: OrganisationInput, response: { 200: Organisation, ...writeErrors } } }, async (req) =>
    presentOrg(base, await svc.updateOrganisation(db, req.actor, req.params.id, req.body)));

  r.post('/api/organisations/:id/end', { schema: { tags, summary: 'End an organisation (organisations are never deleted)', ...write, params: Ref, body: EndInput, response: { 200: Organisation, ...writeErrors } } }, async (req) =>
    presentOrg(base, await svc.endOrganisation(db, req.actor, req.params.id, req.body.endedOn)));

  r.get('/api/organisations/:id/history', {
    schema: {
      tags, summary: 'Who changed what, and when',
      params: Ref,
      querystring: z.object({ before: z.coerce.number().int().optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
      response: { 200: z.object({ items: z.array(z.object({ id: z.number(), at: z.string(), actor: z.string(), action: z.string(), entityType: z.string(), entityId: z.string(), summary: z.string(), changes: z.record(z.string(), z.unknown()), hidden: z.boolean().describe('Details withheld: shown to members of the organisation only') })) }), ...readErrors },
    },
  }, async (req) => {
    const o = await reads.getOrganisation(db.orm, req.params.id);
    const rows = await listAudit(db.orm, { organisationId: o.id, before: req.query.before, limit: req.query.limit });
    const member = await policy.isMemberOf(db.orm, req.actor, o.id);
    return {
      items: rows.map((row) => {
        const e = presentAuditEvent(row, { member });
        return { id: e.id, at: iso(e.at)!, actor: e.actor, action: e.action, entityType: e.entityType, entityId: e.entityId, summary: e.summary, changes: e.changes, hidden: e.hidden };
      }),
    };
  });

  // --- People ---
  r.get('/api/people', { schema: { tags, summary: 'List people', querystring: PageQuery.extend({ q: z.string().max(200).optional(), includeEnded: z.enum(['true', 'false']).optional() }), response: { 200: pageOf(Person) } } }, async (req) => {
    const res = await reads.listPeople(db.orm, { search: req.query.q, includeEnded: req.query.includeEnded === 'true', page: req.query.page, pageSize: req.query.pageSize, locale: req.locale });
    return { ...res, items: res.items.map((p) => presentPerson(base, p)), links: pageLinks(req, res.page, res.pageSize, res.total) };
  });
  r.post('/api/people', { schema: { tags, summary: 'Add a person', ...write, body: PersonInput, response: { 201: Person, ...writeErrors } } }, async (req, reply) =>
    reply.code(201).send(presentPerson(base, await svc.createPerson(db, req.actor, req.body))));
  r.get('/api/people/:id', { schema: { tags, summary: 'A person and their roles', params: Ref, response: { 200: Person.extend({ roles: z.array(MemberEntry) }), ...readErrors } } }, async (req) => {
    const p = await profiles.personProfile(db.orm, req.params.id);
    return { ...presentPerson(base, p.person), roles: p.roles.map(presentEntry) };
  });
  r.put('/api/people/:id', { schema: { tags, summary: 'Replace a person’s details', ...write, params: Ref, body: PersonInput, response: { 200: Person, ...writeErrors } } }, async (req) =>
    presentPerson(base, await svc.updatePerson(db, req.actor, req.params.id, req.body)));
  r.post('/api/people/:id/end', { schema: { tags, summary: 'Mark a person as no longer active; ends their open roles', ...write, params: Ref, body: EndInput, response: { 200: Person, ...writeErrors } } }, async (req) =>
    presentPerson(base, await svc.endPerson(db, req.actor, req.params.id, req.body.endedOn)));

  // --- Memberships ---
  r.get('/api/memberships', {
    schema: { tags, summary: 'List memberships', querystring: PageQuery.extend({ organisation: z.string().uuid().optional(), person: z.string().uuid().optional(), memberOrganisation: z.string().uuid().optional() }), response: { 200: pageOf(Membership) } },
  }, async (req) => {
    const q = req.query;
    const res = await reads.listMemberships(db.orm, { organisationId: q.organisation, personId: q.person, memberOrganisationId: q.memberOrganisation, page: q.page, pageSize: q.pageSize });
    return { ...res, items: res.items.map(presentMembership), links: pageLinks(req, res.page, res.pageSize, res.total) };
  });
  r.post('/api/memberships', {
    schema: {
      tags, summary: 'Add a membership: a person or an organisation in an organisation, with a role', ...write,
      body: MembershipInput,
      response: { 201: Membership, ...writeErrors },
    },
  }, async (req, reply) => reply.code(201).send(presentMembership(await memberships.createMembership(db, req.actor, req.body))));
  r.get('/api/memberships/:id', { schema: { tags, summary: 'A membership', params: RefOnly, response: { 200: Membership, ...readErrors } } }, async (req) =>
    presentMembership(await reads.getMembership(db.orm, req.params.id)));
  r.put('/api/memberships/:id', { schema: { tags, summary: 'Change a membership’s role, label, on-behalf-of and dates', ...write, params: RefOnly, body: MembershipUpdate, response: { 200: Membership, ...writeErrors } } }, async (req) =>
    presentMembership(await memberships.updateMembership(db, req.actor, req.params.id, req.body)));
  r.post('/api/memberships/:id/end', { schema: { tags, summary: 'End a membership', ...write, params: RefOnly, body: z.object({ endDate: EndInput.shape.endedOn }), response: { 200: Membership, ...writeErrors } } }, async (req) =>
    presentMembership(await memberships.endMembership(db, req.actor, req.params.id, req.body.endDate)));

  // "On behalf of" named without the right to act for that organisation waits for its confirmation.
  r.get('/api/memberships/requests', {
    schema: { tags, summary: 'Memberships naming, unconfirmed, an organisation you may act for', querystring: PageQuery, response: { 200: pageOf(Membership), 401: Problem } },
  }, async (req) => {
    const res = await memberships.listOnBehalfRequests(db.orm, req.actor, req.query);
    return paged(req, res.page, res.pageSize, res.total, res.items.map((e) => presentMembership(e.membership)));
  });
  r.post('/api/memberships/:id/on-behalf/confirm', { schema: { tags, summary: 'Confirm that the membership acts on your organisation’s behalf', ...write, params: RefOnly, response: { 200: Membership, ...writeErrors } } }, async (req) =>
    presentMembership(await memberships.confirmOnBehalf(db, req.actor, req.params.id)));
  r.post('/api/memberships/:id/on-behalf/decline', { schema: { tags, summary: 'Decline: the membership no longer names your organisation', ...write, params: RefOnly, response: { 200: Membership, ...writeErrors } } }, async (req) =>
    presentMembership(await memberships.declineOnBehalf(db, req.actor, req.params.id)));

  // --- Delegating an area's figures to a network ---
  const Delegation = z.object({ network: z.object({ id: z.string(), slug: z.string(), name: z.string(), kind: z.string() }), createdAt: z.string() });
  const presentDelegation = (d: delegations.Delegation) => ({ network: d.network, createdAt: iso(d.createdAt)! });
  r.get('/api/organisations/:id/delegations', {
    schema: { tags, summary: 'Networks whose admins and editors may write the figures of the area this organisation governs', params: Ref, querystring: PageQuery, response: { 200: pageOf(Delegation), ...readErrors } },
  }, async (req) => {
    const res = await delegations.listDelegations(db.orm, req.params.id, req.query);
    return paged(req, res.page, res.pageSize, res.total, res.items.map(presentDelegation));
  });
  r.post('/api/organisations/:id/delegations', {
    schema: { tags, summary: 'Let a network this organisation is a member of write its area’s figures (admins of the organisation)', ...write, params: Ref, body: z.object({ networkId: z.string().uuid() }), response: { 201: Delegation, ...writeErrors } },
  }, async (req, reply) => reply.code(201).send(presentDelegation(await delegations.delegateAreaFigures(db, req.actor, req.params.id, req.body))));
  r.delete('/api/organisations/:id/delegations/:networkId', {
    schema: { tags, summary: 'Revoke a network’s right to write this organisation’s area figures', ...write, params: Ref.extend({ networkId: z.string().min(1).max(100) }), response: { 204: z.null(), ...writeErrors } },
  }, async (req, reply) => {
    await delegations.revokeAreaDelegation(db, req.actor, req.params.id, req.params.networkId);
    return reply.code(204).send(null);
  });

  // --- Commitments ---
  r.get('/api/commitments', { schema: { tags, summary: 'List commitments', querystring: PageQuery, response: { 200: pageOf(Commitment.extend({ signatories: z.number().int() })) } } }, async (req) => {
    const res = await reads.listCommitments(db.orm, req.query);
    return { ...res, items: res.items.map((c) => ({ ...presentCommitment(base, c), signatories: c.signatories })), links: pageLinks(req, res.page, res.pageSize, res.total) };
  });
  r.post('/api/commitments', { schema: { tags, summary: 'Add a commitment', ...write, body: CommitmentInput, response: { 201: Commitment, ...writeErrors } } }, async (req, reply) =>
    reply.code(201).send(presentCommitment(base, await svc.createCommitment(db, req.actor, req.body))));
  r.get('/api/commitments/:id', {
    schema: { tags, summary: 'A commitment and every signatory', params: Ref, response: { 200: Commitment.extend({ signatories: z.array(z.object({ signature: Signature, organisation: z.object({ id: z.string(), slug: z.string(), name: z.string(), kind: z.string() }), current: z.boolean() })) }), ...readErrors } },
  }, async (req) => {
    const p = await profiles.commitmentProfile(db.orm, req.params.id);
    return { ...presentCommitment(base, p.commitment), signatories: p.signatories.map((s) => ({ signature: s.signature, organisation: s.organisation, current: s.current })) };
  });
  r.put('/api/commitments/:id', { schema: { tags, summary: 'Replace a commitment’s details', ...write, params: Ref, body: CommitmentInput, response: { 200: Commitment, ...writeErrors } } }, async (req) =>
    presentCommitment(base, await svc.updateCommitment(db, req.actor, req.params.id, req.body)));
  r.post('/api/commitments/:id/end', { schema: { tags, summary: 'End a commitment', ...write, params: Ref, body: EndInput, response: { 200: Commitment, ...writeErrors } } }, async (req) =>
    presentCommitment(base, await svc.endCommitment(db, req.actor, req.params.id, req.body.endedOn)));
  r.post('/api/commitments/:id/signatures', { schema: { tags, summary: 'Record that an organisation signed the commitment', ...write, params: Ref, body: SignatureInput, response: { 201: Signature, ...writeErrors } } }, async (req, reply) =>
    reply.code(201).send(await svc.signCommitment(db, req.actor, req.params.id, req.body)));
  r.post('/api/signatures/:id/end', { schema: { tags, summary: 'Withdraw a signature', ...write, params: RefOnly, body: EndInput, response: { 200: Signature, ...writeErrors } } }, async (req) =>
    svc.endSignature(db, req.actor, req.params.id, req.body.endedOn));

  // --- Search and export ---
  r.get('/api/search/names', {
    schema: { tags, summary: 'Name search over organisations and people (accent- and case-insensitive)', querystring: z.object({ q: z.string().min(1).max(200), limit: z.coerce.number().int().min(1).max(100).default(20) }), response: { 200: z.object({ organisations: z.array(Organisation), people: z.array(Person) }) } },
  }, async (req) => {
    const res = await reads.searchNames(db.orm, req.query.q, req.query.limit);
    return { organisations: res.organisations.map((o) => presentOrg(base, o)), people: res.people.map((p) => presentPerson(base, p)) };
  });

  r.get('/api/export/popolo', {
    schema: {
      tags: ['Exports'],
      summary: 'The whole directory as Popolo JSON',
      description: 'Persons, organizations, memberships, posts and areas, with Popolo field names (https://www.popoloproject.com/specs/). Posts are the seats implied by memberships with a role (one per organisation and role).',
      response: { 200: PopoloDocument, 500: Problem },
    },
  }, async (_req, reply) => {
    reply.header('content-disposition', 'inline; filename="samverka-popolo.json"');
    return popoloExport(db.orm, base);
  });
}
