/**
 * Precomputation: statuses per indicator × area (× breakdown), then goal scores,
 * the index and the U4SSC dimension scores per area. Runs after every target change
 * (inside the change's transaction) and after imports (the indicators' data_version
 * moved: see recomputeStale). Pages only read the stored results.
 *
 * Everything is set-based SQL: one INSERT … SELECT per breakdown computes every status from the
 * series where they are stored (no row goes through JavaScript), then one statement each for the
 * goal scores and the index. The methods' JavaScript (./methods) is the documented reference the
 * SQL is tested against (reference.ts, reference.test.ts).
 */
import { sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/index.js';
import { directory } from '../directory/index.js';
import { indicatorVersions, progressSeriesSource, type IndicatorVersion } from '../indicators/index.js';
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

/**
 * Statuses of the given indicators for one breakdown ('' = the headline series), every area, in
 * one INSERT … SELECT. Each CTE is one step of the methods in ./methods (see reference.ts, held to
 * the same answers by reference.test.ts):
 *  ba       the series, plus areas an area's or network's target reaches without data;
 *  cand/pick the target that applies: the area's own, its networks' (by name), national, global;
 *  ser/agg  the annual points (a year range counts as its first year, a later duplicate year wins),
 *           the latest year and value, the base year (first year ≥ baseline) and the trend's start;
 *  c1–c3    Open SDG's CAGR-based measure with or without a target, and its status;
 *  c4       SDSN score, colour, trend and U4SSC points;
 *  fin      relative position in the country (rank, ties counting half) and the stored components.
 */
async function insertStatuses(ex: Executor, inds: IndicatorVersion[], breakdown: string, hasTargets: Set<string>) {
  if (!inds.length) return;
  const idsSql = sql`${`{${inds.map((i) => i.id).join(',')}}`}::uuid[]`;
  const indJson = JSON.stringify(inds.map((i) => ({ id: i.id, code: i.code, direction: i.direction, framework: i.framework, sdg_goal: i.sdg_goal, u4ssc_dimension: i.u4ssc_dimension, has_targets: hasTargets.has(i.id) })));
  const total = breakdown === '';
  const stmt = sql`INSERT INTO prog_statuses (indicator_id, indicator_code, area_id, breakdown, target_id, goal, u4ssc_dimension, status, method, score, colour, trend, u4ssc_points, quartile, details)
  WITH ind AS (
    SELECT * FROM jsonb_to_recordset(${indJson}::jsonb) AS x(id uuid, code text, direction text, framework text, sdg_goal text, u4ssc_dimension text, has_targets boolean)),
  -- One row per series: its annual points in period order (a year range counts as its first year),
  -- and for a series without any, its latest value of another period (quarters, months).
  ser AS (
    SELECT s.indicator_id, s.area_id, s.country, s.level, q.ys, q.vs, q.sub
    FROM (${progressSeriesSource(idsSql, breakdown)}) s CROSS JOIN LATERAL (
      SELECT array_agg(yr) FILTER (WHERE yr IS NOT NULL) AS ys, array_agg(v) FILTER (WHERE yr IS NOT NULL) AS vs,
        max(period || '|' || v::text) FILTER (WHERE yr IS NULL AND v IS NOT NULL) AS sub
      FROM (SELECT e.p->>0 AS period, (e.p->>1)::float8 AS v,
              CASE WHEN e.p->>1 IS NOT NULL AND e.p->>0 ~ '^[0-9]{4}(-[0-9]{4})?$' THEN substr(e.p->>0, 1, 4)::int END AS yr
            FROM jsonb_array_elements(s.series::jsonb) AS e(p)) x) q),
  tg AS (SELECT * FROM prog_targets WHERE breakdown = ${breakdown} AND indicator_id = ANY(${idsSql})),
  ba AS (
    -- A country's own series has no peers to rank: it is computed only when the indicator has targets.
    SELECT s.indicator_id, s.area_id, s.country, s.level = 'municipality' AS muni, s.ys, s.vs, s.sub
    FROM ser s JOIN ind i ON i.id = s.indicator_id
    WHERE NOT (${total}::boolean AND s.level = 'country' AND NOT i.has_targets)
    UNION ALL
    SELECT y.indicator_id, y.area_id, '', false, NULL::int[], NULL::float8[], NULL::text FROM (
      SELECT DISTINCT t.indicator_id, x.area_id
      FROM tg t JOIN LATERAL (
        SELECT t.area_id WHERE t.level = 'area'
        UNION ALL SELECT na.area_id FROM prog_network_areas na WHERE t.level = 'network' AND na.organisation_id = t.organisation_id) x ON true
      WHERE NOT EXISTS (SELECT 1 FROM ser s WHERE s.indicator_id = t.indicator_id AND s.area_id = x.area_id)) y),
  cand AS (
    SELECT ba.indicator_id, ba.area_id, t.id AS tid,
      CASE t.level WHEN 'area' THEN 0 WHEN 'network' THEN 1 WHEN 'national' THEN 2 ELSE 3 END AS pri, na.network_name, na.organisation_id AS norg
    FROM ba JOIN tg t ON t.indicator_id = ba.indicator_id
    LEFT JOIN prog_network_areas na ON t.level = 'network' AND na.organisation_id = t.organisation_id AND na.area_id = ba.area_id
    WHERE (t.level = 'area' AND t.area_id = ba.area_id) OR (t.level = 'network' AND na.area_id IS NOT NULL)
       OR (t.level = 'national' AND t.country = ba.country) OR t.level = 'global'),
  pick AS (SELECT DISTINCT ON (indicator_id, area_id) indicator_id, area_id, tid FROM cand ORDER BY indicator_id, area_id, pri, network_name, norg),
  r AS (
    SELECT ba.*, i.code, i.direction AS dir0, i.framework, i.sdg_goal, i.u4ssc_dimension,
      t.id AS tid, t.level AS tlevel, t.value AS tv, t.target_year AS ty, t.baseline_year AS tby, t.limit_value AS lim, t.bound AS tbound,
      t.green AS tgreen, t.red AS tred, t.manual_status, t.manual_reason, t.source
    FROM ba JOIN ind i ON i.id = ba.indicator_id
    LEFT JOIN pick p ON p.indicator_id = ba.indicator_id AND p.area_id = ba.area_id
    LEFT JOIN tg t ON t.id = p.tid
    WHERE ${total}::boolean OR t.id IS NOT NULL),
  -- The base year (first year from the baseline on) and the trend's start (first year of the last
  -- five), each with its value; a later duplicate of a year (2019 and 2019-2020) replaces the earlier.
  -- A later duplicate of a year (2019, then 2019-2020) replaces the earlier: only the last of a run of
  -- equal years counts.
  agg AS (
    SELECT r.indicator_id, r.area_id, COALESCE(q.n, 0) AS n, r.ys[array_length(r.ys, 1)] AS cy, r.vs[array_length(r.ys, 1)] AS cv,
      r.ys[q.jb] AS by_, r.vs[q.jb] AS bv, r.ys[q.jf] AS fy, r.vs[q.jf] AS fv
    FROM r LEFT JOIN LATERAL (
      SELECT count(*) AS n, min(i) FILTER (WHERE y >= COALESCE(r.tby, 2015)) AS jb, min(i) FILTER (WHERE y >= r.ys[array_length(r.ys, 1)] - 5) AS jf
      FROM unnest(r.ys) WITH ORDINALITY AS u(y, i) WHERE r.ys[i + 1] IS DISTINCT FROM y) q ON true),
  c1 AS MATERIALIZED (
    SELECT r.indicator_id, r.area_id, r.country, r.muni, r.code, r.dir0, r.framework, r.sdg_goal, r.u4ssc_dimension, r.tid, r.tlevel, r.tv, r.ty,
      r.lim, r.tbound, r.tgreen, r.tred, r.manual_status, r.manual_reason, r.source, a.n, a.cy, a.cv, a.by_, a.bv, a.fy, a.fv,
      CASE WHEN r.manual_status IS NOT NULL THEN 'manual' WHEN a.n = 0 THEN 'no_data' WHEN a.n = 1 THEN 'single_year'
           WHEN a.by_ IS NULL THEN 'no_base_year' WHEN a.by_ = a.cy THEN 'single_year' ELSE 'ok' END AS stage,
      CASE WHEN a.n > 0 THEN a.cy::text ELSE split_part(r.sub, '|', 1) END AS lp,
      CASE WHEN a.n > 0 THEN a.cv ELSE split_part(r.sub, '|', 2)::float8 END AS lv
    FROM r JOIN agg a ON a.indicator_id = r.indicator_id AND a.area_id = r.area_id),
  c2 AS MATERIALIZED (
    SELECT c1.*,
      -- A neutral indicator takes its direction from the target.
      CASE WHEN stage <> 'ok' OR dir0 <> 'neutral' THEN dir0 WHEN tid IS NULL OR tv = bv THEN 'neutral' WHEN tv > bv THEN 'higher' ELSE 'lower' END AS dir,
      CASE WHEN stage = 'ok' AND sign(CASE WHEN cv = 0 THEN 0.001 ELSE cv END) = sign(CASE WHEN bv = 0 THEN 0.001 ELSE bv END)
        THEN (power((CASE WHEN cv = 0 THEN 0.001 ELSE cv END) / (CASE WHEN bv = 0 THEN 0.001 ELSE bv END), 1.0::float8 / (cy - by_)) - 1) * CASE WHEN cv < 0 THEN -1 ELSE 1 END END AS obs,
      CASE WHEN stage = 'ok' AND tid IS NOT NULL AND ty > by_ AND sign(CASE WHEN tv = 0 THEN 0.001 ELSE tv END) = sign(CASE WHEN bv = 0 THEN 0.001 ELSE bv END)
        THEN (power((CASE WHEN tv = 0 THEN 0.001 ELSE tv END) / (CASE WHEN bv = 0 THEN 0.001 ELSE bv END), 1.0::float8 / (ty - by_)) - 1) * CASE WHEN tv < 0 THEN -1 ELSE 1 END END AS req
    FROM c1),
  c3 AS MATERIALIZED (
    SELECT c2.*, CASE dir WHEN 'lower' THEN -1 ELSE 1 END AS d,
      CASE WHEN stage = 'manual' THEN 'manual'
           WHEN stage <> 'ok' THEN stage
           WHEN dir = 'neutral' THEN 'no_direction'
           WHEN tid IS NOT NULL AND ((dir = 'lower' AND cv <= tv) OR (dir = 'higher' AND cv >= tv)) THEN 'achieved'
           WHEN obs IS NULL OR (tid IS NOT NULL AND req IS NULL) THEN 'sign_change'
           WHEN tid IS NOT NULL THEN 'with_target' ELSE 'without_target' END AS path,
      CASE WHEN lim IS NULL OR stage <> 'ok' THEN 1::float8
           WHEN dir = 'lower' THEN CASE WHEN lim <= 0 OR bv < lim THEN 1 ELSE 1 - power(lim / (CASE WHEN bv = 0 THEN 0.001 ELSE bv END), 4.44) END
           ELSE CASE WHEN lim <= 0 OR bv < 0 OR bv > lim THEN 1 ELSE 1 - power(bv / lim, 4.44) END END AS lf
    FROM c2),
  c4 AS MATERIALIZED (
    SELECT c3.*, CASE path WHEN 'with_target' THEN CASE WHEN req = 0 THEN CASE WHEN d * obs >= 0 THEN 0 ELSE -1 END ELSE d * obs / abs(req) END
                           WHEN 'without_target' THEN d * obs END AS measure,
      CASE path WHEN 'with_target' THEN 0.95 WHEN 'without_target' THEN 0.015 * lf END AS th_high,
      CASE path WHEN 'with_target' THEN 0.6 WHEN 'without_target' THEN 0.005 * lf END AS th_med,
      -- The SDSN parts need a target, a latest value and a direction.
      tid IS NOT NULL AND lv IS NOT NULL AND dir <> 'neutral' AS sdsn,
      COALESCE(tbound, CASE WHEN dir = 'higher' THEN 0 WHEN stage = 'ok' AND bv > tv THEN bv END) AS bnd
    FROM c3),
  c5 AS MATERIALIZED (
    SELECT c4.*,
      CASE WHEN path = 'manual' THEN manual_status WHEN path IN ('with_target', 'without_target') THEN
        CASE WHEN measure >= th_high THEN 'substantial_progress' WHEN measure >= th_med THEN 'moderate_progress' WHEN measure >= 0 THEN 'limited_progress' ELSE 'deterioration' END
        WHEN path = 'achieved' THEN 'target_achieved' ELSE 'not_available' END AS status,
      CASE WHEN path IN ('with_target', 'achieved') THEN 'with_target' WHEN path IN ('manual', 'without_target') THEN path ELSE 'none' END AS method,
      CASE WHEN sdsn THEN COALESCE(tgreen, tv) END AS green,
      CASE WHEN sdsn THEN COALESCE(tred, bnd) END AS red,
      -- Bound and optimum oriented so the optimum is the better end.
      CASE WHEN sdsn AND bnd IS NOT NULL THEN
        CASE WHEN (dir = 'lower' AND bnd < tv) OR (dir = 'higher' AND bnd > tv) THEN tv ELSE bnd END END AS sb,
      CASE WHEN sdsn AND bnd IS NOT NULL THEN
        CASE WHEN (dir = 'lower' AND bnd < tv) OR (dir = 'higher' AND bnd > tv) THEN bnd ELSE tv END END AS so,
      CASE WHEN sdsn AND n >= 2 AND fy <> cy THEN (cv - fv) / (cy - fy) END AS tr_obs
    FROM c4),
  c6 AS MATERIALIZED (
    SELECT c5.*,
      CASE WHEN sb IS NOT NULL AND sb <> so THEN least(100, greatest(0, 100 * (lv - sb) / (so - sb))) END AS score,
      CASE WHEN NOT sdsn THEN NULL
           WHEN red IS NOT NULL AND red <> green THEN
             CASE WHEN d * lv >= d * green THEN 'green' WHEN d * lv >= (d * green + d * red) / 2 THEN 'yellow' WHEN d * lv >= d * red THEN 'orange' ELSE 'red' END
           WHEN d * lv >= d * green THEN 'green' ELSE 'red' END AS colour,
      CASE WHEN tr_obs IS NOT NULL THEN (green - cv) / greatest(1, 2030 - cy) END AS tr_need,
      CASE WHEN sdsn AND (u4ssc_dimension IS NOT NULL OR framework = 'u4ssc') THEN
        CASE WHEN dir = 'lower' THEN CASE WHEN lv <= tv THEN 1 WHEN lv <= 0 OR tv < 0 THEN 0 ELSE tv / lv END
             WHEN tv = 0 THEN CASE WHEN lv >= 0 THEN 1 ELSE 0 END
             WHEN tv < 0 THEN CASE WHEN lv >= tv THEN 1 ELSE 0 END
             ELSE greatest(0, lv / tv) END END AS ach,
      CASE WHEN ${total}::boolean AND dir0 <> 'neutral' AND muni AND lv IS NOT NULL THEN country END AS grp
    FROM c5),
  c7 AS (
    SELECT c6.*,
      CASE WHEN tr_obs IS NULL THEN NULL WHEN d * tr_need <= 0 OR d * tr_obs >= d * tr_need THEN 'on_track'
           WHEN d * tr_obs >= 0.5 * d * tr_need THEN 'moderately_improving' WHEN d * tr_obs >= 0 THEN 'stagnating' ELSE 'decreasing' END AS trend,
      CASE WHEN ach >= 0.95 THEN 4 WHEN ach >= 0.66 THEN 3 WHEN ach >= 0.33 THEN 2 WHEN ach IS NOT NULL THEN 1 END AS pts,
      count(*) OVER (PARTITION BY indicator_id, grp) AS g_n,
      rank() OVER (PARTITION BY indicator_id, grp ORDER BY CASE dir0 WHEN 'lower' THEN -lv ELSE lv END) - 1 AS g_worse,
      count(*) OVER (PARTITION BY indicator_id, grp, lv) - 1 AS g_ties
    FROM c6),
  fin AS (
    SELECT c7.*, CASE WHEN grp IS NOT NULL AND g_n >= 2 THEN (g_worse + 0.5 * g_ties)::float8 / (g_n - 1) END AS pct FROM c7)
  SELECT indicator_id, code, area_id, ${breakdown}, tid,
    CASE WHEN ${total}::boolean AND tid IS NOT NULL AND (tlevel IN ('network', 'area') OR tbound IS NOT NULL) THEN sdg_goal END,
    u4ssc_dimension, status, method, score, colour, trend, pts,
    CASE WHEN pct >= 0.75 THEN 1 WHEN pct >= 0.5 THEN 2 WHEN pct >= 0.25 THEN 3 WHEN pct IS NOT NULL THEN 4 END,
    json_strip_nulls(json_build_object(
      'status', status, 'method', method,
      'reason', CASE WHEN path IN ('no_data', 'single_year', 'no_base_year', 'no_direction', 'sign_change') THEN path END,
      'manualReason', CASE WHEN path = 'manual' THEN manual_reason END,
      'direction', dir, 'target', tv, 'targetYear', CASE WHEN tid IS NOT NULL THEN ty END, 'limit', lim,
      'currentYear', CASE WHEN stage NOT IN ('manual', 'no_data') THEN cy END,
      'currentValue', CASE WHEN stage NOT IN ('manual', 'no_data') THEN cv END,
      'baseYear', CASE WHEN stage = 'ok' THEN by_ END, 'baseValue', CASE WHEN stage = 'ok' THEN bv END,
      'observedRate', CASE WHEN path IN ('with_target', 'without_target') THEN obs END,
      'requiredRate', CASE WHEN path = 'with_target' THEN req END,
      'measure', measure,
      'thresholds', CASE WHEN measure IS NOT NULL THEN json_build_object('high', th_high, 'med', th_med, 'low', 0) END,
      'limitFactor', CASE WHEN path = 'without_target' THEN lf END,
      'level', tlevel, 'targetSource', source, 'latestPeriod', lp, 'latestValue', lv,
      'bound', CASE WHEN sdsn THEN bnd END, 'green', green, 'red', red,
      'trendObserved', tr_obs, 'trendNeeded', tr_need,
      'trendFrom', CASE WHEN tr_obs IS NOT NULL THEN fy END, 'trendTo', CASE WHEN tr_obs IS NOT NULL THEN cy END,
      'points', pts,
      'rank', CASE WHEN pct IS NOT NULL THEN g_n - g_worse - g_ties END, 'groupSize', CASE WHEN pct IS NOT NULL THEN g_n END,
      'percentile', pct))
  FROM fin`;
  await ex.execute(stmt);
}

/** Statuses of a set of indicators across every area, replacing what was stored for them: one statement per breakdown. */
async function recomputeStatuses(ex: Executor, inds: IndicatorVersion[], allTargets: TargetRow[], ms: Record<string, number>) {
  let t0 = performance.now();
  const hasTargets = new Set(allTargets.map((t) => t.indicatorId));
  await insertStatuses(ex, inds, '', hasTargets);
  ms.statuses = performance.now() - t0;
  t0 = performance.now();
  // Targets on a breakdown (rare): one statement per breakdown, over the indicators that have one.
  const byBreakdown = new Map<string, Set<string>>();
  for (const t of allTargets) if (t.breakdown !== '') (byBreakdown.get(t.breakdown) ?? byBreakdown.set(t.breakdown, new Set()).get(t.breakdown)!).add(t.indicatorId);
  for (const [b, ids] of byBreakdown) await insertStatuses(ex, inds.filter((i) => ids.has(i.id)), b, hasTargets);
  ms.breakdowns = performance.now() - t0;
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
  if (scope === 'all') await ex.execute(sql`DELETE FROM prog_statuses`);
  else if (inds.length) await ex.execute(sql`DELETE FROM prog_statuses WHERE indicator_id = ANY(${`{${inds.map((i) => i.id).join(',')}}`}::uuid[])`);
  // The statement sorts and groups every observation once; the default 4 MB would spill to disk.
  await ex.execute(sql`SET LOCAL work_mem = '64MB'`);
  lap('prepare');
  await recomputeStatuses(ex, inds, targetRows, ms);
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
