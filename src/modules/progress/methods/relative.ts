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
