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
import { annualArrays, atOrPast, sign, type AnnualArrays, type Direction, type Point } from './common.js';

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
  return progressMeasureOf(annualArrays(points), opts);
}

/**
 * The same measure on a series already parsed into annual arrays (the recompute's form). It runs
 * once per indicator × area, so it fills one result object in place rather than spreading a new
 * one at each step.
 */
export function progressMeasureOf(s: AnnualArrays, opts: ProgressOptions): ProgressResult {
  const target = opts.target ?? undefined;
  const targetYear = opts.targetYear ?? DEFAULT_TARGET_YEAR;
  const limit = opts.limit ?? undefined;
  const r: ProgressResult = {
    status: 'not_available',
    method: 'none',
    reason: undefined,
    manualReason: undefined,
    direction: opts.direction,
    baseYear: undefined,
    baseValue: undefined,
    currentYear: undefined,
    currentValue: undefined,
    target,
    targetYear: target === undefined ? undefined : targetYear,
    limit,
    observedRate: undefined,
    requiredRate: undefined,
    measure: undefined,
    thresholds: undefined,
    limitFactor: undefined,
  };
  if (opts.manual) {
    r.status = opts.manual.status;
    r.method = 'manual';
    r.manualReason = opts.manual.reason;
    return r;
  }

  const n = s.n;
  if (n === 0) {
    r.reason = 'no_data';
    return r;
  }
  const currentYear = s.years[n - 1]!;
  const currentValue = s.values[n - 1]!;
  r.currentYear = currentYear;
  r.currentValue = currentValue;
  if (n < 2) {
    r.reason = 'single_year';
    return r;
  }

  // The baseline year, or the first later year with data.
  const wantedBase = opts.baseYear ?? DEFAULT_BASE_YEAR;
  let fi = 0;
  while (fi < n && s.years[fi]! < wantedBase) fi++;
  if (fi === n || s.years[fi] === currentYear) {
    r.reason = fi < n ? 'single_year' : 'no_base_year';
    return r;
  }
  const baseYear = s.years[fi]!;
  const baseValue = s.values[fi]!;
  r.baseYear = baseYear;
  r.baseValue = baseValue;

  // A neutral indicator has no good direction of its own; a target gives it one.
  let direction = opts.direction;
  if (direction === 'neutral') {
    if (target === undefined || target === baseValue) {
      r.reason = 'no_direction';
      return r;
    }
    direction = target > baseValue ? 'higher' : 'lower';
  }
  r.direction = direction;
  const d = sign(direction);

  if (target !== undefined && atOrPast(currentValue, target, direction)) {
    r.status = 'target_achieved';
    r.method = 'with_target';
    return r;
  }
  const observed = cagr(currentValue, baseValue, currentYear, baseYear);
  if (observed === null) {
    r.reason = 'sign_change';
    return r;
  }

  if (target !== undefined) {
    const thresholds = { high: 0.95, med: 0.6, low: 0 };
    const required = cagr(target, baseValue, targetYear, baseYear);
    if (required === null) {
      r.reason = 'sign_change';
      return r;
    }
    // A target equal to the base: any movement the wrong way is a deterioration, none is limited progress.
    const measure = required === 0 ? (d * observed >= 0 ? 0 : -1) : (d * observed) / Math.abs(required);
    r.method = 'with_target';
    r.observedRate = observed;
    r.requiredRate = required;
    r.measure = measure;
    r.thresholds = thresholds;
    r.status = classify(measure, thresholds);
    return r;
  }
  const factor = limitFactor(baseValue, limit, direction);
  const thresholds = { high: 0.015 * factor, med: 0.005 * factor, low: 0 };
  const measure = d * observed;
  r.method = 'without_target';
  r.observedRate = observed;
  r.measure = measure;
  r.thresholds = thresholds;
  r.limitFactor = factor;
  r.status = classify(measure, thresholds);
  return r;
}
