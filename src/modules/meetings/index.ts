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
import { clockMinute, declareFreshness, type Freshness } from '../../web/freshness.js';

// The public reads and what they show (src/web/freshness.ts): ETags, 304s and the anonymous page
// cache. Upcoming meetings become past ones without a write, hence the clock. Anonymous readers
// never see closed items, and signed-in answers are never cached, so nothing closed is shared.
// File downloads are left out: they stream, and their access is checked per file.
const own: Freshness = { domains: ['meetings', 'directory'], version: clockMinute };
const FRESHNESS = (url: string): Freshness | undefined =>
  url.startsWith('/oparl/v1/') ||
  ['/meetings', '/meetings/bodies/:slug', '/meetings/:id', '/meetings/:id/items/:itemId', '/meetings/:id/decisions', '/meetings/:id/agenda', '/meetings/:id/minutes',
    '/api/meetings', '/api/meetings/:id', '/meetings/:id/calendar.ics', '/meetings/bodies/:slug/calendar.ics', '/meetings/bodies/:slug/feed.atom'].includes(url)
    ? own
    : undefined;

export { seedMeetingsDemo, DEMO_ORGANISATIONS } from './demo.js';
export { organisationMeetingsSummary, listMeetings, publicMeetingView, isFilePublic } from './queries.js';
export { Oparl } from './oparl.js';
export type { MeetingView, ItemView, FileView } from './queries.js';

/**
 * Registers the module's routes. Files go to local disk under
 * `<dataDir>/files` unless another storage backend is passed.
 */
export async function meetingsModule(app: FastifyInstance, deps: AppDeps & { storage?: FileStorage }) {
  declareFreshness(app, FRESHNESS);
  const storage = deps.storage ?? localStorageFor(deps.config.dataDir);
  // Scoped to this plugin: only meetings routes accept multipart uploads.
  registerMultipart(app, deps.config.uploadMaxBytes);
  await app.register(meetingsRoutes, { ...deps, storage });
  await app.register(meetingsPages, { ...deps, storage });
  deps.extensions?.organisationSections.push(organisationMeetingsSection(deps.db));
}
