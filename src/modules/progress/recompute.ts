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
import { copyIn, copyTextField, type Executor } from '../../platform/db/index.js';
import { directory } from '../directory/index.js';
import { breakdownSeries, indicatorVersions, progressSeries, type IndicatorVersion } from '../indicators/index.js';
import { annualArrays, periodYear, type AnnualArrays, type Direction } from './methods/common.js';
import { progressMeasureOf, type ProgressResult } from './methods/opensdg.js';
import { colour as dashColour, rescale, trendOf, type TrendResult } from './methods/sdgindex.js';
import { u4sscPoints } from './methods/u4ssc.js';
import { relativePositions, type RelativeResult } from './methods/relative.js';
import { encodeDetails, type Details } from './details.js';
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

/** One series to compute, parsed once; `pos` is its relative position when it has one. */
type Item = { areaId: string; t: TargetRow | null; a: AnnualArrays; series: [string, number | null][]; last: { period: string; value: number } | null; pos: RelativeResult | null };

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

/** periodYear, without a regular expression for the common case of a plain year. */
function yearOf(period: string): number | null {
  if (period.length !== 4) return periodYear(period);
  let y = 0;
  for (let k = 0; k < 4; k++) {
    const c = period.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return null;
    y = y * 10 + c;
  }
  return y;
}

/**
 * A stored series ([period, value] in period order) as annual arrays, parsed once for all the
 * methods. Series whose years do not strictly increase (a year range beside its first year, a
 * duplicate) take the general path, so the result is always annualSeries's.
 */
function parseAnnual(series: [string, number | null][]): AnnualArrays {
  const years: number[] = [];
  const values: number[] = [];
  let prev = -Infinity;
  for (let i = 0; i < series.length; i++) {
    const [period, value] = series[i]!;
    const y = yearOf(period);
    if (y === null || value === null || !Number.isFinite(value)) continue;
    if (y <= prev) return annualArrays(series.map(([p, v]) => ({ period: p, value: v })));
    years.push(y);
    values.push(value);
    prev = y;
  }
  return { years, values, n: years.length };
}

const NO_DATA: AnnualArrays = { years: [], values: [], n: 0 };

/** Latest annual value (or, for sub-annual series, the latest value at all). */
function latest(a: AnnualArrays, series: [string, number | null][]): { period: string; value: number } | null {
  if (a.n) return { period: String(a.years[a.n - 1]), value: a.values[a.n - 1]! };
  for (let i = series.length - 1; i >= 0; i--) if (series[i]![1] !== null) return { period: series[i]![0], value: series[i]![1]! };
  return null;
}

/** Whether a target puts its indicator into the area's index: a network's or the area's own set, or any target with a bound. */
const inIndexSet = (t: TargetRow) => t.level === 'network' || t.level === 'area' || t.bound !== null;

/** One status as a COPY line: the methods on the parsed series, then the stored components. */
function statusLine(ind: IndicatorVersion, breakdown: string, it: Item): string {
  const { a, t, last } = it;
  const r: ProgressResult = progressMeasureOf(a, {
    direction: ind.direction,
    target: t?.value,
    targetYear: t?.targetYear,
    baseYear: t?.baselineYear,
    limit: t?.limitValue,
    manual: t?.manualStatus ? { status: t.manualStatus, reason: t.manualReason } : null,
  });
  let score: number | null = null;
  let colour: string | null = null;
  let trend: string | null = null;
  let points4: number | null = null;
  let bound: number | null = null;
  let green: number | null = null;
  let red: number | null = null;
  let tr: TrendResult | null = null;
  // The direction the target implies when the indicator itself is neutral.
  const d: Direction = r.direction;
  if (t && last && d !== 'neutral') {
    bound = t.bound ?? (d === 'higher' ? 0 : r.baseValue !== undefined && r.baseValue > t.value ? r.baseValue : null);
    if (bound !== null) score = rescale(last.value, bound, t.value, d);
    green = t.green ?? t.value;
    red = t.red ?? bound;
    if (red !== null && red !== green) colour = dashColour(last.value, green, red, d);
    else colour = (d === 'lower' ? last.value <= green : last.value >= green) ? 'green' : 'red';
    tr = trendOf(a, green, d);
    trend = tr.trend;
    if (ind.u4ssc_dimension || ind.framework === 'u4ssc') points4 = u4sscPoints(last.value, t.value, d);
  }
  // Every component in one literal of one shape (DETAIL_KEYS' order): cheap to build and to encode.
  const details: Details = {
    reason: r.reason,
    manualReason: r.manualReason,
    direction: r.direction,
    baseYear: r.baseYear,
    baseValue: r.baseValue,
    currentYear: r.currentYear,
    currentValue: r.currentValue,
    target: r.target,
    targetYear: r.targetYear,
    limit: r.limit,
    observedRate: r.observedRate,
    requiredRate: r.requiredRate,
    measure: r.measure,
    thresholds: r.thresholds,
    limitFactor: r.limitFactor,
    level: t?.level,
    targetSource: t?.source,
    latestPeriod: last?.period,
    latestValue: last?.value,
    bound,
    green,
    red,
    trendObserved: tr?.observed,
    trendNeeded: tr?.needed,
    trendFrom: tr?.fromYear,
    trendTo: tr?.toYear,
    points: points4,
    rank: it.pos?.rank,
    groupSize: it.pos?.groupSize,
    percentile: it.pos?.percentile,
  };
  const goal = t && inIndexSet(t) && breakdown === '' ? ind.sdg_goal : null;
  const f = copyTextField;
  return `${ind.id}\t${f(ind.code)}\t${it.areaId}\t${f(breakdown)}\t${t?.id ?? '\\N'}\t${f(goal)}\t${f(ind.u4ssc_dimension)}\t${r.status}\t${r.method}\t${f(score)}\t${f(colour)}\t${f(trend)}\t${f(points4)}\t${f(it.pos?.quartile)}\t${f(encodeDetails(details))}\n`;
}

