/**
 * The SDG index and dashboard in the style of the SDSN Sustainable Development
 * Report, computed per area:
 * - each indicator is rescaled to 0–100 between a bound (score 0) and an optimum
 *   (score 100), clipped; when lower is better the bound is the larger number;
 * - goal score = mean of its indicators' scores; index = mean of the goal scores,
 *   withheld when more than a configurable share (20 %) of the selected indicators lack data;
 * - dashboard colour per indicator from a green and a red threshold, the midpoint
 *   between them splitting yellow from orange; a goal's colour is the average of its
 *   two worst indicators' colours (rounded towards the better colour, as the SDSN gives
 *   red only when both are red), and green only when every indicator is green;
 * - trend per indicator: the linear yearly change needed to reach the green threshold
 *   by 2030 against the yearly change observed over the last five years.
 */
import { annualArrays, sign, type AnnualArrays, type Direction, type Point } from './common.js';

export const COLOURS = ['green', 'yellow', 'orange', 'red'] as const;
export type Colour = (typeof COLOURS)[number];
export const TRENDS = ['on_track', 'moderately_improving', 'stagnating', 'decreasing'] as const;
export type Trend = (typeof TRENDS)[number];

export const DEFAULT_MAX_MISSING_SHARE = 0.2;
export const TREND_YEAR = 2030;
export const TREND_WINDOW = 5;

/** Orders bound and optimum so that the optimum is the better end for the direction. */
function orient(bound: number, optimum: number, direction: Direction): [number, number] {
  if (direction === 'lower' && bound < optimum) return [optimum, bound];
  if (direction === 'higher' && bound > optimum) return [optimum, bound];
  return [bound, optimum];
}

export function rescale(value: number, bound: number, optimum: number, direction: Direction): number | null {
  const [b, o] = orient(bound, optimum, direction);
  if (b === o || !Number.isFinite(value)) return null;
  const s = (100 * (value - b)) / (o - b);
  return Math.min(100, Math.max(0, s));
}

/** The colour of one value: green at or past the green threshold, red past the red one. */
export function colour(value: number, green: number, red: number, direction: Direction): Colour {
  // With lower-is-better the green threshold is the smaller number; flip everything to "higher".
  const d = direction === 'lower' ? -1 : direction === 'higher' ? 1 : green >= red ? 1 : -1;
  const v = d * value;
  const g = d * green;
  const r = d * red;
  if (v >= g) return 'green';
  const mid = (g + r) / 2;
  if (v >= mid) return 'yellow';
  if (v >= r) return 'orange';
  return 'red';
}

export function goalColour(colours: Colour[]): Colour | null {
  if (colours.length === 0) return null;
  if (colours.every((c) => c === 'green')) return 'green';
  const rank = colours.map((c) => COLOURS.indexOf(c)).sort((a, b) => b - a);
  const worst = rank.slice(0, 2);
  const avg = worst.reduce((a, b) => a + b, 0) / worst.length;
  // Rounded towards the better colour; never green, since not all are green.
  return COLOURS[Math.max(1, Math.floor(avg))]!;
}

export type TrendResult = {
  trend: Trend | null;
  /** Yearly change needed to reach the green threshold by 2030 (in the value's units). */
  needed?: number | undefined;
  /** Yearly change observed over the window. */
  observed?: number | undefined;
  fromYear?: number | undefined;
  toYear?: number | undefined;
};

export function trend(points: Point[], green: number, direction: Direction, window = TREND_WINDOW, byYear = TREND_YEAR): TrendResult {
  if (direction === 'neutral') return { trend: null };
  return trendOf(annualArrays(points), green, direction, window, byYear);
}

/** The same trend on a series already parsed into annual arrays (the recompute's form). */
export function trendOf(s: AnnualArrays, green: number, direction: Direction, window = TREND_WINDOW, byYear = TREND_YEAR): TrendResult {
  if (direction === 'neutral') return { trend: null };
  const n = s.n;
  if (n < 2) return { trend: null };
  const last = { year: s.years[n - 1]!, value: s.values[n - 1]! };
  let fi = 0;
  while (s.years[fi]! < last.year - window) fi++;
  const from = { year: s.years[fi]!, value: s.values[fi]! };
  if (from.year === last.year) return { trend: null };
  const d = sign(direction);
  const observed = (last.value - from.value) / (last.year - from.year);
  const years = Math.max(1, byYear - last.year);
  const needed = (green - last.value) / years;
  const dObs = d * observed;
  const dNeed = d * needed;
  // Already at or past green: the SDSN calls this maintaining achievement, shown as on track.
  const trend: Trend = dNeed <= 0 || dObs >= dNeed ? 'on_track' : dObs >= 0.5 * dNeed ? 'moderately_improving' : dObs >= 0 ? 'stagnating' : 'decreasing';
  // One object literal of one shape: it runs once per indicator × area in the recompute.
  return { observed, needed, fromYear: from.year, toYear: last.year, trend };
}

/**
 * A goal's trend from the mean of its indicators' trends, each counted as
 * on track 3, moderately improving 2, stagnating 1, decreasing 0, the mean rounded to the nearest.
 */
export function goalTrend(trends: (Trend | null)[]): Trend | null {
  const v = trends.filter((t): t is Trend => t !== null).map((t) => 3 - TRENDS.indexOf(t));
  if (v.length === 0) return null;
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return TRENDS[3 - Math.round(mean)]!;
}

export type IndexIndicator = { goal: string; score: number | null };

export type IndexResult = {
  index: number | null;
  goals: Map<string, { score: number | null; counted: number; selected: number }>;
  selected: number;
  missing: number;
  missingShare: number;
  /** Why the index is withheld, if it is. */
  withheld: 'too_many_missing' | 'no_indicators' | null;
};

export function sdgIndex(indicators: IndexIndicator[], maxMissingShare = DEFAULT_MAX_MISSING_SHARE): IndexResult {
  const goals = new Map<string, { sum: number; counted: number; selected: number }>();
  let missing = 0;
  for (const i of indicators) {
    const g = goals.get(i.goal) ?? { sum: 0, counted: 0, selected: 0 };
    g.selected++;
    if (i.score === null) missing++;
    else {
      g.sum += i.score;
      g.counted++;
    }
    goals.set(i.goal, g);
  }
  const out = new Map([...goals].map(([k, g]) => [k, { score: g.counted ? g.sum / g.counted : null, counted: g.counted, selected: g.selected }]));
  const selected = indicators.length;
  const missingShare = selected ? missing / selected : 1;
  const scores = [...out.values()].map((g) => g.score).filter((s): s is number => s !== null);
  let withheld: IndexResult['withheld'] = null;
  if (selected === 0 || scores.length === 0) withheld = 'no_indicators';
  else if (missingShare > maxMissingShare + 1e-12) withheld = 'too_many_missing';
  const index = withheld ? null : scores.reduce((a, b) => a + b, 0) / scores.length;
  return { index, goals: out, selected, missing, missingShare, withheld };
}
