/**
 * Read side. Pages read the precomputed ind_area_summary where they can; only
 * the indicator page and the time series read observations, by primary-key prefix.
 * Why this file is long: the module's read side in one place (indicators, areas, groups, frameworks,
 * series), each read a short function; just over the limit. Split by subject when it grows.
 */
import { sql, type SQL } from 'drizzle-orm';
import { readAll, type Executor } from '../../platform/db/index.js';
import { NotFoundError } from '../../platform/errors.js';
import { pageWindow, type Page, type PageRequest } from '../../platform/paging.js';
import { rawQuery } from './service.js';
import { pickText, type Locale } from '../../web/i18n/index.js';
import { registerProcessCache } from '../../platform/process-caches.js';

export type IndicatorInfo = {
  id: string;
  code: string;
  name: string;
  description: string;
  lang: string;
  unit: string;
  decimals: number;
  direction: 'higher' | 'lower' | 'neutral';
  source: string;
  attribution: string;
  periodicity: string;
  dimensions: string[];
  data_version: number;
  /** The breakdown pages show as the indicator's series ('' is the total). */
  headline_breakdown: string;
  framework_key: string | null;
  updated_at: string;
};

/** `lang` is the language `name` is really in (the reader's, or a fallback the page marks). */
export type NodeRef = { framework: string; code: string; level: string; name: string; lang: string; goal: string | null };
export type AreaInfo = { id: string; key: string; name: string; country: string; level: string; code: string; parent_id: string | null };

const IND_COLS = `i.id, i.code, i.name, i.description, i.lang, i.unit, i.decimals, i.direction, i.source, i.attribution, i.periodicity,
  i.dimensions, i.data_version, i.headline_breakdown, f.key AS framework_key, i.updated_at`;

export async function getIndicator(db: Executor, code: string): Promise<IndicatorInfo> {
  const [row] = await rawQuery<IndicatorInfo>(db, `SELECT ${IND_COLS} FROM ind_indicators i LEFT JOIN ind_frameworks f ON f.id = i.framework_id WHERE i.code = $1`, [code]);
  if (!row) throw new NotFoundError('indicator', code);
  return row;
}

/** Names in the page language, falling back to English, then any. */
export function pickName(names: Record<string, string> | null | undefined, locale: Locale): string {
  if (!names) return '';
  return names[locale] ?? names.en ?? Object.values(names)[0] ?? '';
}

export async function indicatorLinks(db: Executor, indicatorId: string, locale: Locale): Promise<NodeRef[]> {
  const rows = await rawQuery<{ framework: string; code: string; level: string; names: Record<string, string>; short_names: Record<string, string>; goal: string | null }>(
    db,
    `SELECT f.key AS framework, n.code, n.level, n.names, n.short_names, p.code AS goal
     FROM ind_indicator_links l JOIN ind_framework_nodes n ON n.id = l.node_id JOIN ind_frameworks f ON f.id = n.framework_id
     LEFT JOIN ind_framework_nodes p ON p.id = n.parent_id
     WHERE l.indicator_id = $1 ORDER BY f.key, n.sort_key`,
    [indicatorId],
  );
  return rows.map((r) => {
    const n = pickText(r.short_names, locale).text ? pickText(r.short_names, locale) : pickText(r.names, locale);
    return { framework: r.framework, code: r.code, level: r.level, name: n.text, lang: n.lang, goal: r.level === 'goal' ? r.code : r.goal };
  });
}

export type IndicatorListItem = { code: string; name: string; lang?: string; unit: string; source: string; areas: number; goals: string[] };

// The 17 goals change only when the framework is reloaded: a short cache saves a query on every page.
let goalsCache: { at: number; rows: { code: string; short_names: Record<string, string> }[] } | null = null;
const GOALS_TTL_MS = 60_000;
registerProcessCache(() => (goalsCache = null));

/** Indicators that have data, for pickers: code and name only. */
export async function indicatorOptions(db: Executor): Promise<{ code: string; name: string }[]> {
  return rawQuery(db, 'SELECT code, name FROM ind_indicators WHERE area_count > 0 ORDER BY name LIMIT 2000');
}

