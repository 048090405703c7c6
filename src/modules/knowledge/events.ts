import { and, count, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/audit.js';
import { diff, recordAudit } from '../../platform/audit.js';
import { randomToken, sha256 } from '../../platform/crypto.js';
import { readAll, type Database, type Executor } from '../../platform/db/index.js';
import { ConflictError, InvalidTokenError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { queueMail } from '../../platform/outbox.js';
import { indexSearchDoc, removeSearchDoc, type SearchDoc } from '../../platform/search-index.js';
import { inspectUpload, type FileStorage } from '../../platform/storage/index.js';
import { isUuid } from '../../platform/text.js';
import { pageWindow, type Page, type PageRequest } from '../../platform/paging.js';
import { directory } from '../directory/index.js';
import { EventInput, FileMeta, ItemInput, parseInput, PublishInput, RecordingInput, RegistrationInput } from './inputs.js';
import { assertCanManage, canManageAny, requireSignedIn } from './policy.js';
import { richTextToPlain, sanitizeRichText } from '../../web/richtext.js';
import { et } from './i18n.js';
import { dateTimeFormat, INTL_TAG, type Locale } from '../../web/i18n/index.js';
import { eventFiles, eventItems, eventOrganisers, events, registrations, type EventFileRow, type EventItemRow, type EventRow, type RegistrationRow } from './schema.js';

/*
 * Events and webinars. Every write is one transaction: permission (organisers' admins
 * and editors), the change, its audit row, and the event's search document, which holds
 * the programme, speakers and the text of presentations, recordings and materials once
 * the event is published. Sign-ups are public and checked against capacity and deadline
 * with the event row locked, so two last-seat sign-ups cannot both succeed.
 */

export type Upload = { data: Uint8Array; fileName: string };

export async function getEventRow(db: Executor, id: string, opts: { lock?: boolean } = {}): Promise<EventRow> {
  if (!isUuid(id)) throw new NotFoundError('event', id);
  const q = db.select().from(events).where(and(eq(events.id, id), isNull(events.deletedAt))).limit(1);
  const [row] = opts.lock ? await q.for('update') : await q;
  if (!row) throw new NotFoundError('event', id);
  return row;
}

export async function organiserIds(db: Executor, eventId: string): Promise<string[]> {
  const rows = await db.select({ id: eventOrganisers.organisationId }).from(eventOrganisers).where(eq(eventOrganisers.eventId, eventId)).orderBy(asc(eventOrganisers.position));
  return rows.map((r) => r.id);
}

/**
 * The organisers' admins and editors only. A draft is not found for anyone else, as on its page:
 * a 403 would tell an outsider that a draft with this id exists.
 */
async function assertCanManageEvent(db: Executor, actor: Actor, event: EventRow, orgIds: readonly string[]) {
  requireSignedIn(actor);
  if (event.status !== 'published' && !(await canManageAny(db, actor, orgIds))) throw new NotFoundError('event', event.id);
  await assertCanManage(db, actor, orgIds, 'this event');
}

async function forWrite(tx: Executor, actor: Actor, id: string, lock = false) {
  const event = await getEventRow(tx, id, { lock });
  const orgIds = await organiserIds(tx, event.id);
  await assertCanManageEvent(tx, actor, event, orgIds);
  return { event, orgIds, lead: orgIds[0] ?? null };
}

const touch = (tx: Executor, id: string) => tx.update(events).set({ updatedAt: new Date(), sequence: sql`${events.sequence} + 1` }).where(eq(events.id, id));

export async function eventSearchDoc(tx: Executor, e: EventRow): Promise<SearchDoc> {
  // Called inside writes' transactions (one connection): the reads go in sequence there.
  const [orgIds, items, files] = await readAll(tx, [() => organiserIds(tx, e.id), () => listItems(tx, e.id), () => listFiles(tx, e.id)]);
  const orgNames: string[] = [];
  for (const id of orgIds) orgNames.push((await directory.getOrganisation(tx, id).catch(() => null))?.name ?? '');
  return {
    type: 'event',
    id: e.id,
    title: e.title,
    body: [
      richTextToPlain(e.description),
      e.place ?? '',
      ...orgNames,
      ...items.map((i) => [i.title, i.speakerName].filter(Boolean).join(', ')),
      ...files.map((f) => `${f.title}. ${f.extractedText ?? ''}`),
      ...e.topics,
    ]
      .filter(Boolean)
      .join('\n'),
    lang: e.lang,
    url: `/events/${e.id}`,
    organisationIds: orgIds,
    sdgGoals: e.sdgGoals,
    year: e.startsAt.getUTCFullYear(),
  };
}

/** Keeps the event's search document in step with it: published ones only. */
export async function syncEventIndex(tx: Executor, id: string) {
  const [e] = await tx.select().from(events).where(eq(events.id, id)).limit(1);
  if (e && e.status === 'published' && !e.deletedAt) await indexSearchDoc(tx, await eventSearchDoc(tx, e));
  else await removeSearchDoc(tx, 'event', id);
}

export async function saveEvent(db: Database, actor: Actor, id: string | null, raw: unknown): Promise<EventRow> {
  const input = parseInput(EventInput, raw);
  return db.orm.transaction(async (tx) => {
    const before = id ? await forWrite(tx, actor, id) : null;
    // Organisers may only name bodies they manage themselves (or keep those already there).
    const added = input.organisationIds.filter((o) => !before?.orgIds.includes(o));
    for (const o of added) {
      await directory.getOrganisation(tx, o).catch(() => {
        throw new ValidationError([{ field: 'organisationIds', message: 'No such organisation' }]);
      });
    }
    // Each added body on its own: managing one of them must not let an editor add another.
    if (added.length) for (const o of added) await assertCanManage(tx, actor, [o], 'events of that organisation');
    else await assertCanManage(tx, actor, input.organisationIds, 'events of that organisation');
    const values = {
      kind: input.kind,
      title: input.title,
      description: sanitizeRichText(input.description),
      lang: input.lang,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      timeZone: input.timeZone,
      place: input.place,
      onlineUrl: input.onlineUrl,
      registrationOpen: input.registrationOpen,
      capacity: input.capacity,
      registrationDeadline: input.registrationDeadline,
      sdgGoals: input.sdgGoals,
      topics: input.topics,
    };
    let row: EventRow;
    if (before) {
      [row] = (await tx.update(events).set({ ...values, updatedAt: new Date(), sequence: sql`${events.sequence} + 1` }).where(eq(events.id, before.event.id)).returning()) as [EventRow];
      await tx.delete(eventOrganisers).where(eq(eventOrganisers.eventId, row.id));
      await recordAudit(tx, actor, { action: 'event.update', entityType: 'event', entityId: row.id, organisationId: input.organisationIds[0]!, summary: row.title, changes: diff(before.event as unknown as Record<string, unknown>, values) });
    } else {
      [row] = (await tx.insert(events).values(values).returning()) as [EventRow];
      await recordAudit(tx, actor, { action: 'event.create', entityType: 'event', entityId: row.id, organisationId: input.organisationIds[0]!, summary: row.title });
    }
    await tx.insert(eventOrganisers).values(input.organisationIds.map((organisationId, position) => ({ eventId: row.id, organisationId, position })));
    await syncEventIndex(tx, row.id);
    return row;
  });
}

export async function publishEvent(db: Database, actor: Actor, id: string, raw: unknown): Promise<EventRow> {
  const input = parseInput(PublishInput, raw);
  return db.orm.transaction(async (tx) => {
    const { event, lead } = await forWrite(tx, actor, id);
    const set = input.publish ? { status: 'published' as const, publishedAt: event.publishedAt ?? new Date() } : { status: 'draft' as const };
    const [row] = (await tx.update(events).set({ ...set, updatedAt: new Date(), sequence: sql`${events.sequence} + 1` }).where(eq(events.id, event.id)).returning()) as [EventRow];
    await recordAudit(tx, actor, { action: input.publish ? 'event.publish' : 'event.withdraw', entityType: 'event', entityId: event.id, organisationId: lead, summary: event.title });
    await syncEventIndex(tx, event.id);
    return row;
  });
}

export async function deleteEvent(db: Database, actor: Actor, id: string): Promise<void> {
  await db.orm.transaction(async (tx) => {
    const { event, lead } = await forWrite(tx, actor, id);
    await tx.update(events).set({ deletedAt: new Date(), updatedAt: new Date() }).where(eq(events.id, event.id));
    await recordAudit(tx, actor, { action: 'event.delete', entityType: 'event', entityId: event.id, organisationId: lead, summary: event.title });
    await removeSearchDoc(tx, 'event', event.id);
  });
}

export async function addItem(db: Database, actor: Actor, eventId: string, raw: unknown): Promise<EventItemRow> {
  const input = parseInput(ItemInput, raw);
  return db.orm.transaction(async (tx) => {
    const { event, lead } = await forWrite(tx, actor, eventId);
    if (input.speakerPersonId) await directory.getPerson(tx, input.speakerPersonId).catch(() => {
      throw new ValidationError([{ field: 'speakerPersonId', message: 'No such person' }]);
    });
    if (input.speakerOrganisationId) await directory.getOrganisation(tx, input.speakerOrganisationId).catch(() => {
      throw new ValidationError([{ field: 'speakerOrganisationId', message: 'No such organisation' }]);
    });
    const [{ n }] = (await tx.select({ n: sql<number>`coalesce(max(${eventItems.position}), -1) + 1` }).from(eventItems).where(eq(eventItems.eventId, event.id))) as [{ n: number }];
    const [row] = (await tx.insert(eventItems).values({ ...input, eventId: event.id, position: Number(n) }).returning()) as [EventItemRow];
    await touch(tx, event.id);
    await recordAudit(tx, actor, { action: 'event.item.add', entityType: 'event', entityId: event.id, organisationId: lead, summary: `${event.title}: ${row.title}` });
    await syncEventIndex(tx, event.id);
    return row;
  });
}

export async function deleteItem(db: Database, actor: Actor, eventId: string, itemId: string): Promise<void> {
  await db.orm.transaction(async (tx) => {
    const { event, lead } = await forWrite(tx, actor, eventId);
    if (!isUuid(itemId)) throw new NotFoundError('programme item', itemId);
    const [item] = await tx.select().from(eventItems).where(and(eq(eventItems.id, itemId), eq(eventItems.eventId, event.id)));
    if (!item) throw new NotFoundError('programme item', itemId);
    await tx.update(eventFiles).set({ deletedAt: new Date() }).where(and(eq(eventFiles.itemId, item.id), isNull(eventFiles.deletedAt)));
    await tx.update(eventFiles).set({ itemId: null }).where(eq(eventFiles.itemId, item.id));
    await tx.delete(eventItems).where(eq(eventItems.id, item.id));
    await touch(tx, event.id);
    await recordAudit(tx, actor, { action: 'event.item.delete', entityType: 'event', entityId: event.id, organisationId: lead, summary: `${event.title}: ${item.title}` });
    await syncEventIndex(tx, event.id);
  });
}

export async function setRecording(db: Database, actor: Actor, eventId: string, raw: unknown): Promise<EventRow> {
  const input = parseInput(RecordingInput, raw);
  return db.orm.transaction(async (tx) => {
    const { event, lead } = await forWrite(tx, actor, eventId);
    const [row] = (await tx.update(events).set({ recordingUrl: input.recordingUrl, updatedAt: new Date(), sequence: sql`${events.sequence} + 1` }).where(eq(events.id, event.id)).returning()) as [EventRow];
    await recordAudit(tx, actor, { action: 'event.recording', entityType: 'event', entityId: event.id, organisationId: lead, summary: event.title, changes: { recordingUrl: { from: event.recordingUrl, to: input.recordingUrl } } });
    await syncEventIndex(tx, event.id);
    return row;
  });
}

/** A presentation (for a programme item), a recording or a material, content-checked like every upload. */
export async function addFile(db: Database, storage: FileStorage, actor: Actor, eventId: string, upload: Upload | null, rawMeta: unknown, maxBytes: number): Promise<EventFileRow> {
  const meta = parseInput(FileMeta, rawMeta);
  // Permission first: strangers learn nothing about what is accepted.
  await db.orm.transaction(async (tx) => {
    const { event } = await forWrite(tx, actor, eventId);
    if (meta.itemId) {
      const [item] = await tx.select({ id: eventItems.id }).from(eventItems).where(and(eq(eventItems.id, meta.itemId), eq(eventItems.eventId, event.id)));
      if (!item) throw new ValidationError([{ field: 'itemId', message: 'No such programme item' }]);
    }
  });
  if (!upload) throw new ValidationError([{ field: 'file', message: 'Choose a file' }]);
  const checked = await inspectUpload(upload.data, upload.fileName, maxBytes);
  if (!checked.ok) throw new ValidationError([{ field: 'file', message: checked.reason === 'too_large' ? 'The file is too large' : 'This type of file is not accepted (PDF, Office, OpenDocument, images, CSV or text)' }]);
  let wrote = false;
  try {
    return await db.orm.transaction(async (tx) => {
      const { event, lead } = await forWrite(tx, actor, eventId);
      const [row] = (await tx
        .insert(eventFiles)
        .values({ eventId: event.id, itemId: meta.itemId, role: meta.role, title: meta.title ?? checked.fileName, fileName: checked.fileName, mimeType: checked.mime, sizeBytes: checked.size, storageKey: checked.key, extractedText: checked.text })
        .returning()) as [EventFileRow];
      await touch(tx, event.id);
      await recordAudit(tx, actor, { action: 'event.file.add', entityType: 'event_file', entityId: row.id, organisationId: lead, summary: `${event.title}: ${row.fileName}`, changes: { role: meta.role, sha512: checked.sha512, size: checked.size } });
      await syncEventIndex(tx, event.id);
      await storage.put(checked.key, checked.data);
      wrote = true;
      return row;
    });
  } catch (err) {
    if (wrote) await storage.delete(checked.key).catch(() => {});
    throw err;
  }
}

export async function deleteFile(db: Database, actor: Actor, eventId: string, fileId: string): Promise<void> {
  await db.orm.transaction(async (tx) => {
    const { event, lead } = await forWrite(tx, actor, eventId);
    if (!isUuid(fileId)) throw new NotFoundError('file', fileId);
    const [file] = await tx.select().from(eventFiles).where(and(eq(eventFiles.id, fileId), eq(eventFiles.eventId, event.id), isNull(eventFiles.deletedAt)));
    if (!file) throw new NotFoundError('file', fileId);
    await tx.update(eventFiles).set({ deletedAt: new Date(), extractedText: null }).where(eq(eventFiles.id, file.id));
    await touch(tx, event.id);
    await recordAudit(tx, actor, { action: 'event.file.delete', entityType: 'event_file', entityId: file.id, organisationId: lead, summary: `${event.title}: ${file.fileName}` });
    await syncEventIndex(tx, event.id);
  });
}

// --- Registration ------------------------------------------------------------

export type RegistrationState = { open: boolean; reason: 'closed' | 'deadline' | 'ended' | 'full' | null; taken: number; capacity: number | null };

export async function registrationState(db: Executor, e: EventRow, now = new Date()): Promise<RegistrationState> {
  const [{ n }] = (await db.select({ n: sql<number>`count(*)` }).from(registrations).where(and(eq(registrations.eventId, e.id), isNull(registrations.cancelledAt)))) as [{ n: number }];
  const taken = Number(n);
  const reason = !e.registrationOpen || e.status !== 'published'
    ? 'closed'
    : e.endsAt <= now
      ? 'ended'
      : e.registrationDeadline && e.registrationDeadline < now
        ? 'deadline'
        : e.capacity !== null && taken >= e.capacity
          ? 'full'
          : null;
  return { open: reason === null, reason, taken, capacity: e.capacity };
}

const REASON_TEXT: Record<NonNullable<RegistrationState['reason']>, string> = {
  closed: 'Registration is not open for this event',
  ended: 'The event is over',
  deadline: 'The registration deadline has passed',
  full: 'The event is full',
};

/** Anyone may sign up for an open event; the confirmation mail carries the sign-off link. */
export async function register(db: Database, actor: Actor, eventId: string, raw: unknown, baseUrl: string, opts: { locale?: Locale; now?: Date } = {}): Promise<RegistrationRow> {
  const now = opts.now ?? new Date();
  const input = parseInput(RegistrationInput, raw);
  const token = randomToken(24);
  return db.orm.transaction(async (tx) => {
    const event = await getEventRow(tx, eventId, { lock: true });
    if (event.status !== 'published') throw new NotFoundError('event', eventId);
    const state = await registrationState(tx, event, now);
    if (!state.open) throw new ConflictError(REASON_TEXT[state.reason!], `registration_${state.reason}`, 'email');
    const [dup] = await tx.select({ id: registrations.id }).from(registrations).where(and(eq(registrations.eventId, event.id), sql`lower(${registrations.email}) = lower(${input.email})`, isNull(registrations.cancelledAt)));
    if (dup) throw new ConflictError('This email address is already registered', 'already_registered', 'email');
    const [row] = (await tx.insert(registrations).values({ eventId: event.id, name: input.name, email: input.email, organisationName: input.organisationName, tokenHash: sha256(token) }).returning()) as [RegistrationRow];
    const lead = (await organiserIds(tx, event.id))[0] ?? null;
    // The audit row names no one: registrations are personal data the organisers keep.
    await recordAudit(tx, actor, { action: 'event.register', entityType: 'event', entityId: event.id, organisationId: lead, summary: event.title });
    // In the language the registrant used the site in; times in the event's own zone.
    const l = opts.locale ?? 'en';
    const t = et[l];
    const when = dateTimeFormat(INTL_TAG[l], { dateStyle: 'full', timeStyle: 'short', timeZone: event.timeZone }).format(event.startsAt) + ` (${event.timeZone})`;
    const where = [event.place ? `${t.place}: ${event.place}` : '', event.onlineUrl ? `${t.online}: ${event.onlineUrl}` : ''].filter(Boolean).join('\n');
    await queueMail(tx, { to: input.email, subject: t.mailSubject(event.title), text: t.mailBody(input.name, event.title, when, where, `${baseUrl}/events/${event.id}`, `${baseUrl}/events/signoff/${token}`) });
    return row;
  });
}

export async function registrationByToken(db: Executor, token: string): Promise<{ reg: RegistrationRow; event: EventRow }> {
  if (!/^[A-Za-z0-9_-]{10,100}$/.test(token)) throw new InvalidTokenError();
  const [reg] = await db.select().from(registrations).where(eq(registrations.tokenHash, sha256(token))).limit(1);
  if (!reg) throw new InvalidTokenError();
  const event = await getEventRow(db, reg.eventId).catch(() => {
    throw new InvalidTokenError();
  });
  return { reg, event };
}

export async function signOff(db: Database, actor: Actor, token: string): Promise<EventRow> {
  return db.orm.transaction(async (tx) => {
    const { reg, event } = await registrationByToken(tx, token);
    if (!reg.cancelledAt) {
      await tx.update(registrations).set({ cancelledAt: new Date() }).where(eq(registrations.id, reg.id));
      await recordAudit(tx, actor, { action: 'event.signoff', entityType: 'event', entityId: event.id, summary: event.title });
    }
    return event;
  });
}

/** The participant list: only the organisers' admins and editors (and platform admins). */
export async function participants(db: Executor, actor: Actor, eventId: string): Promise<{ event: EventRow; list: RegistrationRow[] }> {
  const event = await getEventRow(db, eventId);
  await assertCanManageEvent(db, actor, event, await organiserIds(db, event.id));
  const list = await db.select().from(registrations).where(and(eq(registrations.eventId, event.id), isNull(registrations.cancelledAt))).orderBy(asc(registrations.createdAt));
  return { event, list };
}

/** One page of the participant list (the API's list), oldest registration first; the organisers' admins and editors only. */
export async function pageParticipants(db: Executor, actor: Actor, eventId: string, q: PageRequest = {}): Promise<Page<RegistrationRow>> {
  const event = await getEventRow(db, eventId);
  await assertCanManageEvent(db, actor, event, await organiserIds(db, event.id));
  const w = pageWindow(q);
  const where = and(eq(registrations.eventId, event.id), isNull(registrations.cancelledAt));
  const items = await db.select().from(registrations).where(where).orderBy(asc(registrations.createdAt), asc(registrations.id)).limit(w.pageSize).offset(w.offset);
  const [{ total }] = (await db.select({ total: count() }).from(registrations).where(where)) as [{ total: number }];
  return { items, page: w.page, pageSize: w.pageSize, total };
}

// --- Reads ---------------------------------------------------------------------

export async function listItems(db: Executor, eventId: string) {
  return db.select().from(eventItems).where(eq(eventItems.eventId, eventId)).orderBy(asc(eventItems.position), asc(eventItems.createdAt));
}
export async function listFiles(db: Executor, eventId: string) {
  return db.select().from(eventFiles).where(and(eq(eventFiles.eventId, eventId), isNull(eventFiles.deletedAt))).orderBy(asc(eventFiles.createdAt));
}

