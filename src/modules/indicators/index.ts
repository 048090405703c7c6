/**
 * The indicators module's public face: the Fastify plugin (pages and API), the
 * demo seeder and the commands other modules or the CLI may call.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/http.js';
import { indicatorPages, organisationIndicatorsSection } from './pages.js';
import { indicatorRoutes } from './routes.js';
import { indicatorsHomeSection, organisationIndicatorFigures } from './overview.js';
import { indicatorFreshness } from './freshness.js';
import { declareFreshness } from '../../web/freshness.js';

export { seedIndicatorsDemo } from './demo.js';
export { indicatorsCli, INDICATORS_HELP } from './cli.js';
export { loadSdgFramework, importObservations, importAreas, upsertAreaGroup, importGeometries, refreshSummaries } from './service.js';
export { canImport } from './policy.js';
export { saveMapping } from './service.js';
export { indicatorsSearchSource } from './search.js';
export { SDG_GOALS, sdgTargets } from './sdg.js';

export async function indicatorsModule(app: FastifyInstance, deps: AppDeps) {
  declareFreshness(app, indicatorFreshness(deps.db));
  deps.extensions?.organisationSections.push(organisationIndicatorsSection(deps.db));
  deps.extensions?.organisationFigures.push(organisationIndicatorFigures(deps.db));
  deps.extensions?.homeSections.push(indicatorsHomeSection(deps.db));
  await app.register(indicatorRoutes, deps);
  await app.register(indicatorPages, deps);
}

// Read-only lookups other modules use (plans and challenges follow indicators and show their values).
export { getIndicator, getArea, indicatorSeries, indicatorOptions, areaIndicators, pickName } from './queries.js';
export type { IndicatorInfo, AreaIndicatorRow } from './queries.js';
export { listIndicators } from './queries.js';
// Read for other modules: an indicator's change in an area against a comparison group's median (good practices).
export { indicatorEvidence, type Evidence } from './evidence.js';
// --- Reads for the progress module (targets, statuses, index). Kept here so that
// progress never touches this module's tables; each is one query by indicator.
import type { Executor } from '../../platform/db/index.js';
import { rawQuery } from './service.js';

export type ProgressSeriesRow = { indicator_id: string; area_id: string; country: string; level: string; series: [string, number | null][] };

/** Total-breakdown series of the given indicators for every area with data (from the precomputed summary). */
export async function progressSeries(ex: Executor, indicatorIds: string[]): Promise<ProgressSeriesRow[]> {
  return rawQuery<ProgressSeriesRow>(
    ex,
    `SELECT s.indicator_id, s.area_id, a.country, a.level, s.series FROM ind_area_summary s JOIN areas a ON a.id = s.area_id
     WHERE s.indicator_id = ANY($1::uuid[])`,
    [indicatorIds],
  );
}

/** One breakdown's series of one indicator, per area (for targets set on a breakdown). */
export async function breakdownSeries(ex: Executor, indicatorId: string, breakdown: string): Promise<ProgressSeriesRow[]> {
  return rawQuery<ProgressSeriesRow>(
    ex,
    `SELECT o.indicator_id, o.area_id, a.country, a.level, json_agg(json_build_array(o.period, o.value) ORDER BY o.period) AS series
     FROM ind_observations o JOIN areas a ON a.id = o.area_id
     WHERE o.indicator_id = $1 AND o.breakdown = $2 GROUP BY o.indicator_id, o.area_id, a.country, a.level`,
    [indicatorId, breakdown],
  );
}

export type IndicatorVersion = { id: string; code: string; direction: 'higher' | 'lower' | 'neutral'; framework: string | null; data_version: number; sdg_goal: string | null; u4ssc_dimension: string | null };

/**
 * Each indicator's data version (bumped by every import that changes it), direction,
 * SDG goal (the goal of its first linked SDG node) and U4SSC dimension (the top node
 * of its U4SSC framework node). `ids` limits the answer; without it, every indicator with data.
 */
export async function indicatorVersions(ex: Executor, ids?: string[]): Promise<IndicatorVersion[]> {
  return rawQuery<IndicatorVersion>(
    ex,
    `WITH RECURSIVE up AS (
       SELECT n.id AS start, n.id, n.parent_id, n.code, n.framework_id FROM ind_framework_nodes n
       UNION ALL SELECT up.start, p.id, p.parent_id, p.code, p.framework_id FROM up JOIN ind_framework_nodes p ON p.id = up.parent_id),
     roots AS (SELECT start, code, framework_id FROM up WHERE parent_id IS NULL)
     SELECT i.id, i.code, i.direction, f.key AS framework, i.data_version,
       (SELECT r.code FROM ind_indicator_links l JOIN roots r ON r.start = l.node_id JOIN ind_frameworks rf ON rf.id = r.framework_id AND rf.key = 'sdg'
        WHERE l.indicator_id = i.id ORDER BY lpad(r.code, 3, '0') LIMIT 1) AS sdg_goal,
       (SELECT r.code FROM ind_indicator_links l JOIN roots r ON r.start = l.node_id JOIN ind_frameworks rf ON rf.id = r.framework_id AND rf.key = 'u4ssc'
        WHERE l.indicator_id = i.id ORDER BY r.code LIMIT 1) AS u4ssc_dimension
     FROM ind_indicators i LEFT JOIN ind_frameworks f ON f.id = i.framework_id
     WHERE ${ids ? 'i.id = ANY($1::uuid[])' : 'i.area_count > 0'}`,
    ids ? [ids] : [],
  );
}
/** For the progress module's demo: the U4SSC KPIs it illustrates belong in a framework with dimensions. */
export { importTaxonomy } from './service.js';

// For the benchmarks, which time pages against their own SQL run raw (scripts/bench-*.ts), and load data as imports do.
export * as indicatorQueries from './queries.js';
export { parseAreaList } from './importers/arealist.js';
export type { AreaInput } from './importers/kolada.js';
export { upsertIndicators } from './service.js';
export { importFiles } from './parse-pool.js';
