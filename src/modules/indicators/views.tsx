/**
 * View pieces shared by the indicator, area and compare pages: number formatting, the accessible
 * chart figure, the chart upgrade script and the pages' styles.
 */
import type { FastifyInstance } from 'fastify';
import { createReadStream, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { INTL_TAG, type Locale } from '../../web/i18n/index.js';
import { parseBreakdown } from '../indicator-model/index.js';
import { t } from './i18n.js';
import { CHART_REVIVER } from './charts.js';

// Building an Intl.NumberFormat costs far more than using one; a page formats hundreds of numbers.
const formatters = new Map<string, Intl.NumberFormat>();
export function formatNumber(locale: Locale, v: number, opts: { minimumFractionDigits?: number; maximumFractionDigits?: number } = {}): string {
  const key = `${locale}:${opts.minimumFractionDigits ?? ''}:${opts.maximumFractionDigits ?? ''}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.NumberFormat(INTL_TAG[locale], opts)));
  return f.format(v);
}
export const fmt = (locale: Locale, v: number | null | undefined, decimals: number) =>
  v === null || v === undefined ? '–' : formatNumber(locale, v, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });

export const dirLabel = (l: Locale, d: string) => (d === 'higher' ? t[l].dirHigher : d === 'lower' ? t[l].dirLower : t[l].dirNeutral);
export const bdLabel = (l: Locale, b: string) =>
  b === ''
    ? t[l].total
    : Object.entries(parseBreakdown(b))
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ');

/** A chart with the accessible name and written summary the SVG itself lacks. */
export function Figure({ svg, summary, id, option }: { svg: string; summary: string; id: string; option?: object }) {
  return (
    <figure class="ind-chart" aria-labelledby={`${id}-cap`} data-enhance={option ? CHARTS_SRC : undefined}>
      <div role="img" aria-label={summary} class="ind-chart__svg" data-option={option ? JSON.stringify(option) : undefined} dangerouslySetInnerHTML={{ __html: svg }} />
      <figcaption id={`${id}-cap`} class="ds-paragraph" data-size="sm">
        {summary}
      </figcaption>
    </figure>
  );
}

/**
 * With JavaScript on, the server-rendered SVGs become live ECharts charts (tooltips, legend toggling).
 * Nothing of it comes with the page: the SVG, its summary and the data table already say everything.
 * A chart's figure names this script in `data-enhance`, and the site script (src/web/assets/app.js)
 * fetches it when a reader first reaches for a chart (pointer over it, a touch, or keyboard focus
 * inside it); this script then fetches the library (1 MB, 321 kB as Brotli) and upgrades every chart
 * of the page. Parsing the library at load blocked the main thread for over half a second on a
 * mid-range phone; and even this small script, loaded with the page, was one more request the first
 * layout waited for on a slow network (docs/caching.md, "Chart script on demand").
 */
const CHARTS_SRC = '/indicators/assets/charts.js';

const CHARTS_JS = `${CHART_REVIVER}
(function () {
  var boxes = document.querySelectorAll('.ind-chart__svg[data-option]');
  if (!boxes.length) return;
  function upgrade() {
    boxes.forEach(function (box) {
      if (!window.echarts || box.hasAttribute('_echarts_instance_')) return;
      var svg = box.querySelector('svg');
      var height = svg ? Number(svg.getAttribute('height')) : 360;
      var option;
      try { option = reviveFormatters(JSON.parse(box.getAttribute('data-option'))); } catch (e) { return; }
      box.innerHTML = '';
      box.style.height = height + 'px';
      var chart = window.echarts.init(box, null, { renderer: 'svg' });
      chart.setOption(option);
      window.addEventListener('resize', function () { chart.resize(); });
    });
  }
  if (window.echarts) return upgrade();
  var s = document.createElement('script');
  s.src = '/indicators/assets/echarts.min.js';
  s.onload = upgrade;
  document.head.appendChild(s);
})();
`;

export const asList = (v: string | string[] | undefined) =>
  (Array.isArray(v) ? v : v ? [v] : [])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);

export const Styles = () => (
  <style>{`.ind-chart{margin:1rem 0}.ind-chart__svg svg{max-width:100%;height:auto}.ind-spark svg{display:block}
.ind-table-wrap{overflow-x:auto}.ind-goal{margin-top:2rem;content-visibility:auto;contain-intrinsic-size:auto 40rem}.ind-meta dt{font-weight:600}.ind-meta dd{margin:0 0 .5rem}
.ind-filters{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-end}.ind-checks{display:flex;flex-wrap:wrap;gap:.25rem 1rem}
.ind-bar{height:1rem;background:#dbe3ec;border-radius:.25rem;overflow:hidden}.ind-bar>span{display:block;height:100%;background:#1e6bb8}`}</style>
);

/** The chart library and the script that upgrades the server-rendered SVGs, for every page with charts. */
export async function chartAssets(app: FastifyInstance) {
  // The production build leaves the chart library with Brotli and gzip copies beside it (scripts/build.mjs):
  // 1 MB of JavaScript goes out as about 330 kB, compressed once rather than per request.
  const builtEcharts = fileURLToPath(new URL('../../../vendor/echarts/echarts.min.js', import.meta.url));
  const echartsFile = existsSync(builtEcharts) ? builtEcharts : createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js');
  const packed = { br: existsSync(`${echartsFile}.br`), gzip: existsSync(`${echartsFile}.gz`) };
  app.get('/indicators/assets/echarts.min.js', { schema: { hide: true } }, async (req, reply) => {
    reply.type('application/javascript; charset=utf-8').header('cache-control', 'public, max-age=86400').header('vary', 'Accept-Encoding');
    const accept = String(req.headers['accept-encoding'] ?? '');
    if (packed.br && /\bbr\b(?!;q=0(\.0*)?\b)/.test(accept)) return reply.header('content-encoding', 'br').send(createReadStream(`${echartsFile}.br`));
    if (packed.gzip && /\bgzip\b(?!;q=0(\.0*)?\b)/.test(accept)) return reply.header('content-encoding', 'gzip').send(createReadStream(`${echartsFile}.gz`));
    return reply.send(createReadStream(echartsFile));
  });
  app.get(CHARTS_SRC, { schema: { hide: true } }, async (_req, reply) =>
    reply.type('application/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(CHARTS_JS),
  );
}
