/** The plans' HTML routes: the list, creating and editing a plan, and a plan's page with its roll-up. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../../web/context.js';
import { emptyForm, type FormState } from '../../web/form-fields.js';
import { handleForm } from '../../web/forms.js';
import { PlanFilesSection } from './files-pages.js';
import { Form, hide, Id, managedOrganisations, planValues, rawBody, type PageDeps } from './form-input.js';
import { PlanFormPage } from './forms.js';
import { pt } from './i18n.js';
import { PlanList, PlanPage } from './plan-views.js';
import { assertCanManage } from './policy.js';
import * as q from './queries.js';
import * as svc from './service.js';

export function registerPlanPages(app: FastifyInstance, deps: PageDeps) {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const targets = deps.indicatorTargets ? { targets: deps.indicatorTargets } : {};

  r.get('/plans', { schema: hide }, async (req, reply) => {
    const list = await q.listPlans(db.orm, req.actor);
    const owners = q.orgCache(db.orm);
    const rows = await Promise.all(list.map(async (p) => ({ p, owner: await owners(p.organisationId) })));
    const canCreate = !!req.user && (req.actor.isPlatformAdmin || [...req.actor.orgRoles.values()].some((x) => x !== 'member'));
    return reply.html(<PlanList req={req} rows={rows} canCreate={canCreate} />);
  });

  /** The plan editor with its choices: the owners the actor may write for, the plans (but this one) it may sit below. */
  const planForm = async (req: FastifyRequest, form: FormState, action: string, heading: string, exceptId?: string) => {
    const orgs = await managedOrganisations(db, req.actor);
    const parents = (await q.listPlans(db.orm, req.actor)).filter((p) => p.id !== exceptId);
    return <PlanFormPage req={req} form={form} action={action} heading={heading} orgs={orgs} parents={parents} />;
  };

  r.get('/plans/new', { schema: hide }, async (req, res) => {
    requireUser(req);
    return res.html(await planForm(req, emptyForm({ lang: req.locale, state: 'draft' }), '/plans', pt[req.locale].newPlan));
  });
  r.post('/plans', { schema: { ...hide, body: Form } }, async (req, res) => {
    const raw = rawBody(req);
    const out = await handleForm(req, () => svc.createPlan(db, req.actor, raw));
    if (out.ok) return res.redirect(`/plans/${out.result.id}`, 303);
    return res.html(await planForm(req, out.form, '/plans', pt[req.locale].newPlan), 422);
  });

  r.get('/plans/:id/edit', { schema: { ...hide, params: Id } }, async (req, res) => {
    requireUser(req);
    const p = await svc.getPlan(db.orm, req.actor, req.params.id);
    await assertCanManage(db.orm, req.actor, p.organisationId);
    return res.html(await planForm(req, emptyForm(planValues(p)), `/plans/${p.id}/edit`, pt[req.locale].editPlan, p.id));
  });
  r.post('/plans/:id/edit', { schema: { ...hide, params: Id, body: Form } }, async (req, res) => {
    const raw = rawBody(req);
    const out = await handleForm(req, () => svc.updatePlan(db, req.actor, req.params.id, raw));
    if (out.ok) return res.redirect(`/plans/${out.result.id}`, 303);
    return res.html(await planForm(req, out.form, `/plans/${req.params.id}/edit`, pt[req.locale].editPlan, req.params.id), 422);
  });

  // A plan's page, with the roll-up when other plans sit below it.
  r.get('/plans/:id', { schema: { ...hide, params: Id, querystring: z.object({ imported: z.coerce.number().int().optional() }) } }, async (req, res) => {
    const d = await q.planDetail(db.orm, req.actor, req.params.id, targets);
    const ru = d.children.length ? await q.rollup(db.orm, req.actor, d.plan.id, targets) : null;
    const files = await PlanFilesSection({ req, db, plan: d.plan, canEdit: d.canEdit });
    return res.html(<PlanPage req={req} d={d} ru={ru} files={files} imported={req.query.imported} />);
  });
}
