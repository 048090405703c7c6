/**
 * Read side: everything pages and the API show comes from the stored results;
 * nothing here computes a status.
 */
import { and, asc, count, eq, sql, type SQL } from 'drizzle-orm';
import { readAll, type Executor } from '../../platform/db/index.js';
import { pageWindow, type Page, type PageRequest } from '../../platform/paging.js';
import { directory } from '../directory/index.js';
import { indicatorVersions } from '../indicators/index.js';
import { targets, type TargetLevel, type TargetRow } from './schema.js';
import { decodeDetails } from './details.js';

const rowsOf = async <T>(ex: Executor, q: SQL): Promise<T[]> => (await ex.execute(q)).rows as T[];

export type TargetView = TargetRow & { indicatorCode: string; areaKey: string | null; areaName: string | null; organisationSlug: string | null; organisationName: string | null };

/** Adds the indicator code, area key and organisation slug each target refers to. */
export async function describeTargets(ex: Executor, rows: TargetRow[]): Promise<TargetView[]> {
  const inds = rows.length ? await indicatorVersions(ex, [...new Set(rows.map((r) => r.indicatorId))]) : [];
  const code = new Map(inds.map((i) => [i.id, i.code]));
  const areas = new Map<string, { key: string; name: string } | null>();
  const orgs = new Map<string, { slug: string; name: string } | null>();
  for (const r of rows) {
    if (r.areaId && !areas.has(r.areaId)) areas.set(r.areaId, await directory.getAreaById(ex, r.areaId));
    if (r.organisationId && !orgs.has(r.organisationId)) orgs.set(r.organisationId, await directory.getOrganisation(ex, r.organisationId).catch(() => null));
  }
  return rows.map((r) => ({
    ...r,
    indicatorCode: code.get(r.indicatorId) ?? '',
    areaKey: r.areaId ? (areas.get(r.areaId)?.key ?? null) : null,
    areaName: r.areaId ? (areas.get(r.areaId)?.name ?? null) : null,
    organisationSlug: r.organisationId ? (orgs.get(r.organisationId)?.slug ?? null) : null,
    organisationName: r.organisationId ? (orgs.get(r.organisationId)?.name ?? null) : null,
  }));
}

export type TargetFilter = { indicatorId?: string | undefined; areaId?: string | undefined; organisationId?: string | undefined; level?: TargetLevel | undefined };

function targetConds(f: TargetFilter) {
  const conds: SQL[] = [];
  if (f.indicatorId) conds.push(eq(targets.indicatorId, f.indicatorId));
  if (f.areaId) conds.push(eq(targets.areaId, f.areaId));
  if (f.organisationId) conds.push(eq(targets.organisationId, f.organisationId));
  if (f.level) conds.push(eq(targets.level, f.level));
  return conds.length ? and(...conds) : undefined;
}
const targetOrder = [asc(targets.level), asc(targets.createdAt), asc(targets.id)];

export async function listTargets(ex: Executor, f: TargetFilter = {}): Promise<TargetView[]> {
  const rows = await ex.select().from(targets).where(targetConds(f)).orderBy(...targetOrder).limit(5000);
  return describeTargets(ex, rows);
}

/** One page of targets (the API's list); the CSV export keeps listTargets. */
export async function pageTargets(ex: Executor, f: TargetFilter & PageRequest = {}): Promise<Page<TargetView>> {
  const w = pageWindow(f);
  const where = targetConds(f);
  const rows = await ex.select().from(targets).where(where).orderBy(...targetOrder).limit(w.pageSize).offset(w.offset);
  const [{ total }] = (await ex.select({ total: count() }).from(targets).where(where)) as [{ total: number }];
  return { items: await describeTargets(ex, rows), page: w.page, pageSize: w.pageSize, total };
}

export type StatusView = {
  indicator_code: string;
  breakdown: string;
  target_id: string | null;
  goal: string | null;
  u4ssc_dimension: string | null;
  status: string;
  method: string;
  score: number | null;
  colour: string | null;
  trend: string | null;
  u4ssc_points: number | null;
  quartile: number | null;
  details: Record<string, any>;
};
export type GoalScore = { goal: string; score: number | null; colour: string | null; trend: string | null; counted: number; selected: number };
export type AreaIndex = { score: number | null; selected: number; missing: number; withheld: string | null; max_missing_share: number; u4ssc: Record<string, { score: number; counted: number; sum: number }>; computed_at: string };

/** Status rows with their components decoded from the stored form (details.ts). */
async function statusRows<T extends StatusView>(ex: Executor, q: SQL): Promise<T[]> {
  const rows = await rowsOf<T>(ex, q);
  for (const r of rows) r.details = decodeDetails(r.details, r.status, r.method);
  return rows;
}

