/**
 * Precomputation: statuses per indicator × area (× breakdown), then goal scores,
 * the index and the U4SSC dimension scores per area. Runs after every target change
 * (inside the change's transaction) and after imports (the indicators' data_version
 * moved: see recomputeStale). Pages only read the stored results.
 *
 * The per-series methods run in JavaScript on series read in one query per chunk of
 * indicators (the methods have too many branches to keep two implementations in step);
 * everything that aggregates across indicators or areas is one set-based SQL statement.
 */
import { sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/index.js';
import { directory } from '../directory/index.js';
import { breakdownSeries, indicatorVersions, progressSeries, type IndicatorVersion, type ProgressSeriesRow } from '../indicators/index.js';
import { annualSeries, type Direction } from './methods/common.js';
import { progressMeasure, type ProgressResult } from './methods/opensdg.js';
import { colour as dashColour, rescale, trend as trendOf } from './methods/sdgindex.js';
import { u4sscPoints } from './methods/u4ssc.js';
import { relativePosition } from './methods/relative.js';
import { targets as targetsTable, type TargetRow } from './schema.js';

const rowsOf = async <T>(ex: Executor, q: ReturnType<typeof sql>): Promise<T[]> => (await ex.execute(q)).rows as T[];

/** Copies the member areas of every network that has targets from the directory. */
export async function refreshNetworkAreas(ex: Executor): Promise<void> {
  const nets = await rowsOf<{ organisation_id: string }>(ex, sql`SELECT DISTINCT organisation_id FROM prog_targets WHERE level = 'network'`);
  const pairs: { organisation_id: string; area_id: string; network_name: string }[] = [];
  for (const n of nets) {
    const profile = await directory.organisationProfile(ex, n.organisation_id);
    const seen = new Set<string>();
    for (const m of profile.members) {
      if (!m.current || !m.memberOrganisation || seen.has(m.memberOrganisation.id)) continue;
      seen.add(m.memberOrganisation.id);
      const org = await directory.getOrganisation(ex, m.memberOrganisation.id);
      if (org.areaId) pairs.push({ organisation_id: n.organisation_id, area_id: org.areaId, network_name: profile.organisation.name });
    }
    // A network with an area of its own (rare) reaches it too.
    if (profile.organisation.areaId) pairs.push({ organisation_id: n.organisation_id, area_id: profile.organisation.areaId, network_name: profile.organisation.name });
  }
  await ex.execute(sql`DELETE FROM prog_network_areas`);
  if (pairs.length) {
    await ex.execute(sql`INSERT INTO prog_network_areas (organisation_id, area_id, network_name)
      SELECT DISTINCT organisation_id, area_id, network_name FROM jsonb_to_recordset(${JSON.stringify(pairs)}::jsonb) AS x(organisation_id uuid, area_id uuid, network_name text)`);
  }
}

type StatusRow = {
  indicator_id: string;
  indicator_code: string;
  area_id: string;
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
  details: Record<string, unknown>;
};

/** Resolves the target that applies to one area: its own, then its network's, then national, then global. */
function resolver(ts: TargetRow[], networksOf: Map<string, string[]>) {
  const byArea = new Map<string, TargetRow>();
  const byNet = new Map<string, TargetRow>();
  const byCountry = new Map<string, TargetRow>();
  let global: TargetRow | null = null;
  for (const t of ts) {
    if (t.level === 'area') byArea.set(t.areaId!, t);
    else if (t.level === 'network') byNet.set(t.organisationId!, t);
    else if (t.level === 'national') byCountry.set(t.country!, t);
    else global = t;
  }
  return (areaId: string, country: string): TargetRow | null => {
    const own = byArea.get(areaId);
    if (own) return own;
    for (const n of networksOf.get(areaId) ?? []) {
      const t = byNet.get(n);
      if (t) return t;
    }
    return byCountry.get(country) ?? global;
  };
}

/** Latest annual value (or, for sub-annual series, the latest value at all). */
function latest(series: [string, number | null][]): { period: string; value: number } | null {
  const a = annualSeries(series.map(([period, value]) => ({ period, value })));
  if (a.length) return { period: String(a[a.length - 1]!.year), value: a[a.length - 1]!.value };
  for (let i = series.length - 1; i >= 0; i--) if (series[i]![1] !== null) return { period: series[i]![0], value: series[i]![1]! };
  return null;
}

/** Whether a target puts its indicator into the area's index: a network's or the area's own set, or any target with a bound. */
const inIndexSet = (t: TargetRow) => t.level === 'network' || t.level === 'area' || t.bound !== null;

function computeOne(ind: IndicatorVersion, areaId: string, breakdown: string, series: [string, number | null][], t: TargetRow | null): StatusRow {
  const dir: Direction = ind.direction;
  const points = series.map(([period, value]) => ({ period, value }));
  const r: ProgressResult = progressMeasure(points, {
    direction: dir,
    target: t?.value,
    targetYear: t?.targetYear,
    baseYear: t?.baselineYear,
    limit: t?.limitValue,
    manual: t?.manualStatus ? { status: t.manualStatus, reason: t.manualReason } : null,
  });
  const last = latest(series);
  let score: number | null = null;
  let colour: string | null = null;
  let trend: string | null = null;
  let points4: number | null = null;
  let bound: number | null = null;
  let green: number | null = null;
  let red: number | null = null;
  let trendInfo: Record<string, unknown> = {};
  // The direction the target implies when the indicator itself is neutral.
  const d: Direction = r.direction;
  if (t && last && d !== 'neutral') {
    bound = t.bound ?? (d === 'higher' ? 0 : r.baseValue !== undefined && r.baseValue > t.value ? r.baseValue : null);
    if (bound !== null) score = rescale(last.value, bound, t.value, d);
    green = t.green ?? t.value;
    red = t.red ?? bound;
    if (red !== null && red !== green) colour = dashColour(last.value, green, red, d);
    else colour = (d === 'lower' ? last.value <= green : last.value >= green) ? 'green' : 'red';
    const tr = trendOf(points, green, d);
    trend = tr.trend;
    trendInfo = { trendObserved: tr.observed, trendNeeded: tr.needed, trendFrom: tr.fromYear, trendTo: tr.toYear };
    if (ind.u4ssc_dimension || ind.framework === 'u4ssc') points4 = u4sscPoints(last.value, t.value, d);
  }
  return {
    indicator_id: ind.id,
    indicator_code: ind.code,
    area_id: areaId,
    breakdown,
    target_id: t?.id ?? null,
    goal: t && inIndexSet(t) && breakdown === '' ? ind.sdg_goal : null,
    u4ssc_dimension: ind.u4ssc_dimension,
    status: r.status,
    method: r.method,
    score,
    colour,
    trend,
    u4ssc_points: points4,
    quartile: null,
    details: {
      ...r,
      level: t?.level ?? null,
      targetSource: t?.source ?? null,
      latestPeriod: last?.period ?? null,
      latestValue: last?.value ?? null,
      bound,
      green,
      red,
      ...trendInfo,
      points: points4,
    },
  };
}

/**
 * Drops empty components and keeps 6 significant digits of computed rates: the stored text is
 * what the database has to parse, and it is most of the recompute's time on PGlite.
 */
const ROUNDED = new Set(['observedRate', 'requiredRate', 'measure', 'limitFactor', 'percentile', 'trendObserved', 'trendNeeded']);
function compact(d: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d)) {
    if (v === null || v === undefined) continue;
    out[k] = typeof v === 'number' && ROUNDED.has(k) ? Number(v.toPrecision(6)) : v;
  }
  return out;
}

