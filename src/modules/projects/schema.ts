import { bigint, boolean, char, date, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const PROJECT_STATES = ['planned', 'running', 'ended', 'cancelled'] as const;
export type ProjectState = (typeof PROJECT_STATES)[number];
export const PARTNER_ROLES = ['partner', 'co_financer', 'steering_group', 'associated'] as const;
export type PartnerRole = (typeof PARTNER_ROLES)[number];
export const MILESTONE_KINDS = ['phase', 'deadline'] as const;
export type MilestoneKind = (typeof MILESTONE_KINDS)[number];
export const VISIBILITIES = ['public', 'partners'] as const;
export type Visibility = (typeof VISIBILITIES)[number];
/** The currencies of the three countries plus the euro (EU funds are granted in it). All have two minor digits. */
export const CURRENCIES = ['SEK', 'NOK', 'DKK', 'EUR'] as const;
export type Currency = (typeof CURRENCIES)[number];
export const PROJECT_LANGS = ['sv', 'nb', 'da', 'en'] as const;
export type ProjectLang = (typeof PROJECT_LANGS)[number];

const day = (name: string) => date(name, { mode: 'string' });

export const projects = pgTable('projects', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull(),
  name: text('name').notNull(),
  acronym: text('acronym'),
  lang: text('lang').$type<ProjectLang>().notNull(),
  description: text('description').notNull().default(''),
  objectives: text('objectives').notNull().default(''),
  targetGroup: text('target_group').notNull().default(''),
  ownerOrgId: uuid('owner_org_id').notNull(),
  coordinatorPersonId: uuid('coordinator_person_id'),
  coordinatorOrgId: uuid('coordinator_org_id'),
  state: text('state').$type<ProjectState>().notNull(),
  visibility: text('visibility').$type<Visibility>().notNull(),
  startDate: day('start_date'),
  endDate: day('end_date'),
  /** The accepted challenge response this project was started from (migration 0810), if any. */
  startedFromResponseId: uuid('started_from_response_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const projectPartners = pgTable('project_partners', {
  id: uuid('id').primaryKey().defaultRandom(),
  projectId: uuid('project_id').notNull(),
  organisationId: uuid('organisation_id').notNull(),
  role: text('role').$type<PartnerRole>().notNull(),
  startDate: day('start_date'),
  endDate: day('end_date'),
  canEdit: boolean('can_edit').notNull().default(false),
  position: integer('position').notNull().default(0),
});

export const projectMilestones = pgTable('project_milestones', {
  id: uuid('id').primaryKey().defaultRandom(),
  projectId: uuid('project_id').notNull(),
  kind: text('kind').$type<MilestoneKind>().notNull(),
  title: text('title').notNull(),
  startDate: day('start_date'),
  dueDate: day('due_date').notNull(),
  position: integer('position').notNull().default(0),
});

export const projectRemindersSent = pgTable(
  'project_reminders_sent',
  {
    milestoneId: uuid('milestone_id').notNull(),
    dueDate: day('due_date').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
    recipients: integer('recipients').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.milestoneId, t.dueDate] })],
);

export const projectSdgTargets = pgTable(
  'project_sdg_targets',
  { projectId: uuid('project_id').notNull(), targetCode: text('target_code').notNull() },
  (t) => [primaryKey({ columns: [t.projectId, t.targetCode] })],
);

export const projectIndicators = pgTable(
  'project_indicators',
  { projectId: uuid('project_id').notNull(), indicatorCode: text('indicator_code').notNull() },
  (t) => [primaryKey({ columns: [t.projectId, t.indicatorCode] })],
);

/** Plan actions (plans module) and challenges (challenges module) a project carries out or answers. */
export const projectPlanActions = pgTable(
  'project_plan_actions',
  { projectId: uuid('project_id').notNull(), actionId: uuid('action_id').notNull(), position: integer('position').notNull().default(0) },
  (t) => [primaryKey({ columns: [t.projectId, t.actionId] })],
);

export const projectChallenges = pgTable(
  'project_challenges',
  { projectId: uuid('project_id').notNull(), challengeId: uuid('challenge_id').notNull(), position: integer('position').notNull().default(0) },
  (t) => [primaryKey({ columns: [t.projectId, t.challengeId] })],
);

export const projectLinks = pgTable('project_links', {
  id: uuid('id').primaryKey().defaultRandom(),
  projectId: uuid('project_id').notNull(),
  title: text('title').notNull(),
  url: text('url').notNull(),
  position: integer('position').notNull().default(0),
});

export const projectDocuments = pgTable('project_documents', {
  id: uuid('id').primaryKey().defaultRandom(),
  projectId: uuid('project_id').notNull(),
  title: text('title').notNull(),
  fileName: text('file_name').notNull(),
  mimeType: text('mime_type').notNull(),
  sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
  sha512: text('sha512').notNull(),
  storageKey: text('storage_key').notNull(),
  textContent: text('text_content'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const fundingSources = pgTable('project_funding_sources', {
  id: uuid('id').primaryKey().defaultRandom(),
  projectId: uuid('project_id').notNull(),
  funderOrgId: uuid('funder_org_id').notNull(),
  isOwn: boolean('is_own').notNull().default(false),
  programme: text('programme'),
  grantReference: text('grant_reference'),
  position: integer('position').notNull().default(0),
});

export const fundingAmounts = pgTable(
  'project_funding_amounts',
  {
    sourceId: uuid('source_id').notNull(),
    year: integer('year').notNull(),
    currency: char('currency', { length: 3 }).$type<Currency>().notNull(),
    // bigint as JS bigint: minor units of a large budget can pass 2^53 only in theory, but exact is exact.
    amountMinor: bigint('amount_minor', { mode: 'bigint' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sourceId, t.year, t.currency] })],
);

export const exchangeRates = pgTable(
  'project_exchange_rates',
  {
    networkOrgId: uuid('network_org_id').notNull(),
    year: integer('year').notNull(),
    fromCurrency: char('from_currency', { length: 3 }).$type<Currency>().notNull(),
    toCurrency: char('to_currency', { length: 3 }).$type<Currency>().notNull(),
    rateMicro: bigint('rate_micro', { mode: 'bigint' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.networkOrgId, t.year, t.fromCurrency, t.toCurrency] })],
);

export type ProjectRow = typeof projects.$inferSelect;
export type PartnerRow = typeof projectPartners.$inferSelect;
export type MilestoneRow = typeof projectMilestones.$inferSelect;
export type LinkRow = typeof projectLinks.$inferSelect;
export type DocumentRow = typeof projectDocuments.$inferSelect;
export type FundingSourceRow = typeof fundingSources.$inferSelect;
export type FundingAmountRow = typeof fundingAmounts.$inferSelect;
export type ExchangeRateRow = typeof exchangeRates.$inferSelect;
