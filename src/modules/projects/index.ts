/**
 * The projects module's public face: projects, their partners, phases and
 * deadlines, and their funding; pages, JSON API, calendar feed, exports and the
 * deadline reminder other code may schedule.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/http.js';
import { localStorageFor, type FileStorage } from '../../platform/storage/index.js';
import { projectRoutes } from './routes.js';
import { registerMultipart } from './upload.js';

export async function projectsModule(app: FastifyInstance, deps: AppDeps & { storage?: FileStorage }) {
  const storage = deps.storage ?? localStorageFor(deps.config.dataDir);
  registerMultipart(app, deps.config.uploadMaxBytes);
  await app.register(projectRoutes, { ...deps, storage });
}
