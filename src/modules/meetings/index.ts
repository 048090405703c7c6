/**
 * The meetings module's public face: agendas, case items, minutes, decisions
 * and documents, the OParl 1.1 read API, iCalendar and Atom feeds.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/http.js';
import { storageFor, type FileStorage } from '../../platform/storage/index.js';
import { meetingsPages, organisationMeetingsSection } from './pages.js';
import { meetingItemPages } from './item-pages.js';
import { meetingRequestPages } from './requests-pages.js';
import { meetingsRoutes } from './routes.js';
import { meetingsHomeSection, organisationMeetingFigures } from './overview.js';
import { registerMultipart } from '../../web/multipart.js';
import { clockMinute, declareFreshness, type Freshness } from '../../web/freshness.js';

// The public reads and what they show (src/web/freshness.ts): ETags, 304s and the anonymous page
// cache. Upcoming meetings become past ones without a write, hence the clock. Anonymous readers
// never see closed items, and signed-in answers are never cached, so nothing closed is shared.
// File downloads are left out: they stream, and their access is checked per file.
const own: Freshness = { domains: ['meetings', 'directory'], version: clockMinute };
// The meeting's own page also shows other modules' sections (plans: follow-up items), whose writes count as 'other'.
const page: Freshness = { ...own, domains: ['meetings', 'directory', 'other'] };
const FRESHNESS = (url: string): Freshness | undefined =>
  url === '/meetings/:id' ? page :
  url.startsWith('/oparl/v1/') ||
  ['/meetings', '/meetings/bodies/:slug', '/meetings/:id', '/meetings/:id/items/:itemId', '/meetings/:id/decisions', '/meetings/:id/agenda', '/meetings/:id/minutes',
    '/api/meetings', '/api/meetings/:id', '/meetings/:id/calendar.ics', '/meetings/bodies/:slug/calendar.ics', '/meetings/bodies/:slug/feed.atom'].includes(url)
    ? own
    : undefined;

export { seedMeetingsDemo, DEMO_ORGANISATIONS } from './demo.js';
export { organisationMeetingsSummary, listMeetings, publicMeetingView, isFilePublic } from './queries.js';
export { Oparl } from './oparl.js';
export { simplePdf } from './pdf.js';
export { escapeText as escapeIcalText } from './ical.js';
export { meetingsSearchSource } from './search.js';
export type { MeetingView, ItemView, FileView } from './queries.js';

/**
 * Registers the module's routes. Files go where STORAGE_URL says (local disk under
 * `<dataDir>/files` by default) unless another storage backend is passed.
 */
export async function meetingsModule(app: FastifyInstance, deps: AppDeps & { storage?: FileStorage }) {
  declareFreshness(app, FRESHNESS);
  const storage = deps.storage ?? (await storageFor(deps.config));
  // Scoped to this plugin: only meetings routes accept multipart uploads.
  registerMultipart(app, deps.config.uploadMaxBytes);
  await app.register(meetingsRoutes, { ...deps, storage });
  await app.register(meetingsPages, { ...deps, storage });
  await app.register(meetingItemPages, { ...deps, storage });
  await app.register(meetingRequestPages, deps);
  deps.extensions?.organisationSections.push(organisationMeetingsSection(deps.db));
  deps.extensions?.organisationFigures.push(organisationMeetingFigures(deps.db));
  deps.extensions?.homeSections.push(meetingsHomeSection(deps.db));
}

// --- Read-only lookup for other modules (plans link decisions and follow-ups to agenda items) ---
import { and as andWhere, eq as eqWhere, isNull as isNullWhere } from 'drizzle-orm';
import type { Executor as MeetingsExecutor } from '../../platform/db/index.js';
import { isUuid as isUuidRef } from '../../platform/text.js';
import { agendaItems as agendaItemsTable, meetings as meetingsTable } from './schema.js';
import { organiserIds as meetingOrganiserIds } from './service.js';

export type AgendaItemRef = { id: string; number: string | null; title: string; lang: string; meetingId: string; meetingTitle: string; startsAt: Date; organiserIds: string[] };

/**
 * An agenda item as other modules link to it (a plan's adopting decision, a follow-up item):
 * the item, its meeting and the meeting's organisers. Titles are public for every item, open or
 * closed, so this withholds nothing; null when the item does not exist or was deleted.
 */
export async function agendaItemRef(db: MeetingsExecutor, itemId: string): Promise<AgendaItemRef | null> {
  if (!isUuidRef(itemId)) return null;
  const [row] = await db
    .select({ id: agendaItemsTable.id, number: agendaItemsTable.number, title: agendaItemsTable.title, lang: agendaItemsTable.lang, meetingId: meetingsTable.id, meetingTitle: meetingsTable.title, startsAt: meetingsTable.startsAt })
    .from(agendaItemsTable)
    .innerJoin(meetingsTable, eqWhere(meetingsTable.id, agendaItemsTable.meetingId))
    .where(andWhere(eqWhere(agendaItemsTable.id, itemId), isNullWhere(agendaItemsTable.deletedAt), isNullWhere(meetingsTable.deletedAt)))
    .limit(1);
  if (!row) return null;
  return { ...row, organiserIds: await meetingOrganiserIds(db, row.meetingId) };
}

import type { Actor as MeetingsActor } from '../../platform/audit.js';
import type { MeetingRef } from '../../platform/http.js';
import { meetingView as meetingViewFor } from './queries.js';

/**
 * A meeting as other modules' sections and forms see it (plans: follow-up items): its organisers
 * and the agenda items this actor may read (none while the agenda is unpublished to them; closed
 * items only for those who may read closed content). Unknown meetings: NotFoundError.
 */
export async function meetingRefFor(db: MeetingsExecutor, actor: MeetingsActor, meetingId: string): Promise<MeetingRef> {
  const v = await meetingViewFor(db, actor, meetingId);
  const items = v.agendaVisible ? v.items.filter((it) => !it.withheld).map((it) => ({ id: it.id, label: [it.number, it.title].filter(Boolean).join('. ') })) : [];
  return { id: v.meeting.id, title: v.meeting.title, organiserIds: v.organisers.map((o) => o.id), items };
}
