/**
 * The project pages: the list with filters, creating and editing a project, a project's page,
 * deleting it, and its documents. What they show is in list-views.tsx and project-view.tsx, the
 * form in forms.tsx; the network overview's routes in network-pages.tsx, the calendar and exports
 * in feeds.ts, and what projects add to other modules' pages in sections.tsx.
 */
import { requireUser } from '../../web/context.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { ConflictError, ValidationError } from '../../platform/errors.js';
import type { FileStorage } from '../../platform/storage/index.js';
import { emptyForm, type FormState } from '../../web/form-fields.js';
import { formValues } from '../../web/forms.js';
import type { Actor } from '../../platform/audit.js';
import { directory } from '../directory/index.js';
import { plans } from '../plans/index.js';
import { challenges } from '../challenges/index.js';
import { formErrors, formValuesOf, ProjectFormPage, readProjectForm, type FormMode } from './forms.js';
import { pt } from './i18n.js';
import { ListFilter } from './inputs.js';
import { ProjectListPage } from './list-views.js';
import * as policy from './policy.js';
import { toInput } from './present.js';
import { ProjectPage } from './project-view.js';
import { listProjects, OrgNames, projectView, type ProjectView } from './queries.js';
import * as svc from './service.js';
import { asUploadedFile } from '../../web/multipart.js';

const Slug = z.object({ slug: z.string().min(1).max(200) });
const DocParams = Slug.extend({ id: z.string().min(1).max(100) });

/** The form's choices; plan actions and challenges only those this actor may see (no draft of another organisation). */
async function options(db: AppDeps['db'], actor: Actor) {
  const [orgs, people, acts, chs] = await Promise.all([directory.organisationOptions(db.orm), directory.personOptions(db.orm), plans.visibleActions(db.orm, actor), challenges.listChallenges(db.orm, actor)]);
  return {
    orgs: orgs.map((o) => ({ value: o.id, label: o.name })),
    people: people.map((p) => ({ value: p.id, label: p.title ? `${p.name} (${p.title})` : p.name })),
    actions: acts.map((a) => ({ value: a.action.id, label: `${a.plan.title}: ${a.action.identifier} ${a.action.title}` })),
    challenges: chs.map((c) => ({ value: c.challenge.id, label: c.owner ? `${c.challenge.title} (${c.owner.name})` : c.challenge.title })),
  };
}

