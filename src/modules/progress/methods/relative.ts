/**
 * Relative position for an indicator with no target: where an area's latest
 * value stands among a comparison group (a network, similar municipalities, the
 * country), always measured in the indicator's good direction, as a quartile
 * (1 = the best quarter). Neutral indicators have no best, so no position.
 */
import type { Direction } from './common.js';

export type RelativeResult = {
  /** Share of the other areas this one does better than (ties count half), 0–1. */
  percentile: number;
  quartile: 1 | 2 | 3 | 4;
  /** 1 = best, ties share the better rank. */
  rank: number;
  groupSize: number;
};

export function relativePosition(value: number, group: number[], direction: Direction): RelativeResult | null {
  if (direction === 'neutral' || !Number.isFinite(value)) return null;
  const values = group.filter((v) => Number.isFinite(v));
  if (values.length < 2) return null;
  const better = (a: number, b: number) => (direction === 'lower' ? a < b : a > b);
  let worse = 0;
  let ties = -1; // the area itself is in the group
  let above = 0;
  for (const v of values) {
    if (v === value) ties++;
    else if (better(value, v)) worse++;
    else above++;
  }
  if (ties < 0) return null; // the value must be one of the group's
  const percentile = (worse + 0.5 * ties) / (values.length - 1);
  const quartile = percentile >= 0.75 ? 1 : percentile >= 0.5 ? 2 : percentile >= 0.25 ? 3 : 4;
  return { percentile, quartile, rank: above + 1, groupSize: values.length };
}

/**
 * The relative position of every value of a group at once, the same numbers as calling
 * relativePosition for each value: one sort and two binary searches per value instead of a
 * pass over the whole group per value (a country has hundreds of municipalities).
 */
export function relativePositions(group: number[], direction: Direction): (RelativeResult | null)[] {
  if (direction === 'neutral') return group.map(() => null);
  const sorted = Float64Array.from(group.filter((v) => Number.isFinite(v))).sort();
  const n = sorted.length;
  // First index whose value is ≥ v (strict = false) or > v (strict = true).
  const bound = (v: number, strict: boolean) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (strict ? sorted[mid]! <= v : sorted[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return group.map((value) => {
    if (!Number.isFinite(value) || n < 2) return null;
    const below = bound(value, false);
    const notAbove = bound(value, true);
    const ties = notAbove - below - 1; // the area itself is in the group
    const worse = direction === 'lower' ? n - notAbove : below;
    const above = direction === 'lower' ? below : n - notAbove;
    const percentile = (worse + 0.5 * ties) / (n - 1);
    const quartile = percentile >= 0.75 ? 1 : percentile >= 0.5 ? 2 : percentile >= 0.25 ? 3 : 4;
    return { percentile, quartile, rank: above + 1, groupSize: n };
  });
}
