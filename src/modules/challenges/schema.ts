import { date, doublePrecision, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Drizzle mirrors of the challenge tables in migrations/0500_plans.sql. */
export const CHALLENGE_STATES = ['draft', 'open', 'in_dialogue', 'matched', 'closed'] as const;
export type ChallengeState = (typeof CHALLENGE_STATES)[number];
export const HELP_KINDS = ['expertise', 'technology', 'funding', 'data', 'pilot_site', 'volunteers', 'partnership'] as const;
export type HelpKind = (typeof HELP_KINDS)[number];
export const RESPONSE_STATES = ['pending', 'accepted', 'declined'] as const;
export const RESPONDER_KINDS = ['company', 'university', 'ngo', 'agency', 'municipality'] as const;

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const challenges = pgTable('ch_challenges', {
  id: uuid('id').primaryKey().defaultRandom(),
  organisationId: uuid('organisation_id').notNull(),
  priorityId: uuid('priority_id'),
  title: text('title').notNull(),
  lang: text('lang').$type<'sv' | 'nb' | 'da' | 'en'>().notNull().default('en'),
  problem: text('problem').notNull().default(''),
  sdgTargets: text('sdg_targets').array().notNull().default([]),
  indicatorCode: text('indicator_code'),
  indicatorTarget: doublePrecision('indicator_target'),
  helpKinds: text('help_kinds').array().$type<HelpKind[]>().notNull().default([]),
  deadline: date('deadline', { mode: 'string' }),
  contactName: text('contact_name').notNull().default(''),
  contactEmail: text('contact_email').notNull(),
  state: text('state').$type<ChallengeState>().notNull().default('draft'),
  publishedAt: ts('published_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
export type ChallengeRow = typeof challenges.$inferSelect;

export const responses = pgTable('ch_responses', {
  id: uuid('id').primaryKey().defaultRandom(),
  challengeId: uuid('challenge_id').notNull(),
  responderOrgId: uuid('responder_org_id'),
  newOrgName: text('new_org_name'),
  newOrgKind: text('new_org_kind'),
  offer: text('offer').notNull(),
  contactName: text('contact_name').notNull().default(''),
  contactEmail: text('contact_email').notNull(),
  state: text('state').$type<(typeof RESPONSE_STATES)[number]>().notNull().default('pending'),
  authorUserId: uuid('author_user_id'),
  decidedAt: ts('decided_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
});
export type ResponseRow = typeof responses.$inferSelect;