const STATUS_COLUMNS = 'prog_statuses (indicator_id, indicator_code, area_id, breakdown, target_id, goal, u4ssc_dimension, status, method, score, colour, trend, u4ssc_points, quartile, details)';

type Series = { area_id: string; country: string; level: string; series: [string, number | null][] };

/** Every status of one indicator (all its breakdowns with targets), as COPY lines. */
function indicatorLines(ind: IndicatorVersion, ts: TargetRow[], seriesOf: (b: string) => Series[], networksOf: Map<string, string[]>, areasOfNetwork: Map<string, { id: string; country: string }[]>): string {
  const lines: string[] = [];
  const breakdowns = new Set(['', ...ts.map((t) => t.breakdown)]);
  for (const b of breakdowns) {
    const bts = ts.filter((t) => t.breakdown === b);
    const resolve = resolver(bts, networksOf);
    const rows = seriesOf(b);
    const items: Item[] = [];
    // The country a municipality's latest value is ranked in (other levels are not ranked).
    const countryOf: string[] = [];
    const seen = new Set<string>();
    for (const s of rows) {
      if (s.level === 'country' && b === '' && !ts.length) continue; // a country's own series has no peers to rank
      const t = resolve(s.area_id, s.country);
      if (b !== '' && !t) continue;
      seen.add(s.area_id);
      const a = parseAnnual(s.series);
      items.push({ areaId: s.area_id, t, a, series: s.series, last: latest(a, s.series), pos: null });
      countryOf.push(s.level === 'municipality' ? s.country : '');
    }
    // Areas a network's or area's target reaches but with no data: "not available", and counted
    // as missing by the index's coverage rule.
    for (const t of bts) {
      const reach = t.level === 'area' ? [{ id: t.areaId!, country: '' }] : t.level === 'network' ? (areasOfNetwork.get(t.organisationId!) ?? []) : [];
      for (const a of reach) {
        if (seen.has(a.id) || resolve(a.id, a.country) !== t) continue;
        seen.add(a.id);
        items.push({ areaId: a.id, t, a: NO_DATA, series: [], last: null, pos: null });
        countryOf.push('');
      }
    }
    // Relative position among the municipalities of the same country, by latest value.
    if (b === '' && ind.direction !== 'neutral') {
      const groups = new Map<string, Item[]>();
      items.forEach((it, i) => {
        const c = countryOf[i]!;
        if (c && it.last) (groups.get(c) ?? groups.set(c, []).get(c)!).push(it);
      });
      for (const members of groups.values()) {
        const positions = relativePositions(members.map((it) => it.last!.value), ind.direction);
        members.forEach((it, i) => (it.pos = positions[i] ?? null));
      }
    }
    for (const it of items) lines.push(statusLine(ind, b, it));
  }
  return lines.join('');
}

/**
 * Statuses of a set of indicators across every area, replacing what was stored for them.
 * Per chunk of indicators: one read of their series, then one COPY whose lines are computed
 * while it runs (on PostgreSQL the server ingests one piece while Node computes the next).
 */
async function recomputeStatuses(ex: Executor, inds: IndicatorVersion[], allTargets: TargetRow[], networksOf: Map<string, string[]>, areasOfNetwork: Map<string, { id: string; country: string }[]>, replace: boolean, ms: Record<string, number> = {}) {
  let t0 = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    ms[name] = (ms[name] ?? 0) + now - t0;
    t0 = now;
  };
  const targetsOf = new Map<string, TargetRow[]>();
  for (const t of allTargets) (targetsOf.get(t.indicatorId) ?? targetsOf.set(t.indicatorId, []).get(t.indicatorId)!).push(t);
  const CHUNK = 50;
  for (let i = 0; i < inds.length; i += CHUNK) {
    const chunk = inds.slice(i, i + CHUNK);
    const ids = chunk.map((c) => c.id);
    const byInd = new Map<string, Series[]>();
    for (const s of await progressSeries(ex, ids)) (byInd.get(s.indicator_id) ?? byInd.set(s.indicator_id, []).get(s.indicator_id)!).push(s);
    // Breakdown series are read before the COPY starts: no other statement can run during it.
    const byBreakdown = new Map<string, Series[]>();
    for (const ind of chunk) {
      for (const b of new Set((targetsOf.get(ind.id) ?? []).map((t) => t.breakdown))) {
        if (b !== '') byBreakdown.set(`${ind.id}\u0000${b}`, await breakdownSeries(ex, ind.id, b));
      }
    }
    lap('read');
    if (replace) await ex.execute(sql`DELETE FROM prog_statuses WHERE indicator_id = ANY(${`{${ids.join(',')}}`}::uuid[])`);
    await copyIn(ex, STATUS_COLUMNS, (function* () {
      for (const ind of chunk) {
        yield indicatorLines(ind, targetsOf.get(ind.id) ?? [], (b) => (b === '' ? (byInd.get(ind.id) ?? []) : (byBreakdown.get(`${ind.id}\u0000${b}`) ?? [])), networksOf, areasOfNetwork);
      }
    })());
    lap('compute and write');
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
  await recomputeStatuses(ex, inds, targetRows, networksOf, areasOfNetwork, scope !== 'all', ms);
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