async function writeStatuses(ex: Executor, rows: StatusRow[]) {
  for (const r of rows) r.details = compact(r.details);
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = JSON.stringify(rows.slice(i, i + 5000));
    await ex.execute(sql`INSERT INTO prog_statuses (indicator_id, indicator_code, area_id, breakdown, target_id, goal, u4ssc_dimension, status, method, score, colour, trend, u4ssc_points, quartile, details)
      SELECT indicator_id, indicator_code, area_id, breakdown, target_id, goal, u4ssc_dimension, status, method, score, colour, trend, u4ssc_points, quartile, details
      FROM json_to_recordset(${chunk}::json) AS x(indicator_id uuid, indicator_code text, area_id uuid, breakdown text, target_id uuid, goal text, u4ssc_dimension text,
        status text, method text, score double precision, colour text, trend text, u4ssc_points smallint, quartile smallint, details json)`);
  }
}

/** Statuses of a set of indicators across every area, replacing what was stored for them. */
async function recomputeStatuses(ex: Executor, inds: IndicatorVersion[], allTargets: TargetRow[], networksOf: Map<string, string[]>, areasOfNetwork: Map<string, { id: string; country: string }[]>, ms: Record<string, number> = {}) {
  let t0 = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    ms[name] = (ms[name] ?? 0) + now - t0;
    t0 = now;
  };
  const CHUNK = 50;
  for (let i = 0; i < inds.length; i += CHUNK) {
    const chunk = inds.slice(i, i + CHUNK);
    const ids = chunk.map((c) => c.id);
    const series = await progressSeries(ex, ids);
    lap('read');
    const byInd = new Map<string, ProgressSeriesRow[]>();
    for (const s of series) (byInd.get(s.indicator_id) ?? byInd.set(s.indicator_id, []).get(s.indicator_id)!).push(s);
    const out: StatusRow[] = [];
    for (const ind of chunk) {
      const ts = allTargets.filter((t) => t.indicatorId === ind.id);
      const breakdowns = new Set(['', ...ts.map((t) => t.breakdown)]);
      for (const b of breakdowns) {
        const resolve = resolver(ts.filter((t) => t.breakdown === b), networksOf);
        const rows = b === '' ? (byInd.get(ind.id) ?? []) : await breakdownSeries(ex, ind.id, b);
        const produced: StatusRow[] = [];
        const seen = new Set<string>();
        for (const s of rows) {
          if (s.level === 'country' && b === '' && !ts.length) continue; // a country's own series has no peers to rank
          const t = resolve(s.area_id, s.country);
          if (b !== '' && !t) continue;
          seen.add(s.area_id);
          produced.push(computeOne(ind, s.area_id, b, s.series, t));
        }
        // Areas a network's or area's target reaches but with no data: "not available", and counted
        // as missing by the index's coverage rule.
        for (const t of ts.filter((x) => x.breakdown === b)) {
          const reach = t.level === 'area' ? [{ id: t.areaId!, country: '' }] : t.level === 'network' ? (areasOfNetwork.get(t.organisationId!) ?? []) : [];
          for (const a of reach) {
            if (seen.has(a.id) || resolve(a.id, a.country) !== t) continue;
            seen.add(a.id);
            produced.push(computeOne(ind, a.id, b, [], t));
          }
        }
        // Relative position among the municipalities of the same country, by latest value.
        if (b === '' && ind.direction !== 'neutral') {
          const byCountry = new Map<string, number[]>();
          const countryOf = new Map(rows.map((s) => [s.area_id, s.level === 'municipality' ? s.country : '']));
          for (const p of produced) {
            const c = countryOf.get(p.area_id);
            const v = p.details.latestValue as number | null;
            if (c && v !== null) (byCountry.get(c) ?? byCountry.set(c, []).get(c)!).push(v);
          }
          for (const p of produced) {
            const c = countryOf.get(p.area_id);
            const v = p.details.latestValue as number | null;
            if (!c || v === null) continue;
            const pos = relativePosition(v, byCountry.get(c)!, ind.direction);
            if (pos) {
              p.quartile = pos.quartile;
              p.details.rank = pos.rank;
              p.details.groupSize = pos.groupSize;
              p.details.percentile = pos.percentile;
            }
          }
        }
        out.push(...produced);
      }
    }
    lap('compute');
    await ex.execute(sql`DELETE FROM prog_statuses WHERE indicator_id = ANY(${`{${ids.join(',')}}`}::uuid[])`);
    await writeStatuses(ex, out);
    lap('write');
  }
}

