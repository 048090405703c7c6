import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { Problem } from '../../web/api.js';
import { SearchQuery } from './inputs.js';
import { COUNT_CAP, search, snippetParts } from './service.js';

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
    };
  });
}
