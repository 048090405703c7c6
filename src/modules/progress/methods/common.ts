/**
 * Small pieces every progress method shares: directions, periods as years, and
 * the series shape the methods read. Pure functions, no database.
 */

export type Direction = 'higher' | 'lower' | 'neutral';

/** One observation of a series: the period as stored by the indicators module and its value. */
export type Point = { period: string; value: number | null };

/**
 * The year a period counts as. A year range ("2019-2020") counts as its first
 * year, as Open SDG does. Quarters and months give no year: the methods are
 * defined on annual data and a quarterly series would count one year four times.
 */
export function periodYear(period: string): number | null {
  const m = /^(\d{4})(?:-(\d{4}))?$/.exec(period);
  return m ? Number(m[1]) : null;
}

/** Annual points sorted by year, without missing values; a later duplicate year replaces an earlier one. */
export function annualSeries(points: Point[]): { year: number; value: number }[] {
  const byYear = new Map<number, number>();
  for (const p of points) {
    const y = periodYear(p.period);
    if (y === null || p.value === null || !Number.isFinite(p.value)) continue;
    byYear.set(y, p.value);
  }
  return [...byYear].sort((a, b) => a[0] - b[0]).map(([year, value]) => ({ year, value }));
}

/**
 * An annual series as two parallel arrays (years ascending, one value per year): the
 * recompute parses each stored series once into this form and every method reads it,
 * instead of each method building its own array of points.
 */
export type AnnualArrays = { years: ArrayLike<number>; values: ArrayLike<number>; n: number };

export function annualArrays(points: Point[]): AnnualArrays {
  const a = annualSeries(points);
  return { years: a.map((p) => p.year), values: a.map((p) => p.value), n: a.length };
}

/** +1 when higher is better, −1 when lower is better. */
export const sign = (d: Direction): 1 | -1 => (d === 'lower' ? -1 : 1);

/** Whether `value` is at or past `target` in the good direction. */
export function atOrPast(value: number, target: number, d: Direction): boolean {
  return d === 'lower' ? value <= target : value >= target;
}
