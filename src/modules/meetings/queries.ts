import { and, count, asc, desc, eq, gte, inArray, isNull, isNotNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/audit.js';
import { readAll, type Executor } from '../../platform/db/index.js';
import { NotFoundError } from '../../platform/errors.js';
import { isUuid } from '../../platform/text.js';
import { directory } from '../directory/index.js';
import { accessFor, PUBLIC_ACCESS, type Access } from './policy.js';
import {
  agendaItems,
  caseReferrals,
  cases,
  meetingFiles,
  meetingOrganisations,
  meetingParticipants,
  meetings,
  type AgendaItemRow,
  type CaseRow,
  type FileRow,
  type MeetingRow,
  type ParticipantRow,
} from './schema.js';
import { getMeetingRow, organiserIds, organiserIdsOf } from './rows.js';

/*
 * The read side. Everything a viewer may see of a meeting passes through
 * `presentMeeting`, the single place where closed items and unpublished parts
 * are withheld. HTML, JSON, OParl, iCalendar, Atom and downloads all use it.
 */

export type OrgRef = { id: string; slug: string; name: string; kind: string };
export type FileView = Pick<FileRow, 'id' | 'meetingId' | 'agendaItemId' | 'role' | 'title' | 'fileName' | 'mimeType' | 'sizeBytes' | 'sha512' | 'createdAt' | 'updatedAt'>;
export type CaseView = Pick<CaseRow, 'id' | 'organisationId' | 'reference' | 'title' | 'caseType' | 'caseDate' | 'caseOfficer' | 'otherOfficers' | 'lang' | 'createdAt' | 'updatedAt'> & {
  referrals: OrgRef[];
};
export type ItemView = {
  id: string;
  meetingId: string;
  position: number;
  number: string | null;
  title: string;
  isPublic: boolean;
  lang: string;
  /** True when the item is closed and this viewer may see only its title. */
  withheld: boolean;
  summary: string | null;
  description: string | null;
  recommendation: string | null;
  decision: string | null;
  result: string | null;
  case: CaseView | null;
  files: FileView[];
  createdAt: Date;
  updatedAt: Date;
};
export type ParticipantView = ParticipantRow & { person: { id: string; slug: string; name: string; title: string | null } | null };
export type MeetingView = {
  meeting: MeetingRow;
  organisers: OrgRef[];
  /** Named organisers that have yet to accept (shown to editors only; empty for everyone else). */
  pendingOrganisers: OrgRef[];
  participants: ParticipantView[];
  items: ItemView[];
  /** Meeting-level files: invitation, agenda, minutes, attachments. */
  files: FileView[];
  minutesNotes: string | null;
  access: Access;
  agendaVisible: boolean;
  minutesVisible: boolean;
};

/** The raw material of one meeting, before anything is withheld. */
export type MeetingData = {
  meeting: MeetingRow;
  organisers: OrgRef[];
  pendingOrganisers: OrgRef[];
  participants: ParticipantView[];
  items: AgendaItemRow[];
  cases: Map<string, CaseView>;
  files: FileRow[];
};

const fileView = (f: FileRow): FileView => ({
  id: f.id,
  meetingId: f.meetingId,
  agendaItemId: f.agendaItemId,
  role: f.role,
  title: f.title,
  fileName: f.fileName,
  mimeType: f.mimeType,
  sizeBytes: f.sizeBytes,
  sha512: f.sha512,
  createdAt: f.createdAt,
  updatedAt: f.updatedAt,
});

/** The organisations named by ids, in the order given; ids that name none are left out. One query. */
async function orgRefs(db: Executor, ids: readonly string[]): Promise<OrgRef[]> {
  if (!ids.length) return [];
  const byId = new Map((await directory.getOrganisationsByIds(db, ids)).map((o) => [o.id, o]));
  return ids.flatMap((id) => {
    const o = byId.get(id);
    return o ? [{ id: o.id, slug: o.slug, name: o.name, kind: o.kind }] : [];
  });
}

export async function loadCases(db: Executor, ids: readonly string[]): Promise<Map<string, CaseView>> {
  const map = new Map<string, CaseView>();
  if (!ids.length) return map;
  const rows = await db.select().from(cases).where(and(inArray(cases.id, [...ids]), isNull(cases.deletedAt)));
  const refs = await db.select().from(caseReferrals).where(inArray(caseReferrals.caseId, [...ids])).orderBy(asc(caseReferrals.position));
  // Every referred organisation of every case in one read, not one read per case.
  const orgs = new Map((await orgRefs(db, [...new Set(refs.map((r) => r.organisationId))])).map((o) => [o.id, o]));
  for (const c of rows) {
    const referrals = refs.filter((r) => r.caseId === c.id).flatMap((r) => orgs.get(r.organisationId) ?? []);
    map.set(c.id, {
      id: c.id,
      organisationId: c.organisationId,
      reference: c.reference,
      title: c.title,
      caseType: c.caseType,
      caseDate: c.caseDate,
      caseOfficer: c.caseOfficer,
      otherOfficers: c.otherOfficers,
      lang: c.lang,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
      referrals,
    });
  }
  return map;
}

export async function loadMeetingData(db: Executor, meeting: MeetingRow): Promise<MeetingData> {
  // Together for a page; in sequence inside a write's transaction (the search index), which has one connection.
  const [orgIds, pendingIds, items, files, parts] = await readAll(db, [
    () => organiserIds(db, meeting.id),
    () => organiserIds(db, meeting.id, { pending: true }),
    () => db.select().from(agendaItems).where(and(eq(agendaItems.meetingId, meeting.id), isNull(agendaItems.deletedAt))).orderBy(asc(agendaItems.position)),
    () => db.select().from(meetingFiles).where(and(eq(meetingFiles.meetingId, meeting.id), isNull(meetingFiles.deletedAt))).orderBy(asc(meetingFiles.createdAt)),
    () => db.select().from(meetingParticipants).where(eq(meetingParticipants.meetingId, meeting.id)).orderBy(asc(meetingParticipants.createdAt)),
  ]);
  // Every participant's person in one read, not one per participant.
  const people = new Map((await directory.getPeopleByIds(db, parts.map((p) => p.personId))).map((person) => [person.id, person]));
  const participants: ParticipantView[] = parts.map((p) => {
    const person = people.get(p.personId);
    return { ...p, person: person ? { id: person.id, slug: person.slug, name: person.name, title: person.title } : null };
  });
  const caseIds = [...new Set(items.map((i) => i.caseId).filter((x): x is string => !!x))];
  return { meeting, organisers: await orgRefs(db, orgIds), pendingOrganisers: await orgRefs(db, pendingIds), participants, items, cases: await loadCases(db, caseIds), files };
}

/** The one place that decides what a viewer sees of a meeting. */
export function presentMeeting(data: MeetingData, access: Access): MeetingView {
  const m = data.meeting;
  const agendaVisible = access.edit || !!m.agendaPublishedAt;
  const minutesVisible = access.edit || !!m.minutesPublishedAt;
  const items: ItemView[] = agendaVisible
    ? data.items.map((it) => {
        const withheld = !it.isPublic && !access.closed;
        return {
          id: it.id,
          meetingId: it.meetingId,
          position: it.position,
          number: it.number,
          title: it.title,
          isPublic: it.isPublic,
          lang: it.lang,
          withheld,
          summary: withheld ? null : it.summary,
          description: withheld ? null : it.description,
          recommendation: withheld ? null : it.recommendation,
          decision: withheld || !minutesVisible ? null : it.decision,
          result: withheld || !minutesVisible ? null : it.result,
          case: withheld || !it.caseId ? null : (data.cases.get(it.caseId) ?? null),
          files: withheld ? [] : data.files.filter((f) => f.agendaItemId === it.id).map(fileView),
          createdAt: it.createdAt,
          updatedAt: it.updatedAt,
        };
      })
    : [];
  const files = data.files
    .filter((f) => !f.agendaItemId)
    .filter((f) => (f.role === 'minutes' ? minutesVisible : agendaVisible))
    .map(fileView);
  return {
    meeting: m,
    organisers: data.organisers,
    // Who has yet to accept is the editors' business only.
    pendingOrganisers: access.edit ? data.pendingOrganisers : [],
    participants: data.participants,
    items,
    files,
    minutesNotes: minutesVisible ? m.minutesNotes : null,
    access,
    agendaVisible,
    minutesVisible,
  };
}

export async function meetingView(db: Executor, actor: Actor, id: string): Promise<MeetingView> {
  const meeting = await getMeetingRow(db, id);
  const data = await loadMeetingData(db, meeting);
  const access = await accessFor(db, actor, data.organisers.map((o) => o.id));
  return presentMeeting(data, access);
}

/** The public view, whoever asks: OParl, feeds and calendars use only this. */
export async function publicMeetingView(db: Executor, meeting: MeetingRow): Promise<MeetingView> {
  return presentMeeting(await loadMeetingData(db, meeting), PUBLIC_ACCESS);
}

export type MeetingListEntry = { meeting: MeetingRow; organisers: OrgRef[] };

type MeetingFilter = { organisationIds?: string[]; when?: 'upcoming' | 'past' | 'all'; now?: Date };

/** The conditions of a meeting list; null when it can have no meeting (no organisations given). */
function meetingConds(db: Executor, q: MeetingFilter): SQL[] | null {
  const now = q.now ?? new Date();
  const conds: SQL[] = [isNull(meetings.deletedAt)];
  if (q.organisationIds) {
    if (!q.organisationIds.length) return null;
    conds.push(
      inArray(
        meetings.id,
        // Not a meeting of an organiser that has yet to accept it.
        db.select({ id: meetingOrganisations.meetingId }).from(meetingOrganisations).where(and(inArray(meetingOrganisations.organisationId, q.organisationIds), eq(meetingOrganisations.pending, false))),
      ),
    );
  }
  if (q.when === 'upcoming') conds.push(gte(sql`coalesce(${meetings.endsAt}, ${meetings.startsAt})`, now));
  if (q.when === 'past') conds.push(lt(sql`coalesce(${meetings.endsAt}, ${meetings.startsAt})`, now));
  return conds;
}

/** How many meetings listMeetings would list in all (one count, no rows). */
export async function countMeetings(db: Executor, q: MeetingFilter = {}): Promise<number> {
  const conds = meetingConds(db, q);
  if (!conds) return 0;
  const [{ total }] = (await db.select({ total: count() }).from(meetings).where(and(...conds))) as [{ total: number }];
  return Number(total);
}

/** Meetings, soonest upcoming first or latest past first. Titles, times and bodies are public. */
export async function listMeetings(db: Executor, q: MeetingFilter & { page?: number; pageSize?: number } = {}): Promise<{ items: MeetingListEntry[]; hasMore: boolean; page: number; pageSize: number; total: number }> {
  const page = Math.max(1, q.page ?? 1);
  const pageSize = Math.min(200, Math.max(1, q.pageSize ?? 25));
  const conds = meetingConds(db, q);
  if (!conds) return { items: [], hasMore: false, page, pageSize, total: 0 };
  const [rows, total] = await readAll(db, [
    () =>
      db
        .select()
        .from(meetings)
        .where(and(...conds))
        .orderBy(q.when === 'upcoming' ? asc(meetings.startsAt) : desc(meetings.startsAt))
        .limit(pageSize + 1)
        .offset((page - 1) * pageSize),
    () => countMeetings(db, q),
  ]);
  const shown = rows.slice(0, pageSize);
  // The organisers of all the listed meetings in two queries, not two per meeting.
  const idsOf = await organiserIdsOf(db, shown.map((m) => m.id));
  const refs = new Map((await orgRefs(db, [...new Set([...idsOf.values()].flat())])).map((o) => [o.id, o]));
  const items: MeetingListEntry[] = shown.map((m) => ({ meeting: m, organisers: (idsOf.get(m.id) ?? []).flatMap((id) => refs.get(id) ?? []) }));
  return { items, hasMore: rows.length > pageSize, page, pageSize, total };
}

/** An organisation and everything nested under it. */
export async function withDescendants(db: Executor, orgId: string): Promise<string[]> {
  const out = [orgId];
  for (let i = 0; i < out.length && out.length < 2000; i++) {
    const children = await directory.listOrganisations(db, { parentId: out[i]!, includeEnded: true, pageSize: 200 });
    for (const c of children.items) if (!out.includes(c.id)) out.push(c.id);
  }
  return out;
}

/**
 * What a working group's page shows: its meetings, the latest published
 * minutes, and the public documents of its meetings (follow-up documents and
 * other attachments), newest first.
 */
export async function organisationMeetingsSummary(db: Executor, orgId: string, now = new Date()) {
  const upcoming = await listMeetings(db, { organisationIds: [orgId], when: 'upcoming', pageSize: 10, now });
  const past = await listMeetings(db, { organisationIds: [orgId], when: 'past', pageSize: 20, now });
  const latestMinutes = await latestMinutesOf(db, orgId);
  const documents: { file: FileView; meeting: MeetingRow }[] = [];
  for (const { meeting } of past.items.concat(upcoming.items)) {
    const v = await publicMeetingView(db, meeting);
    for (const f of v.files) documents.push({ file: f, meeting });
    for (const it of v.items) for (const f of it.files) documents.push({ file: f, meeting });
  }
  documents.sort((a, b) => b.file.createdAt.getTime() - a.file.createdAt.getTime());
  return {
    upcoming: upcoming.items,
    past: past.items,
    latestMinutes: latestMinutes ? await publicMeetingView(db, latestMinutes) : null,
    documents,
  };
}

/**
 * What an organisation's directory page shows of its meetings: the next three, whether it has held
 * any, and its latest published minutes. Lighter than organisationMeetingsSummary, which also
 * opens every listed meeting for its documents (the meetings page of the body shows those).
 */
export async function organisationMeetingsGlance(db: Executor, orgId: string, now = new Date()) {
  const [upcoming, past, latestMinutes] = await readAll(db, [
    () => listMeetings(db, { organisationIds: [orgId], when: 'upcoming', pageSize: 3, now }),
    () => countMeetings(db, { organisationIds: [orgId], when: 'past', now }),
    () => latestMinutesOf(db, orgId),
  ]);
  return { upcoming: upcoming.items, hasPast: past > 0, latestMinutes };
}

async function latestMinutesOf(db: Executor, orgId: string): Promise<MeetingRow | null> {
  const [row] = await db
    .select()
    .from(meetings)
    .where(
      and(
        isNull(meetings.deletedAt),
        isNotNull(meetings.minutesPublishedAt),
        inArray(meetings.id, db.select({ id: meetingOrganisations.meetingId }).from(meetingOrganisations).where(and(eq(meetingOrganisations.organisationId, orgId), eq(meetingOrganisations.pending, false)))),
      ),
    )
    .orderBy(desc(meetings.startsAt))
    .limit(1);
  return row ?? null;
}

/** A file as the viewer may download it, or not found: closed and unpublished files do not exist for outsiders. */
export async function fileForDownload(db: Executor, actor: Actor, fileId: string): Promise<FileRow> {
  if (!isUuid(fileId)) throw new NotFoundError('file', fileId);
  const [file] = await db.select().from(meetingFiles).where(and(eq(meetingFiles.id, fileId), isNull(meetingFiles.deletedAt)));
  if (!file) throw new NotFoundError('file', fileId);
  const view = await meetingView(db, actor, file.meetingId).catch((err) => {
    if (err instanceof NotFoundError) throw new NotFoundError('file', fileId);
    throw err;
  });
  const visible = view.files.some((f) => f.id === file.id) || view.items.some((it) => it.files.some((f) => f.id === file.id));
  if (!visible) throw new NotFoundError('file', fileId);
  return file;
}

/** Same decision for the public (OParl): is this file part of the public record? */
export async function isFilePublic(db: Executor, file: FileRow): Promise<boolean> {
  if (file.deletedAt) return false;
  const meeting = await getMeetingRow(db, file.meetingId).catch(() => null);
  if (!meeting) return false;
  const v = await publicMeetingView(db, meeting);
  return v.files.some((f) => f.id === file.id) || v.items.some((it) => it.files.some((f) => f.id === file.id));
}
