import { pgTable, text, timestamp, uuid, char, date, boolean } from 'drizzle-orm/pg-core';

export const ORG_KINDS = [
  'municipality',
  'county',
  'region',
  'network',
  'working_group',
  'committee',
  'political_group',
  'steering_group',
  'secretariat',
  'agency',
  'company',
  'ngo',
  'university',
] as const;
export type OrgKind = (typeof ORG_KINDS)[number];
/** Kinds that govern a territory and are linked to an area. */
export const TERRITORIAL_KINDS: readonly OrgKind[] = ['municipality', 'county', 'region'];

export const ROLES = [
  'chair',
  'vice_chair',
  'board_member',
  'member',
  'representative',
  'coordinator',
  'project_leader',
  'secretary',
  'advisor',
  'partner',
] as const;
export type Role = (typeof ROLES)[number];

export const COUNTRIES = ['SE', 'NO', 'DK'] as const;
export type Country = (typeof COUNTRIES)[number];
export const AREA_LEVELS = ['country', 'region', 'municipality', 'district'] as const;
export type AreaLevel = (typeof AREA_LEVELS)[number];
export const CONTENT_LANGS = ['sv', 'nb', 'da', 'en'] as const;
export type ContentLang = (typeof CONTENT_LANGS)[number];

export const areas = pgTable('areas', {
  id: uuid('id').primaryKey().defaultRandom(),
  key: text('key').notNull().unique(),
  // Any ISO 3166 country: organisations bind only to Nordic areas (COUNTRIES), but indicator
  // data may come from Helsinki (fi-091) or Munich (de-09162000).
  country: char('country', { length: 2 }).$type<string>().notNull(),
  level: text('level').$type<AreaLevel>().notNull(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  parentId: uuid('parent_id'),
  /** When the area existed, for areas that reforms created or ended (Viken: 2020–2023). */
  validFrom: date('valid_from', { mode: 'string' }),
  validTo: date('valid_to', { mode: 'string' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const organisations = pgTable('organisations', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  shortName: text('short_name'),
  searchName: text('search_name').notNull(),
  /** Per-language sort keys (migrations/0870): lists page in the reader's alphabetical order. */
  sortSv: text('sort_sv').notNull().default(''),
  sortNb: text('sort_nb').notNull().default(''),
  sortDa: text('sort_da').notNull().default(''),
  sortEn: text('sort_en').notNull().default(''),
  kind: text('kind').$type<OrgKind>().notNull(),
  parentId: uuid('parent_id'),
  areaId: uuid('area_id'),
  lang: text('lang').$type<ContentLang>().notNull().default('en'),
  description: text('description').notNull().default(''),
  website: text('website'),
  foundedOn: text('founded_on'),
  endedOn: text('ended_on'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const people = pgTable('people', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  searchName: text('search_name').notNull(),
  sortSv: text('sort_sv').notNull().default(''),
  sortNb: text('sort_nb').notNull().default(''),
  sortDa: text('sort_da').notNull().default(''),
  sortEn: text('sort_en').notNull().default(''),
  title: text('title'),
  lang: text('lang').$type<ContentLang>().notNull().default('en'),
  email: text('email'),
  phone: text('phone'),
  /** The organisation whose admins and editors maintain this record (null until one claims it). */
  ownerOrganisationId: uuid('owner_organisation_id'),
  /** The person's own account, when linked. */
  userId: uuid('user_id'),
  endedOn: text('ended_on'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const memberships = pgTable('memberships', {
  id: uuid('id').primaryKey().defaultRandom(),
  organisationId: uuid('organisation_id').notNull(),
  personId: uuid('person_id'),
  memberOrganisationId: uuid('member_organisation_id'),
  role: text('role').$type<Role>().notNull(),
  label: text('label'),
  onBehalfOfId: uuid('on_behalf_of_id'),
  /** Named "on behalf of" by someone who may not act for that organisation: waits for its confirmation. */
  onBehalfPending: boolean('on_behalf_pending').notNull().default(false),
  startDate: text('start_date'),
  endDate: text('end_date'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const commitments = pgTable('commitments', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  title: text('title').notNull(),
  searchName: text('search_name').notNull(),
  lang: text('lang').$type<ContentLang>().notNull().default('en'),
  datedOn: text('dated_on'),
  body: text('body').notNull().default(''),
  url: text('url'),
  /** The organisation the text belongs to; signatories add only their signatures. */
  ownerOrganisationId: uuid('owner_organisation_id'),
  endedOn: text('ended_on'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const commitmentSignatures = pgTable('commitment_signatures', {
  id: uuid('id').primaryKey().defaultRandom(),
  commitmentId: uuid('commitment_id').notNull(),
  organisationId: uuid('organisation_id').notNull(),
  signedOn: text('signed_on'),
  endedOn: text('ended_on'),
  note: text('note'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** An organisation's consent that a network it is a member of writes its area's figures. */
export const areaDelegations = pgTable('area_delegations', {
  organisationId: uuid('organisation_id').notNull(),
  networkId: uuid('network_id').notNull(),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type AreaRow = typeof areas.$inferSelect;
export type OrganisationRow = typeof organisations.$inferSelect;
export type PersonRow = typeof people.$inferSelect;
export type MembershipRow = typeof memberships.$inferSelect;
export type CommitmentRow = typeof commitments.$inferSelect;
export type SignatureRow = typeof commitmentSignatures.$inferSelect;
