/**
 * The actions' HTML routes: creating and editing an action, its page with the status updates and
 * follow-ups recorded there, and the import of a plan's actions from a file (with the exports
 * and the import's API route from transfer.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireUser } from '../../web/context.js';
import { emptyForm, type FormState } from '../../web/form-fields.js';
import { handleForm } from '../../web/forms.js';
import { asUploadedFile } from '../../web/multipart.js';
import { directory } from '../directory/index.js';
import { listMeetings, publicMeetingView } from '../meetings/index.js';
import { ActionPage, ImportErrorsPage } from './action-views.js';
import { actionValues, asValues, Form, hide, Id, managedOrganisations, Prefill, rawBody, type PageDeps } from './form-input.js';
import { ActionFormPage } from './forms.js';
import { pt } from './i18n.js';
import { assertCanManage } from './policy.js';
import * as q from './queries.js';
import type { PlanRow } from './schema.js';
import * as svc from './service.js';
import { formatOf, ImportRowsError, importActions, registerImportRoutes } from './transfer.js';

export function registerActionPages(app: FastifyInstance, deps: PageDeps) {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const targets = deps.indicatorTargets ? { targets: deps.indicatorTargets } : {};

  /** The action editor with its choices: every organisation and person. */
  const actionForm = async (req: FastifyRequest, plan: PlanRow, form: FormState, action: string, heading: string) => {
    const [orgs, people] = await Promise.all([directory.organisationOptions(db.orm), directory.personOptions(db.orm)]);
    return <ActionFormPage req={req} plan={plan} form={form} action={action} heading={heading} orgs={orgs} people={people} />;
  };

  r.get('/plans/:id/actions/new', { schema: { ...hide, params: Id, querystring: Prefill } }, async (req, res) => {
    requireUser(req);
    const plan = await svc.getPlan(db.orm, req.actor, req.params.id);
    await assertCanManage(db.orm, req.actor, plan.organisationId);
    const p = req.query;
    const values = {
      lang: p.lang ?? plan.lang, primaryOrgId: plan.organisationId, currency: '', title: p.title ?? '', description: p.description ?? '', sdgTargets: p.sdgTargets ?? '',
      indicators: p.indicator ? `${p.indicator} | increase` : '', collaboratorIds: p.collaboratorIds ?? '',
    };
    return res.html(await actionForm(req, plan, emptyForm(values), `/plans/${plan.id}/actions`, pt[req.locale].newAction));
  });
  r.post('/plans/:id/actions', { schema: { ...hide, params: Id, body: Form } }, async (req, res) => {
    const raw = rawBody(req);
    const out = await handleForm(req, () => svc.createAction(db, req.actor, req.params.id, raw));
    if (out.ok) return res.redirect(`/actions/${out.result.id}`, 303);
    const plan = await svc.getPlan(db.orm, req.actor, req.params.id);
    return res.html(await actionForm(req, plan, { ...out.form, values: asValues(raw) }, `/plans/${plan.id}/actions`, pt[req.locale].newAction), 422);
  });
  r.get('/actions/:id/edit', { schema: { ...hide, params: Id } }, async (req, res) => {
    requireUser(req);
    const { action, plan } = await svc.getAction(db.orm, req.actor, req.params.id);
    await assertCanManage(db.orm, req.actor, plan.organisationId);
    return res.html(await actionForm(req, plan, emptyForm(actionValues(action)), `/actions/${action.id}/edit`, pt[req.locale].editAction));
  });
  r.post('/actions/:id/edit', { schema: { ...hide, params: Id, body: Form } }, async (req, res) => {
    const raw = rawBody(req);
    const out = await handleForm(req, () => svc.updateAction(db, req.actor, req.params.id, raw));
    if (out.ok) return res.redirect(`/actions/${out.result.id}`, 303);
    const { plan } = await svc.getAction(db.orm, req.actor, req.params.id);
    return res.html(await actionForm(req, plan, { ...out.form, values: asValues(raw) }, `/actions/${req.params.id}/edit`, pt[req.locale].editAction), 422);
  });

  /** Agenda items of meetings whose organisers the reader manages: where a follow-up item can be recorded. */
  const followupItems = async (req: FastifyRequest) => {
    if (!req.user) return [];
    // The bodies the reader manages and those nested under them (a municipality's committees).
    const orgIds = (await managedOrganisations(db, req.actor)).map((o) => o.id);
    if (!orgIds.length) return [];
    for (let i = 0; i < orgIds.length && orgIds.length < 500; i++) {
      for (const c of (await directory.listOrganisations(db.orm, { parentId: orgIds[i]!, pageSize: 200 })).items) if (!orgIds.includes(c.id)) orgIds.push(c.id);
    }
    const out: { value: string; label: string }[] = [];
    for (const { meeting } of (await listMeetings(db.orm, { organisationIds: orgIds, when: 'all', pageSize: 30 })).items) {
      const v = await publicMeetingView(db.orm, meeting);
      for (const it of v.items) out.push({ value: it.id, label: `${meeting.title}: ${it.number ? `${it.number}. ` : ''}${it.title}` });
    }
    return out;
  };
  /** An action's page, with its two forms' state (a rejected form shows its errors). */
  const actionPage = async (req: FastifyRequest, id: string, updateForm: FormState, followupForm: FormState = emptyForm()) => {
    const d = await q.actionDetail(db.orm, req.actor, id, targets);
    const items = await followupItems(req);
    // Other modules' sections (the projects carrying this action out), through the slot.
    const extra = await Promise.all((deps.extensions?.actionSections ?? []).map((section) => section(req, { id: d.action.id, planId: d.plan.id, organisationId: d.plan.organisationId })));
    return <ActionPage req={req} d={d} items={items} extra={extra} updateForm={updateForm} followupForm={followupForm} />;
  };
  r.get('/actions/:id', { schema: { ...hide, params: Id } }, async (req, res) => res.html(await actionPage(req, req.params.id, emptyForm({ onDate: new Date().toISOString().slice(0, 10) }))));
  r.post('/actions/:id/followups', { schema: { ...hide, params: Id, body: Form } }, async (req, res) => {
    const raw = rawBody(req);
    const out = await handleForm(req, () => svc.createFollowup(db, req.actor, { ...raw, actionId: req.params.id }));
    if (out.ok) return res.redirect(`/actions/${req.params.id}`, 303);
    return res.html(await actionPage(req, req.params.id, emptyForm({ onDate: new Date().toISOString().slice(0, 10) }), out.form), 422);
  });
  r.post('/actions/:id/updates', { schema: { ...hide, params: Id, body: Form } }, async (req, res) => {
    const raw = rawBody(req);
    const out = await handleForm(req, () => svc.addStatusUpdate(db, req.actor, req.params.id, raw));
    if (out.ok) return res.redirect(`/actions/${req.params.id}`, 303);
    return res.html(await actionPage(req, req.params.id, out.form), 422);
  });
}

