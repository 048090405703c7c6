import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { iso, PageQuery, pageOf, paged, Problem, write, writeErrors } from '../../web/api.js';
import type { FileStorage } from '../../platform/storage/index.js';
import { asUploadedFile } from '../../web/multipart.js';
import { addFile, addItem, deleteEvent, deleteFile, deleteItem, pageParticipants, publishEvent, register, saveEvent, setRecording } from './events.js';
import { eventForReader, listEvents, type EventView } from './event-reads.js';
import { isoInstant } from './inputs.js';
import { CONTENT_LANGS, EVENT_KINDS, FILE_ROLES, type EventRow } from './schema.js';

const tags = ['Events'];
const Id = z.object({ id: z.string().min(1).max(100) });

const EventSummary = z.object({
  id: z.string().uuid(),
  kind: z.enum(EVENT_KINDS),
  title: z.string(),
  lang: z.enum(CONTENT_LANGS),
  startsAt: z.string(),
  endsAt: z.string(),
  timeZone: z.string(),
  place: z.string().nullable(),
  onlineUrl: z.string().nullable(),
  status: z.enum(['draft', 'published']),
  web: z.string(),
});
const EventOut = EventSummary.extend({
  description: z.string().describe('Sanitised HTML'),
  organisers: z.array(z.object({ id: z.string(), slug: z.string(), name: z.string() })),
  registration: z.object({ enabled: z.boolean(), open: z.boolean(), reason: z.string().nullable(), capacity: z.number().int().nullable(), placesLeft: z.number().int().nullable(), deadline: z.string().nullable() }),
  recordingUrl: z.string().nullable(),
  programme: z.array(z.object({ id: z.string(), title: z.string(), startsAt: z.string().nullable(), speakerName: z.string().nullable(), speakerOrganisationId: z.string().nullable(), slidesUrl: z.string().nullable() })),
  files: z.array(z.object({ id: z.string(), role: z.enum(FILE_ROLES), itemId: z.string().nullable(), title: z.string(), fileName: z.string(), mimeType: z.string(), url: z.string() })),
  sdgGoals: z.array(z.number().int()),
  topics: z.array(z.string()),
  calendar: z.string(),
});

const summary = (e: EventRow) => ({
  id: e.id,
  kind: e.kind,
  title: e.title,
  lang: e.lang,
  startsAt: iso(e.startsAt)!,
  endsAt: iso(e.endsAt)!,
  timeZone: e.timeZone,
  place: e.place,
  onlineUrl: e.onlineUrl,
  status: e.status,
  web: `/events/${e.id}`,
});
const present = (v: EventView) => ({
  ...summary(v.event),
  description: v.event.description,
  organisers: v.organisers,
  registration: {
    enabled: v.event.registrationOpen,
    open: v.registration.open,
    reason: v.registration.reason,
    capacity: v.registration.capacity,
    placesLeft: v.registration.capacity === null ? null : Math.max(0, v.registration.capacity - v.registration.taken),
    deadline: iso(v.event.registrationDeadline),
  },
  recordingUrl: v.event.recordingUrl,
  programme: v.items.map((i) => ({ id: i.id, title: i.title, startsAt: iso(i.startsAt), speakerName: i.speakerName, speakerOrganisationId: i.speakerOrganisationId, slidesUrl: i.slidesUrl })),
  files: v.files.map((f) => ({ id: f.id, role: f.role, itemId: f.itemId, title: f.title, fileName: f.fileName, mimeType: f.mimeType, url: `/events/${v.event.id}/files/${f.id}` })),
  sdgGoals: v.event.sdgGoals,
  topics: v.event.topics,
  calendar: `/events/${v.event.id}/calendar.ics`,
});

