import { bigint, boolean, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const CONTENT_LANGS = ['sv', 'nb', 'da', 'en'] as const;
export type ContentLang = (typeof CONTENT_LANGS)[number];
export const EVENT_KINDS = ['webinar', 'gathering', 'conference', 'study_visit', 'course'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
export const FILE_ROLES = ['presentation', 'recording', 'material'] as const;
export type EventFileRole = (typeof FILE_ROLES)[number];

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const news = pgTable('knowledge_news', {
  id: uuid('id').primaryKey().defaultRandom(),
  organisationId: uuid('organisation_id').notNull(),
  title: text('title').notNull(),
  lead: text('lead').notNull().default(''),
  body: text('body').notNull().default(''),
  lang: text('lang').$type<ContentLang>().notNull(),
  authorName: text('author_name').notNull().default(''),
  authorUserId: uuid('author_user_id'),
  imageKey: text('image_key'),
  imageMime: text('image_mime'),
  imageAlt: text('image_alt'),
  sdgGoals: integer('sdg_goals').array().notNull().default([]),
  topics: text('topics').array().notNull().default([]),
  status: text('status').$type<'draft' | 'published'>().notNull().default('draft'),
  publishedAt: ts('published_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  deletedAt: ts('deleted_at'),
});
export type NewsRow = typeof news.$inferSelect;

export const events = pgTable('knowledge_events', {
  id: uuid('id').primaryKey().defaultRandom(),
  kind: text('kind').$type<EventKind>().notNull(),
  title: text('title').notNull(),
  description: text('description').notNull().default(''),
  lang: text('lang').$type<ContentLang>().notNull(),
  startsAt: ts('starts_at').notNull(),
  endsAt: ts('ends_at').notNull(),
  timeZone: text('time_zone').notNull().default('Europe/Stockholm'),
  place: text('place'),
  onlineUrl: text('online_url'),
  registrationOpen: boolean('registration_open').notNull().default(false),
  capacity: integer('capacity'),
  registrationDeadline: ts('registration_deadline'),
  recordingUrl: text('recording_url'),
  sdgGoals: integer('sdg_goals').array().notNull().default([]),
  topics: text('topics').array().notNull().default([]),
  status: text('status').$type<'draft' | 'published'>().notNull().default('draft'),
  publishedAt: ts('published_at'),
  sequence: integer('sequence').notNull().default(0),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  deletedAt: ts('deleted_at'),
});
export type EventRow = typeof events.$inferSelect;

export const eventOrganisers = pgTable(
  'knowledge_event_organisers',
  { eventId: uuid('event_id').notNull(), organisationId: uuid('organisation_id').notNull(), position: integer('position').notNull().default(0) },
  (t) => [primaryKey({ columns: [t.eventId, t.organisationId] })],
);

export const eventItems = pgTable('knowledge_event_items', {
  id: uuid('id').primaryKey().defaultRandom(),
  eventId: uuid('event_id').notNull(),
  position: integer('position').notNull().default(0),
  startsAt: ts('starts_at'),
  title: text('title').notNull(),
  speakerName: text('speaker_name'),
  speakerPersonId: uuid('speaker_person_id'),
  speakerOrganisationId: uuid('speaker_organisation_id'),
  slidesUrl: text('slides_url'),
  createdAt: ts('created_at').notNull().defaultNow(),
});
export type EventItemRow = typeof eventItems.$inferSelect;

export const eventFiles = pgTable('knowledge_event_files', {
  id: uuid('id').primaryKey().defaultRandom(),
  eventId: uuid('event_id').notNull(),
  itemId: uuid('item_id'),
  role: text('role').$type<EventFileRole>().notNull(),
  title: text('title').notNull(),
  fileName: text('file_name').notNull(),
  mimeType: text('mime_type').notNull(),
  sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
  storageKey: text('storage_key').notNull(),
  extractedText: text('extracted_text'),
  createdAt: ts('created_at').notNull().defaultNow(),
  deletedAt: ts('deleted_at'),
});
export type EventFileRow = typeof eventFiles.$inferSelect;

export const registrations = pgTable('knowledge_event_registrations', {
  id: uuid('id').primaryKey().defaultRandom(),
  eventId: uuid('event_id').notNull(),
  name: text('name').notNull(),
  email: text('email').notNull(),
  organisationName: text('organisation_name'),
  tokenHash: text('token_hash').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  cancelledAt: ts('cancelled_at'),
});
export type RegistrationRow = typeof registrations.$inferSelect;

/**
 * Size bands of a municipality by its latest total population (indicators' POPULATION_INDICATORS):
 * small under 10,000; medium 10,000–49,999; large 50,000–199,999; city 200,000 and more.
 */
export const MUNICIPALITY_SIZES = ['small', 'medium', 'large', 'city'] as const;
export type MunicipalitySize = (typeof MUNICIPALITY_SIZES)[number];
export const SIZE_BOUNDS: Record<MunicipalitySize, [number, number | null]> = { small: [0, 10_000], medium: [10_000, 50_000], large: [50_000, 200_000], city: [200_000, null] };

export const PRACTICE_STATUSES = ['submitted', 'in_review', 'returned', 'published'] as const;
export type PracticeStatus = (typeof PRACTICE_STATUSES)[number];

export const practices = pgTable('knowledge_practices', {
  id: uuid('id').primaryKey().defaultRandom(),
  title: text('title').notNull(),
  lang: text('lang').$type<ContentLang>().notNull(),
  reviewerOrgId: uuid('reviewer_org_id').notNull(),
  areaId: uuid('area_id'),
  country: text('country'),
  themes: text('themes').array().notNull().default([]),
  sdgTargets: text('sdg_targets').array().notNull().default([]),
  startingPoint: text('starting_point').notNull().default(''),
  whatWasDone: text('what_was_done').notNull().default(''),
  whoWasInvolved: text('who_was_involved').notNull().default(''),
  periodStart: integer('period_start'),
  periodEnd: integer('period_end'),
  resources: text('resources').notNull().default(''),
  results: text('results').notNull().default(''),
  keyFigures: text('key_figures').notNull().default(''),
  lessons: text('lessons').notNull().default(''),
  transfer: text('transfer').notNull().default(''),
  contacts: text('contacts').notNull().default(''),
  originUrl: text('origin_url'),
  status: text('status').$type<PracticeStatus>().notNull().default('submitted'),
  reviewNote: text('review_note').notNull().default(''),
  publishedAt: ts('published_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
export type PracticeRow = typeof practices.$inferSelect;

export const practiceOrganisations = pgTable(
  'knowledge_practice_organisations',
  { practiceId: uuid('practice_id').notNull(), organisationId: uuid('organisation_id').notNull(), position: integer('position').notNull().default(0) },
  (t) => [primaryKey({ columns: [t.practiceId, t.organisationId] })],
);

export const practiceIndicators = pgTable(
  'knowledge_practice_indicators',
  { practiceId: uuid('practice_id').notNull(), indicatorCode: text('indicator_code').notNull(), comparisonGroup: text('comparison_group'), position: integer('position').notNull().default(0) },
  (t) => [primaryKey({ columns: [t.practiceId, t.indicatorCode] })],
);

export const practiceAdoptions = pgTable('knowledge_practice_adoptions', {
  id: uuid('id').primaryKey().defaultRandom(),
  practiceId: uuid('practice_id').notNull(),
  organisationId: uuid('organisation_id').notNull(),
  adoptedOn: text('adopted_on'),
  note: text('note').notNull().default(''),
  createdAt: ts('created_at').notNull().defaultNow(),
});
export type AdoptionRow = typeof practiceAdoptions.$inferSelect;

export const practiceFiles = pgTable('knowledge_practice_files', {
  id: uuid('id').primaryKey().defaultRandom(),
  practiceId: uuid('practice_id').notNull(),
  title: text('title').notNull(),
  fileName: text('file_name').notNull(),
  mimeType: text('mime_type').notNull(),
  sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
  storageKey: text('storage_key').notNull(),
  extractedText: text('extracted_text'),
  createdAt: ts('created_at').notNull().defaultNow(),
  deletedAt: ts('deleted_at'),
});
export type PracticeFileRow = typeof practiceFiles.$inferSelect;
