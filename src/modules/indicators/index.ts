/**
 * The indicators module's public face: frameworks, indicators, observations and their reading
 * (pages, API and the lookups other modules use). Imports (files, jobs, the CLI) and the compare
 * page are modules of their own that build on this one; this module imports neither.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/http.js';
import { indicatorPages } from './pages.js';
import { indicatorListPage } from './list-page.js';
import { areaPages, organisationIndicatorsSection } from './area-page.js';
import { indicatorRoutes } from './routes.js';
import { headlinePages } from './headline-pages.js';
import { frameworkPages } from './frameworks-pages.js';
import { indicatorsHomeSection, organisationIndicatorFigures } from './overview.js';
import { indicatorFreshness } from './freshness.js';
import { chartAssets } from './views.js';
import { declareFreshness } from '../../web/freshness.js';

export async function indicatorsModule(app: FastifyInstance, deps: AppDeps) {
  declareFreshness(app, indicatorFreshness(deps.db));
  deps.extensions?.organisationSections.push(organisationIndicatorsSection(deps.db));
  deps.extensions?.organisationFigures.push(organisationIndicatorFigures(deps.db));
  deps.extensions?.homeSections.push(indicatorsHomeSection(deps.db));
  await app.register(chartAssets);
  await app.register(indicatorRoutes, deps);
  await app.register(indicatorListPage, deps);
  await app.register(indicatorPages, deps);
  await app.register(areaPages, deps);
  await app.register(headlinePages, deps);
  await app.register(frameworkPages, deps);
}

// Writes: each a use case in one transaction with its audit row.
export { loadSdgFramework, importTaxonomy, upsertIndicators, setIndicatorSdgLinks, importAreas, upsertAreaGroup, upsertAreaGroupsTx, importGeometries, type AreaGroupInput } from './service.js';
export { importObservations, refreshSummaries, type ImportOptions, type ImportReport } from './observations.js';
export { importObservationsStreamed } from './observations-stream.js';
export { seedIndicatorsDemo } from './demo.js';
// Who may write what (docs/permissions.md); the imports module's own rules (uploads, mappings) build on these.
export { canImport, assertCanImport, assertCanWriteObservations, canManageReferenceData, assertCanManageReferenceData } from './policy.js';
export { indicatorsSearchSource } from './search.js';
export { SDG_GOALS, sdgTargets } from './sdg.js';

// Read-only lookups other modules use (plans and challenges follow indicators and show their values).
export { getIndicator, getArea, areasByKeys, indicatorSeries, indicatorOptions, areaIndicators, pickName, indicatorPage, exportRows } from './queries.js';
export type { IndicatorInfo, AreaIndicatorRow } from './queries.js';
// Read for other modules: an indicator's change in an area against a comparison group's median (good practices).
export { indicatorEvidence, type Evidence } from './evidence.js';
// Reads for the progress module (targets, statuses, index): one query by indicator each.
export { progressSeriesText, breakdownSeries, indicatorVersions, type ProgressSeriesRow, type IndicatorVersion } from './queries.js';
// Choosing indicators with the SDG and KS/SSB taxonomy filters (plans: a priority's indicators).
export { indicatorFacets, chooseIndicators, indicatorsByCodes, type IndicatorFacets, type IndicatorFilter, type ChoosableIndicator } from './chooser.js';
export { latestPopulationSql, POPULATION_INDICATORS } from './queries.js';
// The compare module's reads (groups, latest values, boundaries), and the benchmarks', which time pages against their own SQL.
export * as indicatorQueries from './queries.js';
// For other modules' tests only (test-support.ts says why).
export * as indicatorsTestSupport from './test-support.js';
// Exports, labels, and the views the compare and import pages share with the indicator pages (each has its own texts).
export { toOpenSdgCsv } from './exporters/opensdg.js';
export { toJsonStat } from './exporters/jsonstat.js';
export { labelBook, labelBooks } from './labels.js';
export { lineOption, rankedBarOption, renderSvg, stats, type LineSeries } from './charts.js';
export { asList, bdLabel, Figure, fmt, formatNumber, Styles } from './views.js';