export async function sdgGoals(db: Executor, locale: Locale): Promise<{ code: string; name: string }[]> {
  if (!goalsCache || Date.now() - goalsCache.at > GOALS_TTL_MS || goalsCache.rows.length === 0) {
    const rows = await rawQuery<{ code: string; short_names: Record<string, string> }>(
      db,
      `SELECT n.code, n.short_names FROM ind_framework_nodes n JOIN ind_frameworks f ON f.id = n.framework_id WHERE f.key = 'sdg' AND n.level = 'goal' ORDER BY n.sort_key`,
    );
    goalsCache = { at: Date.now(), rows };
  }
  return goalsCache.rows.map((r) => ({ code: r.code, name: pickName(r.short_names, locale) }));
}

export async function getArea(db: Executor, key: string): Promise<AreaInfo> {
  const [a] = await rawQuery<AreaInfo>(db, 'SELECT id, key, name, country, level, code, parent_id FROM areas WHERE key = $1', [key.toLowerCase()]);
  if (!a) throw new NotFoundError('area', key);
  return a;
}

export async function areasByKeys(db: Executor, keys: string[]): Promise<AreaInfo[]> {
  if (!keys.length) return [];
  return rawQuery<AreaInfo>(db, 'SELECT id, key, name, country, level, code, parent_id FROM areas WHERE key = ANY($1::text[]) ORDER BY name', [keys.map((k) => k.toLowerCase())]);
}

export type SeriesPoint = { area_key: string; area_name: string; period: string; breakdown: string; value: number | null; status: string; note: string };

/** Observations of one indicator for some areas (all breakdowns, or only its headline series). */
export async function indicatorSeries(db: Executor, indicatorId: string, areaIds: string[], opts: { totalOnly?: boolean } = {}): Promise<SeriesPoint[]> {
  if (!areaIds.length) return [];
  return rawQuery<SeriesPoint>(
    db,
    `SELECT a.key AS area_key, a.name AS area_name, o.period, o.breakdown, o.value, o.status, o.note
     FROM ind_observations o JOIN areas a ON a.id = o.area_id
     WHERE o.indicator_id = $1 AND o.area_id = ANY($2::uuid[]) ${opts.totalOnly ? `AND o.breakdown = (SELECT headline_breakdown FROM ind_indicators WHERE id = $1)` : ''}
     ORDER BY a.name, o.breakdown, o.period`,
    [indicatorId, areaIds],
  );
}

/** All observations of an indicator, optionally limited to some areas: the export routes read this. */
export async function exportRows(db: Executor, indicatorIds: string[], areaKeys?: string[]): Promise<(SeriesPoint & { indicator: string })[]> {
  const params: unknown[] = [indicatorIds];
  let filter = '';
  if (areaKeys?.length) {
    params.push(areaKeys);
    filter = 'AND a.key = ANY($2::text[])';
  }
  return rawQuery(
    db,
    `SELECT i.code AS indicator, a.key AS area_key, a.name AS area_name, o.period, o.breakdown, o.value, o.status, o.note
     FROM ind_observations o JOIN areas a ON a.id = o.area_id JOIN ind_indicators i ON i.id = o.indicator_id
     WHERE o.indicator_id = ANY($1::uuid[]) ${filter}
     ORDER BY i.code, a.key, o.breakdown, o.period`,
    params,
  );
}

/** Which areas have data for an indicator, with their latest values: for pickers and the indicator page. */
export async function indicatorAreas(db: Executor, indicatorId: string): Promise<{ key: string; name: string; country: string; latest_period: string; latest_value: number }[]> {
  return rawQuery(
    db,
    `SELECT a.key, a.name, a.country, s.latest_period, s.latest_value FROM ind_area_summary s JOIN areas a ON a.id = s.area_id
     WHERE s.indicator_id = $1 ORDER BY a.name`,
    [indicatorId],
  );
}

export type AreaIndicatorRow = {
  code: string;
  name: string;
  lang: string;
  unit: string;
  decimals: number;
  direction: 'higher' | 'lower' | 'neutral';
  attribution: string;
  data_version: number;
  first_period: string;
  first_value: number | null;
  latest_period: string;
  latest_value: number | null;
  latest_status: string;
  series: [string, number | null][];
  goal: string | null;
};

