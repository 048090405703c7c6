/**
 * The indicators module's public face: the Fastify plugin (pages and API), the
 * demo seeder and the commands other modules or the CLI may call.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/http.js';
import { indicatorPages, organisationIndicatorsSection } from './pages.js';
import { indicatorRoutes } from './routes.js';
import { headlinePages } from './headline-pages.js';
import { frameworkPages } from './frameworks-pages.js';
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
  await app.register(headlinePages, deps);
  await app.register(frameworkPages, deps);
}

// Read-only lookups other modules use (plans and challenges follow indicators and show their values).
export { getIndicator, getArea, indicatorSeries, indicatorOptions, areaIndicators, pickName } from './queries.js';
export type { IndicatorInfo, AreaIndicatorRow } from './queries.js';
export { listIndicators } from './queries.js';
// Read for other modules: an indicator's change in an area against a comparison group's median (good practices).
export { indicatorEvidence, type Evidence } from './evidence.js';
// Reads for the progress module (targets, statuses, index): one query by indicator each.
export { progressSeries, breakdownSeries, indicatorVersions, type ProgressSeriesRow, type IndicatorVersion } from './queries.js';
/** For the progress module's demo: the U4SSC KPIs it illustrates belong in a framework with dimensions. */
export { importTaxonomy } from './service.js';

// For the benchmarks, which time pages against their own SQL run raw (scripts/bench-*.ts), and load data as imports do.
export * as indicatorQueries from './queries.js';
export { parseAreaList } from './importers/arealist.js';
export type { AreaInput } from './importers/kolada.js';
export { upsertIndicators } from './service.js';
export { importFiles } from './parse-pool.js';
// Choosing indicators with the SDG and KS/SSB taxonomy filters (plans: a priority's indicators).
export { indicatorFacets, chooseIndicators, indicatorsByCodes, type IndicatorFacets, type IndicatorFilter, type ChoosableIndicator } from './chooser.js';
export { latestPopulationSql, POPULATION_INDICATORS } from './queries.js';
