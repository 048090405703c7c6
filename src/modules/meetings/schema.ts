import { bigint, boolean, date, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const MEETING_STATES = ['planned', 'invited', 'held', 'cancelled'] as const;
export type MeetingState = (typeof MEETING_STATES)[number];
export const PARTICIPANT_ROLES = ['chair', 'member', 'secretary', 'officer', 'guest'] as const;
export const ATTENDANCE = ['invited', 'present', 'absent', 'excused'] as const;
export const FILE_ROLES = ['invitation', 'agenda', 'minutes', 'attachment'] as const;
export type FileRole = (typeof FILE_ROLES)[number];
export const CONTENT_LANGS = ['sv', 'nb', 'da', 'en'] as const;
export type ContentLang = (typeof CONTENT_LANGS)[number];

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const meetings = pgTable('meetings', {
  id: uuid('id').primaryKey().defaultRandom(),
  title: text('title').notNull(),
  lang: text('lang').$type<ContentLang>().notNull().default('en'),
  startsAt: ts('starts_at').notNull(),
  endsAt: ts('ends_at'),
  timeZone: text('time_zone').notNull().default('Europe/Stockholm'),
  state: text('state').$type<MeetingState>().notNull().default('planned'),
  streetAddress: text('street_address'),
  postalCode: text('postal_code'),
  locality: text('locality'),
  room: text('room'),
  onlineUrl: text('online_url'),
  onlinePlatform: text('online_platform'),
  description: text('description').notNull().default(''),
  minutesNotes: text('minutes_notes').notNull().default(''),
  agendaPublishedAt: ts('agenda_published_at'),
  minutesPublishedAt: ts('minutes_published_at'),
  copiedFromId: uuid('copied_from_id'),
  sequence: integer('sequence').notNull().default(0),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  deletedAt: ts('deleted_at'),
});
export type MeetingRow = typeof meetings.$inferSelect;

export const meetingOrganisations = pgTable(
  'meeting_organisations',
  {
    meetingId: uuid('meeting_id').notNull(),
    organisationId: uuid('organisation_id').notNull(),
    position: integer('position').notNull().default(0),
    /** Named by someone who may not act for this organisation: awaits its acceptance, and until then the meeting is not its. */
    pending: boolean('pending').notNull().default(false),
    requestedBy: uuid('requested_by'),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.organisationId] })],
);

export const meetingParticipants = pgTable('meeting_participants', {
  id: uuid('id').primaryKey().defaultRandom(),
  meetingId: uuid('meeting_id').notNull(),
  personId: uuid('person_id').notNull(),
  role: text('role').$type<(typeof PARTICIPANT_ROLES)[number]>().notNull().default('member'),
  attendance: text('attendance').$type<(typeof ATTENDANCE)[number]>().notNull().default('invited'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
export type ParticipantRow = typeof meetingParticipants.$inferSelect;

export const cases = pgTable('cases', {
  id: uuid('id').primaryKey().defaultRandom(),
  organisationId: uuid('organisation_id').notNull(),
  reference: text('reference'),
  title: text('title').notNull(),
  caseType: text('case_type'),
  caseDate: date('case_date', { mode: 'string' }),
  caseOfficer: text('case_officer'),
  otherOfficers: text('other_officers').array().notNull().default([]),
  lang: text('lang').$type<ContentLang>().notNull().default('en'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  deletedAt: ts('deleted_at'),
});
export type CaseRow = typeof cases.$inferSelect;

export const caseReferrals = pgTable(
  'case_referrals',
  {
    caseId: uuid('case_id').notNull(),
    organisationId: uuid('organisation_id').notNull(),
    position: integer('position').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.organisationId] })],
);

export const agendaItems = pgTable('agenda_items', {
  id: uuid('id').primaryKey().defaultRandom(),
  meetingId: uuid('meeting_id').notNull(),
  position: integer('position').notNull(),
  number: text('number'),
  title: text('title').notNull(),
  isPublic: boolean('is_public').notNull().default(true),
  caseId: uuid('case_id'),
  lang: text('lang').$type<ContentLang>().notNull().default('en'),
  summary: text('summary').notNull().default(''),
  description: text('description').notNull().default(''),
  recommendation: text('recommendation').notNull().default(''),
  decision: text('decision').notNull().default(''),
  result: text('result'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  deletedAt: ts('deleted_at'),
});
export type AgendaItemRow = typeof agendaItems.$inferSelect;

export const meetingFiles = pgTable('meeting_files', {
  id: uuid('id').primaryKey().defaultRandom(),
  meetingId: uuid('meeting_id').notNull(),
  agendaItemId: uuid('agenda_item_id'),
  role: text('role').$type<FileRole>().notNull(),
  title: text('title').notNull(),
  fileName: text('file_name').notNull(),
  mimeType: text('mime_type').notNull(),
  sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
  sha512: text('sha512').notNull(),
  storageKey: text('storage_key').notNull(),
  extractedText: text('extracted_text'),
  isPublic: boolean('is_public').notNull().default(true),
  createdBy: uuid('created_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  deletedAt: ts('deleted_at'),
});
export type FileRow = typeof meetingFiles.$inferSelect;