/** Everything the area page shows, from the precomputed summary: one query. */
export async function areaIndicators(db: Executor, areaId: string): Promise<AreaIndicatorRow[]> {
  return rawQuery<AreaIndicatorRow>(
    db,
    `WITH s AS (SELECT * FROM ind_area_summary WHERE area_id = $1),
     g AS (
       SELECT DISTINCT ON (l.indicator_id) l.indicator_id, COALESCE(p.code, n.code) AS goal, COALESCE(p.sort_key, n.sort_key) AS sk
       FROM s JOIN ind_indicator_links l ON l.indicator_id = s.indicator_id
       JOIN ind_framework_nodes n ON n.id = l.node_id
       JOIN ind_frameworks f ON f.id = n.framework_id AND f.key = 'sdg'
       LEFT JOIN ind_framework_nodes p ON p.id = n.parent_id
       ORDER BY l.indicator_id, COALESCE(p.sort_key, n.sort_key))
     SELECT i.code, i.name, i.lang, i.unit, i.decimals, i.direction, i.attribution, i.data_version,
       s.first_period, s.first_value, s.latest_period, s.latest_value, s.latest_status, s.series, g.goal
     FROM s JOIN ind_indicators i ON i.id = s.indicator_id LEFT JOIN g ON g.indicator_id = s.indicator_id
     ORDER BY g.sk NULLS LAST, i.code`,
    [areaId],
  );
}

export type AreaGroup = { id: string; key: string; name: string; kind: string; members: number };

export async function listGroups(db: Executor, areaId?: string): Promise<AreaGroup[]> {
  return rawQuery<AreaGroup>(
    db,
    `SELECT g.id, g.key, g.name, g.kind, (SELECT count(*)::int FROM ind_area_group_members m WHERE m.group_id = g.id) AS members
     FROM ind_area_groups g ${areaId ? 'WHERE EXISTS (SELECT 1 FROM ind_area_group_members m WHERE m.group_id = g.id AND m.area_id = $1)' : ''}
     ORDER BY g.name LIMIT 500`,
    areaId ? [areaId] : [],
  );
}

/** One page of area groups by name (the API's list), with the same filter as listGroups. */
export async function pageGroups(db: Executor, areaId: string | undefined, q: PageRequest = {}): Promise<Page<AreaGroup>> {
  const w = pageWindow(q);
  const where = areaId ? 'WHERE EXISTS (SELECT 1 FROM ind_area_group_members m WHERE m.group_id = g.id AND m.area_id = $1)' : '';
  const params = areaId ? [areaId] : [];
  const n = params.length;
  const items = await rawQuery<AreaGroup>(
    db,
    `SELECT g.id, g.key, g.name, g.kind, (SELECT count(*)::int FROM ind_area_group_members m WHERE m.group_id = g.id) AS members
     FROM ind_area_groups g ${where} ORDER BY g.name, g.key LIMIT $${n + 1} OFFSET $${n + 2}`,
    [...params, w.pageSize, w.offset],
  );
  const [row] = await rawQuery<{ total: number }>(db, `SELECT count(*)::int AS total FROM ind_area_groups g ${where}`, params);
  return { items, page: w.page, pageSize: w.pageSize, total: row?.total ?? 0 };
}

export async function groupByKey(db: Executor, key: string): Promise<AreaGroup & { member_ids: string[] }> {
  const [g] = await rawQuery<AreaGroup & { member_ids: string[] }>(
    db,
    `SELECT g.id, g.key, g.name, g.kind, count(m.area_id)::int AS members, COALESCE(array_agg(m.area_id) FILTER (WHERE m.area_id IS NOT NULL), '{}') AS member_ids
     FROM ind_area_groups g LEFT JOIN ind_area_group_members m ON m.group_id = g.id WHERE g.key = $1 GROUP BY g.id`,
    [key],
  );
  if (!g) throw new NotFoundError('area group', key);
  return g;
}

export type CompareRow = { key: string; name: string; period: string; value: number };

/**
 * Latest values of one indicator across a set of areas, from the summary table.
 * Each area's own latest period is used; the page says which periods are shown.
 */
export async function compareLatest(db: Executor, indicatorId: string, areaIds: string[] | 'country', country?: string): Promise<CompareRow[]> {
  if (areaIds === 'country') {
    return rawQuery<CompareRow>(
      db,
      `SELECT a.key, a.name, s.latest_period AS period, s.latest_value AS value FROM ind_area_summary s JOIN areas a ON a.id = s.area_id
       WHERE s.indicator_id = $1 AND a.country = $2 AND a.level = 'municipality' AND s.latest_value IS NOT NULL ORDER BY s.latest_value DESC, a.name`,
      [indicatorId, country],
    );
  }
  if (!areaIds.length) return [];
  return rawQuery<CompareRow>(
    db,
    `SELECT a.key, a.name, s.latest_period AS period, s.latest_value AS value FROM ind_area_summary s JOIN areas a ON a.id = s.area_id
     WHERE s.indicator_id = $1 AND s.area_id = ANY($2::uuid[]) AND s.latest_value IS NOT NULL ORDER BY s.latest_value DESC, a.name`,
    [indicatorId, areaIds],
  );
}

