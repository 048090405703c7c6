/**
 * The progress module's public face: targets, and the statuses, scores and index
 * precomputed from them. Reads indicators and the directory only through their index.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/http.js';
import { progressRoutes } from './routes.js';
import { areaProgressSection, organisationProgressSection, progressPages } from './pages.js';
import { recomputeStale } from './service.js';
import { indicatorOverlay } from './indicator-overlay.js';
import { defineJob } from '../../platform/jobs.js';
import { onOpenSdgMetadata } from '../../platform/import-hooks.js';
import { openSdgTargetsListener } from './opensdg-hook.js';

export { seedProgressDemo } from './demo.js';
export { recomputeAll, recomputeStale, createTarget, updateTarget, deleteTarget, importTargets } from './service.js';

/**
 * Imports bump each indicator's data_version (in this process, another app server or the CLI);
 * a recurring job recomputes what moved, so no page request ever computes, and with several app
 * servers one of them does it, not each. Tests call recomputeStale themselves to stay deterministic.
 */
export const PROGRESS_RECOMPUTE_JOB = defineJob({
  kind: 'progress.recompute-stale',
  every: 30_000,
  maxAttempts: 1,
  run: async ({ db, config }) => (config?.env === 'test' ? { skipped: 'tests recompute themselves' } : recomputeStale(db)),
});

export async function progressModule(app: FastifyInstance, deps: AppDeps) {
  deps.extensions?.areaSections.push(areaProgressSection(deps.db));
  deps.extensions?.organisationSections.push(organisationProgressSection(deps.db));
  deps.extensions?.indicatorOverlays.push(indicatorOverlay(deps.db));
  // Web uploads with Open SDG metadata run in the job worker: their targets reach progress this way.
  onOpenSdgMetadata(openSdgTargetsListener);
  await app.register(progressRoutes, deps);
  await app.register(progressPages, deps);
}
export { indicatorTargetStatus } from './queries.js';
/** Targets and manual statuses from Open SDG metadata that comes with an indicator import (handed to the CLI in src/cli.ts; registered for web uploads in progressModule). */
export { openSdgTargetsListener } from './opensdg-hook.js';
/** The pages' reads, for the page benchmark's raw-SQL baseline (scripts/bench-pages.ts). */
export * as progressQueries from './queries.js';
