import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { ForbiddenError, UnauthenticatedError, ValidationError } from '../../platform/errors.js';
import { assertCanImport, assertCanManageReferenceData } from '../indicators/index.js';
import { FORMATS, parseBreakdown } from '../indicator-model/index.js';
import * as q from './queries.js';
import { PageQuery, pageLinks, pageOf, paged } from '../../web/api.js';
import { REFERENCE_KINDS, ReferenceOptions } from './reference.js';
import { getReferenceImport, startReferenceImport, type ReferenceImportView } from './jobs.js';
import { deleteMapping, renameMapping } from './uploads.js';
import { MappingInput, type AnyMapping } from './importers/index.js';
import { importFile } from './parse-pool.js';

const RowError = z.object({ line: z.number(), field: z.string(), message: z.string() });
const Report = z.object({
  ok: z.boolean(),
  dryRun: z.boolean(),
  errors: z.array(RowError),
  errorCount: z.number(),
  rowsTotal: z.number(),
  inserted: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  indicatorsChanged: z.number(),
  batchId: z.number().nullable(),
  indicators: z.array(z.string()),
  metadataSkipped: z.array(z.string()).optional(),
  notes: z.array(z.string()).optional(),
  forbidden: z.boolean().optional(),
});

export async function importRoutes(app: FastifyInstance, deps: AppDeps) {
  const { db } = deps;
  // Files travel inside the JSON body, base64 or as text: allow an upload's size plus base64's third.
  const importBodyLimit = Math.ceil((deps.config.uploadMaxBytes * 4) / 3) + 1024 * 1024;
  const r = app.withTypeProvider<ZodTypeProvider>();
  /** The file inside a JSON body, held to the upload limit in bytes after decoding (UTF-8 text can be 3 bytes a character). */
  const decodedFile = (content: string, encoding: 'utf8' | 'base64') => {
    const buf = Buffer.from(content, encoding === 'base64' ? 'base64' : 'utf8');
    if (buf.length > deps.config.uploadMaxBytes) {
      const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
      throw new ValidationError([{ field: 'content', message: `The file is ${mb(buf.length)}; the limit is ${mb(deps.config.uploadMaxBytes)}.` }], 'The file is too large.');
    }
    return buf;
  };

  r.post(
    '/api/imports',
    {
      bodyLimit: importBodyLimit,
      schema: {
        tags: ['imports'],
        summary: 'Import observations from a file. Validates every row first; all or nothing. With dryRun, only reports.',
        security: [{ apiToken: [] }, { session: [] }],
        body: z.object({
          format: z.enum(FORMATS),
          filename: z.string().min(1).max(200).default('upload'),
          content: z.string().min(1).max(50_000_000),
          encoding: z.enum(['utf8', 'base64']).default('utf8'),
          mapping: MappingInput.default({}),
          dryRun: z.boolean().default(false),
        }),
        response: { 200: Report, 422: z.unknown() },
      },
    },
    async (req, reply) => {
      const b = req.body;
      // The right to import comes before the file is decoded, so a refused request gets its 403
      // before any 422 about the file, even one that is too large; importFile checks it again and
      // then each row's area, and loads a large file while it parses. An unreadable file is a
      // FileFormatError, a 422 naming `content` through the one error mapping.
      assertCanImport(req.actor);
      const report = await importFile(db, req.actor, {
        format: b.format,
        filename: b.filename,
        buf: decodedFile(b.content, b.encoding),
        mapping: b.mapping as AnyMapping,
        options: { format: b.format, filename: b.filename, source: 'api', dryRun: b.dryRun },
      });
      if (!report.ok && report.forbidden) {
        const areas = [...new Set(report.errors.map((e) => e.message.match(/"([^"]+)"/)?.[1]).filter(Boolean))];
        throw new ForbiddenError(`You may not write figures for ${areas.join(', ')}: only editors of the organisation governing an area, of a network it has delegated its figures to, or a platform admin, may.`);
      }
      if (!report.ok) {
        throw new ValidationError(
          report.errors.map((e) => ({ field: e.line ? `row ${e.line}: ${e.field}` : e.field, message: e.message })),
          `${report.errorCount} rows are not valid; nothing was imported.`,
        );
      }
      return reply.send(report);
    },
  );

  r.get(
    '/api/imports/batches',
    {
      schema: {
        tags: ['imports'],
        summary: 'Import batches, newest first, paged',
        querystring: PageQuery,
        response: { 200: pageOf(z.object({ id: z.string(), createdAt: z.string(), by: z.string(), format: z.string(), filename: z.string(), inserted: z.number(), updated: z.number(), unchanged: z.number() })) },
      },
    },
    async (req) => {
      // Who imported what is for people who work with the data, not for anonymous readers.
      if (!req.actor.userId) throw new UnauthenticatedError();
      const { page, pageSize } = req.query;
      const [b, total] = await Promise.all([q.listBatches(db.orm, pageSize, (page - 1) * pageSize), q.countBatches(db.orm)]);
      return {
        items: b.map((x) => ({ id: x.id, createdAt: new Date(x.created_at).toISOString(), by: x.actor_label, format: x.format, filename: x.filename, inserted: x.rows_inserted, updated: x.rows_updated, unchanged: x.rows_unchanged })),
        page,
        pageSize,
        total,
        links: pageLinks(req, page, pageSize, total),
      };
    },
  );

  r.get(
    '/api/imports/batches/:id',
    {
      schema: {
        tags: ['imports'],
        summary: 'One import batch and the values it replaced (the diff against earlier batches)',
        params: z.object({ id: z.string().max(20) }),
        response: {
          200: z.object({
            id: z.string(),
            createdAt: z.string(),
            by: z.string(),
            format: z.string(),
            filename: z.string(),
            inserted: z.number(),
            updated: z.number(),
            unchanged: z.number(),
            changes: z.array(
              z.object({ indicator: z.string(), area: z.string(), period: z.string(), breakdown: z.record(z.string(), z.string()), before: z.number().nullable(), after: z.number().nullable(), fromBatch: z.string() }),
            ),
          }),
        },
      },
    },
    async (req) => {
      if (!req.actor.userId) throw new UnauthenticatedError();
      const b = await q.getBatch(db.orm, req.params.id);
      const ch = await q.batchChanges(db.orm, b.id, 5000);
      return {
        id: b.id,
        createdAt: new Date(b.created_at).toISOString(),
        by: b.actor_label,
        format: b.format,
        filename: b.filename,
        inserted: b.rows_inserted,
        updated: b.rows_updated,
        unchanged: b.rows_unchanged,
        changes: ch.map((c) => ({ indicator: c.indicator, area: c.area_key, period: c.period, breakdown: parseBreakdown(c.breakdown), before: c.old_value, after: c.new_value, fromBatch: c.old_batch })),
      };
    },
  );

  const Mapping = z.object({ id: z.string(), name: z.string(), format: z.string(), createdAt: z.string(), mapping: z.record(z.string(), z.unknown()) });
  const presentMapping = (m: q.SavedMapping) => ({ id: m.id, name: m.name, format: m.format, createdAt: new Date(m.created_at).toISOString(), mapping: m.mapping });
  r.get(
    '/api/imports/mappings',
    {
      schema: { tags: ['imports'], summary: 'Saved column and dimension mappings, by format and name (for people who import)', security: [{ apiToken: [] }, { session: [] }], querystring: PageQuery, response: { 200: pageOf(Mapping) } },
    },
    async (req) => {
      assertCanImport(req.actor);
      const res = await q.pageMappings(db.orm, req.query);
      return paged(req, res.page, res.pageSize, res.total, res.items.map(presentMapping));
    },
  );
  r.patch(
    '/api/imports/mappings/:id',
    {
      schema: {
        tags: ['imports'],
        summary: 'Rename a saved mapping (the one who saved it, or a platform administrator)',
        security: [{ apiToken: [] }, { session: [] }],
        params: z.object({ id: z.string().max(80) }),
        body: z.object({ name: z.string().max(1000) }),
        response: { 200: Mapping },
      },
    },
    async (req) => {
      assertCanImport(req.actor);
      await renameMapping(db, req.actor, req.params.id, req.body.name);
      return presentMapping(await q.getMapping(db.orm, req.params.id));
    },
  );
  r.delete(
    '/api/imports/mappings/:id',
    {
      schema: {
        tags: ['imports'],
        summary: 'Delete a saved mapping (the one who saved it, or a platform administrator)',
        security: [{ apiToken: [] }, { session: [] }],
        params: z.object({ id: z.string().max(80) }),
      },
    },
    async (req, reply) => {
      assertCanImport(req.actor);
      await deleteMapping(db, req.actor, req.params.id);
      return reply.code(204).send();
    },
  );

  const ReferenceImportView = z.object({
    id: z.string(),
    kind: z.enum(REFERENCE_KINDS),
    filename: z.string(),
    status: z.enum(['queued', 'running', 'done', 'failed']).describe('queued: waiting for a worker; running: being imported (see progress); done: see result; failed: see error'),
    progress: z.number().describe('0..100, as the worker last reported it'),
    result: z
      .object({
        kind: z.enum(REFERENCE_KINDS),
        read: z.number(),
        nodes: z.number().optional(),
        created: z.number(),
        changed: z.number(),
        unknown: z.array(z.string()),
        skipped: z.array(z.object({ line: z.number(), field: z.string(), message: z.string() })),
      })
      .nullable(),
    error: z.object({ message: z.string(), fields: z.array(z.object({ field: z.string(), message: z.string() })) }).nullable().describe('Why the file was not imported; nothing was changed'),
    createdAt: z.string(),
    url: z.string(),
  });
  const presentReferenceImport = (v: ReferenceImportView) => ({ ...v, url: `${deps.config.publicUrl}/api/reference-imports/${v.id}` });

  r.post(
    '/api/reference-imports',
    {
      bodyLimit: importBodyLimit,
      schema: {
        tags: ['imports'],
        summary:
          'Queue an import of reference data: a framework (KS taxonomy, U4SSC, UN SDG, Kolada KPIs), an area list, Kolada groups or GeoJSON boundaries. Platform administrators only. Answers 202 at once; the import runs as a background job (one transaction; repeating it changes nothing): follow `url` for its progress, result or the reason it failed.',
        security: [{ apiToken: [] }, { session: [] }],
        body: ReferenceOptions.extend({
          kind: z.enum(REFERENCE_KINDS),
          content: z.string().min(1).max(50_000_000),
          encoding: z.enum(['utf8', 'base64']).default('utf8'),
          regions: z.string().max(10_000_000).optional().describe('Norwegian area lists: the counties as GeoJSON text'),
          source: z.string().max(200).optional(),
        }),
        response: { 202: ReferenceImportView, 422: z.unknown() },
      },
    },
    async (req, reply) => {
      const b = req.body;
      // As for /api/imports: the right comes before the file is decoded, so a refused request gets
      // its 403 before a 422 about the file; startReferenceImport checks it again inside.
      assertCanManageReferenceData(req.actor);
      const id = await startReferenceImport(db, req.actor, {
        kind: b.kind,
        file: decodedFile(b.content, b.encoding),
        regions: b.regions ? Buffer.from(b.regions, 'utf8') : undefined,
        country: b.country,
        property: b.property,
        prefix: b.prefix,
        source: b.source ?? 'api',
      });
      return reply.code(202).send(presentReferenceImport(await getReferenceImport(db, req.actor, id)));
    },
  );

  r.get(
    '/api/reference-imports/:id',
    {
      schema: {
        tags: ['imports'],
        summary: 'A queued reference import: its state and progress, then its result or the reason it failed. Platform administrators only.',
        security: [{ apiToken: [] }, { session: [] }],
        params: z.object({ id: z.string().max(40) }),
        response: { 200: ReferenceImportView },
      },
    },
    async (req) => presentReferenceImport(await getReferenceImport(db, req.actor, req.params.id)),
  );
}