export async function geometries(db: Executor, areaIds: string[]): Promise<{ key: string; name: string; geojson: unknown; source: string }[]> {
  if (!areaIds.length) return [];
  return rawQuery(db, `SELECT a.key, a.name, g.geojson, g.source FROM ind_area_geometries g JOIN areas a ON a.id = g.area_id WHERE g.area_id = ANY($1::uuid[])`, [areaIds]);
}

/** Who made a batch, by name: the account's e-mail address in the stored label never leaves the server. */

export async function listFrameworks(db: Executor): Promise<{ key: string; names: Record<string, string>; source: string; nodes: number; indicators: number }[]> {
  return rawQuery(
    db,
    `SELECT f.key, f.names, f.source,
       (SELECT count(*)::int FROM ind_framework_nodes n WHERE n.framework_id = f.id) AS nodes,
       (SELECT count(*)::int FROM ind_indicators i WHERE i.framework_id = f.id) AS indicators
     FROM ind_frameworks f ORDER BY f.key`,
  );
}

/** One page of frameworks by key (the API's list). */
export async function pageFrameworks(db: Executor, q: PageRequest = {}): Promise<Page<{ key: string; names: Record<string, string>; source: string; nodes: number; indicators: number }>> {
  const w = pageWindow(q);
  const items = await rawQuery<{ key: string; names: Record<string, string>; source: string; nodes: number; indicators: number }>(
    db,
    `SELECT f.key, f.names, f.source,
       (SELECT count(*)::int FROM ind_framework_nodes n WHERE n.framework_id = f.id) AS nodes,
       (SELECT count(*)::int FROM ind_indicators i WHERE i.framework_id = f.id) AS indicators
     FROM ind_frameworks f ORDER BY f.key LIMIT $1 OFFSET $2`,
    [w.pageSize, w.offset],
  );
  const [row] = await rawQuery<{ total: number }>(db, 'SELECT count(*)::int AS total FROM ind_frameworks');
  return { items, page: w.page, pageSize: w.pageSize, total: row?.total ?? 0 };
}

export type FrameworkNodeRow = { code: string; level: string; parent: string | null; names: Record<string, string>; short_names: Record<string, string>; indicators: string[] };

/** A framework's tree, each node with the indicators (of any framework) linked to it: the crosswalk. */
export async function frameworkNodes(db: Executor, key: string): Promise<FrameworkNodeRow[]> {
  const [fw] = await rawQuery<{ id: string }>(db, 'SELECT id FROM ind_frameworks WHERE key = $1', [key]);
  if (!fw) throw new NotFoundError('framework', key);
  return rawQuery<FrameworkNodeRow>(
    db,
    `SELECT n.code, n.level, p.code AS parent, n.names, n.short_names,
       COALESCE((SELECT array_agg(i.code ORDER BY i.code) FROM ind_indicator_links l JOIN ind_indicators i ON i.id = l.indicator_id WHERE l.node_id = n.id), '{}') AS indicators
     FROM ind_framework_nodes n LEFT JOIN ind_framework_nodes p ON p.id = n.parent_id
     WHERE n.framework_id = $1 ORDER BY n.sort_key`,
    [fw.id],
  );
}

/** Overview figures: how many indicators exist and have data, how many areas have data, and indicators with data per SDG goal. */
export async function coverage(db: Executor): Promise<{ indicators: number; withData: number; areas: number; perGoal: Map<string, number> }> {
  const [[totals], [areas], goals] = await readAll(db, [
    () => rawQuery<{ total: number | string; with_data: number | string }>(db, 'SELECT count(*) AS total, count(*) FILTER (WHERE area_count > 0) AS with_data FROM ind_indicators'),
    () => rawQuery<{ n: number | string }>(db, 'SELECT count(DISTINCT area_id) AS n FROM ind_area_summary'),
    () => rawQuery<{ goal: string; n: number | string }>(
      db,
      `SELECT COALESCE(p.code, n.code) AS goal, count(DISTINCT i.id) AS n
         FROM ind_indicators i JOIN ind_indicator_links l ON l.indicator_id = i.id
         JOIN ind_framework_nodes n ON n.id = l.node_id JOIN ind_frameworks f ON f.id = n.framework_id AND f.key = 'sdg'
         LEFT JOIN ind_framework_nodes p ON p.id = n.parent_id
        WHERE i.area_count > 0 GROUP BY 1`,
    ),
  ]);
  return {
    indicators: Number(totals?.total ?? 0),
    withData: Number(totals?.with_data ?? 0),
    areas: Number(areas?.n ?? 0),
    perGoal: new Map(goals.map((g) => [g.goal, Number(g.n)])),
  };
}

