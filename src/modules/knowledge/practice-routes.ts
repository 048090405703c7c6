import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { iso, Problem } from '../../web/api.js';
import { listPractices, practiceForReader } from './practices.js';
import type { PracticeRow } from './schema.js';

/** Read-only JSON for practices; they are written through the review workflow's forms. */
const tags = ['Good practices'];
const Summary = z.object({ id: z.string(), title: z.string(), lang: z.string(), country: z.string().nullable(), themes: z.array(z.string()), sdgTargets: z.array(z.string()), periodStart: z.number().int().nullable(), periodEnd: z.number().int().nullable(), publishedAt: z.string().nullable(), web: z.string() });
const summary = (p: PracticeRow) => ({ id: p.id, title: p.title, lang: p.lang, country: p.country, themes: p.themes, sdgTargets: p.sdgTargets, periodStart: p.periodStart, periodEnd: p.periodEnd, publishedAt: iso(p.publishedAt), web: `/practices/${p.id}` });

export async function practiceRoutes(app: FastifyInstance, { db }: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/practices', {
    schema: { tags, summary: 'Published good practices', querystring: z.object({ sdg: z.coerce.number().int().min(1).max(17).optional(), theme: z.string().max(60).optional(), country: z.enum(['SE', 'NO', 'DK']).optional(), page: z.coerce.number().int().min(1).max(10_000).default(1) }), response: { 200: z.object({ items: z.array(Summary), page: z.number().int(), hasMore: z.boolean() }) } },
  }, async (req) => {
    const res = await listPractices(db.orm, { sdg: req.query.sdg ?? null, theme: req.query.theme ?? null, country: req.query.country ?? null, page: req.query.page });
    return { items: res.items.map(summary), page: res.page, hasMore: res.hasMore };
  });
  r.get('/api/practices/:id', {
    schema: {
      tags,
      summary: 'One practice with its organisations, adoptions and the evidence from the indicator store',
      params: z.object({ id: z.string().max(100) }),
      response: {
        200: Summary.extend({
          status: z.string(),
          startingPoint: z.string(), whatWasDone: z.string(), whoWasInvolved: z.string(), resources: z.string(), results: z.string(), keyFigures: z.string(), lessons: z.string(), transfer: z.string(), contacts: z.string(),
          organisations: z.array(z.object({ id: z.string(), slug: z.string(), name: z.string() })),
          adoptedBy: z.array(z.object({ organisationId: z.string(), adoptedOn: z.string().nullable() })),
          evidence: z.array(z.object({ indicator: z.string(), comparisonGroup: z.string().nullable(), from: z.string().nullable(), to: z.string().nullable(), change: z.number().nullable(), comparisonMedianChange: z.number().nullable(), comparisonAreas: z.number().int() })),
        }),
        404: Problem,
      },
    },
  }, async (req) => {
    const v = await practiceForReader(db.orm, req.actor, req.params.id);
    const p = v.practice;
    return {
      ...summary(p),
      status: p.status,
      startingPoint: p.startingPoint, whatWasDone: p.whatWasDone, whoWasInvolved: p.whoWasInvolved, resources: p.resources, results: p.results, keyFigures: p.keyFigures, lessons: p.lessons, transfer: p.transfer, contacts: p.contacts,
      organisations: v.organisations,
      adoptedBy: v.adoptions.map((a) => ({ organisationId: a.organisationId, adoptedOn: a.adoptedOn })),
      evidence: v.evidence.map((e) => ({ indicator: e.code, comparisonGroup: e.group, from: e.evidence?.area?.fromPeriod ?? null, to: e.evidence?.area?.toPeriod ?? null, change: e.evidence?.area?.change ?? null, comparisonMedianChange: e.evidence?.comparison.medianChange ?? null, comparisonAreas: e.evidence?.comparison.areas ?? 0 })),
    };
  });
}
