/**
 * The meetings' JSON API: meetings, items, decisions, participants, files, organisers' requests,
 * OParl, iCalendar and Atom.
 * Why this file is long: one file per module's JSON API, as in the other modules; its 32 routes
 * share the API shapes at its top.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import type { FileStorage } from '../../platform/storage/index.js';
import { iso, PageQuery, pageOf, paged, Problem, readErrors, write, writeErrors } from '../../web/api.js';
import { directory } from '../directory/index.js';
import { meetingIcs, organisationAtom, organisationIcs } from './feeds.js';
import { Oparl, type OparlQuery } from './oparl.js';
import { fileForDownload, listMeetings, meetingView, withDescendants, type FileView, type ItemView, type MeetingView } from './queries.js';
import { ATTENDANCE, CONTENT_LANGS, FILE_ROLES, MEETING_STATES, PARTICIPANT_ROLES } from './schema.js';
import * as svc from './service.js';
import * as fileSvc from './files.js';
import * as participantSvc from './participants.js';
import * as agendaSvc from './agenda.js';
import { getMeetingRow } from './service.js';
import { isCalendarDate } from './inputs.js';
import { asUploadedFile } from '../../web/multipart.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const PRINT_CSS = readFileSync(path.join(here, 'print.css'), 'utf8');
const PRINT_JS = readFileSync(path.join(here, 'print.js'), 'utf8');

// --- API shapes --------------------------------------------------------------

const OrgRef = z.object({ id: z.string(), slug: z.string(), name: z.string(), kind: z.string() });
const FileOut = z.object({
  id: z.string().uuid(),
  agendaItemId: z.string().uuid().nullable(),
  role: z.enum(FILE_ROLES),
  title: z.string(),
  fileName: z.string(),
  mimeType: z.string(),
  size: z.number().int(),
  sha512: z.string(),
  createdAt: z.string(),
  downloadUrl: z.string(),
});
const CaseOut = z.object({
  id: z.string().uuid(),
  reference: z.string().nullable(),
  title: z.string(),
  caseType: z.string().nullable(),
  caseDate: z.string().nullable(),
  caseOfficer: z.string().nullable(),
  otherOfficers: z.array(z.string()),
  referrals: z.array(OrgRef).describe('The bodies the case is referred to, leading body first'),
});
const ItemOut = z.object({
  id: z.string().uuid(),
  position: z.number().int(),
  number: z.string().nullable(),
  title: z.string(),
  public: z.boolean(),
  withheld: z.boolean().describe('True when the item is closed and only its title may be shown to this caller'),
  lang: z.string(),
  summary: z.string().nullable().describe('Sanitised HTML'),
  description: z.string().nullable(),
  recommendation: z.string().nullable(),
  decision: z.string().nullable().describe('Null until the minutes are published (or for closed items)'),
  result: z.string().nullable(),
  case: CaseOut.nullable(),
  files: z.array(FileOut),
  web: z.string(),
});
const MeetingSummary = z.object({
  id: z.string().uuid(),
  title: z.string(),
  lang: z.string(),
  start: z.string(),
  end: z.string().nullable(),
  timeZone: z.string(),
  state: z.enum(MEETING_STATES),
  organisers: z.array(OrgRef),
  agendaPublishedAt: z.string().nullable(),
  minutesPublishedAt: z.string().nullable(),
  web: z.string(),
});
const MeetingOut = MeetingSummary.extend({
  pendingOrganisers: z.array(OrgRef).describe('Organisers named without the right to act for them, awaiting their acceptance (shown to editors only)'),
  location: z.object({
    streetAddress: z.string().nullable(),
    postalCode: z.string().nullable(),
    locality: z.string().nullable(),
    room: z.string().nullable(),
    onlineUrl: z.string().nullable(),
    onlinePlatform: z.string().nullable(),
  }),
  description: z.string(),
  minutesNotes: z.string().nullable(),
  participants: z.array(z.object({ id: z.string(), personId: z.string(), name: z.string().nullable(), role: z.enum(PARTICIPANT_ROLES), attendance: z.enum(ATTENDANCE) })),
  items: z.array(ItemOut),
  files: z.array(FileOut),
  canEdit: z.boolean(),
  ical: z.string(),
});

const Id = z.object({ id: z.string().min(1).max(100) });
const ItemRef = z.object({ id: z.string().min(1).max(100), itemId: z.string().min(1).max(100) });
const optStr = (max: number) => z.string().max(max).nullable().optional();
const MeetingBody = z.object({
  title: z.string().max(300),
  lang: z.enum(CONTENT_LANGS).optional(),
  start: z.string().describe('ISO 8601 date-time with offset, e.g. 2020-04-27T15:00:00+02:00'),
  end: z.string().nullable().optional(),
  timeZone: z.string().max(60).optional().describe('IANA zone the meeting is shown in; default Europe/Stockholm'),
  state: z.enum(MEETING_STATES).optional(),
  streetAddress: optStr(300),
  postalCode: optStr(20),
  locality: optStr(200),
  room: optStr(200),
  onlineUrl: optStr(2000),
  onlinePlatform: optStr(100),
  description: optStr(200_000).describe('Rich text: sanitised HTML or plain text'),
  organisationIds: z.array(z.string()).describe('Organising bodies, leading organiser first'),
});
const CaseBody = z.object({
  reference: optStr(100),
  title: optStr(500),
  caseType: optStr(100),
  caseDate: optStr(10),
  caseOfficer: optStr(200),
  otherOfficers: z.array(z.string()).optional(),
  referralOrganisationIds: z.array(z.string()).optional().describe('Leading body first'),
});
const ItemBody = z.object({
  number: optStr(20),
  title: z.string().max(500),
  isPublic: z.boolean().optional().describe('Public (true) or closed (false). Left out: true when adding an item; when replacing one, its current value is kept'),
  lang: z.enum(CONTENT_LANGS).optional(),
  summary: optStr(200_000),
  description: optStr(200_000),
  recommendation: optStr(200_000),
  decision: optStr(200_000),
  result: optStr(100),
  case: CaseBody.nullable().optional(),
});
const Ok = z.object({ ok: z.literal(true) });

function instant(v: string | null | undefined, field: string): Date | null {
  if (v == null || v === '') return null;
  // isCalendarDate: Date.parse would roll 31 February over into March instead of refusing it.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) || Number.isNaN(Date.parse(v)) || !isCalendarDate(v)) {
    throw new ValidationError([{ field, message: 'Use an ISO 8601 date-time with offset, e.g. 2020-04-27T15:00:00+02:00' }]);
  }
  return new Date(v);
}

export function meetingInputFromApi(b: z.infer<typeof MeetingBody>) {
  const startsAt = instant(b.start, 'start');
  if (!startsAt) throw new ValidationError([{ field: 'start', message: 'Required' }]);
  return { ...b, startsAt, endsAt: instant(b.end, 'end') };
}

// --- Presenters ------------------------------------------------------------

export function presentFile(base: string, f: FileView) {
  return {
    id: f.id,
    agendaItemId: f.agendaItemId,
    role: f.role,
    title: f.title,
    fileName: f.fileName,
    mimeType: f.mimeType,
    size: f.sizeBytes,
    sha512: f.sha512,
    createdAt: iso(f.createdAt)!,
    downloadUrl: `${base}/meetings/files/${f.id}/download`,
  };
}

function presentItem(base: string, v: MeetingView, it: ItemView) {
  return {
    id: it.id,
    position: it.position,
    number: it.number,
    title: it.title,
    public: it.isPublic,
    withheld: it.withheld,
    lang: it.lang,
    summary: it.summary,
    description: it.description,
    recommendation: it.recommendation,
    decision: it.decision,
    result: it.result,
    case: it.case
      ? {
          id: it.case.id,
          reference: it.case.reference,
          title: it.case.title,
          caseType: it.case.caseType,
          caseDate: it.case.caseDate,
          caseOfficer: it.case.caseOfficer,
          otherOfficers: it.case.otherOfficers,
          referrals: it.case.referrals,
        }
      : null,
    files: it.files.map((f) => presentFile(base, f)),
    web: `${base}/meetings/${v.meeting.id}/items/${it.id}`,
  };
}

function presentSummary(base: string, m: MeetingView['meeting'], organisers: MeetingView['organisers']) {
  return {
    id: m.id,
    title: m.title,
    lang: m.lang,
    start: iso(m.startsAt)!,
    end: iso(m.endsAt),
    timeZone: m.timeZone,
    state: m.state,
    organisers,
    agendaPublishedAt: iso(m.agendaPublishedAt),
    minutesPublishedAt: iso(m.minutesPublishedAt),
    web: `${base}/meetings/${m.id}`,
  };
}

export function presentMeetingApi(base: string, v: MeetingView) {
  const m = v.meeting;
  return {
    ...presentSummary(base, m, v.organisers),
    pendingOrganisers: v.pendingOrganisers,
    location: { streetAddress: m.streetAddress, postalCode: m.postalCode, locality: m.locality, room: m.room, onlineUrl: m.onlineUrl, onlinePlatform: m.onlinePlatform },
    description: m.description,
    minutesNotes: v.minutesNotes,
    participants: v.participants.map((p) => ({ id: p.id, personId: p.personId, name: p.person?.name ?? null, role: p.role, attendance: p.attendance })),
    items: v.items.map((it) => presentItem(base, v, it)),
    files: v.files.map((f) => presentFile(base, f)),
    canEdit: v.access.edit,
    ical: `${base}/meetings/${m.id}/calendar.ics`,
  };
}

/** Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266). */
export function contentDisposition(kind: 'attachment' | 'inline', name: string): string {
  const ascii = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

// --- Routes ------------------------------------------------------------------

export async function meetingsRoutes(app: FastifyInstance, deps: AppDeps & { storage: FileStorage }) {
  const { db, config, storage } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = config.publicUrl;
  const tags = ['Meetings'];

  r.get('/meetings/assets/print.css', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(PRINT_CSS));
  r.get('/meetings/assets/print.js', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(PRINT_JS));

  r.get('/api/meetings', {
    schema: {
      tags, summary: 'List meetings',
      querystring: z.object({
        organisation: z.string().max(200).optional().describe('Organisation id or slug; includes organisations nested under it'),
        when: z.enum(['upcoming', 'past', 'all']).default('all'),
      }).extend(PageQuery.shape),
      response: { 200: pageOf(MeetingSummary), ...readErrors },
    },
  }, async (req) => {
    const q = req.query;
    let organisationIds: string[] | undefined;
    if (q.organisation) {
      organisationIds = await withDescendants(db.orm, (await directory.getOrganisation(db.orm, q.organisation)).id);
    }
    const res = await listMeetings(db.orm, { organisationIds, when: q.when, page: q.page, pageSize: q.pageSize });
    return paged(req, res.page, res.pageSize, res.total, res.items.map((e) => presentSummary(base, e.meeting, e.organisers)));
  });

  r.post('/api/meetings', { schema: { tags, summary: 'Create a meeting', ...write, body: MeetingBody, response: { 201: MeetingOut, ...writeErrors } } }, async (req, reply) => {
    const m = await svc.createMeeting(db, req.actor, meetingInputFromApi(req.body));
    return reply.code(201).send(presentMeetingApi(base, await meetingView(db.orm, req.actor, m.id)));
  });

  // An organiser named without the right to act for it accepts (or declines) before the meeting is its.
  const Request = z.object({
    meeting: z.object({ id: z.string().uuid(), title: z.string(), start: z.string(), web: z.string() }),
    organisation: OrgRef.pick({ id: true, slug: true, name: true }),
    lead: OrgRef.pick({ id: true, slug: true, name: true }).nullable(),
  });
  r.get('/api/meetings/requests', { schema: { tags, summary: 'Meetings that name, awaiting acceptance, an organisation you may act for (soonest first)', querystring: PageQuery, response: { 200: pageOf(Request), 401: Problem } } }, async (req) => {
    const res = await svc.listOrganiserRequests(db.orm, req.actor, req.query);
    return paged(req, res.page, res.pageSize, res.total, res.items.map((x) => ({ meeting: { id: x.meeting.id, title: x.meeting.title, start: iso(x.meeting.startsAt)!, web: `${base}/meetings/${x.meeting.id}` }, organisation: x.organisation, lead: x.lead })));
  });
  const OrganiserParams = z.object({ id: z.string().max(100), organisationId: z.string().max(100) });
  r.post('/api/meetings/:id/organisers/:organisationId/accept', { schema: { tags, summary: 'Accept being an organiser of the meeting (admins and editors of that organisation)', ...write, params: OrganiserParams, response: { 200: Ok, ...writeErrors } } }, async (req) => {
    await svc.acceptOrganiser(db, req.actor, req.params.id, req.params.organisationId);
    return { ok: true as const };
  });
  r.post('/api/meetings/:id/organisers/:organisationId/decline', { schema: { tags, summary: 'Decline being an organiser of the meeting: the organisation is no longer named', ...write, params: OrganiserParams, response: { 200: Ok, ...writeErrors } } }, async (req) => {
    await svc.declineOrganiser(db, req.actor, req.params.id, req.params.organisationId);
    return { ok: true as const };
  });

  r.get('/api/meetings/:id', { schema: { tags, summary: 'A meeting with its agenda, as the caller may see it', params: Id, response: { 200: MeetingOut, ...readErrors } } }, async (req) =>
    presentMeetingApi(base, await meetingView(db.orm, req.actor, req.params.id)));

  r.put('/api/meetings/:id', { schema: { tags, summary: 'Replace a meeting’s details', ...write, params: Id, body: MeetingBody, response: { 200: MeetingOut, ...writeErrors } } }, async (req) => {
    await svc.updateMeeting(db, req.actor, req.params.id, meetingInputFromApi(req.body));
    return presentMeetingApi(base, await meetingView(db.orm, req.actor, req.params.id));
  });

  r.delete('/api/meetings/:id', { schema: { tags, summary: 'Remove a meeting (kept as a tombstone for OParl)', ...write, params: Id, response: { 200: Ok, ...writeErrors } } }, async (req) => {
    await svc.deleteMeeting(db, req.actor, req.params.id);
    return { ok: true as const };
  });

  r.post('/api/meetings/:id/copy', {
    schema: { tags, summary: 'Copy a meeting to a new time (meetings repeat only by copying)', ...write, params: Id, body: z.object({ start: z.string(), end: z.string().nullable().optional() }), response: { 201: MeetingOut, ...writeErrors } },
  }, async (req, reply) => {
    const copy = await svc.copyMeeting(db, req.actor, req.params.id, { startsAt: instant(req.body.start, 'start'), endsAt: instant(req.body.end, 'end') });
    return reply.code(201).send(presentMeetingApi(base, await meetingView(db.orm, req.actor, copy.id)));
  });

  r.post('/api/meetings/:id/publication', {
    schema: { tags, summary: 'Publish or withdraw the agenda or the minutes', ...write, params: Id, body: z.object({ what: z.enum(['agenda', 'minutes']), publish: z.boolean() }), response: { 200: MeetingOut, ...writeErrors } },
  }, async (req) => {
    await svc.setPublication(db, req.actor, req.params.id, req.body.what, req.body.publish);
    return presentMeetingApi(base, await meetingView(db.orm, req.actor, req.params.id));
  });

  r.post('/api/meetings/:id/items', { schema: { tags, summary: 'Add an agenda item (optionally with its case)', ...write, params: Id, body: ItemBody, response: { 201: ItemOut, ...writeErrors } } }, async (req, reply) => {
    const it = await agendaSvc.addItem(db, req.actor, req.params.id, req.body);
    const v = await meetingView(db.orm, req.actor, req.params.id);
    return reply.code(201).send(presentItem(base, v, v.items.find((i) => i.id === it.id)!));
  });

  r.put('/api/meetings/:id/items/:itemId', {
    schema: {
      tags, summary: 'Replace an agenda item',
      description: 'Replaces the item’s fields with those sent, except `isPublic`: left out, the item keeps its current visibility, so a closed item never becomes public by an omission. Send `isPublic: true` to open it.',
      ...write, params: ItemRef, body: ItemBody, response: { 200: ItemOut, ...writeErrors },
    },
  }, async (req) => {
    await agendaSvc.updateItem(db, req.actor, req.params.id, req.params.itemId, req.body);
    const v = await meetingView(db.orm, req.actor, req.params.id);
    return presentItem(base, v, v.items.find((i) => i.id === req.params.itemId)!);
  });

  r.delete('/api/meetings/:id/items/:itemId', { schema: { tags, summary: 'Remove an agenda item', ...write, params: ItemRef, response: { 200: Ok, ...writeErrors } } }, async (req) => {
    await agendaSvc.deleteItem(db, req.actor, req.params.id, req.params.itemId);
    return { ok: true as const };
  });

  r.post('/api/meetings/:id/items/:itemId/move', {
    schema: { tags, summary: 'Move an agenda item up, down, or to a 0-based position', ...write, params: ItemRef, body: z.object({ to: z.union([z.enum(['up', 'down']), z.number().int()]) }), response: { 200: Ok, ...writeErrors } },
  }, async (req) => {
    await agendaSvc.moveItem(db, req.actor, req.params.id, req.params.itemId, req.body.to);
    return { ok: true as const };
  });

  r.put('/api/meetings/:id/minutes', {
    schema: {
      tags, summary: 'Record the minutes: a decision and result per item, and general notes', ...write, params: Id,
      body: z.object({ minutesNotes: optStr(200_000), markHeld: z.boolean().optional(), items: z.array(z.object({ id: z.string(), decision: optStr(200_000), result: optStr(100) })).optional() }),
      response: { 200: MeetingOut, ...writeErrors },
    },
  }, async (req) => {
    await agendaSvc.recordDecisions(db, req.actor, req.params.id, req.body);
    return presentMeetingApi(base, await meetingView(db.orm, req.actor, req.params.id));
  });

  r.post('/api/meetings/:id/participants', {
    schema: { tags, summary: 'Add a participant, or update their role and attendance', ...write, params: Id, body: z.object({ personId: z.string(), role: z.enum(PARTICIPANT_ROLES).optional(), attendance: z.enum(ATTENDANCE).optional() }), response: { 200: Ok, ...writeErrors } },
  }, async (req) => {
    await participantSvc.addParticipant(db, req.actor, req.params.id, req.body);
    return { ok: true as const };
  });

  r.delete('/api/meetings/:id/participants/:participantId', {
    schema: { tags, summary: 'Remove a participant', ...write, params: z.object({ id: z.string().max(100), participantId: z.string().max(100) }), response: { 200: Ok, ...writeErrors } },
  }, async (req) => {
    await participantSvc.removeParticipant(db, req.actor, req.params.id, req.params.participantId);
    return { ok: true as const };
  });

  r.post('/api/meetings/:id/files', {
    schema: {
      tags, summary: 'Upload a file (multipart/form-data: file, role, title, agendaItemId)', ...write, params: Id,
      consumes: ['multipart/form-data'],
      body: z.object({
        file: z.any().describe('The file (binary)'),
        role: z.enum(FILE_ROLES).optional(),
        title: z.string().max(300).optional(),
        agendaItemId: z.string().max(100).optional(),
      }),
      response: { 201: FileOut, 413: Problem, ...writeErrors },
    },
  }, async (req, reply) => {
    const body = req.body as Record<string, unknown>;
    const row = await fileSvc.addFile(db, storage, req.actor, req.params.id, asUploadedFile(body.file), { role: body.role, title: body.title, agendaItemId: body.agendaItemId }, config.uploadMaxBytes);
    return reply.code(201).send(presentFile(base, row));
  });

  r.delete('/api/meetings/:id/files/:fileId', {
    schema: { tags, summary: 'Remove a file', ...write, params: z.object({ id: z.string().max(100), fileId: z.string().max(100) }), response: { 200: Ok, ...writeErrors } },
  }, async (req) => {
    await fileSvc.deleteFile(db, storage, req.actor, req.params.id, req.params.fileId);
    return { ok: true as const };
  });

  // --- Downloads, calendars and feeds ----------------------------------------

  r.get('/meetings/files/:id/download', { schema: { tags, summary: 'Download a file the caller may see', params: Id } }, async (req, reply) => {
    const f = await fileForDownload(db.orm, req.actor, req.params.id);
    const stream = await storage.stream(f.storageKey).catch(() => {
      throw new NotFoundError('file', f.id);
    });
    const inline = f.mimeType === 'application/pdf' || f.mimeType.startsWith('image/');
    return reply
      .type(f.mimeType)
      .header('content-disposition', contentDisposition(inline ? 'inline' : 'attachment', f.fileName))
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      // Shared caches keep none of them: a public file can become closed (its item closed, its
      // meeting withdrawn), and a shared cache would go on serving it. Browsers may keep a public one briefly.
      .header('cache-control', f.isPublic ? 'private, max-age=300' : 'private, no-store')
      .header('digest', `sha-512=${Buffer.from(f.sha512, 'hex').toString('base64')}`)
      .send(stream);
  });

  r.get('/meetings/:id/calendar.ics', { schema: { tags, summary: 'The meeting as an iCalendar file', params: Id } }, async (req, reply) => {
    const m = await getMeetingRow(db.orm, req.params.id);
    return reply
      .type('text/calendar; charset=utf-8')
      .header('content-disposition', contentDisposition('attachment', `meeting-${m.id}.ics`))
      .send(await meetingIcs(db.orm, m, base));
  });

  r.get('/meetings/bodies/:slug/calendar.ics', { schema: { tags, summary: 'iCalendar feed of an organisation’s meetings (and those of groups under it)', params: z.object({ slug: z.string().max(200) }) } }, async (req, reply) => {
    const o = await directory.getOrganisation(db.orm, req.params.slug);
    return reply.type('text/calendar; charset=utf-8').send(await organisationIcs(db.orm, o, base));
  });

  r.get('/meetings/bodies/:slug/feed.atom', { schema: { tags, summary: 'Atom feed of an organisation’s published agendas and minutes', params: z.object({ slug: z.string().max(200) }) } }, async (req, reply) => {
    const o = await directory.getOrganisation(db.orm, req.params.slug);
    return reply.type('application/atom+xml; charset=utf-8').send(await organisationAtom(db.orm, o, base, req.locale));
  });

  // --- OParl 1.1 ------------------------------------------------------------------

  const OparlQ = z.object({
    page: z.coerce.number().int().min(1).max(1_000_000).optional(),
    limit: z.coerce.number().int().min(1).max(100).optional(),
    created_since: z.string().max(40).optional(),
    created_until: z.string().max(40).optional(),
    modified_since: z.string().max(40).optional(),
    modified_until: z.string().max(40).optional(),
  });
  const oparlTags = ['OParl 1.1'];
  const Any = z.record(z.string(), z.unknown());
  const path0 = (url: string) => url.split('?')[0]!;
  const oparl = () => new Oparl(db.orm, base);
  const json = (reply: import('fastify').FastifyReply, body: unknown) =>
    reply.type('application/json; charset=utf-8').header('access-control-allow-origin', '*').send(body);

  r.get('/oparl/v1', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/oparl/v1/', 301));
  r.get('/oparl/v1/', { schema: { tags: oparlTags, summary: 'OParl System object', response: { 200: Any } } }, async (_req, reply) => json(reply, oparl().system()));
  r.get('/oparl/v1/bodies', { schema: { tags: oparlTags, summary: 'OParl Body list', querystring: OparlQ, response: { 200: Any } } }, async (req, reply) =>
    json(reply, await oparl().bodies(req.query as OparlQuery, path0(req.url))));
  r.get('/oparl/v1/bodies/:id', { schema: { tags: oparlTags, summary: 'OParl Body', params: Id, response: { 200: Any, ...readErrors } } }, async (req, reply) =>
    json(reply, await oparl().bodyObject(req.params.id)));
  r.get('/oparl/v1/bodies/:id/:list', {
    schema: {
      tags: oparlTags, summary: 'OParl lists of a Body',
      params: z.object({ id: z.string().max(100), list: z.enum(['organizations', 'people', 'memberships', 'meetings', 'papers', 'agenda-items', 'consultations', 'files', 'locations', 'legislative-terms']) }),
      querystring: OparlQ, response: { 200: Any, ...readErrors },
    },
  }, async (req, reply) => json(reply, await oparl().bodyList(req.params.id, req.params.list, req.query as OparlQuery, path0(req.url))));
  r.get('/oparl/v1/organizations/:id/meetings', { schema: { tags: oparlTags, summary: 'OParl meetings of an Organization', params: Id, querystring: OparlQ, response: { 200: Any, ...readErrors } } }, async (req, reply) =>
    json(reply, await oparl().organisationMeetings(req.params.id, req.query as OparlQuery, path0(req.url))));

  const single: [string, (o: Oparl, id: string) => Promise<unknown>][] = [
    ['organizations', (o, id) => o.organizationById(id)],
    ['persons', (o, id) => o.personById(id)],
    ['memberships', (o, id) => o.membershipById(id)],
    ['meetings', (o, id) => o.meetingById(id)],
    ['agenda-items', (o, id) => o.agendaItemById(id)],
    ['papers', (o, id) => o.paperById(id)],
    ['consultations', (o, id) => o.consultationById(id)],
    ['files', (o, id) => o.fileById(id)],
    ['locations', (o, id) => o.locationById(id)],
  ];
  for (const [name, get] of single) {
    r.get(`/oparl/v1/${name}/:id`, { schema: { tags: oparlTags, summary: `OParl ${name}`, params: Id, response: { 200: Any, ...readErrors } } }, async (req, reply) =>
      json(reply, await get(oparl(), req.params.id)));
  }
}
