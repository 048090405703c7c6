/**
 * The Open SDG progress measure (Statistics Canada's method, implemented by
 * sdg-build's progress_measure.py), with the choices the issue fixes:
 *
 * - CAGR(v1, v0, t1, t0) = (v1/v0)^(1/(t1−t0)) − 1; a base or target of 0 is taken as 0.001.
 * - At least two years with data; base and current must have the same sign.
 *   When both are negative the ratio measures the change of the magnitude, so the
 *   rate is turned round (−10 → −5 is an increase of the value, not a decline).
 * - With a target: R = direction × CAGR(observed) / |CAGR(required)|, against 0.95, 0.6 and 0.
 * - Without a target: direction × CAGR(observed) against 1.5 %, 0.5 % and 0, those thresholds
 *   multiplied by 1 − (base/limit)^4.44 when a limit is set and the base has not passed it.
 * - A current value at or past the target is "target achieved"; a manual status overrides everything.
 */
import { annualSeries, atOrPast, sign, type Direction, type Point } from './common.js';

export const PROGRESS_STATUSES = [
  'target_achieved',
  'substantial_progress',
  'moderate_progress',
  'limited_progress',
  'deterioration',
  'not_available',
] as const;
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];

export type NotAvailableReason = 'no_data' | 'single_year' | 'no_base_year' | 'sign_change' | 'no_direction';

export type ProgressOptions = {
  direction: Direction;
  target?: number | null | undefined;
  targetYear?: number | undefined; // default 2030
  baseYear?: number | undefined; // default 2015
  limit?: number | null | undefined;
  manual?: { status: ProgressStatus; reason: string } | null | undefined;
};

/** Everything a page needs to explain the result in one sentence. */
export type ProgressResult = {
  status: ProgressStatus;
  method: 'with_target' | 'without_target' | 'manual' | 'none';
  reason?: NotAvailableReason | undefined;
  manualReason?: string | undefined;
  direction: Direction;
  baseYear?: number | undefined;
  baseValue?: number | undefined;
  currentYear?: number | undefined;
  currentValue?: number | undefined;
  target?: number | undefined;
  targetYear?: number | undefined;
  limit?: number | undefined;
  /** Observed CAGR, in the data's own direction (not multiplied by the indicator's direction). */
  observedRate?: number | undefined;
  /** CAGR needed from base to target by the target year. */
  requiredRate?: number | undefined;
  /** The number compared with the thresholds: R with a target, the directional CAGR without. */
  measure?: number | undefined;
  thresholds?: { high: number; med: number; low: number } | undefined;
  /** The limit's scaling factor 1 − (base/limit)^4.44 (1 when no limit applies). */
  limitFactor?: number | undefined;
};

export const DEFAULT_BASE_YEAR = 2015;
export const DEFAULT_TARGET_YEAR = 2030;
const ZERO = 0.001;
export const LIMIT_EXPONENT = 4.44;

const nz = (v: number) => (v === 0 ? ZERO : v);

/** Compound annual growth rate; a zero is taken as 0.001. Null when the signs differ or no time passed. */
export function cagr(v1: number, v0: number, t1: number, t0: number): number | null {
  const a = nz(v1);
  const b = nz(v0);
  if (t1 <= t0 || Math.sign(a) !== Math.sign(b)) return null;
  const r = Math.pow(a / b, 1 / (t1 - t0)) - 1;
  // Both negative: a shrinking magnitude is a rising value.
  return a < 0 ? -r : r;
}

/** The scaling of the no-target thresholds near a natural ceiling (or, when lower is better, floor). */
export function limitFactor(base: number, limit: number | null | undefined, direction: Direction): number {
  if (limit === null || limit === undefined) return 1;
  if (direction === 'lower') {
    // A floor above zero: the closer the base is to it, the less change is expected.
    if (limit <= 0 || base < limit) return 1;
    return 1 - Math.pow(limit / nz(base), LIMIT_EXPONENT);
  }
  if (limit <= 0 || base < 0 || base > limit) return 1;
  return 1 - Math.pow(base / limit, LIMIT_EXPONENT);
}

function classify(measure: number, t: { high: number; med: number; low: number }): ProgressStatus {
  if (measure >= t.high) return 'substantial_progress';
  if (measure >= t.med) return 'moderate_progress';
  if (measure >= t.low) return 'limited_progress';
  return 'deterioration';
}

export function progressMeasure(points: Point[], opts: ProgressOptions): ProgressResult {
  const target = opts.target ?? undefined;
  const targetYear = opts.targetYear ?? DEFAULT_TARGET_YEAR;
  const limit = opts.limit ?? undefined;
  const base: ProgressResult = { status: 'not_available', method: 'none', direction: opts.direction, target, targetYear: target === undefined ? undefined : targetYear, limit };
  if (opts.manual) return { ...base, status: opts.manual.status, method: 'manual', manualReason: opts.manual.reason };

  const series = annualSeries(points);
  if (series.length === 0) return { ...base, reason: 'no_data' };
  const current = series[series.length - 1]!;
  const withCurrent = { ...base, currentYear: current.year, currentValue: current.value };
  if (series.length < 2) return { ...withCurrent, reason: 'single_year' };

  // The baseline year, or the first later year with data.
  const wantedBase = opts.baseYear ?? DEFAULT_BASE_YEAR;
  const first = series.find((p) => p.year >= wantedBase);
  if (!first || first.year === current.year) return { ...withCurrent, reason: first ? 'single_year' : 'no_base_year' };
  const r0: ProgressResult = { ...withCurrent, baseYear: first.year, baseValue: first.value };

  // A neutral indicator has no good direction of its own; a target gives it one.
  let direction = opts.direction;
  if (direction === 'neutral') {
    if (target === undefined || target === first.value) return { ...r0, reason: 'no_direction' };
    direction = target > first.value ? 'higher' : 'lower';
  }
  const d = sign(direction);

  if (target !== undefined && atOrPast(current.value, target, direction)) {
    return { ...r0, direction, status: 'target_achieved', method: 'with_target' };
  }
  const observed = cagr(current.value, first.value, current.year, first.year);
  if (observed === null) return { ...r0, direction, reason: 'sign_change' };

  if (target !== undefined) {
    const thresholds = { high: 0.95, med: 0.6, low: 0 };
    const required = cagr(target, first.value, targetYear, first.year);
    if (required === null) return { ...r0, direction, reason: 'sign_change' };
    // A target equal to the base: any movement the wrong way is a deterioration, none is limited progress.
    const measure = required === 0 ? (d * observed >= 0 ? 0 : -1) : (d * observed) / Math.abs(required);
    return { ...r0, direction, method: 'with_target', observedRate: observed, requiredRate: required, measure, thresholds, status: classify(measure, thresholds) };
  }
  const factor = limitFactor(first.value, limit, direction);
  const thresholds = { high: 0.015 * factor, med: 0.005 * factor, low: 0 };
  const measure = d * observed;
  return { ...r0, direction, method: 'without_target', observedRate: observed, measure, thresholds, limitFactor: factor, status: classify(measure, thresholds) };
}
