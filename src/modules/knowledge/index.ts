/**
 * Knowledge: news, events and webinars, and good practices. Everything published is
 * written to the shared search index in the same transaction (see search.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/http.js';
import { localStorageFor, type FileStorage } from '../../platform/storage/index.js';
import { newsPages, organisationNewsSection } from './news-pages.js';
import { newsRoutes } from './news-routes.js';
import { registerMultipart } from '../../web/multipart.js';
import { eventPages } from './event-pages.js';
import { organisationEventsSection } from './event-views.js';
import { eventRoutes } from './event-routes.js';
import { practicePages } from './practice-pages.js';
import { practiceRoutes } from './practice-routes.js';

export { knowledgeSearchSource } from './search.js';
export { seedKnowledgeDemo } from './demo.js';

export async function knowledgeModule(app: FastifyInstance, deps: AppDeps & { storage?: FileStorage }) {
  const storage = deps.storage ?? localStorageFor(deps.config.dataDir);
  // Scoped to this plugin: only knowledge routes accept multipart here.
  registerMultipart(app, deps.config.uploadMaxBytes);
  await app.register(newsRoutes, { ...deps, storage });
  await app.register(newsPages, { ...deps, storage });
  await app.register(eventRoutes, { ...deps, storage });
  await app.register(eventPages, { ...deps, storage });
  await app.register(practiceRoutes, { ...deps, storage });
  await app.register(practicePages, { ...deps, storage });
  deps.extensions?.organisationSections.push(organisationNewsSection(deps.db), organisationEventsSection(deps.db));
}
