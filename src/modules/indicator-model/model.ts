/**
 * The shapes every importer produces and every writer consumes, plus the small
 * normalisers (periods, breakdowns, area codes, values) they share. Pure code.
 */

export const STATUSES = ['', 'provisional', 'estimated', 'missing', 'confidential', 'not_applicable'] as const;
export type ObsStatus = (typeof STATUSES)[number];
export const DIRECTIONS = ['higher', 'lower', 'neutral'] as const;
export type Direction = (typeof DIRECTIONS)[number];
export const FORMATS = ['opensdg', 'long', 'jsonstat', 'kolada'] as const;
export type ImportFormat = (typeof FORMATS)[number];
export type Country = 'SE' | 'NO' | 'DK';
/** An area as reference imports deliver it (Kolada, area lists); the directory stores it. */
export type AreaInput = { key: string; country: string; level: 'country' | 'region' | 'municipality' | 'district'; code: string; name: string; parentKey?: string; validFrom?: string | null; validTo?: string | null };

/** One observation as parsed from a file; `line` is the row number the user sees in errors. */
export type ObsRow = {
  line: number;
  indicator: string;
  area: string;
  period: string;
  breakdown: string;
  value: number | null;
  status: ObsStatus;
  note: string;
};

export type RowError = { line: number; field: string; message: string };

export type IndicatorMeta = {
  code: string;
  name: string;
  description?: string;
  lang?: 'sv' | 'nb' | 'da' | 'en';
  unit?: string;
  decimals?: number;
  direction?: Direction;
  source?: string;
  attribution?: string;
  periodicity?: 'annual' | 'multi_year' | 'quarterly' | 'monthly' | 'irregular';
  dimensions?: string[];
  /** SDG target codes such as "11.6" (or goal codes such as "11"). */
  sdgTargets?: string[];
};

export type ParseResult = {
  rows: ObsRow[];
  errors: RowError[];
  indicators: IndicatorMeta[];
  /** Per indicator × area summaries of these rows, when the parser already made them (a parsing worker does). */
  summaries?: FileSummary[];
  /** Units a file states per indicator (Open SDG "Units"); fills an indicator's unit when it has none. */
  units?: Record<string, string>;
  /** Labels of breakdown dimensions and categories as the source wrote them (JSON-stat, Kolada). */
  labels?: CategoryLabel[];
};

/**
 * The label a source gives a breakdown dimension (code '') or one of its categories, in the
 * source's language (lang '' when the source does not say).
 */
export type CategoryLabel = { indicator: string; dimension: string; code: string; label: string; lang: string };

/** Languages as statistics offices name them (PxWeb says "no" for Norwegian Bokmål). */
export function sourceLang(raw: unknown): string {
  if (typeof raw !== 'string') return '';
  const s = raw.trim().toLowerCase();
  if (s === 'no' || s === 'nob') return 'nb';
  if (s === 'swe') return 'sv';
  if (s === 'dan') return 'da';
  if (s === 'eng') return 'en';
  return /^[a-z]{2}$/.test(s) ? s : '';
}

/** Label lookup: indicator → dimension → code → label ('' code: the dimension's own label). */
export type LabelBook = Map<string, { label: string; lang: string }>;
export const labelKey = (dimension: string, code: string) => `${dimension}\u0000${code}`;

/**
 * A breakdown key as people read it: each part's dimension and category by their source labels,
 * with the code next to a label that differs from it ("Avstand til skole: Under 1 km (01)").
 */
export function breakdownText(key: string, book: LabelBook | undefined, total: string): string {
  if (key === '') return total;
  return Object.entries(parseBreakdown(key))
    .map(([d, c]) => {
      const dl = book?.get(labelKey(d, ''))?.label ?? d;
      const cl = book?.get(labelKey(d, c))?.label;
      return `${dl}: ${cl && cl !== c ? `${cl} (${c})` : c}`;
    })
    .join(', ');
}

/** The language of the labels a breakdown is shown with (undefined: codes, or the source did not say). */
export function breakdownLang(key: string, book: LabelBook | undefined): string | undefined {
  if (!key || !book) return undefined;
  for (const [d, c] of Object.entries(parseBreakdown(key))) {
    const l = book.get(labelKey(d, c))?.lang || book.get(labelKey(d, ''))?.lang;
    if (l) return l;
  }
  return undefined;
}

/** A dimension by its source label, with the code next to it ("Kön (gender)"). */
export const dimensionText = (d: string, book: LabelBook | undefined) => {
  const l = book?.get(labelKey(d, ''))?.label;
  return l && l !== d ? `${l} (${d})` : d;
};

export const emptyResult = (): ParseResult => ({ rows: [], errors: [], indicators: [] });

