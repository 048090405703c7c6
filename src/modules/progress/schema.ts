/** Drizzle definitions of the progress tables (SQL in migrations/0400_progress.sql). */
import { char, doublePrecision, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { ProgressStatus } from './methods/opensdg.js';

export const TARGET_LEVELS = ['global', 'national', 'network', 'area'] as const;
export type TargetLevel = (typeof TARGET_LEVELS)[number];

export const targets = pgTable('prog_targets', {
  id: uuid('id').primaryKey().defaultRandom(),
  indicatorId: uuid('indicator_id').notNull(),
  level: text('level').$type<TargetLevel>().notNull(),
  country: char('country', { length: 2 }).$type<'SE' | 'NO' | 'DK'>(),
  organisationId: uuid('organisation_id'),
  areaId: uuid('area_id'),
  breakdown: text('breakdown').notNull().default(''),
  value: doublePrecision('value').notNull(),
  targetYear: integer('target_year').notNull().default(2030),
  baselineYear: integer('baseline_year').notNull().default(2015),
  limitValue: doublePrecision('limit_value'),
  bound: doublePrecision('bound'),
  green: doublePrecision('green'),
  red: doublePrecision('red'),
  manualStatus: text('manual_status').$type<ProgressStatus>(),
  manualReason: text('manual_reason').notNull().default(''),
  source: text('source').notNull().default(''),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
export type TargetRow = typeof targets.$inferSelect;
