import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { UnauthenticatedError } from '../../platform/errors.js';
import { iso, PageQuery, pageOf, paged, Problem, write, writeErrors } from '../../web/api.js';
import { ORG_ROLES } from './schema.js';
import * as svc from './service.js';

const Token = z.object({ id: z.string().uuid(), name: z.string(), prefix: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable(), revokedAt: z.string().nullable() });
const OrgRole = z.object({ userId: z.string().uuid(), email: z.string(), displayName: z.string(), role: z.enum(ORG_ROLES), grantedAt: z.string() });

export async function accountRoutes(app: FastifyInstance, { db, config }: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['Accounts'];
  const me = (req: { user: unknown; actor: { userId: string | null } }) => {
    if (!req.user || !req.actor.userId) throw new UnauthenticatedError();
  };

  r.get('/api/me', {
    schema: {
      tags, summary: 'The signed-in user, their organisation roles, and the CSRF token for session-authenticated writes',
      response: { 200: z.object({ id: z.string(), email: z.string(), displayName: z.string(), isPlatformAdmin: z.boolean(), roles: z.array(z.object({ organisationId: z.string(), role: z.enum(ORG_ROLES) })), csrfToken: z.string() }), 401: Problem },
    },
  }, async (req) => {
    me(req);
    const u = req.user!;
    return { ...u, roles: [...req.actor.orgRoles].map(([organisationId, role]) => ({ organisationId, role })), csrfToken: req.csrfToken };
  });

  r.get('/api/tokens', { schema: { tags, summary: 'Your API tokens, oldest first (never the secret part)', querystring: PageQuery, response: { 200: pageOf(Token), 401: Problem } } }, async (req) => {
    me(req);
    const res = await svc.pageApiTokens(db.orm, req.actor, req.query);
    return paged(req, res.page, res.pageSize, res.total, res.items.map((t) => ({ ...t, createdAt: iso(t.createdAt)!, lastUsedAt: iso(t.lastUsedAt), revokedAt: iso(t.revokedAt) })));
  });

  r.post('/api/tokens', {
    schema: { tags, summary: 'Create an API token; the response is the only time the token is shown', ...write, body: z.object({ name: z.string().min(1).max(100) }), response: { 201: z.object({ id: z.string(), name: z.string(), prefix: z.string(), token: z.string() }), ...writeErrors } },
  }, async (req, reply) => {
    const t = await svc.createApiToken(db, req.actor, req.body);
    return reply.code(201).send({ id: t.id, name: t.name, prefix: t.prefix, token: t.token });
  });

  r.post('/api/tokens/:id/revoke', { schema: { tags, summary: 'Revoke an API token', ...write, params: z.object({ id: z.string().max(100) }), response: { 204: z.null(), ...writeErrors } } }, async (req, reply) => {
    await svc.revokeApiToken(db, req.actor, req.params.id);
    return reply.code(204).send(null);
  });

  r.get('/api/organisations/:id/roles', {
    schema: { tags, summary: 'Who has which role in an organisation, by name (admins of it only)', params: z.object({ id: z.string().min(1).max(200) }), querystring: PageQuery, response: { 200: pageOf(OrgRole), 401: Problem, 403: Problem, 404: Problem } },
  }, async (req) => {
    me(req);
    const res = await svc.pageOrgRoles(db.orm, req.actor, req.params.id, req.query);
    return paged(req, res.page, res.pageSize, res.total, res.items.map((x) => ({ ...x, grantedAt: iso(x.grantedAt)! })));
  });

  r.put('/api/organisations/:id/roles', {
    schema: { tags, summary: 'Give an existing user a role in an organisation', ...write, params: z.object({ id: z.string().min(1).max(200) }), body: svc.RoleGrantInput, response: { 200: z.object({ userId: z.string(), organisationId: z.string(), role: z.enum(ORG_ROLES) }), ...writeErrors } },
  }, async (req) => svc.grantOrgRole(db, req.actor, req.params.id, req.body));

  r.delete('/api/organisations/:id/roles/:userId', {
    schema: { tags, summary: 'Remove a user’s role in an organisation', ...write, params: z.object({ id: z.string().min(1).max(200), userId: z.string().max(100) }), response: { 204: z.null(), ...writeErrors } },
  }, async (req, reply) => {
    await svc.revokeOrgRole(db, req.actor, req.params.id, req.params.userId);
    return reply.code(204).send(null);
  });

  r.post('/api/invitations', {
    schema: { tags, summary: 'Invite someone by email, optionally with a role in an organisation', ...write, body: svc.InvitationInput, response: { 201: z.object({ id: z.string(), email: z.string(), expiresAt: z.string(), link: z.string() }), ...writeErrors } },
  }, async (req, reply) => {
    const inv = await svc.createInvitation(db, config, req.actor, req.body);
    return reply.code(201).send({ ...inv, expiresAt: iso(inv.expiresAt)! });
  });

  r.get('/api/users', {
    schema: { tags, summary: 'All user accounts (platform admins only)', querystring: PageQuery, response: { 200: pageOf(z.object({ id: z.string(), email: z.string(), displayName: z.string(), isPlatformAdmin: z.boolean(), disabled: z.boolean(), createdAt: z.string() })), 401: Problem, 403: Problem } },
  }, async (req) => {
    me(req);
    const { page, pageSize } = req.query;
    const res = await svc.listUsersPage(db.orm, req.actor, { page, pageSize });
    return paged(req, page, pageSize, res.total, res.items.map((u) => ({ ...u, createdAt: iso(u.createdAt)! })));
  });
}