/**
 * Periods: 2020, 2015-2016, 2020-Q1, 2020-03. Also accepts what statistics offices
 * write: 2020K1 / 2020Q1 (quarters), 2020M03 (months), "2015–2016" with an en dash.
 */
export function normalisePeriod(raw: unknown): string | null {
  if (typeof raw === 'number' && Number.isInteger(raw)) raw = String(raw);
  if (typeof raw !== 'string') return null;
  // Years before 1000 ("0000", "0999") are typing or export errors, not statistics.
  if (/^0\d{3}/.test(raw.trim()) || /-0\d{3}$/.test(raw.trim())) return null;
  let m: RegExpMatchArray | null;
  // Dates and date ranges (Open SDG city data writes `26/02/2020-12/10/2020`): a range within one
  // year is that year, across years the year range; a single date is its month.
  const date = String.raw`(\d{1,2})[./](\d{1,2})[./](\d{4})|(\d{4})-(\d{2})-(\d{2})`;
  // Groups per date: day, month, year (d/m/y) or year, month, day (ISO); `o` is the date's offset.
  const ymd = (g: (string | undefined)[], o: number) => (g[o + 3] ? { y: g[o + 3]!, mo: g[o + 2]!.padStart(2, '0') } : { y: g[o + 4]!, mo: g[o + 5]! });
  if ((m = raw.trim().match(new RegExp(`^(?:${date})\\s*[-\u2013/]\\s*(?:${date})$`)))) {
    const a = ymd([...m], 0);
    const b = ymd([...m], 6);
    if (Number(a.mo) < 1 || Number(a.mo) > 12 || Number(b.mo) < 1 || Number(b.mo) > 12) return null;
    return a.y === b.y ? a.y : Number(b.y) > Number(a.y) ? `${a.y}-${b.y}` : null;
  }
  if ((m = raw.trim().match(new RegExp(`^(?:${date})$`)))) {
    const a = ymd([...m], 0);
    return Number(a.mo) >= 1 && Number(a.mo) <= 12 ? `${a.y}-${a.mo}` : null;
  }
  const s = raw.trim().replace(/[\u2013\u2014/]/g, '-');
  if (/^\d{4}$/.test(s)) return s;
  if ((m = s.match(/^(\d{4})-(\d{4})$/))) return Number(m[2]) > Number(m[1]) ? s : null;
  if ((m = s.match(/^(\d{4})-?[QK]([1-4])$/i))) return `${m[1]}-Q${m[2]}`;
  if ((m = s.match(/^(\d{4})(?:M|-)(0[1-9]|1[0-2])$/))) return `${m[1]}-${m[2]}`;
  return null;
}

/** The first calendar year a period covers, for ordering and axis labels. */
export const periodYear = (p: string) => Number(p.slice(0, 4));

const esc = (s: string) => s.replace(/[%;=]/g, (c) => encodeURIComponent(c));
const unesc = (s: string) => s.replace(/%(25|3B|3D)/gi, (c) => decodeURIComponent(c));

/** Canonical breakdown key: dimensions sorted by name, empty values dropped, '' for the total. */
export function breakdownKey(parts: Record<string, string | null | undefined>): string {
  return Object.entries(parts)
    .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].trim() !== '')
    .map(([k, v]) => [k.trim(), v.trim()] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, v]) => `${esc(k)}=${esc(v)}`)
    .join(';');
}

export function parseBreakdown(key: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!key) return out;
  for (const part of key.split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[unesc(part.slice(0, i))] = unesc(part.slice(i + 1));
  }
  return out;
}

