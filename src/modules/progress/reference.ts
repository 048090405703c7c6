/**
 * The reference implementation of the statuses: the documented methods (./methods, unit-tested
 * against hand-computed cases) applied series by series in JavaScript. The recompute itself
 * does the same in one set-based SQL statement (recompute.ts); reference.test.ts holds the two
 * to the same answers, so the SQL cannot drift from the methods the tests and docs describe.
 * Not used in production.
 */
import type { Executor } from '../../platform/db/index.js';
import { breakdownSeries, indicatorVersions, progressSeries, type IndicatorVersion, type ProgressSeriesRow } from '../indicators/index.js';
import { annualSeries, type Direction } from './methods/common.js';
import { progressMeasure, type ProgressResult } from './methods/opensdg.js';
import { colour as dashColour, rescale, trend as trendOf } from './methods/sdgindex.js';
import { u4sscPoints } from './methods/u4ssc.js';
import { relativePosition } from './methods/relative.js';
import { sql } from 'drizzle-orm';
import { targets as targetsTable, type TargetRow } from './schema.js';

export type StatusRow = {
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

/** Statuses of a set of indicators across every area, replacing what was stored for them. */
export async function referenceStatuses(ex: Executor, inds: IndicatorVersion[], allTargets: TargetRow[], networksOf: Map<string, string[]>, areasOfNetwork: Map<string, { id: string; country: string }[]>): Promise<StatusRow[]> {
  const all: StatusRow[] = [];
  const CHUNK = 50;
  for (let i = 0; i < inds.length; i += CHUNK) {
    const chunk = inds.slice(i, i + CHUNK);
    const ids = chunk.map((c) => c.id);
    const series = await progressSeries(ex, ids);
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
    for (const r of out) r.details = compact(r.details);
    all.push(...out);
  }
  return all;
}


/** Every stored status as the reference computes it, from the same inputs the recompute reads. */
export async function referenceAll(ex: Executor): Promise<StatusRow[]> {
  const targetRows = await ex.select().from(targetsTable);
  const withData = await indicatorVersions(ex);
  const extra = [...new Set(targetRows.map((t) => t.indicatorId))].filter((id) => !withData.some((w) => w.id === id));
  const inds = extra.length ? [...withData, ...(await indicatorVersions(ex, extra))] : withData;
  const na = (await ex.execute(sql`SELECT organisation_id, area_id FROM prog_network_areas ORDER BY network_name, organisation_id`)).rows as { organisation_id: string; area_id: string }[];
  const networksOf = new Map<string, string[]>();
  const areasOfNetwork = new Map<string, { id: string; country: string }[]>();
  for (const r of na) {
    (networksOf.get(r.area_id) ?? networksOf.set(r.area_id, []).get(r.area_id)!).push(r.organisation_id);
    (areasOfNetwork.get(r.organisation_id) ?? areasOfNetwork.set(r.organisation_id, []).get(r.organisation_id)!).push({ id: r.area_id, country: '' });
  }
  return referenceStatuses(ex, inds, targetRows, networksOf, areasOfNetwork);
}
