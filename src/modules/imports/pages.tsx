/**
 * The import pages: upload a file, map its columns, check it, commit it; the batches imports made.
 * Each route calls one use case (upload-flow.ts) and renders a view (views.tsx).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { ConflictError, ValidationError } from '../../platform/errors.js';
import { assertCanImport } from '../indicators/index.js';
import { t } from './i18n.js';
import { FORMATS, type ImportFormat } from '../indicator-model/index.js';
import { referenceImportPages } from './reference-pages.js';
import { mappingPages } from './mapping-pages.js';
import { bufferOf } from './uploads.js';
import { batchDetails, checkUpload, commitUpload, importsOverview, receiveUpload, uploadView } from './upload-flow.js';
import { FileFormatError } from './importers/index.js';
import { asUploadedFile, registerMultipart, textFields } from '../../web/multipart.js';
import { formValues } from '../../web/forms.js';
import { BatchView, ImportsView, UploadView } from './views.js';
import { mappingFromForm } from './mapping-form.js';

export async function importPages(app: FastifyInstance, deps: AppDeps) {
  const { db, config } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/imports', { schema: { hide: true } }, async (req, reply) => reply.html(<ImportsView req={req} overview={await importsOverview(db, req.actor)} />));

  // Uploads arrive as multipart (a file input); the shared parser is scoped to this plugin.
  registerMultipart(app, config.uploadMaxBytes);

  referenceImportPages(app, db);
  mappingPages(app, db);

  app.post('/imports', { schema: { hide: true } }, async (req, reply) => {
    assertCanImport(req.actor);
    const l = req.locale;
    const rejected = async (error: string) => reply.html(<ImportsView req={req} overview={await importsOverview(db, req.actor)} error={error} />, 422);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const fields = textFields(body);
    const format = (fields.format ?? 'long') as ImportFormat;
    if (!(FORMATS as readonly string[]).includes(format)) throw new ValidationError([{ field: 'format', message: 'unknown format' }]);
    const file = asUploadedFile(body.file);
    const text = (fields.text ?? '').trim();
    const content = file && file.data.length ? bufferOf(file) : text ? Buffer.from(text, 'utf8') : null;
    if (!content) return rejected(t[l].fileRequired);
    const filename = file?.fileName || (format === 'jsonstat' || format === 'kolada' ? 'pasted.json' : 'pasted.csv');
    const meta = asUploadedFile(body.meta);
    let id: string;
    try {
      id = await receiveUpload(db, req.actor, { format, filename, content, meta: meta ? bufferOf(meta) : null });
    } catch (err) {
      if (err instanceof FileFormatError) return rejected(err.message);
      throw err;
    }
    return reply.redirect(`/imports/uploads/${id}`, 303);
  });

  r.get('/imports/uploads/:id', { schema: { hide: true, params: z.object({ id: z.string().max(80) }) } }, async (req, reply) =>
    reply.html(<UploadView req={req} data={await uploadView(db, req.actor, req.params.id)} />),
  );

  r.post(
    '/imports/uploads/:id',
    { schema: { hide: true, params: z.object({ id: z.string().max(80) }), body: z.record(z.string(), z.union([z.string(), z.array(z.string())])) } },
    async (req, reply) => {
      // One value for each field, whatever a tampered form repeats (an array here was a 500).
      const one = formValues(req.body);
      let id: string;
      try {
        id =
          one.action === 'commit'
            ? await commitUpload(db, req.actor, req.params.id)
            : await checkUpload(db, req.actor, req.params.id, { mapping: mappingFromForm(one), savedMappingId: one.useSaved || undefined, saveAs: one.saveAs });
      } catch (err) {
        // A name another importer's mapping has: the form again as it was sent (nothing was
        // written), with the reason beside the name, rather than an error page.
        if (!(err instanceof ConflictError && err.field === 'saveAs')) throw err;
        const data = await uploadView(db, req.actor, req.params.id);
        // The form's choices only (a field the user emptied stays empty), and the file's own metadata.
        const meta = typeof data.upload.mapping.meta === 'string' ? { meta: data.upload.mapping.meta } : {};
        const upload = { ...data.upload, mapping: { ...mappingFromForm(one), ...meta } };
        return reply.html(<UploadView req={req} data={{ ...data, upload }} form={{ values: { saveAs: one.saveAs ?? '' }, errors: { saveAs: err.message } }} />, 409);
      }
      return reply.redirect(`/imports/uploads/${id}`, 303);
    },
  );

  r.get('/imports/batches/:id', { schema: { hide: true, params: z.object({ id: z.string().max(20) }) } }, async (req, reply) => {
    const { batch, changes } = await batchDetails(db, req.params.id);
    return reply.html(<BatchView req={req} batch={batch} changes={changes} />);
  });
}
