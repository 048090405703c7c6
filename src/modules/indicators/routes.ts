import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { NotFoundError } from '../../platform/errors.js';
import * as q from './queries.js';
import { PageQuery, pageLinks, pageOf, paged } from '../../web/api.js';
import { parseBreakdown } from '../indicator-model/index.js';
import { assertCanManageReferenceData } from './policy.js';
import { setIndicatorSdgLinks } from './service.js';
import { setIndicatorHeadline } from './headline.js';
import { labelBooks } from './labels.js';
import { toOpenSdgCsv } from './exporters/opensdg.js';
import { toJsonStat } from './exporters/jsonstat.js';

const tags = ['indicators'];
const Code = z.string().min(1).max(80);
const AreaKey = z.string().min(1).max(40);
const keysParam = z.union([z.string().max(4000), z.array(z.string().max(40)).max(300)]).optional();
const toKeys = (v: string | string[] | undefined) =>
  (Array.isArray(v) ? v : v ? [v] : [])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);

const Indicator = z.object({
  code: z.string(),
  name: z.string(),
  description: z.string(),
  lang: z.string(),
  unit: z.string(),
  decimals: z.number(),
  direction: z.enum(['higher', 'lower', 'neutral']),
  source: z.string(),
  attribution: z.string(),
  periodicity: z.string(),
  dimensions: z.array(z.string()),
});
const Observation = z.object({
  area: z.string(),
  period: z.string(),
  breakdown: z.record(z.string(), z.string()),
  value: z.number().nullable(),
  status: z.string(),
  note: z.string(),
});

const pickIndicator = (i: q.IndicatorInfo) => ({
  code: i.code,
  name: i.name,
  description: i.description,
  lang: i.lang,
  unit: i.unit,
  decimals: i.decimals,
  direction: i.direction,
  source: i.source,
  attribution: i.attribution,
  periodicity: i.periodicity,
  dimensions: i.dimensions,
});

