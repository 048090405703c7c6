/**
 * Charts rendered on the server with Apache ECharts as SVG, so they show without
 * JavaScript. A render costs 10–25 ms, so results are cached under a key that
 * includes the indicator's data_version: an import bumps it and old entries
 * simply stop being asked for (and age out of the LRU).
 */
import * as echarts from '../../web/echarts.js';
import { INTL_TAG, type Locale } from '../../web/i18n/index.js';
import { registerProcessCache } from '../../platform/process-caches.js';

const nf = new Map<string, Intl.NumberFormat>();
function formatNumber(locale: Locale, v: number, opts: { maximumFractionDigits: number }): string {
  const key = `${locale}:${opts.maximumFractionDigits}`;
  let f = nf.get(key);
  if (!f) nf.set(key, (f = new Intl.NumberFormat(INTL_TAG[locale], opts)));
  return f.format(v);
}

type Option = Record<string, unknown>;

// Bounded by total size: a compare chart is tens of kilobytes, a sparkline a few, and the app
// has a memory budget of a few hundred megabytes on a PostgreSQL deployment.
const MAX_CHARS = 8 * 1024 * 1024;
const cache = new Map<string, string>();
let cacheChars = 0;
let renders = 0;

/** How many renders actually ran (not served from cache): tests use it to prove caching. */
export const renderCount = () => renders;
export const clearChartCache = () => {
  cache.clear();
  cacheChars = 0;
};
registerProcessCache(clearChartCache);