/** How many indicators have data for one area. */
export async function areaIndicatorCount(db: Executor, areaId: string): Promise<number> {
  const [row] = await rawQuery<{ n: number | string }>(db, 'SELECT count(*) AS n FROM ind_area_summary WHERE area_id = $1', [areaId]);
  return Number(row?.n ?? 0);
}

export type IndicatorFilter = { q?: string | undefined; goal?: string | undefined; framework?: string | undefined; source?: string | undefined };

/** One page of the indicator list with the total that matches the filters (framework, SDG goal, source, text). */
export async function indicatorPage(db: Executor, f: IndicatorFilter, limit: number, offset: number): Promise<{ items: IndicatorListItem[]; total: number }> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (f.q) {
    params.push(`%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`(i.name ILIKE $${params.length} OR i.code ILIKE $${params.length})`);
  }
  if (f.goal) {
    params.push(f.goal);
    where.push(`EXISTS (SELECT 1 FROM ind_indicator_links l JOIN ind_framework_nodes n ON n.id = l.node_id JOIN ind_frameworks f ON f.id = n.framework_id AND f.key = 'sdg'
      LEFT JOIN ind_framework_nodes p ON p.id = n.parent_id WHERE l.indicator_id = i.id AND COALESCE(p.code, n.code) = $${params.length})`);
  }
  if (f.framework) {
    params.push(f.framework);
    where.push(`(EXISTS (SELECT 1 FROM ind_frameworks f WHERE f.id = i.framework_id AND f.key = $${params.length})
      OR EXISTS (SELECT 1 FROM ind_indicator_links l JOIN ind_framework_nodes n ON n.id = l.node_id JOIN ind_frameworks f ON f.id = n.framework_id
        WHERE l.indicator_id = i.id AND f.key = $${params.length}))`);
  }
  if (f.source) {
    params.push(f.source);
    where.push(`i.source = $${params.length}`);
  }
  const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const [[count], items] = await readAll(db, [
    () => rawQuery<{ n: number | string }>(db, `SELECT count(*) AS n FROM ind_indicators i ${cond}`, params),
    () => rawQuery<IndicatorListItem>(
      db,
      `SELECT i.code, i.name, i.lang, i.unit, i.source, i.area_count AS areas,
         COALESCE((SELECT array_agg(DISTINCT CASE WHEN n.level = 'goal' THEN n.code ELSE p.code END) FROM ind_indicator_links l
           JOIN ind_framework_nodes n ON n.id = l.node_id JOIN ind_frameworks f ON f.id = n.framework_id AND f.key = 'sdg'
           LEFT JOIN ind_framework_nodes p ON p.id = n.parent_id WHERE l.indicator_id = i.id), '{}') AS goals
       FROM ind_indicators i ${cond}
       ORDER BY i.area_count = 0, i.name, i.code LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset],
    ),
  ]);
  return { items, total: Number(count?.n ?? 0) };
}

/** The sources indicators name, for the list's filter. */
export async function indicatorSources(db: Executor): Promise<string[]> {
  const rows = await rawQuery<{ source: string }>(db, `SELECT DISTINCT source FROM ind_indicators WHERE source <> '' ORDER BY source LIMIT 500`);
  return rows.map((r) => r.source);
}

/** Areas with indicator data, for the compare page's suggestions: name, key and country. */
export async function areasWithData(db: Executor): Promise<{ key: string; name: string; country: string }[]> {
  return rawQuery(db, `SELECT a.key, a.name, a.country FROM areas a WHERE EXISTS (SELECT 1 FROM ind_area_summary s WHERE s.area_id = a.id) LIMIT 5000`);
}

// --- Reads for the progress module (targets, statuses, index), so that progress never touches
// this module's tables; each is one query by indicator.

export type ProgressSeriesRow = { indicator_id: string; area_id: string; country: string; level: string; series: [string, number | null][] };

/**
 * The headline series of many indicators at once, for the progress recompute, in a compact form:
 * one row per indicator whose `series` text holds one entry per area with data, entries separated
 * by a newline, each "area id TAB country TAB level TAB series", the series being the stored JSON
 * ([[period, value], …] in period order, on one line). One text per indicator instead of one row
 * per area and a JSON parse per row: at full scale (317,000 series) the driver's per-row work was
 * most of the read, and the caller can scan the text straight into numbers.
 */