export async function indicatorRoutes(app: FastifyInstance, deps: AppDeps) {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/indicators',
    {
      schema: {
        tags,
        summary: 'List indicators, paged; filtered by text, SDG goal, framework and source as the indicator list page is',
        querystring: PageQuery.extend({
          q: z.string().max(200).optional(),
          goal: z.string().regex(/^\d{1,2}$/).optional(),
          framework: z.string().max(80).optional(),
          source: z.string().max(300).optional(),
        }),
        response: {
          200: pageOf(z.object({ code: z.string(), name: z.string(), unit: z.string(), source: z.string(), areas: z.number(), goals: z.array(z.string()) })),
        },
      },
    },
    async (req) => {
      const { page, pageSize, q: text, goal, framework, source } = req.query;
      // The same read as the /indicators page, so both list the same indicators in the same order.
      const res = await q.indicatorPage(db.orm, { q: text, goal, framework, source }, pageSize, (page - 1) * pageSize);
      return { items: res.items, page, pageSize, total: res.total, links: pageLinks(req, page, pageSize, res.total) };
    },
  );

  r.get(
    '/api/frameworks',
    {
      schema: {
        tags,
        summary: 'Frameworks (sdg, u4ssc, ks, un-sdg, kolada, …), by key',
        querystring: PageQuery,
        response: { 200: pageOf(z.object({ key: z.string(), names: z.record(z.string(), z.string()), source: z.string(), nodes: z.number(), indicators: z.number() })) },
      },
    },
    async (req) => {
      const res = await q.pageFrameworks(db.orm, req.query);
      return paged(req, res.page, res.pageSize, res.total, res.items);
    },
  );

  r.get(
    '/api/frameworks/:key',
    {
      schema: {
        tags,
        summary: 'A framework’s goals, targets or categories, each with the indicators linked to it (the crosswalk)',
        params: z.object({ key: z.string().max(80) }),
        response: {
          200: z.object({
            key: z.string(),
            nodes: z.array(z.object({ code: z.string(), level: z.string(), parent: z.string().nullable(), names: z.record(z.string(), z.string()), shortNames: z.record(z.string(), z.string()), indicators: z.array(z.string()) })),
          }),
        },
      },
    },
    async (req) => {
      const nodes = await q.frameworkNodes(db.orm, req.params.key);
      return { key: req.params.key, nodes: nodes.map((n) => ({ code: n.code, level: n.level, parent: n.parent, names: n.names, shortNames: n.short_names, indicators: n.indicators })) };
    },
  );

  r.get(
    '/api/indicators/:code',
    {
      schema: {
        tags,
        summary: 'One indicator: metadata, framework links and the areas with data',
        params: z.object({ code: Code }),
        response: {
          200: Indicator.extend({
            links: z.array(z.object({ framework: z.string(), code: z.string(), level: z.string(), name: z.string() })),
            areas: z.array(z.object({ key: z.string(), name: z.string(), latestPeriod: z.string(), latestValue: z.number() })),
          }),
        },
      },
    },
    async (req) => {
      const ind = await q.getIndicator(db.orm, req.params.code);
      const [links, areas] = await Promise.all([q.indicatorLinks(db.orm, ind.id, 'en'), q.indicatorAreas(db.orm, ind.id)]);
      return {
        ...pickIndicator(ind),
        links: links.map(({ framework, code, level, name }) => ({ framework, code, level, name })),
        areas: areas.map((a) => ({ key: a.key, name: a.name, latestPeriod: a.latest_period, latestValue: a.latest_value })),
      };
    },
  );

  r.get(
    '/api/indicators/:code/observations',
    {
      schema: {
        tags,
        summary: 'Observations of an indicator for some areas (all breakdowns)',
        params: z.object({ code: Code }),
        querystring: z.object({ areas: keysParam }),
        response: { 200: z.object({ indicator: z.string(), observations: z.array(Observation) }) },
      },
    },
    async (req) => {
      const ind = await q.getIndicator(db.orm, req.params.code);
      const keys = toKeys(req.query.areas);
      const areas = keys.length ? await q.areasByKeys(db.orm, keys) : await q.areasByKeys(db.orm, (await q.indicatorAreas(db.orm, ind.id)).map((a) => a.key));
      const rows = await q.indicatorSeries(db.orm, ind.id, areas.map((a) => a.id));
      return {
        indicator: ind.code,
        observations: rows.map((o) => ({ area: o.area_key, period: o.period, breakdown: parseBreakdown(o.breakdown), value: o.value, status: o.status, note: o.note })),
      };
    },
  );

  for (const path of ['/api/areas/:key', '/api/areas/:key/indicators'] as const) r.get(
    path,
    {
      schema: {
        tags,
        summary: path === '/api/areas/:key' ? 'An area (by key such as se-0780) with every indicator that has data: latest value, first value, series' : 'Same as /api/areas/{key}',
        params: z.object({ key: AreaKey }),
        response: {
          200: z.object({
            area: z.object({ key: z.string(), name: z.string(), country: z.string(), level: z.string(), code: z.string() }),
            indicators: z.array(
              z.object({
                code: z.string(),
                name: z.string(),
                unit: z.string(),
                goal: z.string().nullable(),
                firstPeriod: z.string(),
                firstValue: z.number().nullable(),
                latestPeriod: z.string(),
                latestValue: z.number().nullable(),
                latestStatus: z.string(),
                series: z.array(z.tuple([z.string(), z.number().nullable()])),
              }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const a = await q.getArea(db.orm, req.params.key);
      const rows = await q.areaIndicators(db.orm, a.id);
      return {
        area: { key: a.key, name: a.name, country: a.country, level: a.level, code: a.code },
        indicators: rows.map((x) => ({
          code: x.code,
          name: x.name,
          unit: x.unit,
          goal: x.goal,
          firstPeriod: x.first_period,
          firstValue: x.first_value,
          latestPeriod: x.latest_period,
          latestValue: x.latest_value,
          latestStatus: x.latest_status,
          series: x.series,
        })),
      };
    },
  );

  r.put(
    '/api/indicators/:code/sdg-targets',
    {
      schema: {
        tags,
        summary: 'Set the SDG goals and targets an indicator is linked to (the crosswalk), replacing its current SDG links. Platform administrators only.',
        security: [{ apiToken: [] }, { session: [] }],
        params: z.object({ code: Code }),
        body: z.object({ targets: z.array(z.string().regex(/^\d{1,2}(\.[0-9a-z]{1,2})?$/)).max(169) }),
        response: { 200: z.object({ code: z.string(), targets: z.array(z.string()), changed: z.boolean() }) },
      },
    },
    async (req) => {
      assertCanManageReferenceData(req.actor);
      return setIndicatorSdgLinks(db, req.actor, req.params.code, req.body.targets);
    },
  );

  r.put(
    '/api/indicators/:code/headline',
    {
      schema: {
        tags,
        summary:
          "Choose an indicator's headline series: the breakdown (canonical key such as `sex=F`, '' for the total) that area, compare and progress pages show. The indicator's owner or a platform administrator; 422 for a breakdown the indicator has no values for.",
        security: [{ apiToken: [] }, { session: [] }],
        params: z.object({ code: Code }),
        body: z.object({ breakdown: z.string().max(1000) }),
        response: { 200: z.object({ code: z.string(), headline: z.string(), changed: z.boolean() }) },
      },
    },
    async (req) => setIndicatorHeadline(db, req.actor, req.params.code, req.body.breakdown),
  );

  r.get(
    '/api/areas/:key/geometry',
    {
      schema: {
        tags,
        summary: 'The area’s boundary as a GeoJSON Feature (WGS 84), where boundaries have been imported',
        params: z.object({ key: AreaKey }),
        response: {
          200: z.object({
            type: z.literal('Feature'),
            id: z.string(),
            properties: z.object({ key: z.string(), name: z.string(), source: z.string() }),
            geometry: z.object({ type: z.enum(['Polygon', 'MultiPolygon']), coordinates: z.array(z.unknown()) }),
          }),
        },
      },
    },
    async (req, reply) => {
      const a = await q.getArea(db.orm, req.params.key);
      const [g] = await q.geometries(db.orm, [a.id]);
      if (!g) throw new NotFoundError('boundary of area', a.key);
      return reply.type('application/geo+json; charset=utf-8').send({
        type: 'Feature' as const,
        id: a.key,
        properties: { key: a.key, name: a.name, source: g.source },
        geometry: g.geojson as { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown[] },
      });
    },
  );

  r.get(
    '/api/area-groups',
    {
      schema: {
        tags,
        summary: 'Area groups (networks, similar municipalities), by name',
        querystring: PageQuery.extend({ area: AreaKey.optional() }),
        response: { 200: pageOf(z.object({ key: z.string(), name: z.string(), kind: z.string(), members: z.number() })) },
      },
    },
    async (req) => {
      const area = req.query.area ? await q.getArea(db.orm, req.query.area) : null;
      const res = await q.pageGroups(db.orm, area?.id, req.query);
      return paged(req, res.page, res.pageSize, res.total, res.items.map(({ key, name, kind, members }) => ({ key, name, kind, members })));
    },
  );

  const exportQuery = z.object({ areas: keysParam });

  r.get(
    '/api/export/opensdg/:file',
    {
      schema: {
        tags: ['export'],
        summary: 'Open SDG CSV of one indicator (Year, disaggregations, GeoCode, Units, Value). Use `CODE.csv` as the file name.',
        params: z.object({ file: z.string().max(90) }),
        querystring: exportQuery,
        produces: ['text/csv'],
      },
    },
    async (req, reply) => {
      const code = req.params.file.replace(/\.csv$/i, '');
      const ind = await q.getIndicator(db.orm, code);
      const rows = await q.exportRows(db.orm, [ind.id], toKeys(req.query.areas));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="indicator_${ind.code.replace(/[^A-Za-z0-9._-]/g, '_')}.csv"`)
        .send(toOpenSdgCsv(rows, ind.unit));
    },
  );

  r.get(
    '/api/export/jsonstat/:codes',
    {
      schema: {
        tags: ['export'],
        summary: 'JSON-stat 2.0 dataset (indicator × area × period × breakdown) for one or more comma-separated indicator codes',
        params: z.object({ codes: z.string().max(2000) }),
        querystring: exportQuery,
      },
    },
    async (req, reply) => {
      const codes = req.params.codes.split(',').map((c) => c.trim()).filter(Boolean).slice(0, 50);
      if (!codes.length) throw new NotFoundError('indicator', req.params.codes);
      const inds = await Promise.all(codes.map((c) => q.getIndicator(db.orm, c)));
      const rows = await q.exportRows(db.orm, inds.map((i) => i.id), toKeys(req.query.areas));
      const areaNames = new Map(rows.map((x) => [x.area_key, x.area_name]));
      const books = await labelBooks(db.orm, inds.map((i) => i.id));
      const labels = new Map(inds.flatMap((i) => (books.has(i.id) ? [[i.code, books.get(i.id)!] as const] : [])));
      const ds = toJsonStat(rows, inds.map((i) => ({ code: i.code, name: i.name, unit: i.unit, decimals: i.decimals, source: i.source, attribution: i.attribution, lang: i.lang })), areaNames, {
        label: inds.length === 1 ? inds[0]!.name : `${inds.length} indicators`,
        source: [...new Set(inds.map((i) => i.attribution || i.source).filter(Boolean))].join('; ') || 'Samverka',
        updated: new Date(Math.max(...inds.map((i) => new Date(i.updated_at).getTime()))).toISOString(),
        labels,
      });
      return reply.type('application/json; charset=utf-8').send(ds);
    },
  );
}
