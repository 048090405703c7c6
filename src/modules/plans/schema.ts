import { bigint, date, jsonb, pgTable, text, timestamp, uuid, char } from 'drizzle-orm/pg-core';

/** Drizzle mirrors of migrations/0500_plans.sql (the SQL file is the source of truth). */
export const CONTENT_LANGS = ['sv', 'nb', 'da', 'en'] as const;
export type ContentLang = (typeof CONTENT_LANGS)[number];
export const PRIORITY_STATES = ['draft', 'published'] as const;
export const ACTOR_ROLES = ['contributor', 'affected', 'partner'] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];
export const PLAN_STATES = ['draft', 'adopted', 'revised', 'ended'] as const;
export type PlanState = (typeof PLAN_STATES)[number];
export const ACTION_STATUSES = ['not_started', 'on_time', 'late', 'completed', 'postponed', 'cancelled'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export const DIRECTIONS = ['increase', 'decrease', 'maintain'] as const;
export type Direction = (typeof DIRECTIONS)[number];
export const FOLLOWUP_STATES = ['open', 'done', 'cancelled'] as const;

export type Milestone = { title: string; due: string; completedOn: string | null };
export type ActionIndicator = { code: string; direction: Direction };
export type BudgetLine = { year: number; amount: number };
export type PlanDocument = { title: string; url: string };

const ts = (name: string) => timestamp(name, { withTimezone: true });
const day = (name: string) => date(name, { mode: 'string' });

export const priorities = pgTable('plan_priorities', {
  id: uuid('id').primaryKey().defaultRandom(),
  organisationId: uuid('organisation_id').notNull(),
  title: text('title').notNull(),
  lang: text('lang').$type<ContentLang>().notNull().default('en'),
  rationale: text('rationale').notNull().default(''),
  sdgGoals: text('sdg_goals').array().notNull().default([]),
  sdgTargets: text('sdg_targets').array().notNull().default([]),
  indicatorCodes: text('indicator_codes').array().notNull().default([]),
  state: text('state').$type<(typeof PRIORITY_STATES)[number]>().notNull().default('draft'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
export type PriorityRow = typeof priorities.$inferSelect;

export const priorityActors = pgTable('plan_priority_actors', {
  id: uuid('id').primaryKey().defaultRandom(),
  priorityId: uuid('priority_id').notNull(),
  organisationId: uuid('organisation_id').notNull(),
  role: text('role').$type<ActorRole>().notNull(),
  contact: text('contact'),
  challengeId: uuid('challenge_id'),
  createdAt: ts('created_at').notNull().defaultNow(),
});
export type PriorityActorRow = typeof priorityActors.$inferSelect;

export const plans = pgTable('plan_plans', {
  id: uuid('id').primaryKey().defaultRandom(),
  organisationId: uuid('organisation_id').notNull(),
  title: text('title').notNull(),
  lang: text('lang').$type<ContentLang>().notNull().default('en'),
  description: text('description').notNull().default(''),
  periodStart: day('period_start'),
  periodEnd: day('period_end'),
  state: text('state').$type<PlanState>().notNull().default('draft'),
  adoptedMeetingId: uuid('adopted_meeting_id'),
  adoptedItemId: uuid('adopted_item_id'),
  adoptedOn: day('adopted_on'),
  decisionNote: text('decision_note').notNull().default(''),
  parentId: uuid('parent_id'),
  documents: jsonb('documents').$type<PlanDocument[]>().notNull().default([]),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
export type PlanRow = typeof plans.$inferSelect;

export const actions = pgTable('plan_actions', {
  id: uuid('id').primaryKey().defaultRandom(),
  planId: uuid('plan_id').notNull(),
  identifier: text('identifier').notNull(),
  title: text('title').notNull(),
  lang: text('lang').$type<ContentLang>().notNull().default('en'),
  description: text('description').notNull().default(''),
  primaryOrgId: uuid('primary_org_id').notNull(),
  collaboratorIds: uuid('collaborator_ids').array().notNull().default([]),
  contactIds: uuid('contact_ids').array().notNull().default([]),
  startDate: day('start_date'),
  endDate: day('end_date'),
  milestones: jsonb('milestones').$type<Milestone[]>().notNull().default([]),
  sdgTargets: text('sdg_targets').array().notNull().default([]),
  indicators: jsonb('indicators').$type<ActionIndicator[]>().notNull().default([]),
  currency: char('currency', { length: 3 }),
  budget: jsonb('budget').$type<BudgetLine[]>().notNull().default([]),
  manualStatus: text('manual_status').$type<ActionStatus>(),
  manualReason: text('manual_reason'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
export type ActionRow = typeof actions.$inferSelect;

export const statusUpdates = pgTable('plan_status_updates', {
  id: uuid('id').primaryKey().defaultRandom(),
  actionId: uuid('action_id').notNull(),
  onDate: day('on_date').notNull(),
  body: text('body').notNull(),
  authorLabel: text('author_label').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});
export type StatusUpdateRow = typeof statusUpdates.$inferSelect;

export const followups = pgTable('plan_followups', {
  id: uuid('id').primaryKey().defaultRandom(),
  meetingId: uuid('meeting_id').notNull(),
  agendaItemId: uuid('agenda_item_id'),
  what: text('what').notNull(),
  who: text('who').notNull().default(''),
  dueDate: day('due_date'),
  state: text('state').$type<(typeof FOLLOWUP_STATES)[number]>().notNull().default('open'),
  actionId: uuid('action_id'),
  priorityId: uuid('priority_id'),
  indicatorCode: text('indicator_code'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
export type FollowupRow = typeof followups.$inferSelect;

/** migrations/0820_plan_files.sql: uploaded documents of a plan. */
export const planFiles = pgTable('plan_files', {
  id: uuid('id').primaryKey().defaultRandom(),
  planId: uuid('plan_id').notNull(),
  title: text('title').notNull(),
  fileName: text('file_name').notNull(),
  mimeType: text('mime_type').notNull(),
  sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
  sha512: text('sha512').notNull(),
  storageKey: text('storage_key').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});
export type PlanFileRow = typeof planFiles.$inferSelect;
