import { bigint, bigserial, doublePrecision, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Drizzle mirrors of migrations/0200_indicators.sql (the SQL file is the source of truth). */
export const frameworks = pgTable('ind_frameworks', {
  id: uuid('id').primaryKey().defaultRandom(),
  key: text('key').notNull(),
  names: jsonb('names').$type<Record<string, string>>().notNull(),
  source: text('source').notNull().default(''),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const frameworkNodes = pgTable('ind_framework_nodes', {
  id: uuid('id').primaryKey().defaultRandom(),
  frameworkId: uuid('framework_id').notNull(),
  code: text('code').notNull(),
  level: text('level').$type<'goal' | 'target' | 'category'>().notNull(),
  parentId: uuid('parent_id'),
  names: jsonb('names').$type<Record<string, string>>().notNull(),
  shortNames: jsonb('short_names').$type<Record<string, string>>().notNull(),
  sortKey: text('sort_key').notNull().default(''),
});

export const indicators = pgTable('ind_indicators', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull(),
  frameworkId: uuid('framework_id'),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  lang: text('lang').$type<'sv' | 'nb' | 'da' | 'en'>().notNull().default('en'),
  unit: text('unit').notNull().default(''),
  decimals: smallint('decimals').notNull().default(1),
  direction: text('direction').$type<'higher' | 'lower' | 'neutral'>().notNull().default('neutral'),
  source: text('source').notNull().default(''),
  attribution: text('attribution').notNull().default(''),
  periodicity: text('periodicity').$type<'annual' | 'multi_year' | 'quarterly' | 'monthly' | 'irregular'>().notNull().default('annual'),
  dimensions: jsonb('dimensions').$type<string[]>().notNull().default([]),
  dataVersion: integer('data_version').notNull().default(0),
  areaCount: integer('area_count').notNull().default(0),
  /** The account that brought the indicator in: only it, or a platform admin, changes its metadata. */
  ownerUserId: uuid('owner_user_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
export type IndicatorRow = typeof indicators.$inferSelect;

export const indicatorLinks = pgTable(
  'ind_indicator_links',
  { indicatorId: uuid('indicator_id').notNull(), nodeId: uuid('node_id').notNull() },
  (t) => [primaryKey({ columns: [t.indicatorId, t.nodeId] })],
);

export const areaGroups = pgTable('ind_area_groups', {
  id: uuid('id').primaryKey().defaultRandom(),
  key: text('key').notNull(),
  name: text('name').notNull(),
  lang: text('lang').$type<'sv' | 'nb' | 'da' | 'en'>().notNull().default('en'),
  kind: text('kind').$type<'network' | 'similar' | 'custom' | 'kolada'>().notNull().default('custom'),
  source: text('source').notNull().default(''),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const areaGroupMembers = pgTable(
  'ind_area_group_members',
  { groupId: uuid('group_id').notNull(), areaId: uuid('area_id').notNull() },
  (t) => [primaryKey({ columns: [t.groupId, t.areaId] })],
);

export const areaGeometries = pgTable('ind_area_geometries', {
  areaId: uuid('area_id').primaryKey(),
  geojson: jsonb('geojson').notNull(),
  source: text('source').notNull().default(''),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const importBatches = pgTable('ind_import_batches', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  actorUserId: uuid('actor_user_id'),
  actorLabel: text('actor_label').notNull(),
  format: text('format').notNull(),
  source: text('source').notNull().default(''),
  filename: text('filename').notNull().default(''),
  rowsTotal: integer('rows_total').notNull().default(0),
  rowsInserted: integer('rows_inserted').notNull().default(0),
  rowsUpdated: integer('rows_updated').notNull().default(0),
  rowsUnchanged: integer('rows_unchanged').notNull().default(0),
  indicatorIds: uuid('indicator_ids').array().notNull(),
});
export type BatchRow = typeof importBatches.$inferSelect;

export const observations = pgTable(
  'ind_observations',
  {
    indicatorId: uuid('indicator_id').notNull(),
    areaId: uuid('area_id').notNull(),
    period: text('period').notNull(),
    breakdown: text('breakdown').notNull().default(''),
    value: doublePrecision('value'),
    status: text('status').notNull().default(''),
    note: text('note').notNull().default(''),
    batchId: bigint('batch_id', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.indicatorId, t.areaId, t.period, t.breakdown] })],
);

export const mappings = pgTable('ind_mappings', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  format: text('format').notNull(),
  mapping: jsonb('mapping').$type<Record<string, unknown>>().notNull(),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const uploads = pgTable('ind_uploads', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id'),
  filename: text('filename').notNull(),
  format: text('format').$type<'opensdg' | 'long' | 'jsonstat' | 'kolada'>().notNull(),
  // bytea travels as base64 text through both drivers via encode/decode in SQL; see service.
  mapping: jsonb('mapping').$type<Record<string, unknown>>().notNull(),
  status: text('status').$type<'uploaded' | 'checked' | 'running' | 'done' | 'failed'>().notNull().default('uploaded'),
  report: jsonb('report').$type<Record<string, unknown>>().notNull(),
  batchId: bigint('batch_id', { mode: 'number' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