/** Goal scores, index and U4SSC dimension scores per area: set-based, from the stored statuses. */
export async function recomputeAggregates(ex: Executor): Promise<void> {
  await ex.execute(sql`DELETE FROM prog_goal_scores`);
  await ex.execute(sql`INSERT INTO prog_goal_scores (area_id, goal, score, colour, trend, counted, selected)
    WITH s AS (
      SELECT area_id, goal, score, colour, trend,
        CASE colour WHEN 'green' THEN 0 WHEN 'yellow' THEN 1 WHEN 'orange' THEN 2 WHEN 'red' THEN 3 END AS crank,
        CASE trend WHEN 'on_track' THEN 3 WHEN 'moderately_improving' THEN 2 WHEN 'stagnating' THEN 1 WHEN 'decreasing' THEN 0 END AS tval
      FROM prog_statuses WHERE goal IS NOT NULL),
    w AS (SELECT *, row_number() OVER (PARTITION BY area_id, goal ORDER BY crank DESC NULLS LAST) AS worst FROM s)
    SELECT area_id, goal, avg(score),
      CASE WHEN count(crank) = 0 THEN NULL
           WHEN bool_and(crank = 0) FILTER (WHERE crank IS NOT NULL) THEN 'green'
           ELSE (ARRAY['green', 'yellow', 'orange', 'red'])[1 + greatest(1, floor(avg(crank) FILTER (WHERE worst <= 2))::int)] END,
      CASE WHEN count(tval) = 0 THEN NULL
           ELSE (ARRAY['decreasing', 'stagnating', 'moderately_improving', 'on_track'])[1 + round(avg(tval))::int] END,
      count(score)::int, count(*)::int
    FROM w GROUP BY area_id, goal`);
  await ex.execute(sql`DELETE FROM prog_area_index`);
  await ex.execute(sql`INSERT INTO prog_area_index (area_id, score, selected, missing, withheld, max_missing_share, u4ssc)
    WITH sel AS (
      SELECT area_id, count(*)::int AS selected, count(*) FILTER (WHERE score IS NULL)::int AS missing FROM prog_statuses WHERE goal IS NOT NULL GROUP BY area_id),
    g AS (SELECT area_id, avg(score) AS idx FROM prog_goal_scores WHERE score IS NOT NULL GROUP BY area_id),
    share AS (
      SELECT na.area_id, min(ps.max_missing_share) AS share FROM prog_network_areas na JOIN prog_settings ps ON ps.organisation_id = na.organisation_id GROUP BY na.area_id),
    u AS (
      SELECT area_id, jsonb_object_agg(u4ssc_dimension, jsonb_build_object('score', s, 'counted', c, 'sum', sm)) AS dims FROM (
        SELECT area_id, u4ssc_dimension, sum(u4ssc_points)::float / (4 * count(u4ssc_points)) AS s, count(u4ssc_points)::int AS c, sum(u4ssc_points)::int AS sm
        FROM prog_statuses WHERE u4ssc_points IS NOT NULL AND u4ssc_dimension IS NOT NULL GROUP BY area_id, u4ssc_dimension) x GROUP BY area_id),
    areas_ AS (SELECT area_id FROM sel UNION SELECT area_id FROM u)
    SELECT a.area_id,
      CASE WHEN g.idx IS NULL OR sel.missing::float / sel.selected > COALESCE(share.share, 0.2) + 1e-12 THEN NULL ELSE g.idx END,
      COALESCE(sel.selected, 0), COALESCE(sel.missing, 0),
      CASE WHEN sel.selected IS NULL THEN 'no_indicators'
           WHEN sel.missing::float / sel.selected > COALESCE(share.share, 0.2) + 1e-12 THEN 'too_many_missing'
           WHEN g.idx IS NULL THEN 'no_indicators' END,
      COALESCE(share.share, 0.2),
      COALESCE(u.dims, '{}'::jsonb)
    FROM areas_ a LEFT JOIN sel ON sel.area_id = a.area_id LEFT JOIN g ON g.area_id = a.area_id
    LEFT JOIN share ON share.area_id = a.area_id LEFT JOIN u ON u.area_id = a.area_id`);
}

