import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import type { FileStorage } from '../../platform/storage/index.js';
import { iso, PageQuery, pageOf, paged, Problem, write, writeErrors } from '../../web/api.js';
import { asUploadedFile } from '../../web/multipart.js';
import { addPracticeFile, adoptPractice, deletePracticeFile, listPractices, practiceForReader, reviewPractice, savePractice, type PracticeView } from './practices.js';
import { CONTENT_LANGS, MUNICIPALITY_SIZES, type PracticeRow } from './schema.js';

/**
 * JSON for good practices: reads, and the same review workflow as the pages (submit, edit,
 * review, adopt, attachments), each route calling the same use case as its form.
 */
const tags = ['Good practices'];
const Id = z.object({ id: z.string().min(1).max(100) });
const Summary = z.object({ id: z.string(), title: z.string(), lang: z.string(), country: z.string().nullable(), themes: z.array(z.string()), sdgTargets: z.array(z.string()), periodStart: z.number().int().nullable(), periodEnd: z.number().int().nullable(), publishedAt: z.string().nullable(), web: z.string() });
const summary = (p: PracticeRow) => ({ id: p.id, title: p.title, lang: p.lang, country: p.country, themes: p.themes, sdgTargets: p.sdgTargets, periodStart: p.periodStart, periodEnd: p.periodEnd, publishedAt: iso(p.publishedAt), web: `/practices/${p.id}` });

/** Types and sizes only; the use case (inputs.ts PracticeInput) validates and names the field. */
const PracticeBody = z.object({
  title: z.string().max(300),
  lang: z.enum(CONTENT_LANGS),
  organisationIds: z.array(z.string()).max(20).describe('The organisations behind the practice; the first with an area gives its country and municipality'),
  reviewerOrgId: z.string().describe('The network whose editors review and publish it'),
  themes: z.array(z.string().max(60)).max(20).optional(),
  sdgTargets: z.array(z.string().max(10)).max(40).optional().describe('Goals or targets: "7", "11.6"'),
  startingPoint: z.string().max(20_000).optional(),
  whatWasDone: z.string().max(20_000).optional(),
  whoWasInvolved: z.string().max(20_000).optional(),
  periodStart: z.number().int().nullable().optional(),
  periodEnd: z.number().int().nullable().optional(),
  resources: z.string().max(20_000).optional(),
  results: z.string().max(20_000).optional(),
  keyFigures: z.string().max(20_000).optional(),
  lessons: z.string().max(20_000).optional(),
  transfer: z.string().max(20_000).optional(),
  contacts: z.string().max(20_000).optional(),
  originUrl: z.string().max(2000).nullable().optional().describe('The project, action or challenge it came from: http(s) or a site path'),
  indicators: z.array(z.object({ code: z.string().max(100), group: z.string().max(100).nullable() })).max(20).optional().describe('Indicators it meant to move, each with an optional comparison group key'),
});
const FileOut = z.object({ id: z.string(), title: z.string(), fileName: z.string(), mimeType: z.string(), sizeBytes: z.number().int(), url: z.string() });