/**
 * Importing and exporting a plan's actions. registerImportRoutes registers the multipart parser
 * in the calling plugin's scope, so the import form's route sits beside it.
 */
export function registerActionImport(app: FastifyInstance, deps: PageDeps) {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  registerImportRoutes(app, db, deps.config.uploadMaxBytes);
  r.post('/plans/:id/actions/import', { schema: { ...hide, params: Id } }, async (req, reply) => {
    requireUser(req);
    const file = asUploadedFile((req.body as Record<string, unknown> | undefined)?.file);
    const format = file ? formatOf(file.fileName) : null;
    let rows: { row: number; column: string; message: string }[];
    if (!file || !format) rows = [{ row: 1, column: 'file', message: !file ? 'Choose a file.' : 'Use a .csv or .xlsx file.' }];
    // The multipart parser lets a file a little over the limit through so that it can be named here.
    else if (file.data.byteLength > deps.config.uploadMaxBytes) rows = [{ row: 1, column: 'file', message: 'The file is too large.' }];
    else {
      try {
        const res = await importActions(db, req.actor, req.params.id, Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength), format);
        return reply.redirect(`/plans/${req.params.id}?imported=${res.created + res.updated}`, 303);
      } catch (err) {
        if (!(err instanceof ImportRowsError)) throw err;
        rows = err.rows;
      }
    }
    const plan = await svc.getPlan(db.orm, req.actor, req.params.id);
    return reply.html(<ImportErrorsPage req={req} plan={plan} rows={rows} />, 422);
  });
}