/**
 * Recomputes the given indicators (or every indicator with data or a target) and then
 * every area's aggregates. Call inside the transaction of the change that caused it.
 */
export async function recompute(ex: Executor, scope: 'all' | { indicatorIds: string[] }): Promise<{ indicators: number; ms: Record<string, number> }> {
  const ms: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    ms[name] = (ms[name] ?? 0) + now - t0;
    t0 = now;
  };
  await refreshNetworkAreas(ex);
  const targetRows = await ex.select().from(targetsTable);
  let inds: IndicatorVersion[];
  if (scope === 'all') {
    const withData = await indicatorVersions(ex);
    const extra = [...new Set(targetRows.map((t) => t.indicatorId))].filter((id) => !withData.some((w) => w.id === id));
    inds = extra.length ? [...withData, ...(await indicatorVersions(ex, extra))] : withData;
  } else {
    inds = scope.indicatorIds.length ? await indicatorVersions(ex, scope.indicatorIds) : [];
  }
  const na = await rowsOf<{ organisation_id: string; area_id: string }>(ex, sql`SELECT organisation_id, area_id FROM prog_network_areas ORDER BY network_name, organisation_id`);
  const networksOf = new Map<string, string[]>();
  const areasOfNetwork = new Map<string, { id: string; country: string }[]>();
  for (const r of na) {
    (networksOf.get(r.area_id) ?? networksOf.set(r.area_id, []).get(r.area_id)!).push(r.organisation_id);
    (areasOfNetwork.get(r.organisation_id) ?? areasOfNetwork.set(r.organisation_id, []).get(r.organisation_id)!).push({ id: r.area_id, country: '' });
  }
  if (scope === 'all') await ex.execute(sql`DELETE FROM prog_statuses`);
  lap('prepare');
  await recomputeStatuses(ex, inds, targetRows, networksOf, areasOfNetwork, ms);
  t0 = performance.now();
  if (inds.length) {
    const versions = JSON.stringify(inds.map((i) => ({ indicator_id: i.id, data_version: i.data_version })));
    await ex.execute(sql`INSERT INTO prog_versions (indicator_id, data_version, computed_at)
      SELECT indicator_id, data_version, now() FROM jsonb_to_recordset(${versions}::jsonb) AS x(indicator_id uuid, data_version int)
      ON CONFLICT (indicator_id) DO UPDATE SET data_version = excluded.data_version, computed_at = excluded.computed_at`);
  }
  await recomputeAggregates(ex);
  lap('aggregates');
  return { indicators: inds.length, ms };
}

/** Indicators whose data changed since their statuses were computed (an import bumped data_version). */
export async function staleIndicators(ex: Executor): Promise<string[]> {
  const [versions, done] = await Promise.all([
    indicatorVersions(ex),
    rowsOf<{ indicator_id: string; data_version: number }>(ex, sql`SELECT indicator_id, data_version FROM prog_versions`),
  ]);
  const seen = new Map(done.map((d) => [d.indicator_id, Number(d.data_version)]));
  return versions.filter((v) => seen.get(v.id) !== Number(v.data_version)).map((v) => v.id);
}