export async function progressSeriesText(ex: Executor, indicatorIds: string[]): Promise<{ indicator_id: string; series: string }[]> {
  return rawQuery(
    ex,
    `SELECT s.indicator_id, string_agg(s.area_id::text || E'\t' || a.country || E'\t' || a.level || E'\t' || s.series::text, E'\n') AS series
     FROM ind_area_summary s JOIN areas a ON a.id = s.area_id
     WHERE s.indicator_id = ANY($1::uuid[]) GROUP BY s.indicator_id`,
    [indicatorIds],
  );
}

/** One breakdown's series of one indicator, per area (for targets set on a breakdown). */
export async function breakdownSeries(ex: Executor, indicatorId: string, breakdown: string): Promise<ProgressSeriesRow[]> {
  return rawQuery<ProgressSeriesRow>(
    ex,
    `SELECT o.indicator_id, o.area_id, a.country, a.level, json_agg(json_build_array(o.period, o.value) ORDER BY o.period) AS series
     FROM ind_observations o JOIN areas a ON a.id = o.area_id
     WHERE o.indicator_id = $1 AND o.breakdown = $2 GROUP BY o.indicator_id, o.area_id, a.country, a.level`,
    [indicatorId, breakdown],
  );
}

export type IndicatorVersion = { id: string; code: string; direction: 'higher' | 'lower' | 'neutral'; framework: string | null; data_version: number; sdg_goal: string | null; u4ssc_dimension: string | null };

/**
 * Each indicator's data version (bumped by every import that changes it), direction,
 * SDG goal (the goal of its first linked SDG node) and U4SSC dimension (the top node
 * of its U4SSC framework node). `ids` limits the answer; without it, every indicator with data.
 */
export async function indicatorVersions(ex: Executor, ids?: string[]): Promise<IndicatorVersion[]> {
  return rawQuery<IndicatorVersion>(
    ex,
    `WITH RECURSIVE up AS (
       SELECT n.id AS start, n.id, n.parent_id, n.code, n.framework_id FROM ind_framework_nodes n
       UNION ALL SELECT up.start, p.id, p.parent_id, p.code, p.framework_id FROM up JOIN ind_framework_nodes p ON p.id = up.parent_id),
     roots AS (SELECT start, code, framework_id FROM up WHERE parent_id IS NULL)
     SELECT i.id, i.code, i.direction, f.key AS framework, i.data_version,
       (SELECT r.code FROM ind_indicator_links l JOIN roots r ON r.start = l.node_id JOIN ind_frameworks rf ON rf.id = r.framework_id AND rf.key = 'sdg'
        WHERE l.indicator_id = i.id ORDER BY lpad(r.code, 3, '0') LIMIT 1) AS sdg_goal,
       (SELECT r.code FROM ind_indicator_links l JOIN roots r ON r.start = l.node_id JOIN ind_frameworks rf ON rf.id = r.framework_id AND rf.key = 'u4ssc'
        WHERE l.indicator_id = i.id ORDER BY r.code LIMIT 1) AS u4ssc_dimension
     FROM ind_indicators i LEFT JOIN ind_frameworks f ON f.id = i.framework_id
     WHERE ${ids ? 'i.id = ANY($1::uuid[])' : 'i.area_count > 0'}`,
    ids ? [ids] : [],
  );
}

/**
 * Indicators that carry an area's total population, in order of preference: Kolada's N01951
 * ("Invånare totalt, antal", Sweden) and the generic code `population`, which an import of
 * SSB's or Statistics Denmark's tables can map to. Other modules classify areas by size with it.
 */
export const POPULATION_INDICATORS = ['N01951', 'population'] as const;

/** SQL: the latest total population of the area whose id is the expression `areaId`, or NULL where none is imported. */
export function latestPopulationSql(areaId: SQL): SQL {
  return sql`(SELECT s.latest_value FROM ind_area_summary s JOIN ind_indicators i ON i.id = s.indicator_id
              WHERE s.area_id = ${areaId} AND i.code IN (${sql.join(POPULATION_INDICATORS.map((c) => sql`${c}`), sql`, `)}) AND s.latest_value IS NOT NULL
              ORDER BY array_position(ARRAY[${sql.join(POPULATION_INDICATORS.map((c) => sql`${c}`), sql`, `)}]::text[], i.code) LIMIT 1)`;
}
