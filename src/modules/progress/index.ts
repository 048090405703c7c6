/**
 * The progress module's public face: targets, and the statuses, scores and index
 * precomputed from them. Reads indicators and the directory only through their index.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/http.js';
import { progressRoutes } from './routes.js';
import { areaProgressSection, organisationProgressSection, progressPages } from './pages.js';
import { recomputeStale } from './service.js';

export { seedProgressDemo } from './demo.js';
export { recomputeAll, recomputeStale, createTarget, updateTarget, deleteTarget } from './service.js';

/** How often the module looks for indicators whose data an import changed. */
const POLL_MS = 15_000;

export async function progressModule(app: FastifyInstance, deps: AppDeps) {
  deps.extensions?.areaSections.push(areaProgressSection(deps.db));
  deps.extensions?.organisationSections.push(organisationProgressSection(deps.db));
  await app.register(progressRoutes, deps);
  await app.register(progressPages, deps);
  // Imports bump each indicator's data_version (in this process, another one or the CLI);
  // a background pass recomputes what moved, so no page request ever computes. Tests call
  // recomputeStale themselves to stay deterministic.
  if (deps.config.env !== 'test') {
    let running = false;
    const tick = async () => {
      if (running) return;
      running = true;
      try {
        const r = await recomputeStale(deps.db);
        if (r.indicators) app.log.info({ indicators: r.indicators }, 'progress recomputed after data changed');
      } catch (err) {
        app.log.error({ err }, 'progress recompute failed');
      } finally {
        running = false;
      }
    };
    const timer = setInterval(tick, POLL_MS);
    timer.unref();
    app.addHook('onReady', async () => void tick());
    app.addHook('onClose', async () => clearInterval(timer));
  }
}
export { indicatorTargetStatus } from './queries.js';
