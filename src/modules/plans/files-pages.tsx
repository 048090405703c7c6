/**
 * Uploaded plan documents: the section on the plan's page, the form and API writes, and the
 * download. Multipart bodies are parsed by src/web/multipart.ts, scoped to this plugin (the action
 * import in action-pages.tsx keeps its own parser in the scope of pages.tsx's plugin).
 */
import { requireUser } from '../../web/context.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { ValidationError } from '../../platform/errors.js';
import type { FileStorage } from '../../platform/storage/index.js';
import { iso, PageQuery, pageOf, paged, readErrors, write, writeErrors } from '../../web/api.js';
import { Button } from '../../web/components.js';
import { Csrf, ErrorSummary, FileField, TextField, emptyForm, type FormState } from '../../web/form-fields.js';
import { formatNumber } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { asUploadedFile, registerMultipart, textFields } from '../../web/multipart.js';
import { addPlanFile, listPlanFiles, pagePlanFiles, planFileForDownload, removePlanFile } from './files.js';
import { pt } from './i18n.js';
import type { PlanFileRow, PlanRow } from './schema.js';
import { getPlan } from './service.js';

const Id = z.object({ id: z.string().min(1).max(100) });
const FileParams = z.object({ id: z.string().min(1).max(100), fileId: z.string().min(1).max(100) });
const PlanFile = z.object({ id: z.string().uuid(), planId: z.string().uuid(), title: z.string(), fileName: z.string(), mimeType: z.string(), sizeBytes: z.number(), createdAt: z.string(), url: z.string() });

const href = (f: PlanFileRow) => `/plans/${f.planId}/files/${f.id}`;
const present = (base: string, f: PlanFileRow) => ({ id: f.id, planId: f.planId, title: f.title, fileName: f.fileName, mimeType: f.mimeType, sizeBytes: f.sizeBytes, createdAt: iso(f.createdAt)!, url: `${base}${href(f)}` });
const kb = (l: FastifyRequest['locale'], n: number) => `${formatNumber(l, Math.max(1, Math.round(n / 1024)))} kB`;

function UploadForm({ req, plan, form }: { req: FastifyRequest; plan: PlanRow; form: FormState }) {
  const t = pt[req.locale];
  return (
    <form method="post" action={`/plans/${plan.id}/files`} enctype="multipart/form-data" class="form" novalidate>
      <Csrf req={req} />
      <h3 class="ds-heading" data-size="xs">
        {t.uploadDocument}
      </h3>
      <ErrorSummary req={req} form={form} labels={{ title: t.title, file: t.documentFile }} />
      <TextField name="title" label={t.title} form={form} required />
      <FileField name="file" label={t.documentFile} form={form} required description={t.uploadHelp} />
      <Button variant="secondary">{t.uploadDocument}</Button>
    </form>
  );
}

