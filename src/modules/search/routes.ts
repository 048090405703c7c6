import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { pageLinks, Problem } from '../../web/api.js';
import { SearchQuery } from './inputs.js';
import { COUNT_CAP, search, snippetParts } from './service.js';
import { NotFoundError } from '../../platform/errors.js';
import type { JobRow } from '../../platform/jobs.js';
import { reindexStatus, requestReindex } from './reindex.js';

const Hit = z.object({
  type: z.string(),
  id: z.string(),
  title: z.string(),
  url: z.string().describe('The page of the document, relative to the site'),
  lang: z.string().nullable(),
  year: z.number().int().nullable(),
  organisationIds: z.array(z.string()),
  sdgGoals: z.array(z.number().int()),
  restricted: z.boolean().describe('Visible to this reader as a member; not public'),
  snippet: z.array(z.object({ text: z.string(), hit: z.boolean() })).describe('The text around the matches; `hit` parts matched the query'),
});

const Result = z.object({
  total: z.number().int(),
  totalMore: z.boolean().describe(`True when there are more than \`total\` matches: counting stops at ${COUNT_CAP} per kind, so very common words give a lower bound`),
  page: z.number().int(),
  pageSize: z.number().int(),
  counts: z.array(z.object({ type: z.string(), count: z.number().int(), more: z.boolean().describe(`More than \`count\` (${COUNT_CAP}) matches of this kind`) })).describe('Matches per kind of document (the type filter aside)'),
  items: z.array(Hit),
  links: z.object({ self: z.string(), next: z.string().optional(), prev: z.string().optional() }),
});

export async function searchRoutes(app: FastifyInstance, { db }: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/search', {
    schema: {
      tags: ['Search'],
      summary: 'Search everything a reader may see',
      description:
        'Full-text search over organisations, people, commitments, meetings and agenda items with their documents, indicators, news, events, practices and more. Each language is stemmed (Swedish, Norwegian, Danish, English); case and accents are ignored; the last word matches as a prefix; names also match with small typos. Restricted documents appear only for members of their organisation.',
      querystring: SearchQuery,
      response: { 200: Result, 422: Problem },
    },
  }, async (req) => {
    const q = req.query;
    const res = await search(db.orm, req.actor, { q: q.q, type: q.type, org: q.org, sdg: q.sdg, year: q.year, lang: q.lang, page: q.page, pageSize: q.pageSize });
    return {
      total: res.total,
      totalMore: res.totalCapped,
      page: res.page,
      pageSize: res.pageSize,
      counts: Object.entries(res.counts).sort((a, b) => b[1] - a[1]).map(([type, count]) => ({ type, count, more: res.capped.includes(type) })),
      items: res.hits.map(({ snippet, rank: _rank, ...h }) => ({ ...h, snippet: snippetParts(snippet) })),
      links: pageLinks(req, res.page, res.pageSize, res.total),
    };
  });

  // A rebuild after a restore, an upgrade that changes what is indexed, or bulk changes made outside
  // the app: queued, never run in the request; any app server runs it and the state is in the database.
  const Reindex = z.object({
    id: z.string(),
    state: z.enum(['queued', 'running', 'done', 'failed']),
    progress: z.number().describe('0..100, one step per module'),
    attempts: z.number().int(),
    error: z.string().nullable(),
    counts: z.record(z.string(), z.number()).nullable().describe('Documents indexed per type, once done'),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  });
  const present = (j: JobRow) => ({
    id: j.id,
    state: j.state,
    progress: j.progress,
    attempts: j.attempts,
    error: j.error,
    counts: j.state === 'done' ? ((j.result as Record<string, number> | null) ?? {}) : null,
    createdAt: new Date(j.created_at).toISOString(),
    finishedAt: j.finished_at ? new Date(j.finished_at).toISOString() : null,
  });
  r.post('/api/search/reindex', {
    schema: {
      tags: ['Search'],
      summary: 'Rebuild the search index from every module’s records. Platform administrators only. Answers 202 at once with the rebuild’s job (the one already queued or running, if any); GET the same address for its progress.',
      security: [{ apiToken: [] }, { session: [] }],
      response: { 202: Reindex },
    },
  }, async (req, reply) => reply.code(202).send(present(await requestReindex(db, req.actor))));
  r.get('/api/search/reindex', {
    schema: {
      tags: ['Search'],
      summary: 'The latest rebuild of the search index: its state, progress and counts. Platform administrators only.',
      security: [{ apiToken: [] }, { session: [] }],
      response: { 200: Reindex, 404: Problem },
    },
  }, async (req) => {
    const job = await reindexStatus(db, req.actor);
    if (!job) throw new NotFoundError('search reindex', 'latest');
    return present(job);
  });
}
