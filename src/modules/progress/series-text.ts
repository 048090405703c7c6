/**
 * The recompute's reading of stored series: the indicators module's series text (one line per
 * area, its series as JSON) scanned into annual arrays without building a pair per observation.
 * Plain increasing years are scanned in one pass; any other form takes the general rule, so the
 * result is always annualArrays' on the parsed JSON (series-text.test.ts compares the two).
 */
import { annualArrays, periodYear, type AnnualArrays } from './methods/common.js';

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
export function parseAnnual(series: [string, number | null][]): AnnualArrays {
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


/** Latest annual value (or, for sub-annual series, the latest value at all).  */
export function latest(a: AnnualArrays, series: [string, number | null][]): { period: string; value: number } | null {
  if (a.n) return { period: String(a.years[a.n - 1]), value: a.values[a.n - 1]! };
  for (let i = series.length - 1; i >= 0; i--) if (series[i]![1] !== null) return { period: series[i]![0], value: series[i]![1]! };
  return null;
}

/**
 * One area's series, parsed: `a` for the methods; `series` is the stored [period, value] list only
 * where a period is not a plain year (latest() then needs it), else empty.
 */
export type Parsed = { areaId: string; country: string; level: string; a: AnnualArrays; series: [string, number | null][] };

/** 10^0 … 10^15, each exact as a double. */
const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);

const isWs = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/** The index just past the JSON array that starts at `i` (strings and their escapes skipped). */
function arrayEnd(text: string, i: number): number {
  let depth = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92 /* \ */) i++;
    } else if (c === 91 /* [ */) depth++;
    else if (c === 93 /* ] */ && --depth === 0) return i + 1;
  }
  throw new Error('progress: unterminated series in the indicators\' series text');
}

/** The index of the first character at or after `i` that is not JSON white space. */
function skipWs(text: string, i: number): number {
  while (isWs(text.charCodeAt(i))) i++;
  return i;
}

/** scanSeries' general path: the JSON parsed, then the annual rule. */
function scanGeneral(text: string, start: number): { a: AnnualArrays; series: [string, number | null][]; end: number } {
  const end = arrayEnd(text, start);
  const series = JSON.parse(text.slice(start, end)) as [string, number | null][];
  return { a: parseAnnual(series), series, end };
}

/**
 * The stored series JSON at `start` ([[period, value], …], period order) scanned straight into
 * annual arrays, without building the pairs: the common case (every period a plain four-digit
 * year, years strictly increasing) in one pass. Anything else (a year range, a quarter, an escape,
 * a duplicate year) is JSON.parse'd and goes through parseAnnual, so the result is always
 * parseAnnual's on the parsed series. Returns the arrays, the series when kept, and the end index.
 */
function scanSeries(text: string, start: number): { a: AnnualArrays; series: [string, number | null][]; end: number } {
  // No closures in here: it runs once per area and indicator, and every closure made per call
  // showed in the recompute's profile.
  const years: number[] = [];
  const values: number[] = [];
  let prev = -Infinity;
  let i = skipWs(text, start + 1);
  if (text.charCodeAt(i) === 93) return { a: { years, values, n: 0 }, series: [], end: i + 1 };
  for (;;) {
    // [ "dddd" , value ]
    if (text.charCodeAt(i) !== 91) return scanGeneral(text, start);
    i++;
    i = skipWs(text, i);
    if (text.charCodeAt(i) !== 34 || text.charCodeAt(i + 5) !== 34) return scanGeneral(text, start);
    let y = 0;
    for (let k = 1; k <= 4; k++) {
      const c = text.charCodeAt(i + k) - 48;
      if (c < 0 || c > 9) return scanGeneral(text, start);
      y = y * 10 + c;
    }
    i += 6;
    i = skipWs(text, i);
    if (text.charCodeAt(i) !== 44 /* , */) return scanGeneral(text, start);
    i++;
    i = skipWs(text, i);
    const v0 = i;
    if (text.startsWith('null', i)) i += 4;
    else {
      // A plain decimal (-12.345) is read in place, as digits and a power of ten; anything else
      // (an exponent, more than 15 digits) through Number(). Both are exact: a whole number below
      // 2^53 divided by an exact power of ten is correctly rounded, which is what Number() gives.
      const neg = text.charCodeAt(i) === 45;
      if (neg) i++;
      let m = 0;
      let digits = 0;
      let scale = 0;
      let c = text.charCodeAt(i);
      for (; c >= 48 && c <= 57; c = text.charCodeAt(++i), digits++) m = m * 10 + (c - 48);
      if (c === 46) {
        for (c = text.charCodeAt(++i); c >= 48 && c <= 57; c = text.charCodeAt(++i), digits++, scale++) m = m * 10 + (c - 48);
      }
      let v: number;
      if (digits > 0 && digits <= 15 && c !== 101 && c !== 69) v = (neg ? -m : m) / POW10[scale]!;
      else {
        for (; (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || c === 101 || c === 69; c = text.charCodeAt(++i));
        if (i === v0) return scanGeneral(text, start);
        v = Number(text.slice(v0, i));
      }
      if (!Number.isFinite(v)) return scanGeneral(text, start);
      // A repeated or earlier year: the general path decides, as parseAnnual does.
      if (y <= prev) return scanGeneral(text, start);
      years.push(y);
      values.push(v);
      prev = y;
    }
    i = skipWs(text, i);
    if (text.charCodeAt(i) !== 93) return scanGeneral(text, start);
    i++;
    i = skipWs(text, i);
    const c = text.charCodeAt(i);
    if (c === 93) return { a: { years, values, n: years.length }, series: [], end: i + 1 };
    if (c !== 44) return scanGeneral(text, start);
    i++;
    i = skipWs(text, i);
  }
}

/** Every area's series in one indicator's text from progressSeriesText (its format is documented there). */
export function parseSeriesText(text: string): Parsed[] {
  const out: Parsed[] = [];
  let i = 0;
  while (i < text.length) {
    const t1 = text.indexOf('\t', i);
    const t2 = text.indexOf('\t', t1 + 1);
    const t3 = text.indexOf('\t', t2 + 1);
    if (t1 < 0 || t2 < 0 || t3 < 0 || text.charCodeAt(t3 + 1) !== 91) throw new Error('progress: unexpected form of the indicators\' series text');
    const { a, series, end } = scanSeries(text, t3 + 1);
    out.push({ areaId: text.slice(i, t1), country: text.slice(t1 + 1, t2), level: text.slice(t2 + 1, t3), a, series });
    i = end;
    if (i < text.length && text.charCodeAt(i) !== 10) throw new Error('progress: unexpected form of the indicators\' series text');
    i++;
  }
  return out;
}