export async function practiceRoutes(app: FastifyInstance, { db, config, storage }: AppDeps & { storage: FileStorage }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/practices', {
    schema: { tags, summary: 'Published good practices', querystring: PageQuery.extend({ sdg: z.coerce.number().int().min(1).max(17).optional(), theme: z.string().max(60).optional(), country: z.enum(['SE', 'NO', 'DK']).optional(), size: z.enum(MUNICIPALITY_SIZES).optional().describe('Size of the municipality by population (docs/knowledge.md): small < 10,000, medium < 50,000, large < 200,000, city ≥ 200,000')}), response: { 200: pageOf(Summary) } },
  }, async (req) => {
    const res = await listPractices(db.orm, { sdg: req.query.sdg ?? null, theme: req.query.theme ?? null, country: req.query.country ?? null, size: req.query.size ?? null, page: req.query.page, pageSize: req.query.pageSize });
    return paged(req, res.page, res.pageSize, res.total, res.items.map(summary));
  });
  r.get('/api/practices/:id', { schema: { tags, summary: 'One practice with its organisations, adoptions, files and the evidence from the indicator store', params: Id, response: { 200: Detail, 404: Problem } } }, async (req) =>
    detail(await practiceForReader(db.orm, req.actor, req.params.id)),
  );
  r.post('/api/practices', { schema: { tags, summary: 'Submit a practice for review (editors of an organisation behind it)', ...write, body: PracticeBody, response: { 201: Detail, ...writeErrors } } }, async (req, reply) => {
    const row = await savePractice(db, req.actor, null, req.body);
    return reply.code(201).send(detail(await practiceForReader(db.orm, req.actor, row.id)));
  });
  r.put('/api/practices/:id', {
    schema: { tags, summary: 'Replace a practice: by its authors (it goes back to review) or by the reviewers (its status stays)', ...write, params: Id, body: PracticeBody, response: { 200: Detail, ...writeErrors } },
  }, async (req) => {
    await savePractice(db, req.actor, req.params.id, req.body);
    return detail(await practiceForReader(db.orm, req.actor, req.params.id));
  });
  r.post('/api/practices/:id/review', {
    schema: { tags, summary: 'The reviewing network’s editors: take in review, return with a note, or publish', ...write, params: Id, body: z.object({ decision: z.enum(['in_review', 'publish', 'return']), note: z.string().max(5000).optional() }), response: { 200: Detail, ...writeErrors } },
  }, async (req) => {
    await reviewPractice(db, req.actor, req.params.id, req.body);
    return detail(await practiceForReader(db.orm, req.actor, req.params.id));
  });
  r.post('/api/practices/:id/adoptions', {
    schema: { tags, summary: 'Record that an organisation (one the caller manages) adopted a published practice; 409 the second time', ...write, params: Id, body: z.object({ organisationId: z.string(), adoptedOn: z.string().max(10).nullable().optional().describe('YYYY, YYYY-MM or YYYY-MM-DD'), note: z.string().max(2000).optional() }), response: { 201: z.object({ organisationId: z.string(), adoptedOn: z.string().nullable(), note: z.string() }), ...writeErrors } },
  }, async (req, reply) => {
    const a = await adoptPractice(db, req.actor, req.params.id, req.body);
    return reply.code(201).send({ organisationId: a.organisationId, adoptedOn: a.adoptedOn, note: a.note });
  });
  r.post('/api/practices/:id/files', {
    schema: { tags, summary: 'Attach a file (multipart/form-data: file, title); the content is checked against its name and its text is searchable', ...write, params: Id, consumes: ['multipart/form-data'], response: { 201: FileOut, ...writeErrors } },
  }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const f = await addPracticeFile(db, storage, req.actor, req.params.id, asUploadedFile(body.file), typeof body.title === 'string' ? body.title : null, config.uploadMaxBytes);
    return reply.code(201).send(fileOut(req.params.id, f));
  });
  r.delete('/api/practices/:id/files/:fileId', { schema: { tags, summary: 'Remove an attachment', ...write, params: z.object({ id: z.string().max(100), fileId: z.string().max(100) }), response: { 204: z.null(), ...writeErrors } } }, async (req, reply) => {
    await deletePracticeFile(db, req.actor, req.params.id, req.params.fileId);
    return reply.code(204).send(null);
  });
}

const fileOut = (practiceId: string, f: { id: string; title: string; fileName: string; mimeType: string; sizeBytes: number }) => ({ id: f.id, title: f.title, fileName: f.fileName, mimeType: f.mimeType, sizeBytes: f.sizeBytes, url: `/practices/${practiceId}/files/${f.id}` });

const Detail = Summary.extend({
  status: z.string(),
  startingPoint: z.string(), whatWasDone: z.string(), whoWasInvolved: z.string(), resources: z.string(), results: z.string(), keyFigures: z.string(), lessons: z.string(), transfer: z.string(), contacts: z.string(),
  reviewNote: z.string().describe('The reviewers’ note; only to the authors and reviewers'),
  organisations: z.array(z.object({ id: z.string(), slug: z.string(), name: z.string() })),
  adoptedBy: z.array(z.object({ organisationId: z.string(), adoptedOn: z.string().nullable() })),
  files: z.array(FileOut),
  evidence: z.array(z.object({ indicator: z.string(), comparisonGroup: z.string().nullable(), from: z.string().nullable(), to: z.string().nullable(), change: z.number().nullable(), comparisonMedianChange: z.number().nullable(), comparisonAreas: z.number().int() })),
});

function detail(v: PracticeView) {
  const p = v.practice;
  return {
    ...summary(p),
    status: p.status,
    startingPoint: p.startingPoint, whatWasDone: p.whatWasDone, whoWasInvolved: p.whoWasInvolved, resources: p.resources, results: p.results, keyFigures: p.keyFigures, lessons: p.lessons, transfer: p.transfer, contacts: p.contacts,
    reviewNote: v.canEdit || v.canReview ? p.reviewNote : '',
    organisations: v.organisations,
    adoptedBy: v.adoptions.map((a) => ({ organisationId: a.organisationId, adoptedOn: a.adoptedOn })),
    files: v.files.map((f) => fileOut(p.id, f)),
    evidence: v.evidence.map((e) => ({ indicator: e.code, comparisonGroup: e.group, from: e.evidence?.area?.fromPeriod ?? null, to: e.evidence?.area?.toPeriod ?? null, change: e.evidence?.area?.change ?? null, comparisonMedianChange: e.evidence?.comparison.medianChange ?? null, comparisonAreas: e.evidence?.comparison.areas ?? 0 })),
  };
}
