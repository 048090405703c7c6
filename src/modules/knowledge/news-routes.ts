import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import type { FileStorage } from '../../platform/storage/index.js';
import { iso, PageQuery, pageOf, paged, Problem, write, writeErrors } from '../../web/api.js';
import { asUploadedFile } from '../../web/multipart.js';
import { deleteNews, listPublishedNews, newsForReader, newsImageUrl, publishNews, saveNews, setNewsImage } from './news.js';
import { CONTENT_LANGS, type NewsRow } from './schema.js';

const tags = ['News'];
const Id = z.object({ id: z.string().min(1).max(100) });

const NewsOut = z.object({
  id: z.string().uuid(),
  organisationId: z.string().uuid(),
  title: z.string(),
  lead: z.string(),
  body: z.string().describe('Sanitised HTML'),
  lang: z.enum(CONTENT_LANGS),
  authorName: z.string(),
  image: z.object({ url: z.string(), alt: z.string() }).nullable(),
  sdgGoals: z.array(z.number().int()),
  topics: z.array(z.string()),
  status: z.enum(['draft', 'published']),
  publishedAt: z.string().nullable(),
  updatedAt: z.string(),
  web: z.string(),
});

const present = (n: NewsRow) => ({
  id: n.id,
  organisationId: n.organisationId,
  title: n.title,
  lead: n.lead,
  body: n.body,
  lang: n.lang,
  authorName: n.authorName,
  image: n.imageKey ? { url: newsImageUrl(n)!, alt: n.imageAlt ?? '' } : null,
  sdgGoals: n.sdgGoals,
  topics: n.topics,
  status: n.status,
  publishedAt: iso(n.publishedAt),
  updatedAt: iso(n.updatedAt)!,
  web: `/news/${n.id}`,
});

const NewsBody = z.object({
  organisationId: z.string(),
  title: z.string().max(300),
  lead: z.string().max(1000).optional(),
  body: z.string().max(100_000).optional().describe('HTML (sanitised with a strict allow-list) or plain text'),
  lang: z.enum(CONTENT_LANGS),
  authorName: z.string().max(200).optional(),
  sdgGoals: z.array(z.number().int()).max(17).optional(),
  topics: z.array(z.string().max(60)).max(20).optional(),
  imageAlt: z.string().max(300).optional().describe('Required while the article has an image (set or removed with PUT and DELETE /api/news/{id}/image, or through the web form)'),
});

export async function newsRoutes(app: FastifyInstance, { db, config, storage }: AppDeps & { storage: FileStorage }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/news', {
    schema: {
      tags,
      summary: 'Published news, newest first',
      querystring: PageQuery.extend({ org: z.string().uuid().optional(), sdg: z.coerce.number().int().min(1).max(17).optional(), topic: z.string().max(60).optional() }),
      response: { 200: pageOf(NewsOut) },
    },
  }, async (req) => {
    const res = await listPublishedNews(db.orm, { organisationIds: req.query.org ? [req.query.org] : undefined, sdg: req.query.sdg ?? null, topic: req.query.topic ?? null, page: req.query.page, pageSize: req.query.pageSize });
    return paged(req, res.page, res.pageSize, res.total, res.items.map(present));
  });
  r.get('/api/news/:id', { schema: { tags, summary: 'One article (drafts only for its editors)', params: Id, response: { 200: NewsOut, 404: Problem } } }, async (req) => present((await newsForReader(db.orm, req.actor, req.params.id)).row));
  r.post('/api/news', { schema: { tags, summary: 'Write an article (a draft until published)', ...write, body: NewsBody, response: { 201: NewsOut, ...writeErrors } } }, async (req, reply) => {
    const row = await saveNews(db, storage, req.actor, null, req.body, { maxBytes: config.uploadMaxBytes });
    return reply.code(201).send(present(row));
  });
  r.put('/api/news/:id', { schema: { tags, summary: 'Replace an article', ...write, params: Id, body: NewsBody, response: { 200: NewsOut, ...writeErrors } } }, async (req) =>
    present(await saveNews(db, storage, req.actor, req.params.id, req.body, { maxBytes: config.uploadMaxBytes })),
  );
  r.post('/api/news/:id/publication', {
    schema: { tags, summary: 'Publish an article or withdraw it to draft', ...write, params: Id, body: z.object({ publish: z.boolean(), publishedAt: z.string().optional().describe('ISO 8601; not in the future') }), response: { 200: NewsOut, ...writeErrors } },
  }, async (req) => present(await publishNews(db, req.actor, req.params.id, req.body)));
  r.put('/api/news/:id/image', {
    schema: {
      tags, summary: 'Set or replace an article’s image (multipart/form-data: image, imageAlt, as the web form); PNG or JPEG, checked by its bytes', ...write, params: Id,
      consumes: ['multipart/form-data'],
      body: z.object({
        image: z.any().describe('The image (binary): PNG or JPEG, its name ending .png, .jpg or .jpeg'),
        imageAlt: z.string().max(300).optional().describe('Required: the image described for readers who cannot see it'),
      }),
      response: { 200: NewsOut, 413: Problem, ...writeErrors },
    },
  }, async (req) => {
    const body = req.body as Record<string, unknown>;
    return present(await setNewsImage(db, storage, req.actor, req.params.id, { upload: asUploadedFile(body.image), alt: body.imageAlt }, config.uploadMaxBytes));
  });
  r.delete('/api/news/:id/image', { schema: { tags, summary: 'Remove an article’s image (and its text alternative)', ...write, params: Id, response: { 200: NewsOut, ...writeErrors } } }, async (req) =>
    present(await setNewsImage(db, storage, req.actor, req.params.id, null, config.uploadMaxBytes)),
  );
  r.delete('/api/news/:id', { schema: { tags, summary: 'Delete an article', ...write, params: Id, response: { 200: z.object({ ok: z.literal(true) }), ...writeErrors } } }, async (req) => {
    await deleteNews(db, req.actor, req.params.id);
    return { ok: true as const };
  });
}