export async function areaProgress(ex: Executor, areaId: string): Promise<{ index: AreaIndex | null; goals: GoalScore[]; statuses: StatusView[] }> {
  // In sequence inside a transaction (one connection), together on the pool: readAll.
  const [index, goals, statuses] = await readAll(ex, [
    () => rowsOf<AreaIndex>(ex, sql`SELECT score, selected, missing, withheld, max_missing_share, u4ssc, computed_at::text FROM prog_area_index WHERE area_id = ${areaId}`),
    () => rowsOf<GoalScore>(ex, sql`SELECT goal, score, colour, trend, counted, selected FROM prog_goal_scores WHERE area_id = ${areaId}`),
    () => statusRows<StatusView>(ex, sql`SELECT indicator_code, breakdown, target_id, goal, u4ssc_dimension, status, method, score, colour, trend, u4ssc_points, quartile, details
      FROM prog_statuses WHERE area_id = ${areaId} ORDER BY indicator_code, breakdown`),
  ]);
  return { index: index[0] ?? null, goals, statuses };
}

export async function indicatorProgress(ex: Executor, indicatorId: string, areaIds?: string[]): Promise<(StatusView & { area_id: string })[]> {
  const filter = areaIds ? sql` AND area_id = ANY(${`{${areaIds.join(',')}}`}::uuid[])` : sql``;
  return statusRows(ex, sql`SELECT area_id, indicator_code, breakdown, target_id, goal, u4ssc_dimension, status, method, score, colour, trend, u4ssc_points, quartile, details
    FROM prog_statuses WHERE indicator_id = ${indicatorId}${filter} ORDER BY area_id, breakdown`);
}

/** Goal scores and index of many areas at once (network status page, goal page). */
export async function areasSummary(ex: Executor, areaIds: string[]): Promise<{ goals: (GoalScore & { area_id: string })[]; index: (AreaIndex & { area_id: string })[] }> {
  if (!areaIds.length) return { goals: [], index: [] };
  const ids = `{${areaIds.join(',')}}`;
  const [goals, index] = await readAll(ex, [
    () => rowsOf<GoalScore & { area_id: string }>(ex, sql`SELECT area_id, goal, score, colour, trend, counted, selected FROM prog_goal_scores WHERE area_id = ANY(${ids}::uuid[])`),
    () => rowsOf<AreaIndex & { area_id: string }>(ex, sql`SELECT area_id, score, selected, missing, withheld, max_missing_share, u4ssc, computed_at::text FROM prog_area_index WHERE area_id = ANY(${ids}::uuid[])`),
  ]);
  return { goals, index };
}

/** Statuses of one goal's indicators across areas (the goal page's matrix). */
export async function goalStatuses(ex: Executor, goal: string, areaIds: string[]): Promise<(StatusView & { area_id: string })[]> {
  if (!areaIds.length) return [];
  return statusRows(ex, sql`SELECT area_id, indicator_code, breakdown, target_id, goal, u4ssc_dimension, status, method, score, colour, trend, u4ssc_points, quartile, details
    FROM prog_statuses WHERE goal = ${goal} AND area_id = ANY(${`{${areaIds.join(',')}}`}::uuid[]) ORDER BY indicator_code`);
}

/** Every stored status, for the CSV and JSON exports (optionally one area). */
export async function exportStatuses(ex: Executor, areaId?: string): Promise<(StatusView & { area_id: string })[]> {
  const filter = areaId ? sql` WHERE area_id = ${areaId}` : sql``;
  return statusRows(ex, sql`SELECT area_id, indicator_code, breakdown, target_id, goal, u4ssc_dimension, status, method, score, colour, trend, u4ssc_points, quartile, details
    FROM prog_statuses${filter} ORDER BY indicator_code, area_id, breakdown LIMIT 200000`);
}

/** Current member organisations of a network that govern an area. */
export async function networkMembers(ex: Executor, orgRef: string) {
  const organisation = await directory.getOrganisation(ex, orgRef);
  const members = (await directory.currentMemberAreas(ex, [organisation.id])).map((m) => ({ id: m.organisation.id, slug: m.organisation.slug, name: m.organisation.name, areaId: m.area.id, areaKey: m.area.key }));
  return { organisation, members };
}

/** The networks (with targets) an area's organisation belongs to, nearest by name first. */
export async function networksOfArea(ex: Executor, areaId: string): Promise<string[]> {
  const rows = await rowsOf<{ organisation_id: string }>(ex, sql`SELECT organisation_id FROM prog_network_areas WHERE area_id = ${areaId} ORDER BY network_name`);
  return rows.map((r) => r.organisation_id);
}

/**
 * An indicator's precomputed target status in one area, for other modules (a plan action's
 * status follows its linked indicators): the target value and whether the area is on track,
 * i.e. the target is achieved or the progress is substantial. Null where no target applies.
 */
export async function indicatorTargetStatus(db: Executor, q: { code: string; areaId: string }): Promise<{ target: number; onTrack: boolean } | null> {
  const res = await db.execute(sql`
    SELECT t.value, s.status FROM prog_statuses s JOIN prog_targets t ON t.id = s.target_id
    WHERE s.indicator_code = ${q.code} AND s.area_id = ${q.areaId} AND s.breakdown = '' LIMIT 1`);
  const row = res.rows[0] as { value: number; status: string } | undefined;
  if (!row || row.status === 'not_available') return null;
  return { target: Number(row.value), onTrack: row.status === 'target_achieved' || row.status === 'substantial_progress' };
}