/** Numbers as people type them: "12.5", "12,5", "1 234,5", with a real minus sign. */
export function parseValue(raw: unknown): number | null | 'invalid' {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : 'invalid';
  const s = String(raw).trim().replace(/\u2212/g, '-').replace(/[\s\u00a0\u202f]/g, '');
  if (s === '') return null;
  const t = !s.includes('.') && /^-?\d+,\d+$/.test(s) ? s.replace(',', '.') : s;
  if (!/^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return 'invalid';
  // "1e309" is a number in form but Infinity in value: no column or chart can hold it.
  const n = Number(t);
  return Number.isFinite(n) ? n : 'invalid';
}

const STATUS_ALIASES: Record<string, ObsStatus> = {
  '': '',
  provisional: 'provisional',
  p: 'provisional',
  preliminary: 'provisional',
  estimated: 'estimated',
  e: 'estimated',
  missing: 'missing',
  m: 'missing',
  // PxWeb/SSB symbols: `..` missing, `...` not yet available, `.` not applicable or not
  // available for the period, `:` confidential, `p` provisional.
  '..': 'missing',
  '...': 'missing',
  '.': 'not_applicable',
  'not applicable': 'not_applicable',
  not_applicable: 'not_applicable',
  na: 'not_applicable',
  confidential: 'confidential',
  c: 'confidential',
  ':': 'confidential',
};

export function parseStatus(raw: unknown): ObsStatus | null {
  // Only text and numbers can be statuses; anything else (an object from a broken file) is "not a status", never a throw.
  if (raw !== null && raw !== undefined && typeof raw !== 'string' && typeof raw !== 'number') return null;
  const s = raw === null || raw === undefined ? '' : String(raw).trim().toLowerCase();
  return s in STATUS_ALIASES ? (STATUS_ALIASES[s] as ObsStatus) : null;
}

/**
 * Turns a code as files write it into an area key. Accepts keys as they are
 * (se-0780), and raw official codes given the country: Kolada writes Swedish
 * regions as 0001–0025 and the nation as 0000; SSB prefixes K-/F-.
 */
export function areaKeyFromCode(raw: string, country?: Country): string | null {
  const s = raw.trim().toLowerCase();
  // Keys as they are, for any country and for districts: se-0780, fi-091, se-0780-teleborg.
  if (/^[a-z]{2}(-[0-9a-z]+){0,2}$/.test(s)) return s;
  if (!country) return null;
  const c = country.toLowerCase();
  const code = s.replace(/^[kf]-/, '');
  if (!/^\d+$/.test(code)) return null;
  if (country === 'SE') {
    if (code === '0000' || code === '00') return 'se';
    if (/^00(0[1-9]|1\d|2[0-5])$/.test(code)) return `se-${code.slice(2)}`;
    if (/^\d{2}$/.test(code) || /^\d{4}$/.test(code)) return `se-${code}`;
    return null;
  }
  if (country === 'NO') {
    if (code === '0' || code === '00' || code === '0000') return 'no';
    if (/^\d{2}$/.test(code) || /^\d{4}$/.test(code)) return `no-${code}`;
    return null;
  }
  if (code === '0' || code === '000') return 'dk';
  if (/^\d{3}$/.test(code)) return `${c}-${code}`;
  if (/^\d{4}$/.test(code) && code.startsWith('1')) return `${c}-${code}`; // regions 1081–1085
  return null;
}

/** Duplicate detection shared by all importers: a later row with the same key is an error. */
export function checkDuplicates(rows: ObsRow[], errors: RowError[]): ObsRow[] {
  // Hundreds of thousands of rows draw on a few hundred indicators, areas and periods: numbering
  // those and keying on one number is several times faster than a string key per row.
  const dict = () => {
    const m = new Map<string, number>();
    return (s: string) => {
      let v = m.get(s);
      if (v === undefined) m.set(s, (v = m.size));
      return v;
    };
  };
  const ind = dict();
  const area = dict();
  const per = dict();
  const plain = new Map<number, number>();
  const other = new Map<string, number>();
  const out: ObsRow[] = [];
  for (const r of rows) {
    const i = ind(r.indicator);
    const a = area(r.area);
    const p = per(r.period);
    const small = i < 1_048_576 && a < 1_048_576 && p < 4096;
    const num = (i * 1_048_576 + a) * 4096 + p;
    const useNum = small && r.breakdown === '';
    const key = useNum ? num : small ? `${num}\u0000${r.breakdown}` : `${r.indicator}\u0000${r.area}\u0000${r.period}\u0000${r.breakdown}`;
    const first = useNum ? plain.get(num) : other.get(key as string);
    if (first !== undefined) {
      errors.push({ line: r.line, field: 'row', message: `duplicate of row ${first} (same indicator, area, period and breakdown)` });
      continue;
    }
    if (useNum) plain.set(num, r.line);
    else other.set(key as string, r.line);
    out.push(r);
  }
  return out;
}

export const INDICATOR_CODE_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

/** Fraction digits a value was written with (1.28 → 2), capped: the precision of the source. */
function fractionDigits(v: number): number {
  if (!Number.isFinite(v) || Number.isInteger(v)) return 0;
  const t = String(v);
  const e = t.match(/e-(\d+)$/);
  if (e) return Math.min(6, Number(e[1]));
  return Math.min(6, (t.split('.')[1] ?? '').length);
}

/** How often an indicator is measured, read from its periods. */
export function inferPeriodicity(periods: Iterable<string>): NonNullable<IndicatorMeta['periodicity']> {
  let monthly = 0, quarterly = 0, ranges = 0, years = 0;
  for (const p of periods) {
    if (/^\d{4}-\d{2}$/.test(p)) monthly++;
    else if (/^\d{4}-Q[1-4]$/.test(p)) quarterly++;
    else if (/^\d{4}-\d{4}$/.test(p)) ranges++;
    else years++;
  }
  const kinds = [monthly, quarterly, ranges, years].filter((n) => n > 0).length;
  if (kinds > 1) return 'irregular';
  return monthly ? 'monthly' : quarterly ? 'quarterly' : ranges ? 'multi_year' : 'annual';
}

/**
 * Fills what the source implies but did not say for the indicators a file defines: decimals from
 * the precision of its values, periodicity from its periods. What the metadata says wins.
 */
export function inferIndicatorMeta(metas: IndicatorMeta[], rows: Iterable<ObsRow>): IndicatorMeta[] {
  if (!metas.length) return metas;
  const need = new Set(metas.filter((m) => m.decimals === undefined || m.periodicity === undefined).map((m) => m.code));
  if (!need.size) return metas;
  const digits = new Map<string, number>();
  const periods = new Map<string, Set<string>>();
  for (const r of rows) {
    if (!need.has(r.indicator)) continue;
    if (r.value !== null) digits.set(r.indicator, Math.max(digits.get(r.indicator) ?? 0, fractionDigits(r.value)));
    let ps = periods.get(r.indicator);
    if (!ps) periods.set(r.indicator, (ps = new Set()));
    ps.add(r.period);
  }
  return metas.map((m) =>
    need.has(m.code)
      ? {
          ...m,
          ...(m.decimals === undefined && digits.has(m.code) ? { decimals: digits.get(m.code)! } : {}),
          ...(m.periodicity === undefined && periods.has(m.code) ? { periodicity: inferPeriodicity(periods.get(m.code)!) } : {}),
        }
      : m,
  );
}

/**
 * Category codes and labels that statistics offices use for "all of them" in a dimension
 * (SDMX `_T`, SCB's `TotSa` and `T`, SSB's `0` and "Begge kjønn", DST's "I alt", …).
 */
const TOTAL_CATEGORIES = new Set(
  ['t', '_t', 'tot', 'total', 'totalt', 'totsa', 'i alt', 'alle', 'all', 'alla', '0', '00', 'begge kjønn', 'begge køn', 'båda könen', 'both sexes', 'samtliga', 'hele landet'].map((x) => x.toLowerCase()),
);
export const isTotalCategory = (v: string) => TOTAL_CATEGORIES.has(v.trim().toLowerCase());

/**
 * The headline breakdown of each indicator in a file: the total ('') when the file has total
 * values; otherwise the breakdown whose every part is an explicit total category; otherwise the
 * breakdown with the most values (ties: the first in sort order), so that an indicator with
 * data never shows "no data". Deterministic: the same rows give the same choice.
 */
export function chooseHeadlines(rows: Iterable<ObsRow>): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const r of rows) {
    if (r.value === null) continue;
    let m = counts.get(r.indicator);
    if (!m) counts.set(r.indicator, (m = new Map()));
    m.set(r.breakdown, (m.get(r.breakdown) ?? 0) + 1);
  }
  const out = new Map<string, string>();
  for (const [ind, m] of counts) out.set(ind, headlineOf(m));
  return out;
}