export function renderSvg(key: string, width: number, height: number, build: () => Option): string {
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  let svg: string;
  try {
    chart.setOption({ animation: false, ...build() });
    svg = chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
  renders++;
  // ECharts gives the SVG no name; the page wraps it in an element with role="img" and a summary.
  // Its ids (clip paths, classes) restart at zr0- in every render: make them unique per chart.
  // The hover styles ECharts adds mean nothing in a static picture; dropping them and the line
  // breaks keeps pages with hundreds of sparklines small.
  svg = svg
    .replace('<svg ', '<svg aria-hidden="true" focusable="false" ')
    .replace(/<style\b[\s\S]*?<\/style>/g, '')
    .replace(/ class="zr\d+-cls-\d+"/g, '')
    .replace(/>\s+</g, '><')
    .replace(/zr\d+-/g, `zr${renders}-`);
  cache.set(key, svg);
  cacheChars += svg.length;
  while (cacheChars > MAX_CHARS && cache.size > 1) {
    const [oldKey, oldSvg] = cache.entries().next().value!;
    cache.delete(oldKey);
    cacheChars -= oldSvg.length;
  }
  return svg;
}

/**
 * One palette for every series: Okabe and Ito's colour-blind-safe set (without
 * its yellow, too faint on white), plus Designsystemet's accent blue, which is
 * kept for the highlighted area (drawn thicker as well, so colour is never the
 * only cue). charts.test.ts simulates protanopia, deuteranopia and tritanopia
 * (Machado et al. 2009, full severity) and checks that every pair of colours
 * stays at least ΔE 10 apart, in normal vision too.
 */
export const ACCENT = '#0062BA';
export const PALETTE = ['#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#000000'];
const MUTED = '#A9B8C9';
const TEXT = { fontFamily: 'Inter, sans-serif', color: '#1f2937', fontSize: 13 };
const AXIS_LABEL = { fontSize: 12, color: '#374151' };

export type NumberFormatter = ((v: unknown) => string) & { toJSON(): { $fmt: 'number'; locale: string; max: number; prefix: string } };

/**
 * A number formatter in the page's language. ECharts' options cross to the
 * browser as JSON when the charts become interactive, and functions do not
 * survive JSON: so the formatter serialises itself as a description
 * ({"$fmt":"number","locale":"sv-SE",...}) that CHART_REVIVER turns back into
 * the same Intl formatter in the browser. Without this, 69,5 became 69.5.
 */
export function numberFormatter(locale: Locale, decimals: number, prefix = ''): NumberFormatter {
  const f = ((v: unknown) => {
    const raw = v !== null && typeof v === 'object' && 'value' in v ? (v as { value: unknown }).value : v;
    const n = Array.isArray(raw) ? Number(raw[raw.length - 1]) : Number(raw);
    return raw === null || raw === undefined || !Number.isFinite(n) ? '–' : prefix + formatNumber(locale, n, { maximumFractionDigits: decimals });
  }) as NumberFormatter;
  f.toJSON = () => ({ $fmt: 'number', locale: INTL_TAG[locale], max: decimals, prefix });
  return f;
}

/** Browser code that turns serialised formatters back into functions (used by the page's chart script). */
export const CHART_REVIVER = `function reviveFormatters(o) {
  if (Array.isArray(o)) return o.map(reviveFormatters);
  if (!o || typeof o !== 'object') return o;
  if (o.$fmt === 'number') {
    var nf = new Intl.NumberFormat(o.locale, { maximumFractionDigits: o.max });
    var prefix = o.prefix || '';
    return function (v) {
      var raw = v !== null && typeof v === 'object' && 'value' in v ? v.value : v;
      var n = Array.isArray(raw) ? Number(raw[raw.length - 1]) : Number(raw);
      return raw === null || raw === undefined || !isFinite(n) ? '–' : prefix + nf.format(n);
    };
  }
  var out = {};
  for (var k in o) out[k] = reviveFormatters(o[k]);
  return out;
}`;

export type LineSeries = { name: string; points: [string, number | null][] };

/** Lines over time. The series named `highlight` (the area the reader came for) is drawn in the accent colour, thicker, on top. */
export function lineOption(series: LineSeries[], locale: Locale, unit: string, decimals: number, highlight?: string | null): Option {
  const periods = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort();
  const fmt = numberFormatter(locale, decimals);
  let next = 0;
  const single = series.length === 1;
  return {
    textStyle: TEXT,
    grid: { left: 64, right: 24, top: series.length > 1 ? 48 : 24, bottom: 40 },
    legend: series.length > 1 ? { top: 0, type: 'scroll', textStyle: { fontSize: 13 } } : undefined,
    tooltip: { trigger: 'axis', valueFormatter: fmt, textStyle: { fontSize: 13 } },
    xAxis: { type: 'category', data: periods, boundaryGap: false, axisLabel: AXIS_LABEL },
    yAxis: {
      type: 'value',
      scale: true,
      name: unit,
      nameTextStyle: { fontSize: 12 },
      axisLabel: { ...AXIS_LABEL, formatter: fmt },
    },
    series: series.map((s) => {
      const byPeriod = new Map(s.points);
      const hl = single || s.name === highlight;
      const color = hl ? ACCENT : PALETTE[next++ % PALETTE.length]!;
      return {
        type: 'line',
        name: s.name,
        connectNulls: true,
        symbolSize: hl ? 8 : 6,
        z: hl ? 3 : 2,
        itemStyle: { color },
        lineStyle: { color, width: hl ? 4 : 2 },
        data: periods.map((p) => byPeriod.get(p) ?? null),
      };
    }),
  };
}

export function rankedBarOption(rows: { key: string; name: string; value: number }[], highlight: string | null, median: number | null, locale: Locale, decimals: number): Option {
  // Horizontal bars read best with the largest at the top.
  const ordered = [...rows].reverse();
  const fmt = numberFormatter(locale, decimals);
  return {
    textStyle: TEXT,
    grid: { left: 140, right: 56, top: 16, bottom: 24 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: fmt, textStyle: { fontSize: 13 } },
    xAxis: { type: 'value', scale: false, axisLabel: { ...AXIS_LABEL, formatter: fmt } },
    yAxis: {
      type: 'category',
      data: ordered.map((r) => r.name),
      axisLabel: { ...AXIS_LABEL, width: 130, overflow: 'truncate' },
    },
    series: [
      {
        type: 'bar',
        // The highlighted area in the accent colour with a dark outline; the rest muted.
        data: ordered.map((r) => ({ value: r.value, itemStyle: r.key === highlight ? { color: ACCENT, borderColor: '#000000', borderWidth: 1.5 } : { color: MUTED } })),
        label: { show: rows.length <= 30, position: 'right', fontSize: 12, formatter: fmt },
        markLine:
          median === null
            ? undefined
            : { symbol: 'none', label: { fontSize: 12, formatter: numberFormatter(locale, decimals, `${MEDIAN[locale]} `) }, lineStyle: { color: '#111827', type: 'dashed' }, data: [{ xAxis: median }] },
      },
    ],
  };
}

const MEDIAN: Record<Locale, string> = { en: 'median', sv: 'median', nb: 'median', da: 'median' };

/** Median and the share of the set at or below a value (the percentile the compare page shows). */
/** Median, and the value's rank (1 = best) and percentile in the indicator's good direction; a neutral indicator has no best, so neither. */
export function stats(values: number[], value: number | null, direction: 'higher' | 'lower' | 'neutral' = 'higher'): { median: number | null; percentile: number | null; rank: number | null } {
  if (!values.length) return { median: null, percentile: null, rank: null };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  if (value === null || direction === 'neutral') return { median, percentile: null, rank: null };
  const d = direction === 'lower' ? -1 : 1;
  const atOrWorse = sorted.filter((v) => d * v <= d * value).length;
  const better = sorted.filter((v) => d * v > d * value).length;
  return { median, percentile: Math.round((atOrWorse / sorted.length) * 100), rank: better + 1 };
}

/**
 * A sparkline as one small inline SVG path (about 200 bytes), drawn here rather than by ECharts:
 * an area page shows hundreds of them, and an ECharts SVG of the same line is ten times larger.
 * Points are spaced evenly by period, scaled to the value range, gaps bridged as the chart does.
 */
export function sparkSvg(points: [string, number | null][], width = 120, height = 32, pad = 3): string {
  const vals = points.map((p, i) => [i, p[1]] as const).filter((p): p is readonly [number, number] => p[1] !== null && Number.isFinite(p[1]));
  if (vals.length < 2) return '';
  let min = Infinity;
  let max = -Infinity;
  for (const [, v] of vals) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const span = max - min || 1;
  const stepX = (width - 2 * pad) / Math.max(points.length - 1, 1);
  const r = (n: number) => Math.round(n * 10) / 10;
  const d = vals.map(([i, v], k) => `${k ? 'L' : 'M'}${r(pad + i * stepX)} ${r(max === min ? height / 2 : height - pad - ((v - min) / span) * (height - 2 * pad))}`).join('');
  return `<svg aria-hidden="true" focusable="false" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><path d="${d}" fill="none" stroke="#1e6bb8" stroke-width="2" stroke-linejoin="round"/></svg>`;
}
