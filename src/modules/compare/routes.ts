import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { indicatorQueries as q } from '../indicators/index.js';
import { compareLatestValues } from './service.js';

const tags = ['indicators'];
const Code = z.string().min(1).max(80);
const AreaKey = z.string().min(1).max(40);
const keysParam = z.union([z.string().max(4000), z.array(z.string().max(40)).max(300)]).optional();
const toKeys = (v: string | string[] | undefined) =>
  (Array.isArray(v) ? v : v ? [v] : [])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);


export async function compareRoutes(app: FastifyInstance, deps: AppDeps) {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/compare',
    {
      schema: {
        tags,
        summary: 'One indicator across a group or a set of areas: latest values, median, percentile of the highlighted area',
        querystring: z.object({ indicator: Code, area: AreaKey.optional(), group: z.string().max(100).optional(), areas: keysParam }),
        response: {
          200: z.object({
            indicator: z.string(),
            median: z.number().nullable(),
            highlight: z.object({ key: z.string(), rank: z.number().nullable(), percentile: z.number().nullable() }).nullable(),
            rows: z.array(z.object({ key: z.string(), name: z.string(), period: z.string(), value: z.number() })),
          }),
        },
      },
    },
    async (req) => {
      const ind = await q.getIndicator(db.orm, req.query.indicator);
      const highlight = req.query.area ? await q.getArea(db.orm, req.query.area) : null;
      // The same comparison the page shows: the area's own group by default, best first.
      const c = await compareLatestValues(db.orm, { indicator: ind, highlight, group: req.query.group, areaKeys: toKeys(req.query.areas) });
      const hl = highlight;
      const st = c;
      const rows = c.rows;
      return { indicator: ind.code, median: st.median, highlight: hl ? { key: hl.key, rank: st.rank, percentile: st.percentile } : null, rows };
    },
  );
}
