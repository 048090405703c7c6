import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { indicatorQueries as q, stats } from '../indicators/index.js';

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
      const hl = req.query.area ? await q.getArea(db.orm, req.query.area) : null;
      let rows: q.CompareRow[];
      if (req.query.group) rows = await q.compareLatest(db.orm, ind.id, (await q.groupByKey(db.orm, req.query.group)).member_ids);
      else if (toKeys(req.query.areas).length) rows = await q.compareLatest(db.orm, ind.id, (await q.areasByKeys(db.orm, toKeys(req.query.areas))).map((a) => a.id));
      else rows = await q.compareLatest(db.orm, ind.id, 'country', hl?.country ?? 'SE');
      const v = hl ? (rows.find((x) => x.key === hl.key)?.value ?? null) : null;
      const st = stats(rows.map((x) => x.value), v);
      return { indicator: ind.code, median: st.median, highlight: hl ? { key: hl.key, rank: st.rank, percentile: st.percentile } : null, rows };
    },
  );
}