export async function projectPages(app: FastifyInstance, { db, config, storage }: AppDeps & { storage: FileStorage }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const hide = { hide: true } as const;

  // --- List ------------------------------------------------------------------
  r.get('/projects', { schema: { ...hide, querystring: ListFilter } }, async (req, reply) => {
    const f = req.query;
    const names = new OrgNames(db.orm);
    const items = await listProjects(db.orm, req.actor, f, names);
    const opts = (await directory.organisationOptions(db.orm)).map((o) => ({ value: o.slug, label: o.name }));
    return reply.html(<ProjectListPage req={req} f={f} items={items} opts={opts} />);
  });

  // --- Create ----------------------------------------------------------------
  const renderForm = async (req: FastifyRequest, reply: FastifyReply, form: FormState, mode: FormMode, status = 200) => {
    const o = await options(db, req.actor);
    return reply.html(<ProjectFormPage req={req} form={form} mode={mode} options={o} />, status);
  };

  r.get('/projects/new', { schema: { ...hide, querystring: z.object({ owner: z.string().max(200).optional() }) } }, async (req, reply) => {
    requireUser(req);
    const t = pt[req.locale];
    let ownerOrgId = '';
    if (req.query.owner) ownerOrgId = (await svc.orgByRef(db.orm, req.query.owner).catch(() => null))?.id ?? '';
    return renderForm(req, reply, emptyForm({ lang: req.locale, state: 'planned', visibility: 'public', ownerOrgId }), { action: '/projects', title: t.newProject, submit: t.create, crumbs: [{ href: '/projects', label: t.projects }] });
  });

  r.post('/projects', { schema: hide }, async (req, reply) => {
    const t = pt[req.locale];
    const values = formValues(req.body);
    try {
      const p = await svc.createProject(db, req.actor, readProjectForm(values));
      return reply.redirect(`/projects/${p.slug}?created=1`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return renderForm(req, reply, { values, errors: formErrors(req, err, values) }, { action: '/projects', title: t.newProject, submit: t.create, crumbs: [{ href: '/projects', label: t.projects }] }, 422);
    }
  });

  // Started from an accepted challenge response (the button on the challenge page, see challengeProjectsSection).
  r.post('/projects/from-response', { schema: hide }, async (req, reply) => {
    const values = formValues(req.body);
    const p = await svc.startProjectFromResponse(db, req.actor, { challengeId: values.challengeId, responseId: values.responseId });
    return reply.redirect(`/projects/${p.slug}/edit?started=1`, 303);
  });

  // Calendar and exports are in feeds.ts; their fixed paths win over /projects/:slug in Fastify's router.

  // --- A project -------------------------------------------------------------
  const renderProject = async (req: FastifyRequest, reply: FastifyReply, v: ProjectView, docForm?: FormState, status = 200) => reply.html(<ProjectPage req={req} v={v} docForm={docForm} />, status);

  r.get('/projects/:slug', { schema: { ...hide, params: Slug } }, async (req, reply) => renderProject(req, reply, await projectView(db.orm, req.actor, req.params.slug)));

  r.get('/projects/:slug/edit', { schema: { ...hide, params: Slug, querystring: z.object({ started: z.string().max(5).optional() }) } }, async (req, reply) => {
    requireUser(req);
    const v = await projectView(db.orm, req.actor, req.params.slug);
    await policy.assertCanManage(db.orm, req.actor, await svc.accessOf(db.orm, v.project));
    const t = pt[req.locale];
    return renderForm(req, reply, emptyForm(formValuesOf(toInput(v))), { action: `/projects/${v.project.slug}/edit`, title: t.editProject, submit: t.save, crumbs: [{ href: '/projects', label: t.projects }, { href: `/projects/${v.project.slug}`, label: v.project.name }], ...(req.query.started ? { notice: t.started } : {}) });
  });

  r.post('/projects/:slug/edit', { schema: { ...hide, params: Slug } }, async (req, reply) => {
    const values = formValues(req.body);
    try {
      const p = await svc.updateProject(db, req.actor, req.params.slug, readProjectForm(values));
      return reply.redirect(`/projects/${p.slug}?saved=1`, 303);
    } catch (err) {
      const t = pt[req.locale];
      // An address another project has is the one conflict a form can cause: shown at its field, with
      // the user's input kept, like any other rejected value (not an error page that loses the form).
      const slugTaken = err instanceof ConflictError && err.field === 'slug';
      if (!(err instanceof ValidationError) && !slugTaken) throw err;
      const errors = slugTaken ? { slug: (err as ConflictError).code === 'slug_reserved' ? t.slugReserved : t.slugTaken } : formErrors(req, err as ValidationError, values);
      return renderForm(req, reply, { values, errors }, { action: `/projects/${req.params.slug}/edit`, title: t.editProject, submit: t.save, crumbs: [{ href: '/projects', label: t.projects }] }, 422);
    }
  });

  r.post('/projects/:slug/delete', { schema: { ...hide, params: Slug } }, async (req, reply) => {
    await svc.deleteProject(db, storage, req.actor, req.params.slug);
    return reply.redirect('/projects', 303);
  });

  r.post('/projects/:slug/documents', { schema: { ...hide, params: Slug } }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      await svc.addDocument(db, storage, req.actor, req.params.slug, { title: body.title }, asUploadedFile(body.file), config.uploadMaxBytes);
      return reply.redirect(`/projects/${req.params.slug}#p-docs`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const errors: Record<string, string> = {};
      for (const f of err.fields) errors[f.field] ??= f.message;
      return renderProject(req, reply, await projectView(db.orm, req.actor, req.params.slug), { values: { title: typeof body.title === 'string' ? body.title : '' }, errors }, 422);
    }
  });

  r.post('/projects/:slug/documents/:id/delete', { schema: { ...hide, params: DocParams } }, async (req, reply) => {
    await svc.removeDocument(db, storage, req.actor, req.params.slug, req.params.id);
    return reply.redirect(`/projects/${req.params.slug}#p-docs`, 303);
  });

  r.get('/projects/:slug/documents/:id', { schema: { ...hide, params: DocParams } }, async (req, reply) => {
    const d = await svc.documentForDownload(db.orm, req.actor, req.params.slug, req.params.id);
    const ascii = d.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
    return reply
      .type(d.mimeType)
      .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(d.fileName)}`)
      .header('cache-control', 'private, no-store')
      .send(await storage.stream(d.storageKey));
  });
}
