/**
 * The meetings module's public face: agendas, case items, minutes, decisions
 * and documents, the OParl 1.1 read API, iCalendar and Atom feeds.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/http.js';
import { localStorageFor, type FileStorage } from '../../platform/storage/index.js';
import { meetingsPages, organisationMeetingsSection } from './pages.js';
import { meetingsRoutes } from './routes.js';
import { registerMultipart } from './upload.js';

export { seedMeetingsDemo, DEMO_ORGANISATIONS } from './demo.js';
export { organisationMeetingsSummary, listMeetings, publicMeetingView, isFilePublic } from './queries.js';
export { Oparl } from './oparl.js';
export { meetingsSearchSource } from './search.js';
export type { MeetingView, ItemView, FileView } from './queries.js';

/**
 * Registers the module's routes. Files go to local disk under
 * `<dataDir>/files` unless another storage backend is passed.
 */
export async function meetingsModule(app: FastifyInstance, deps: AppDeps & { storage?: FileStorage }) {
  const storage = deps.storage ?? localStorageFor(deps.config.dataDir);
  // Scoped to this plugin: only meetings routes accept multipart uploads.
  registerMultipart(app, deps.config.uploadMaxBytes);
  await app.register(meetingsRoutes, { ...deps, storage });
  await app.register(meetingsPages, { ...deps, storage });
  deps.extensions?.organisationSections.push(organisationMeetingsSection(deps.db));
}