const EventBody = z.object({
  kind: z.enum(EVENT_KINDS),
  title: z.string().max(300),
  description: z.string().max(100_000).optional(),
  lang: z.enum(CONTENT_LANGS),
  start: z.string().describe('ISO 8601 with offset, e.g. 2025-06-15T10:00:00+02:00'),
  end: z.string().describe('ISO 8601 with offset; after the start'),
  timeZone: z.string().max(60).optional().describe('IANA zone the event is shown in; default Europe/Stockholm'),
  place: z.string().max(300).optional(),
  onlineUrl: z.string().max(2000).optional(),
  organisationIds: z.array(z.string()).max(20),
  registrationOpen: z.boolean().optional(),
  capacity: z.number().int().nullable().optional(),
  registrationDeadline: z.string().nullable().optional(),
  sdgGoals: z.array(z.number().int()).max(17).optional(),
  topics: z.array(z.string().max(60)).max(20).optional(),
});
type EventBody = z.infer<typeof EventBody>;

/** API times are ISO 8601 instants; an unreadable one reaches the schema as missing, which names the field. */
const fromBody = (b: EventBody) => ({
  ...b,
  startsAt: isoInstant(b.start) ?? undefined,
  endsAt: isoInstant(b.end) ?? undefined,
  registrationDeadline: b.registrationDeadline ? (isoInstant(b.registrationDeadline) ?? 'invalid') : null,
});