/** The plan page's section of uploaded documents (with the upload and delete forms for its editors). */
export async function PlanFilesSection({ req, db, plan, canEdit, form = emptyForm() }: { req: FastifyRequest; db: AppDeps['db']; plan: PlanRow; canEdit: boolean; form?: FormState }) {
  const l = req.locale;
  const t = pt[l];
  const files = await listPlanFiles(db.orm, req.actor, plan.id);
  if (!files.length && !canEdit) return null;
  return (
    <section class="section" id="files" aria-labelledby="files-h">
      <h2 class="ds-heading" data-size="sm" id="files-h">
        {t.uploadedFiles}
      </h2>
      {files.length === 0 ? (
        <p class="ds-paragraph">{t.noFiles}</p>
      ) : (
        <ul class="file-list">
          {files.map((f) => (
            <li>
              <a class="ds-link" href={href(f)}>
                {f.title}
              </a>{' '}
              <span class="muted">
                ({f.fileName}, {kb(l, f.sizeBytes)})
              </span>
              {canEdit && (
                <form method="post" action={`${href(f)}/delete`} class="inline-form">
                  <Csrf req={req} />
                  <Button variant="tertiary">
                    {t.deleteFile}
                    <span class="visually-hidden">: {f.title}</span>
                  </Button>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && <UploadForm req={req} plan={plan} form={form} />}
    </section>
  );
}

export async function planFileRoutes(app: FastifyInstance, deps: AppDeps & { storage: FileStorage }) {
  const { db, storage, config } = deps;
  const base = config.publicUrl;
  registerMultipart(app, config.uploadMaxBytes);
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/plans/:id/files', { schema: { hide: true, params: Id } }, async (req, reply) => {
    requireUser(req);
    const fields = textFields(req.body);
    try {
      await addPlanFile(db, storage, req.actor, req.params.id, fields, asUploadedFile((req.body as Record<string, unknown> | undefined)?.file), config.uploadMaxBytes);
      return reply.redirect(`/plans/${req.params.id}#files`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const errors: Record<string, string> = {};
      for (const f of err.fields) errors[f.field.split('.')[0] || '_'] ??= f.message;
      const plan = await getPlan(db.orm, req.actor, req.params.id);
      const t = pt[req.locale];
      return reply.html(
        <Layout req={req} title={`${t.uploadDocument}: ${plan.title}`} crumbs={[{ href: '/plans', label: t.plans }, { href: `/plans/${plan.id}`, label: plan.title }]}>
          <h1 class="ds-heading" data-size="lg">
            {t.uploadDocument}: {plan.title}
          </h1>
          <UploadForm req={req} plan={plan} form={{ values: { title: fields.title ?? '' }, errors }} />
        </Layout>,
        422,
      );
    }
  });
  r.post('/plans/:id/files/:fileId/delete', { schema: { hide: true, params: FileParams } }, async (req, reply) => {
    requireUser(req);
    await removePlanFile(db, storage, req.actor, req.params.id, req.params.fileId);
    return reply.redirect(`/plans/${req.params.id}#files`, 303);
  });
  r.get('/plans/:id/files/:fileId', { schema: { hide: true, params: FileParams } }, async (req, reply) => {
    const f = await planFileForDownload(db.orm, req.actor, req.params.id, req.params.fileId);
    const ascii = f.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
    return reply
      .type(f.mimeType)
      .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(f.fileName)}`)
      // Never shared: a draft plan's file must not sit in any cache between reader and server.
      .header('cache-control', 'private, no-store')
      .send(await storage.stream(f.storageKey));
  });

  const tags = ['Plans'];
  r.get('/api/plans/:id/files', { schema: { tags, summary: 'A plan’s uploaded documents, oldest first (a draft plan’s only for those who may see it)', params: Id, querystring: PageQuery, response: { 200: pageOf(PlanFile), ...readErrors } } }, async (req) => {
    const res = await pagePlanFiles(db.orm, req.actor, req.params.id, req.query);
    return paged(req, res.page, res.pageSize, res.total, res.items.map((f) => present(base, f)));
  });
  r.post('/api/plans/:id/files', {
    schema: { tags, summary: 'Upload a document to a plan (multipart/form-data: file, title); the content is checked against its name', ...write, params: Id, consumes: ['multipart/form-data'], response: { 201: PlanFile, ...writeErrors } },
  }, async (req, reply) => {
    const f = await addPlanFile(db, storage, req.actor, req.params.id, textFields(req.body), asUploadedFile((req.body as Record<string, unknown> | undefined)?.file), config.uploadMaxBytes);
    return reply.code(201).send(present(base, f));
  });
  r.delete('/api/plans/:id/files/:fileId', { schema: { tags, summary: 'Remove an uploaded document from a plan', ...write, params: FileParams, response: { 204: z.null(), ...writeErrors } } }, async (req, reply) => {
    await removePlanFile(db, storage, req.actor, req.params.id, req.params.fileId);
    return reply.code(204).send(null);
  });
}
