/**
 * The indicators module's public face: the Fastify plugin (pages and API), the
 * demo seeder and the commands other modules or the CLI may call.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/http.js';
import { indicatorPages, organisationIndicatorsSection } from './pages.js';
import { indicatorRoutes } from './routes.js';
import { indicatorFreshness } from './freshness.js';
import { declareFreshness } from '../../web/freshness.js';

export { seedIndicatorsDemo } from './demo.js';
export { loadSdgFramework, importObservations, importAreas, upsertAreaGroup, importGeometries, refreshSummaries } from './service.js';
export { canImport } from './policy.js';
export { SDG_GOALS, sdgTargets } from './sdg.js';

export async function indicatorsModule(app: FastifyInstance, deps: AppDeps) {
  declareFreshness(app, indicatorFreshness(deps.db));
  deps.extensions?.organisationSections.push(organisationIndicatorsSection(deps.db));
  await app.register(indicatorRoutes, deps);
  await app.register(indicatorPages, deps);
}