export async function eventRoutes(app: FastifyInstance, { db, config, storage }: AppDeps & { storage: FileStorage }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = config.publicUrl.replace(/\/$/, '');
  r.get('/api/events', {
    schema: { tags, summary: 'Published events: upcoming (soonest first) or past (latest first)', querystring: PageQuery.extend({ when: z.enum(['upcoming', 'past']).default('upcoming'), org: z.string().uuid().optional() }), response: { 200: pageOf(EventSummary) } },
  }, async (req) => {
    const res = await listEvents(db.orm, { when: req.query.when, organisationIds: req.query.org ? [req.query.org] : undefined, page: req.query.page, pageSize: req.query.pageSize });
    return paged(req, res.page, res.pageSize, res.total, res.items.map(summary));
  });
  r.get('/api/events/:id', { schema: { tags, summary: 'One event with programme, files and registration state', params: Id, response: { 200: EventOut, 404: Problem } } }, async (req) => present(await eventForReader(db.orm, req.actor, req.params.id)));
  r.post('/api/events', { schema: { tags, summary: 'Create an event (a draft until published)', ...write, body: EventBody, response: { 201: EventOut, ...writeErrors } } }, async (req, reply) => {
    const row = await saveEvent(db, req.actor, null, fromBody(req.body));
    return reply.code(201).send(present(await eventForReader(db.orm, req.actor, row.id)));
  });
  r.put('/api/events/:id', { schema: { tags, summary: 'Replace an event’s details', ...write, params: Id, body: EventBody, response: { 200: EventOut, ...writeErrors } } }, async (req) => {
    await saveEvent(db, req.actor, req.params.id, fromBody(req.body));
    return present(await eventForReader(db.orm, req.actor, req.params.id));
  });
  r.post('/api/events/:id/publication', { schema: { tags, summary: 'Publish an event or withdraw it to draft', ...write, params: Id, body: z.object({ publish: z.boolean() }), response: { 200: EventOut, ...writeErrors } } }, async (req) => {
    await publishEvent(db, req.actor, req.params.id, req.body);
    return present(await eventForReader(db.orm, req.actor, req.params.id));
  });
  r.delete('/api/events/:id', { schema: { tags, summary: 'Delete an event', ...write, params: Id, response: { 200: z.object({ ok: z.literal(true) }), ...writeErrors } } }, async (req) => {
    await deleteEvent(db, req.actor, req.params.id);
    return { ok: true as const };
  });
  // The programme, the recording and the files: the same use cases as the event's management forms.
  r.post('/api/events/:id/items', {
    schema: {
      tags, summary: 'Add a programme item with its speaker (a person or a name, and an organisation) and slides link', ...write, params: Id,
      body: z.object({ title: z.string().max(300), startsAt: z.string().nullable().optional().describe('ISO 8601 with offset'), speakerName: z.string().max(200).nullable().optional(), speakerPersonId: z.string().nullable().optional(), speakerOrganisationId: z.string().nullable().optional(), slidesUrl: z.string().max(2000).nullable().optional() }),
      response: { 201: EventOut, ...writeErrors },
    },
  }, async (req, reply) => {
    const { startsAt, ...rest } = req.body;
    await addItem(db, req.actor, req.params.id, { ...rest, startsAt: startsAt ? (isoInstant(startsAt) ?? 'invalid') : null });
    return reply.code(201).send(present(await eventForReader(db.orm, req.actor, req.params.id)));
  });
  r.delete('/api/events/:id/items/:itemId', { schema: { tags, summary: 'Remove a programme item (and its presentation files)', ...write, params: z.object({ id: z.string().max(100), itemId: z.string().max(100) }), response: { 200: EventOut, ...writeErrors } } }, async (req) => {
    await deleteItem(db, req.actor, req.params.id, req.params.itemId);
    return present(await eventForReader(db.orm, req.actor, req.params.id));
  });
  r.put('/api/events/:id/recording', {
    schema: { tags, summary: 'Set the recording’s video link after the event (null removes it); an uploaded recording is a file with role "recording"', ...write, params: Id, body: z.object({ recordingUrl: z.string().max(2000).nullable() }), response: { 200: EventOut, ...writeErrors } },
  }, async (req) => {
    await setRecording(db, req.actor, req.params.id, req.body);
    return present(await eventForReader(db.orm, req.actor, req.params.id));
  });
  r.post('/api/events/:id/files', {
    schema: {
      tags, summary: 'Upload a file (multipart/form-data: file, role = presentation | recording | material, title, itemId for a presentation); the content is checked against its name and its text is searchable', ...write, params: Id, consumes: ['multipart/form-data'],
      response: { 201: z.object({ id: z.string(), role: z.enum(FILE_ROLES), itemId: z.string().nullable(), title: z.string(), fileName: z.string(), mimeType: z.string(), url: z.string() }), ...writeErrors },
    },
  }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const meta = Object.fromEntries(['role', 'title', 'itemId'].map((k) => [k, typeof body[k] === 'string' ? body[k] : undefined]));
    const f = await addFile(db, storage, req.actor, req.params.id, asUploadedFile(body.file), meta, config.uploadMaxBytes);
    return reply.code(201).send({ id: f.id, role: f.role, itemId: f.itemId, title: f.title, fileName: f.fileName, mimeType: f.mimeType, url: `/events/${f.eventId}/files/${f.id}` });
  });
  r.delete('/api/events/:id/files/:fileId', { schema: { tags, summary: 'Remove a file', ...write, params: z.object({ id: z.string().max(100), fileId: z.string().max(100) }), response: { 204: z.null(), ...writeErrors } } }, async (req, reply) => {
    await deleteFile(db, req.actor, req.params.id, req.params.fileId);
    return reply.code(204).send(null);
  });
  r.post('/api/events/:id/registrations', {
    config: { public: true },
    schema: { tags, summary: 'Sign up for an event (anyone; 409 when full, past the deadline or already registered)', ...write, params: Id, body: z.object({ name: z.string().max(200), email: z.string().max(200), organisationName: z.string().max(200).optional() }), response: { 201: z.object({ ok: z.literal(true) }), ...writeErrors } },
  }, async (req, reply) => {
    await register(db, req.actor, req.params.id, req.body, base, { locale: req.locale });
    return reply.code(201).send({ ok: true as const });
  });
  r.get('/api/events/:id/registrations', {
    schema: { tags, summary: 'The participant list, oldest registration first (the organisers’ admins and editors only)', params: Id, querystring: PageQuery, response: { 200: pageOf(z.object({ name: z.string(), email: z.string(), organisationName: z.string().nullable(), registeredAt: z.string() })), 401: Problem, 403: Problem, 404: Problem } },
  }, async (req) => {
    const res = await pageParticipants(db.orm, req.actor, req.params.id, req.query);
    return paged(req, res.page, res.pageSize, res.total, res.items.map((p) => ({ name: p.name, email: p.email, organisationName: p.organisationName, registeredAt: iso(p.createdAt)! })));
  });
}
