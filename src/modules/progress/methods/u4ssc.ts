/**
 * U4SSC benchmark scoring (the Key Performance Indicators for Smart Sustainable
 * Cities' "progress towards target" bands):
 * a KPI earns 1 point below 33 % of its benchmark, 2 from 33 %, 3 from 66 % and 4 from 95 %.
 * A band's lower edge belongs to that band (exactly 33 % is 2 points).
 * A category or dimension scores the sum of its points divided by 4 × the number of
 * KPIs that have both a value and a benchmark, so a missing KPI neither helps nor hurts.
 */
import type { Direction } from './common.js';

export const U4SSC_BANDS = [0.33, 0.66, 0.95] as const;
const EDGE = 1e-9;

/**
 * How far a value has come towards its benchmark, as a share (1 = reached).
 * When lower is better the share is benchmark/value: a value twice the benchmark is 50 %.
 */
export function achievement(value: number, benchmark: number, direction: Direction): number | null {
  if (!Number.isFinite(value) || !Number.isFinite(benchmark)) return null;
  if (direction === 'lower') {
    if (value <= benchmark) return 1;
    if (value <= 0 || benchmark < 0) return 0;
    return benchmark / value;
  }
  if (benchmark === 0) return value >= 0 ? 1 : 0;
  if (benchmark < 0) return value >= benchmark ? 1 : 0;
  return Math.max(0, value / benchmark);
}

export function u4sscPoints(value: number, benchmark: number, direction: Direction): number | null {
  const a = achievement(value, benchmark, direction);
  if (a === null) return null;
  // The share is a floating-point quotient that can land a hair below an edge it reaches exactly
  // (6.6 of 10 is 0.6599999999999999); the edge belongs to the band above, so allow for that.
  if (a >= U4SSC_BANDS[2] - EDGE) return 4;
  if (a >= U4SSC_BANDS[1] - EDGE) return 3;
  if (a >= U4SSC_BANDS[0] - EDGE) return 2;
  return 1;
}

/** A category's or dimension's score, 0–1; null when no KPI has both a value and a benchmark. */
export function u4sscGroupScore(points: (number | null)[]): { score: number | null; counted: number; sum: number } {
  const counted = points.filter((p): p is number => p !== null);
  const sum = counted.reduce((a, b) => a + b, 0);
  return { score: counted.length === 0 ? null : sum / (4 * counted.length), counted: counted.length, sum };
}
