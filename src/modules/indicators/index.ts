/**
 * The indicators module's public face: the Fastify plugin (pages and API), the
 * demo seeder and the commands other modules or the CLI may call.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/http.js';
import { indicatorPages, organisationIndicatorsSection } from './pages.js';
import { indicatorRoutes } from './routes.js';

export { seedIndicatorsDemo } from './demo.js';
export { loadSdgFramework, importObservations, importAreas, upsertAreaGroup, importGeometries, refreshSummaries } from './service.js';
export { canImport } from './policy.js';
export { indicatorsSearchSource } from './search.js';
export { SDG_GOALS, sdgTargets } from './sdg.js';

export async function indicatorsModule(app: FastifyInstance, deps: AppDeps) {
  deps.extensions?.organisationSections.push(organisationIndicatorsSection(deps.db));
  await app.register(indicatorRoutes, deps);
  await app.register(indicatorPages, deps);
}

// Read for other modules: an indicator's change in an area against a comparison group's median (good practices).
export { indicatorEvidence, type Evidence } from './evidence.js';
