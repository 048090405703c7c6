/**
 * The compare module's public face: one indicator across a group or a set of areas (ranking,
 * median, percentile, time series and map), as a page (/compare) and in the API (/api/compare).
 * It reads through the indicators module and writes nothing.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/http.js';
import { declareFreshness } from '../../web/freshness.js';
import { comparePages } from './pages.js';
import { compareRoutes } from './routes.js';

export async function compareModule(app: FastifyInstance, deps: AppDeps) {
  // Rankings move with every import and with the area lists and groups (see src/web/freshness.ts).
  declareFreshness(app, (url) => (url === '/compare' || url === '/api/compare' ? { domains: ['indicators', 'indicator-data', 'directory'] } : undefined));
  await app.register(compareRoutes, deps);
  await app.register(comparePages, deps);
}
