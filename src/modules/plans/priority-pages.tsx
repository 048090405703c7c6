/** The priorities' HTML routes: an organisation's priorities (and its members' side by side), a new priority, editing one. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireUser } from '../../web/context.js';
import { emptyForm, type FormState } from '../../web/form-fields.js';
import { handleForm } from '../../web/forms.js';
import { directory } from '../directory/index.js';
import { indicatorsByCodes } from '../indicators/index.js';
import { ChooserQuery, loadChooser } from './chooser.js';
import { asValues, Form, hide, Id, priorityValues, rawBody, Slug, type PageDeps } from './form-input.js';
import { PriorityEditPage } from './forms.js';
import { assertCanManage, canManage } from './policy.js';
import { PrioritiesPage } from './priority-views.js';
import * as q from './queries.js';
import type { PriorityRow } from './schema.js';
import * as svc from './service.js';

export function registerPriorityPages(app: FastifyInstance, deps: PageDeps) {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const org = (id: string) => q.orgCache(db.orm)(id);
  /** The indicators ticked: those in the form, and those the chooser's filter request carries. */
  const chooserFor = (req: FastifyRequest, form: FormState) => {
    const qs = ChooserQuery.parse(req.method === 'GET' ? req.query : {});
    return loadChooser(db.orm, req, qs, [...new Set([...(form.values.indicatorCodes ?? '').split(',').filter(Boolean), ...qs.indicatorCodes])]);
  };

  // --- Priorities of an organisation, and its members' side by side ---
  const prioritiesPage = async (req: FastifyRequest, slug: string, form: FormState) => {
    const o = await directory.getOrganisation(db.orm, slug);
    const own = await q.listPriorities(db.orm, req.actor, { organisationIds: [o.id] });
    const cohort = await q.cohortPriorities(db.orm, req.actor, o.id);
    const editable = await canManage(db.orm, req.actor, o.id);
    // Chosen indicators may come from any framework, with data or without.
    const names = new Map((await indicatorsByCodes(db.orm, [...new Set([...own, ...cohort.priorities].flatMap((p) => p.indicatorCodes))])).map((i) => [i.code, i.name]));
    const orgName = async (id: string) => (await org(id))?.name ?? id;
    const actorNames = new Map<string, string>();
    for (const p of [...own, ...cohort.priorities]) for (const a of p.actors) actorNames.set(a.organisationId, await orgName(a.organisationId));
    const chooser = editable ? await chooserFor(req, form) : null;
    for (const i of chooser?.list ?? []) names.set(i.code, i.name);
    return <PrioritiesPage req={req} data={{ org: o, own, cohort, editable, names, actorNames, chooser }} form={form} />;
  };
  r.get('/organisations/:slug/priorities', { schema: { ...hide, params: Slug, querystring: ChooserQuery } }, async (req, reply) => {
    return reply.html(await prioritiesPage(req, req.params.slug, emptyForm({ lang: req.locale, state: 'published' })));
  });
  r.post('/organisations/:slug/priorities', { schema: { ...hide, params: Slug, body: Form } }, async (req, reply) => {
    const raw = rawBody(req);
    const o = await directory.getOrganisation(db.orm, req.params.slug);
    const out = await handleForm(req, () => svc.createPriority(db, req.actor, { ...raw, organisationId: o.id }));
    if (out.ok) return reply.redirect(`/organisations/${o.slug}/priorities#p-${out.result.id}`, 303);
    return reply.html(await prioritiesPage(req, req.params.slug, { ...out.form, values: asValues(raw) }), 422);
  });

  // A priority has no page of its own: its address (the API's `web` link) leads to its place on its organisation's page.
  r.get('/priorities/:id', { schema: { ...hide, params: Id } }, async (req, reply) => {
    const p = await svc.getPriority(db.orm, req.actor, req.params.id);
    const o = await directory.getOrganisation(db.orm, p.organisationId);
    return reply.redirect(`/organisations/${o.slug}/priorities#p-${p.id}`, 302);
  });

  // --- Editing a priority ---
  const priorityEdit = async (req: FastifyRequest, p: PriorityRow, form: FormState) => {
    const o = await directory.getOrganisation(db.orm, p.organisationId);
    const chooser = await chooserFor(req, form);
    return <PriorityEditPage req={req} priorityId={p.id} org={o} form={form} chooser={chooser} />;
  };
  r.get('/priorities/:id/edit', { schema: { ...hide, params: Id, querystring: ChooserQuery } }, async (req, reply) => {
    requireUser(req);
    const p = await svc.getPriority(db.orm, req.actor, req.params.id);
    await assertCanManage(db.orm, req.actor, p.organisationId);
    const actors = await svc.listPriorityActors(db.orm, [p.id]);
    const slugs = new Map<string, string>();
    for (const a of actors) slugs.set(a.organisationId, (await org(a.organisationId))?.slug ?? a.organisationId);
    return reply.html(await priorityEdit(req, p, emptyForm(priorityValues({ ...p, actors }, slugs))));
  });
  r.post('/priorities/:id/edit', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) => {
    const raw = rawBody(req);
    const out = await handleForm(req, () => svc.updatePriority(db, req.actor, req.params.id, raw));
    if (out.ok) {
      const o = await directory.getOrganisation(db.orm, out.result.organisationId);
      return reply.redirect(`/organisations/${o.slug}/priorities#p-${out.result.id}`, 303);
    }
    const p = await svc.getPriority(db.orm, req.actor, req.params.id);
    return reply.html(await priorityEdit(req, p, { ...out.form, values: asValues(raw) }), 422);
  });
}
