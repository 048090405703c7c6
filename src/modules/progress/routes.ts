/**
 * The JSON API: targets (CRUD), an area's progress, an indicator's progress, and
 * the statuses as CSV or JSON. Reads are public; every write goes through one use case.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { iso, PageQuery, pageOf, paged, readErrors, write, writeErrors } from '../../web/api.js';
import { directory } from '../directory/index.js';
import { getIndicator } from '../indicators/index.js';
import { TargetInput, TargetUpdate } from './inputs.js';
import * as q from './queries.js';
import { TARGET_LEVELS } from './schema.js';
import * as svc from './service.js';
import { statusesCsv } from './export.js';
import { openSdgMetadata, targetsCsv } from './transfer.js';

const Target = z.object({
  id: z.string().uuid(),
  indicator: z.string(),
  level: z.enum(TARGET_LEVELS),
  area: z.string().nullable(),
  organisation: z.string().nullable(),
  country: z.string().nullable(),
  breakdown: z.string(),
  value: z.number(),
  targetYear: z.number().int(),
  baselineYear: z.number().int(),
  limit: z.number().nullable(),
  bound: z.number().nullable(),
  green: z.number().nullable(),
  red: z.number().nullable(),
  manualStatus: z.string().nullable(),
  manualReason: z.string(),
  source: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const presentTarget = (t: q.TargetView) => ({
  id: t.id,
  indicator: t.indicatorCode,
  level: t.level,
  area: t.areaKey,
  organisation: t.organisationSlug,
  country: t.country,
  breakdown: t.breakdown,
  value: t.value,
  targetYear: t.targetYear,
  baselineYear: t.baselineYear,
  limit: t.limitValue,
  bound: t.bound,
  green: t.green,
  red: t.red,
  manualStatus: t.manualStatus,
  manualReason: t.manualReason,
  source: t.source,
  createdAt: iso(t.createdAt)!,
  updatedAt: iso(t.updatedAt)!,
});

const Status = z.object({
  indicator: z.string(),
  breakdown: z.string(),
  targetId: z.string().nullable(),
  goal: z.string().nullable(),
  u4sscDimension: z.string().nullable(),
  status: z.string(),
  method: z.string(),
  score: z.number().nullable(),
  colour: z.string().nullable(),
  trend: z.string().nullable(),
  u4sscPoints: z.number().nullable(),
  quartile: z.number().nullable(),
  details: z.record(z.string(), z.unknown()).describe('The components: base and current value and year, observed and required rates, thresholds'),
});
const presentStatus = (s: q.StatusView) => ({
  indicator: s.indicator_code,
  breakdown: s.breakdown,
  targetId: s.target_id,
  goal: s.goal,
  u4sscDimension: s.u4ssc_dimension,
  status: s.status,
  method: s.method,
  score: s.score,
  colour: s.colour,
  trend: s.trend,
  u4sscPoints: s.u4ssc_points,
  quartile: s.quartile,
  details: s.details,
});
const GoalScore = z.object({ goal: z.string(), score: z.number().nullable(), colour: z.string().nullable(), trend: z.string().nullable(), counted: z.number(), selected: z.number() });
const Index = z.object({
  score: z.number().nullable(),
  selected: z.number(),
  missing: z.number(),
  withheld: z.string().nullable(),
  maxMissingShare: z.number().describe('The coverage rule: no index when a larger share of the selected indicators lacks data'),
  u4ssc: z.record(z.string(), z.object({ score: z.number(), counted: z.number(), sum: z.number() })),
  computedAt: z.string(),
});

const IdParam = z.object({ id: z.string().min(1).max(100) });

export async function progressRoutes(app: FastifyInstance, { db }: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['Progress'];
  const ListQuery = z.object({
    indicator: z.string().max(80).optional(),
    area: z.string().max(100).optional(),
    organisation: z.string().max(200).optional(),
    level: z.enum(TARGET_LEVELS).optional(),
  });
  const filterOf = async (f: z.infer<typeof ListQuery>): Promise<q.TargetFilter> => {
    const indicatorId = f.indicator ? (await getIndicator(db.orm, f.indicator)).id : undefined;
    const areaId = f.area ? (await directory.getAreaByKey(db.orm, f.area)).id : undefined;
    const organisationId = f.organisation ? (await directory.getOrganisation(db.orm, f.organisation)).id : undefined;
    return { indicatorId, areaId, organisationId, level: f.level };
  };
  const listFiltered = async (f: z.infer<typeof ListQuery>) => q.listTargets(db.orm, await filterOf(f));


  r.get('/api/targets', {
    schema: {
      tags, summary: 'List targets (by level, oldest first)',
      querystring: ListQuery.extend(PageQuery.shape),
      response: { 200: pageOf(Target), ...readErrors },
    },
  }, async (req) => {
    const res = await q.pageTargets(db.orm, { ...(await filterOf(req.query)), page: req.query.page, pageSize: req.query.pageSize });
    return paged(req, res.page, res.pageSize, res.total, res.items.map(presentTarget));
  });

  r.get('/api/targets.csv', { schema: { tags, summary: 'Targets as CSV (the import format)', querystring: ListQuery, produces: ['text/csv'] } }, async (req, reply) =>
    reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="targets.csv"').send(targetsCsv(await listFiltered(req.query))),
  );

  r.post('/api/targets/import', {
    schema: {
      tags, summary: 'Import targets from a CSV (one per row) or from one Open SDG metadata file (YAML front matter or JSON), with the indicator and scope given alongside',
      ...write,
      body: z.object({
        format: z.enum(['csv', 'opensdg']),
        content: z.string().min(1).max(5_000_000),
        dryRun: z.boolean().optional(),
        indicator: z.string().max(80).optional(),
        level: z.enum(TARGET_LEVELS).optional(),
        area: z.string().max(100).optional(),
        organisation: z.string().max(200).optional(),
        country: z.enum(['SE', 'NO', 'DK']).optional(),
        breakdown: z.string().max(300).optional(),
      }),
      response: { 200: z.object({ created: z.number(), updated: z.number(), rows: z.number(), dryRun: z.boolean() }), ...writeErrors },
    },
  }, async (req) => {
    const { format, content, dryRun, ...scope } = req.body;
    return svc.importTargets(db, req.actor, { format, content, dryRun, scope });
  });

  r.get('/api/indicators/:code/opensdg-meta', {
    schema: {
      tags, summary: 'Open SDG metadata (YAML front matter) with the target that applies to an area (or the global one) and the area’s progress_status',
      params: z.object({ code: z.string().max(80) }),
      querystring: z.object({ area: z.string().max(100).optional() }),
      produces: ['text/yaml'],
    },
  }, async (req, reply) => {
    const ind = await getIndicator(db.orm, req.params.code);
    const area = req.query.area ? await directory.getAreaByKey(db.orm, req.query.area) : null;
    const ts = await q.listTargets(db.orm, { indicatorId: ind.id });
    let target = ts.find((x) => x.level === 'global' && x.breakdown === '') ?? null;
    let status: string | null = null;
    if (area) {
      const [s] = await q.indicatorProgress(db.orm, ind.id, [area.id]);
      status = s?.status ?? null;
      target = s?.target_id ? (ts.find((x) => x.id === s.target_id) ?? null) : null;
    }
    return reply.type('text/yaml; charset=utf-8').send(openSdgMetadata(target, ind.direction, status));
  });

  r.get('/api/targets/:id', { schema: { tags, summary: 'One target', params: IdParam, response: { 200: Target, ...readErrors } } }, async (req) => {
    const [t] = await q.describeTargets(db.orm, [await svc.getTarget(db.orm, req.params.id)]);
    return presentTarget(t!);
  });

  r.post('/api/targets', { schema: { tags, summary: 'Set a target (statuses are recomputed at once)', ...write, body: TargetInput, response: { 201: Target, ...writeErrors } } }, async (req, reply) => {
    const t = await svc.createTarget(db, req.actor, req.body);
    const [v] = await q.describeTargets(db.orm, [t]);
    return reply.code(201).send(presentTarget(v!));
  });

  r.patch('/api/targets/:id', { schema: { tags, summary: 'Change a target', ...write, params: IdParam, body: TargetUpdate, response: { 200: Target, ...writeErrors } } }, async (req) => {
    const t = await svc.updateTarget(db, req.actor, req.params.id, req.body);
    const [v] = await q.describeTargets(db.orm, [t]);
    return presentTarget(v!);
  });

  r.delete('/api/targets/:id', { schema: { tags, summary: 'Delete a target', ...write, params: IdParam, response: { 204: z.null(), ...writeErrors } } }, async (req, reply) => {
    await svc.deleteTarget(db, req.actor, req.params.id);
    return reply.code(204).send(null);
  });

  const Settings = z.object({ maxMissingShare: z.number() });
  r.get('/api/progress/settings/:slug', { schema: { tags, summary: 'A network’s progress settings', params: z.object({ slug: z.string().max(200) }), response: { 200: Settings, ...readErrors } } }, async (req) =>
    svc.getNetworkSettings(db.orm, (await directory.getOrganisation(db.orm, req.params.slug)).id),
  );
  r.put('/api/progress/settings/:slug', {
    schema: { tags, summary: 'Set a network’s coverage rule (the index is withheld above this share of selected indicators without data)', ...write, params: z.object({ slug: z.string().max(200) }), body: svc.SettingsInput, response: { 200: Settings, ...writeErrors } },
  }, async (req) => svc.setNetworkSettings(db, req.actor, req.params.slug, req.body));

  r.get('/api/areas/:key/progress', {
    schema: {
      tags, summary: 'An area’s index, goal scores and indicator statuses (precomputed)',
      params: z.object({ key: z.string().max(100) }),
      response: { 200: z.object({ area: z.object({ key: z.string(), name: z.string() }), index: Index.nullable(), goals: z.array(GoalScore), statuses: z.array(Status) }), ...readErrors },
    },
  }, async (req) => {
    const area = await directory.getAreaByKey(db.orm, req.params.key);
    const p = await q.areaProgress(db.orm, area.id);
    return {
      area: { key: area.key, name: area.name },
      index: p.index ? { score: p.index.score, selected: p.index.selected, missing: p.index.missing, withheld: p.index.withheld, maxMissingShare: p.index.max_missing_share, u4ssc: p.index.u4ssc, computedAt: p.index.computed_at } : null,
      goals: p.goals,
      statuses: p.statuses.map(presentStatus),
    };
  });

  r.get('/api/indicators/:code/progress', {
    schema: {
      tags, summary: 'An indicator’s targets and statuses per area (all areas, or the comma-separated area keys given)',
      params: z.object({ code: z.string().max(80) }),
      querystring: z.object({ area: z.string().max(2000).optional() }),
      response: { 200: z.object({ indicator: z.string(), targets: z.array(Target), statuses: z.array(Status.extend({ area: z.string() })) }), ...readErrors },
    },
  }, async (req) => {
    const ind = await getIndicator(db.orm, req.params.code);
    const keys = req.query.area ? req.query.area.split(',').map((k) => k.trim()).filter(Boolean) : null;
    const areas = keys ? await Promise.all(keys.map((k) => directory.getAreaByKey(db.orm, k))) : null;
    const rows = await q.indicatorProgress(db.orm, ind.id, areas?.map((a) => a.id));
    const keyOf = new Map<string, string>((areas ?? []).map((a) => [a.id, a.key]));
    for (const s of rows) if (!keyOf.has(s.area_id)) keyOf.set(s.area_id, (await directory.getAreaById(db.orm, s.area_id))?.key ?? s.area_id);
    const ts = await q.listTargets(db.orm, { indicatorId: ind.id });
    return { indicator: ind.code, targets: ts.map(presentTarget), statuses: rows.map((s) => ({ ...presentStatus(s), area: keyOf.get(s.area_id)! })) };
  });

  r.get('/api/progress/statuses.:format', {
    schema: {
      tags, summary: 'Every stored status as CSV or JSON (optionally one area)',
      params: z.object({ format: z.enum(['csv', 'json']) }),
      querystring: z.object({ area: z.string().max(100).optional() }),
      produces: ['text/csv', 'application/json'],
    },
  }, async (req, reply) => {
    const area = req.query.area ? await directory.getAreaByKey(db.orm, req.query.area) : null;
    const rows = await q.exportStatuses(db.orm, area?.id);
    const keyOf = new Map<string, string>();
    for (const s of rows) if (!keyOf.has(s.area_id)) keyOf.set(s.area_id, (await directory.getAreaById(db.orm, s.area_id))?.key ?? s.area_id);
    if (req.params.format === 'json') return reply.send({ statuses: rows.map((s) => ({ ...presentStatus(s), area: keyOf.get(s.area_id)! })) });
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="progress-statuses${area ? `-${area.key}` : ''}.csv"`)
      .send(statusesCsv(rows, keyOf));
  });
}