/** The rule above for one indicator, from its count of values per breakdown (at least one). */
export function headlineOf(valuesPerBreakdown: Map<string, number>): string {
  const m = valuesPerBreakdown;
  if (m.has('')) return '';
  const keys = [...m.keys()].sort();
  const totalLike = keys.filter((k) => Object.values(parseBreakdown(k)).every(isTotalCategory));
  const pool = totalLike.length ? totalLike : keys;
  let best = pool[0]!;
  for (const k of pool) if (m.get(k)! > m.get(best)!) best = k;
  return best;
}

/** First and latest value and the series of one indicator in one area (its headline breakdown). */
export type FileSummary = { indicator: string; area: string; fp: string; fv: number; lp: string; lv: number; ls: string; n: number; seriesJson: string };

/** The summaries the area page reads, computed from a file's rows. Pure, so a worker thread can run it. */
export function summariseFile(rows: ObsRow[], headlines: Map<string, string> = chooseHeadlines(rows)): FileSummary[] {
  const groups = new Map<string, ObsRow[]>();
  for (const r of rows) {
    if (r.breakdown !== (headlines.get(r.indicator) ?? '')) continue;
    const k = `${r.indicator}\u0000${r.area}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(r);
  }
  const out: FileSummary[] = [];
  for (const g of groups.values()) {
    g.sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
    const withValue = g.filter((r) => r.value !== null);
    const first = withValue[0];
    const last = withValue[withValue.length - 1];
    if (!first || !last) continue;
    out.push({
      indicator: first.indicator,
      area: first.area,
      fp: first.period,
      fv: first.value!,
      lp: last.period,
      lv: last.value!,
      ls: last.status,
      n: withValue.length,
      seriesJson: JSON.stringify(g.map((r) => [r.period, r.value])),
    });
  }
  return out;
}
