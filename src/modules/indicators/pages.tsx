import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createReadStream, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { directory } from '../directory/index.js';
import type { AppDeps } from '../../platform/http.js';
import { render } from 'preact-render-to-string';
import { Layout } from '../../web/layout.js';
import { Alert, Button, Csrf, ErrorSummary, InLanguage, Pager, Table, TextField, type FormState } from '../../web/components.js';
import { sdgColours } from '../../web/sdg.js';
import { li } from './list-i18n.js';
import { handleForm } from '../../web/forms.js';
import { formatDateTime, INTL_TAG, sortByText, type Locale } from '../../web/i18n/index.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { t } from './i18n.js';
import * as q from './queries.js';
import { AREA_OPENING_CSS, AreaOpening, movedMost } from './area-overview.js';
import { ChoroplethMap, MAP_CSS } from './map.js';
import { ft } from './frameworks-pages.js';
import { ci } from './compare-i18n.js';
import { CHART_REVIVER, lineOption, rankedBarOption, renderSvg, sparkSvg, stats, type LineSeries } from './charts.js';
import { withTargetLines } from './target-lines.js';
import { parseBreakdown, FORMATS, type ImportFormat, breakdownText, breakdownLang, dimensionText } from './model.js';
import { labelBook } from './labels.js';
import { indicatorOwner } from './headline.js';
import { ht } from './headline-i18n.js';
import { assertCanImport, assertCanManageReferenceData, canEditIndicator, canImport, canManageReferenceData, canUseUpload } from './policy.js';
import { referenceImportPages } from './reference-pages.js';
import { rt } from './reference-i18n.js';
import { mappingPages, mt } from './mapping-pages.js';
import { createUpload, saveMapping, setIndicatorSdgLinks, updateUpload } from './service.js';
import { importProgress, runUpload, startImport } from './jobs.js';
import { COLUMN_ROLES, DIM_ROLES, FileFormatError, parseOpenSdgMeta, type Preview } from './importers/index.js';
import { boundaryOf, parseMultipart, type Multipart } from './multipart.js';
import { previewSafely } from './parse-pool.js';
import { registerProcessCache } from '../../platform/process-caches.js';

// Building an Intl.NumberFormat costs far more than using one; a page formats hundreds of numbers.
const formatters = new Map<string, Intl.NumberFormat>();
function formatNumber(locale: Locale, v: number, opts: { minimumFractionDigits?: number; maximumFractionDigits?: number } = {}): string {
  const key = `${locale}:${opts.minimumFractionDigits ?? ''}:${opts.maximumFractionDigits ?? ''}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.NumberFormat(INTL_TAG[locale], opts)));
  return f.format(v);
}
const fmt = (locale: Locale, v: number | null | undefined, decimals: number) =>
  v === null || v === undefined ? '–' : formatNumber(locale, v, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });

const dirLabel = (l: Locale, d: string) => (d === 'higher' ? t[l].dirHigher : d === 'lower' ? t[l].dirLower : t[l].dirNeutral);
const bdLabel = (l: Locale, b: string) =>
  b === ''
    ? t[l].total
    : Object.entries(parseBreakdown(b))
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ');

/** A chart with the accessible name and written summary the SVG itself lacks. */
function Figure({ svg, summary, id, option }: { svg: string; summary: string; id: string; option?: object }) {
  return (
    <figure class="ind-chart" aria-labelledby={`${id}-cap`}>
      <div role="img" aria-label={summary} class="ind-chart__svg" data-option={option ? JSON.stringify(option) : undefined} dangerouslySetInnerHTML={{ __html: svg }} />
      <figcaption id={`${id}-cap`} class="ds-paragraph" data-size="sm">
        {summary}
      </figcaption>
    </figure>
  );
}


// The area page lists every indicator with data (hundreds at Nordic scale). Its goal sections are
// laid out only as they scroll into view (content-visibility in Styles): a phone then does not
// lay out thousands of table cells before it can respond, while the text stays in the page for
// find-in-page and assistive technology.
// Each row's HTML is cached under the indicator's data_version, so a repeat view skips rebuilding the rows.
// Bounded by size, not count: rows carry small inline sparklines (sparkSvg), and the app
// must stay within a few hundred megabytes on a PostgreSQL deployment.
const rowCache = new Map<string, string>();
const ROW_CACHE_MAX_CHARS = 8 * 1024 * 1024;
let rowCacheChars = 0;
registerProcessCache(() => {
  rowCache.clear();
  rowCacheChars = 0;
});
function areaRowHtml(l: Locale, area: { id: string; key: string }, x: q.AreaIndicatorRow): string {
  const key = `${l}:${area.id}:${x.code}:${x.data_version}`;
  const hit = rowCache.get(key);
  if (hit !== undefined) return hit;
  const html = render(areaRow(l, area, x));
  rowCache.set(key, html);
  rowCacheChars += html.length;
  while (rowCacheChars > ROW_CACHE_MAX_CHARS && rowCache.size > 1) {
    const [oldKey, oldHtml] = rowCache.entries().next().value!;
    rowCache.delete(oldKey);
    rowCacheChars -= oldHtml.length;
  }
  return html;
}

function areaRow(l: Locale, area: { id: string; key: string }, x: q.AreaIndicatorRow) {
  const change = x.latest_value !== null && x.first_value !== null && x.first_period !== x.latest_period ? x.latest_value - x.first_value : null;
  const svg = x.series.length > 1 ? sparkSvg(x.series) : '';
  const sum = t[l].sparkSummary(fmt(l, x.first_value, x.decimals), x.first_period, fmt(l, x.latest_value, x.decimals), x.latest_period);
  return (
    <tr>
      <th scope="row">
        <a class="ds-link" href={`/indicators/${encodeURIComponent(x.code)}?area=${area.key}`}>
          <InLanguage text={x.name} lang={x.lang} locale={l} />
        </a>
        {x.unit ? ` (${x.unit})` : ''}
      </th>
      <td data-align="right">
        {fmt(l, x.latest_value, x.decimals)} ({x.latest_period}
        {x.latest_status ? `, ${t[l].statusLabel(x.latest_status)}` : ''})
      </td>
      <td data-align="right">
        {change === null ? '–' : `${change > 0 ? '+' : ''}${fmt(l, change, x.decimals)} (${x.first_period}–${x.latest_period})`}
      </td>
      <td>
        {svg ? <div class="ind-spark" role="img" aria-label={sum} dangerouslySetInnerHTML={{ __html: svg }} /> : '–'}
        <a class="ds-link" data-size="sm" href={`/compare?indicator=${encodeURIComponent(x.code)}&area=${area.key}`}>
          {t[l].compare}
          <span class="ds-sr-only">{`: ${x.name}`}</span>
        </a>
      </td>
    </tr>
  );
}

/**
 * With JavaScript on, the server-rendered SVGs become live ECharts charts (tooltips, legend toggling).
 * The library (1 MB, 321 kB as Brotli) is fetched only when a reader reaches for a chart (pointer
 * over it, a touch, or keyboard focus inside it), not with the page: the SVG, its summary and the
 * data table already say everything, and parsing the library at load blocked the main thread for
 * over half a second on a mid-range phone (Lighthouse's total blocking time).
 */
const ChartScripts = () => <script src="/indicators/assets/charts.js" defer></script>;

const CHARTS_JS = `${CHART_REVIVER}
(function () {
  var boxes = document.querySelectorAll('.ind-chart__svg[data-option]');
  if (!boxes.length) return;
  var requested = false;
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
  function load() {
    if (requested) return;
    requested = true;
    var s = document.createElement('script');
    s.src = '/indicators/assets/echarts.min.js';
    s.onload = upgrade;
    document.head.appendChild(s);
  }
  boxes.forEach(function (box) {
    var fig = box.closest('figure') || box;
    ['pointerover', 'touchstart', 'focusin'].forEach(function (ev) { fig.addEventListener(ev, load, { once: true, passive: true }); });
  });
})();
`;

const asList = (v: string | string[] | undefined) =>
  (Array.isArray(v) ? v : v ? [v] : [])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);

const Styles = () => (
  <style>{`.ind-chart{margin:1rem 0}.ind-chart__svg svg{max-width:100%;height:auto}.ind-spark svg{display:block}
.ind-table-wrap{overflow-x:auto}.ind-goal{margin-top:2rem;content-visibility:auto;contain-intrinsic-size:auto 40rem}.ind-meta dt{font-weight:600}.ind-meta dd{margin:0 0 .5rem}
.ind-filters{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-end}.ind-checks{display:flex;flex-wrap:wrap;gap:.25rem 1rem}
.ind-bar{height:1rem;background:#dbe3ec;border-radius:.25rem;overflow:hidden}.ind-bar>span{display:block;height:100%;background:#1e6bb8}`}</style>
);

/** The mapping step's code lines, `CODE = area key | file | skip`, one per line; blank and malformed lines are ignored. */
function parseCodeLines(text: string | undefined): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const line of (text ?? '').split(/\r?\n/).slice(0, 2000)) {
    const m = line.match(/^\s*([^=]{1,60}?)\s*=\s*([a-z0-9-]{1,40})\s*$/i);
    if (m) out[m[1]!] = m[2]!.toLowerCase();
  }
  return Object.keys(out).length ? out : undefined;
}

export async function indicatorPages(app: FastifyInstance, deps: AppDeps) {
  const { db, config } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

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
  app.get('/indicators/assets/charts.js', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('application/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(CHARTS_JS),
  );

  // Indicator list ----------------------------------------------------------
  // The list pages through every indicator with a count, filtered by framework, SDG goal, source and text.
  const LIST_PAGE = 50;
  r.get(
    '/indicators',
    {
      schema: {
        hide: true,
        querystring: z.object({
          q: z.string().max(200).optional(),
          goal: z.string().regex(/^\d{1,2}$/).optional().or(z.literal('')),
          framework: z.string().max(80).optional(),
          source: z.string().max(300).optional(),
          page: z.coerce.number().int().min(1).max(100_000).optional(),
        }),
      },
    },
    async (req, reply) => {
      const l = req.locale;
      const page = req.query.page ?? 1;
      const filter = { q: req.query.q || undefined, goal: req.query.goal || undefined, framework: req.query.framework || undefined, source: req.query.source || undefined };
      const [res, goals, frameworks, sources] = await Promise.all([
        q.indicatorPage(db.orm, filter, LIST_PAGE, (page - 1) * LIST_PAGE),
        q.sdgGoals(db.orm, l),
        q.listFrameworks(db.orm),
        q.indicatorSources(db.orm),
      ]);
      const goalName = new Map(goals.map((g) => [g.code, g.name]));
      const items = res.items;
      const params = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => Boolean(e[1])));
      const base = `/indicators${params.size ? `?${params}` : ''}`;
      const from = res.total === 0 ? 0 : (page - 1) * LIST_PAGE + 1;
      const to = Math.min(res.total, page * LIST_PAGE);
      return reply.html(
        <Layout req={req} title={t[l].indicators}>
          <Styles />
          <h1 class="ds-heading" data-size="lg">
            {t[l].indicators}
          </h1>
          <p class="ds-paragraph">{t[l].indicatorsIntro}</p>
          <ul class="ds-list">
            <li>
              <a class="ds-link" href="/compare">
                {t[l].compareWith}
              </a>
            </li>
            <li>
              <a class="ds-link" href="/imports">
                {t[l].imports}
              </a>
            </li>
          </ul>
          <form method="get" action="/indicators" class="ind-filters" role="search">
            <div class="ds-field">
              <label class="ds-label" for="f-q">
                {t[l].search}
              </label>
              <input class="ds-input" id="f-q" name="q" type="search" value={req.query.q ?? ''} />
            </div>
            <div class="ds-field">
              <label class="ds-label" for="f-framework">
                {li[l].framework}
              </label>
              <select class="ds-input" id="f-framework" name="framework">
                <option value="">{li[l].allFrameworks}</option>
                {sortByText(l, frameworks, (f) => q.pickName(f.names, l) || f.key).map((f) => (
                  <option value={f.key} selected={f.key === filter.framework}>
                    {q.pickName(f.names, l) || f.key}
                  </option>
                ))}
              </select>
            </div>
            <p class="ds-paragraph" data-size="sm">
              <a class="ds-link" href={filter.framework ? `/frameworks/${encodeURIComponent(filter.framework)}` : '/frameworks'}>
                {ft[l].browse}
              </a>
            </p>
            <div class="ds-field">
              <label class="ds-label" for="f-goal">
                {t[l].goal}
              </label>
              <select class="ds-input" id="f-goal" name="goal">
                <option value="">{t[l].allGoals}</option>
                {goals.map((g) => (
                  <option value={g.code} selected={g.code === req.query.goal}>
                    {t[l].goalN(g.code, g.name)}
                  </option>
                ))}
              </select>
            </div>
            <div class="ds-field">
              <label class="ds-label" for="f-source">
                {li[l].source}
              </label>
              <select class="ds-input" id="f-source" name="source">
                <option value="">{li[l].allSources}</option>
                {sortByText(l, sources, (x) => x).map((x) => (
                  <option value={x} selected={x === filter.source}>
                    {x}
                  </option>
                ))}
              </select>
            </div>
            <button class="ds-button" data-variant="secondary" type="submit">
              {t[l].filter}
            </button>
          </form>
          <p class="ds-paragraph" role="status">
            <strong>{li[l].count(res.total, formatNumber(l, res.total))}</strong>
            {res.total > LIST_PAGE && ` ${li[l].shown(formatNumber(l, from), formatNumber(l, to), formatNumber(l, res.total))}`}
          </p>
          {items.length === 0 ? (
            <p class="ds-paragraph">{t[l].noIndicators}</p>
          ) : (
            <div class="ind-table-wrap">
              <Table head={[t[l].name, t[l].goal, t[l].unit, t[l].areasWithData, t[l].code]}>
                {items.map((i) => (
                  <tr>
                    <td>
                      <a class="ds-link" href={`/indicators/${encodeURIComponent(i.code)}`}>
                        <InLanguage text={i.name} lang={i.lang ?? l} locale={l} />
                      </a>
                    </td>
                    <td>
                      {i.goals.map((g) => (
                        <a class="ind-goal-chip" href={`/indicators?goal=${g}`} style={`--sdg-bg:${sdgColours(g).background};--sdg-fg:${sdgColours(g).text}`} title={goalName.get(g)}>
                          <span class="visually-hidden">{t[l].goalN(g, goalName.get(g) ?? '')}</span>
                          <span aria-hidden="true">{g}</span>
                        </a>
                      ))}
                    </td>
                    <td>{i.unit}</td>
                    <td>{formatNumber(l, i.areas)}</td>
                    <td>
                      <code>{i.code}</code>
                    </td>
                  </tr>
                ))}
              </Table>
            </div>
          )}
          <Pager req={req} page={page} hasMore={page * LIST_PAGE < res.total} base={base} />
        </Layout>,
      );
    },
  );

  // Indicator page ------------------------------------------------------------
  r.get(
    '/indicators/:code',
    {
      schema: {
        hide: true,
        params: z.object({ code: z.string().max(80) }),
        querystring: z.object({ area: z.union([z.string().max(2000), z.array(z.string().max(40)).max(50)]).optional() }),
      },
    },
    async (req, reply) => {
      const l = req.locale;
      const ind = await q.getIndicator(db.orm, req.params.code);
      const [links, withData, book, owner] = await Promise.all([q.indicatorLinks(db.orm, ind.id, l), q.indicatorAreas(db.orm, ind.id), labelBook(db.orm, ind.id), indicatorOwner(db, ind.id)]);
      const asked = asList(req.query.area).slice(0, 10);
      const chosenKeys = asked.length ? asked : withData.slice(0, 5).map((a) => a.key);
      const chosen = await q.areasByKeys(db.orm, chosenKeys);
      const points = await q.indicatorSeries(db.orm, ind.id, chosen.map((a) => a.id));
      const totals = points.filter((p) => p.breakdown === ind.headline_breakdown);
      const series: LineSeries[] = chosen
        .map((a) => ({ name: a.name, points: totals.filter((p) => p.area_key === a.key).map((p) => [p.period, p.value] as [string, number | null]) }))
        .filter((s) => s.points.length > 0);
      const periods = [...new Set(totals.map((p) => p.period))].sort();
      // Other modules' additions (progress: targets as dashed lines and table rows, the status per area); one that fails is left out.
      const overlays = (await Promise.all((deps.extensions?.indicatorOverlays ?? []).map((o) => o(req, { id: ind.id, code: ind.code, decimals: ind.decimals, unit: ind.unit }, chosen).catch(() => null)))).filter((o) => o !== null);
      const targets = overlays.flatMap((o) => o.targets.map((x) => ({ ...x, areaName: chosen.find((a) => a.id === x.areaId)?.name ?? '' }))).filter((x) => series.some((s) => s.name === x.areaName));
      const chartKey = `line:${ind.id}:${ind.data_version}:${l}:${series.map((s) => s.name).join('|')}:${targets.map((x) => `${x.areaId}=${x.value}@${x.year}`).join('|')}`;
      const lineOpt = series.length ? withTargetLines(lineOption(series, l, ind.unit, ind.decimals), targets) : undefined;
      const svg = lineOpt ? renderSvg(chartKey, 760, 360, () => lineOpt) : '';
      const summary = [t[l].lineSummary(
        ind.name,
        series
          .slice(0, 5)
          .map((s) => {
            const vals = s.points.filter((p) => p[1] !== null);
            const f = vals[0];
            const z2 = vals[vals.length - 1];
            return f && z2 ? t[l].seriesPart(s.name, fmt(l, f[1], ind.decimals), f[0], fmt(l, z2[1], ind.decimals), z2[0]) : '';
          })
          .join(' '),
      ), ...overlays.map((o) => o.summary ?? '')].filter(Boolean).join(' ');
      const breakdownRows = points.filter((p) => p.breakdown !== ind.headline_breakdown);
      const areaQs = chosen.map((a) => `areas=${encodeURIComponent(a.key)}`).join('&');
      const sdgLinks = links.filter((x) => x.framework === 'sdg');
      return reply.html(
        <Layout req={req} title={ind.name} crumbs={[{ href: '/indicators', label: t[l].indicators }]}>
          <Styles />
          <h1 class="ds-heading" data-size="lg">
            <InLanguage text={ind.name} lang={ind.lang} locale={l} />
          </h1>
          <p class="ds-paragraph" data-size="sm">
            {t[l].code}: {ind.code}
          </p>
          {ind.description && (
            <p class="ds-paragraph" lang={ind.lang}>
              {ind.description}
            </p>
          )}
          <h2 class="ds-heading" data-size="md">
            {t[l].chart}
          </h2>
          <form method="get" action={`/indicators/${encodeURIComponent(ind.code)}`}>
            <fieldset class="ds-fieldset">
              <legend class="ds-label">{t[l].chooseAreas}</legend>
              <p class="ds-paragraph" data-size="sm">
                {t[l].chooseAreasHelp}
              </p>
              <div class="ind-checks">
                {withData.slice(0, 400).map((a) => (
                  <div class="ds-field">
                    <input class="ds-input" type="checkbox" name="area" value={a.key} id={`a-${a.key}`} checked={chosenKeys.includes(a.key)} />
                    <label class="ds-label" for={`a-${a.key}`} data-weight="regular">
                      {a.name}
                    </label>
                  </div>
                ))}
              </div>
            </fieldset>
            <button class="ds-button" data-variant="secondary" type="submit">
              {t[l].show}
            </button>
          </form>
          {series.length === 0 ? (
            <p class="ds-paragraph">{t[l].noData}</p>
          ) : (
            <>
              <Figure svg={svg} summary={summary} id="ind-line" option={lineOpt} />
              <ChartScripts />
              <div class="ind-table-wrap">
                <Table caption={`${t[l].dataTable}: ${ind.name}${ind.unit ? ` (${ind.unit})` : ''}`} head={[t[l].period, ...series.map((s) => s.name)]}>
                  {periods.map((p) => (
                    <tr>
                      <th scope="row">{p}</th>
                      {chosen
                        .filter((a) => series.some((s) => s.name === a.name))
                        .map((a) => {
                          const pt = totals.find((x) => x.area_key === a.key && x.period === p);
                          return (
                            <td data-align="right">
                              {fmt(l, pt?.value, ind.decimals)}
                              {pt?.status ? ` (${t[l].statusLabel(pt.status)})` : ''}
                            </td>
                          );
                        })}
                    </tr>
                  ))}
                  {overlays.filter((o) => o.targets.length).map((o) => (
                    <tr>
                      <th scope="row">{o.rowLabel}</th>
                      {chosen
                        .filter((a) => series.some((s) => s.name === a.name))
                        .map((a) => {
                          const tg = o.targets.find((x) => x.areaId === a.id);
                          return <td data-align="right">{tg ? `${fmt(l, tg.value, ind.decimals)} (${tg.label})` : ''}</td>;
                        })}
                    </tr>
                  ))}
                </Table>
              </div>
            </>
          )}
          {overlays.map((o) => o.section)}
          {breakdownRows.length > 0 && (
            <details>
              <summary>{t[l].breakdowns}</summary>
              <div class="ind-table-wrap">
                <Table head={[t[l].area, t[l].breakdown, t[l].period, t[l].value, t[l].status]} border={false}>
                  {breakdownRows.slice(0, 2000).map((p) => (
                    <tr>
                      <td>{p.area_name}</td>
                      <td lang={breakdownLang(p.breakdown, book)}>{breakdownText(p.breakdown, book, t[l].total)}</td>
                      <td>{p.period}</td>
                      <td data-align="right">{fmt(l, p.value, ind.decimals)}</td>
                      <td>{p.status ? t[l].statusLabel(p.status) : ''}</td>
                    </tr>
                  ))}
                </Table>
              </div>
            </details>
          )}
          <h2 class="ds-heading" data-size="md">
            {t[l].description}
          </h2>
          <dl class="ind-meta">
            <dt>{t[l].unit}</dt>
            <dd>{ind.unit || '–'}</dd>
            <dt>{t[l].direction}</dt>
            <dd>{dirLabel(l, ind.direction)}</dd>
            <dt>{t[l].periodicity}</dt>
            <dd>{ind.periodicity}</dd>
            {ind.dimensions.length > 0 && (
              <>
                <dt>{t[l].breakdowns}</dt>
                <dd>{ind.dimensions.map((d) => dimensionText(d, book)).join(', ')}</dd>
              </>
            )}
            <dt>{ht[l].headline}</dt>
            <dd lang={breakdownLang(ind.headline_breakdown, book)}>
              {breakdownText(ind.headline_breakdown, book, ht[l].headlineTotal)}
              {canEditIndicator(req.actor, { owner_user_id: owner }) && (
                <>
                  {' '}
                  <a class="ds-link" href={`/indicators/${encodeURIComponent(ind.code)}/headline`} lang={l}>
                    {ht[l].changeHeadline}
                  </a>
                </>
              )}
            </dd>
            <dt>{t[l].source}</dt>
            <dd>
              {ind.source || '–'}
              {ind.attribution && (
                <>
                  <br />
                  <span lang={ind.lang}>{ind.attribution}</span>
                </>
              )}
            </dd>
            {sdgLinks.length > 0 && (
              <>
                <dt>{t[l].linkedTargets}</dt>
                <dd>
                  <ul class="ds-list">
                    {sdgLinks.map((x) => (
                      <li>
                        {x.code}
                        {x.level === 'target' ? (
                          <>
                            {' '}
                            <InLanguage text={x.name} lang={x.lang} locale={l} />
                          </>
                        ) : (
                          <>
                            {' '}
                            <InLanguage text={x.name} lang={x.lang} locale={l} />
                          </>
                        )}
                      </li>
                    ))}
                  </ul>
                </dd>
              </>
            )}
          </dl>
          {canManageReferenceData(req.actor) && (
            <p class="ds-paragraph">
              <a class="ds-link" href={`/indicators/${encodeURIComponent(ind.code)}/sdg-targets`}>
                {t[l].editTargets}
              </a>
            </p>
          )}
          <h2 class="ds-heading" data-size="md">
            {t[l].downloads}
          </h2>
          <ul class="ds-list">
            <li>
              <a class="ds-link" href={`/api/export/opensdg/${encodeURIComponent(ind.code)}.csv`} download>
                {t[l].downloadCsv}
              </a>
            </li>
            <li>
              <a class="ds-link" href={`/api/export/jsonstat/${encodeURIComponent(ind.code)}${areaQs ? `?${areaQs}` : ''}`}>
                {t[l].downloadJsonStat}
              </a>
            </li>
            <li>
              <a class="ds-link" href={`/compare?indicator=${encodeURIComponent(ind.code)}${chosen[0] ? `&area=${chosen[0].key}` : ''}`}>
                {t[l].compareWith}
              </a>
            </li>
          </ul>
        </Layout>,
      );
    },
  );

  // The crosswalk by hand: which SDG goals and targets an indicator serves.
  const targetsPage = (req: FastifyRequest, ind: { code: string; name: string; lang: string }, form: FormState) => {
    const l = req.locale;
    return (
      <Layout req={req} title={t[l].targetsTitle(ind.name)} crumbs={[{ href: '/indicators', label: t[l].indicators }, { href: `/indicators/${encodeURIComponent(ind.code)}`, label: ind.name }]}>
        <h1 class="ds-heading" data-size="lg">
          {t[l].targetsTitle(ind.name)}
        </h1>
        <ErrorSummary req={req} form={form} labels={{ targets: t[l].targetsLabel }} />
        <form method="post" action={`/indicators/${encodeURIComponent(ind.code)}/sdg-targets`}>
          <Csrf req={req} />
          <TextField name="targets" label={t[l].targetsLabel} description={t[l].targetsHelp} form={form} />
          <Button>{t[l].saveTargets}</Button>
        </form>
      </Layout>
    );
  };
  const targetParams = z.object({ code: z.string().max(80) });
  r.get('/indicators/:code/sdg-targets', { schema: { hide: true, params: targetParams } }, async (req, reply) => {
    assertCanManageReferenceData(req.actor);
    const ind = await q.getIndicator(db.orm, req.params.code);
    const current = (await q.indicatorLinks(db.orm, ind.id, req.locale)).filter((x) => x.framework === 'sdg').map((x) => x.code);
    return reply.html(targetsPage(req, ind, { values: { targets: current.join(', ') }, errors: {} }));
  });
  r.post(
    '/indicators/:code/sdg-targets',
    { schema: { hide: true, params: targetParams, body: z.object({ targets: z.string().max(2000).default('') }).passthrough() } },
    async (req, reply) => {
      assertCanManageReferenceData(req.actor);
      const ind = await q.getIndicator(db.orm, req.params.code);
      const res = await handleForm(req, (v) => setIndicatorSdgLinks(db, req.actor, ind.code, (v.targets ?? '').split(/[,;\s]+/)));
      if (!res.ok) return reply.html(targetsPage(req, ind, res.form), 422);
      return reply.redirect(`/indicators/${encodeURIComponent(ind.code)}`, 303);
    },
  );

  // Area page ---------------------------------------------------------------------
  r.get('/areas/:key', { schema: { hide: true, params: z.object({ key: z.string().max(40) }) } }, async (req, reply) => {
    const l = req.locale;
    const area = await q.getArea(db.orm, req.params.key);
    const [rows, goals, moved] = await Promise.all([q.areaIndicators(db.orm, area.id), q.sdgGoals(db.orm, l), movedMost(db.orm, area.id)]);
    const goalName = new Map(goals.map((g) => [g.code, g.name]));
    const groups = new Map<string, q.AreaIndicatorRow[]>();
    for (const row of rows) {
      const g = row.goal ?? '';
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g)!.push(row);
    }
    // Other modules' sections (progress: the index and a link to the area's progress page); one that fails is left out.
    const extra = await Promise.all((deps.extensions?.areaSections ?? []).map((s) => s(req, { id: area.id, key: area.key, name: area.name, country: area.country, level: area.level }).catch(() => null)));
    return reply.html(
      <Layout req={req} title={t[l].areaPage(area.name)} crumbs={[{ href: '/indicators', label: t[l].indicators }]}>
        <Styles />
        <h1 class="ds-heading" data-size="lg">
          {t[l].areaPage(area.name)}
        </h1>
        <p class="ds-paragraph">{rows.length ? t[l].areaIntro(rows.length) : t[l].noData}</p>
        {rows.length > 0 && <style>{AREA_OPENING_CSS}</style>}
        {rows.length > 0 && <AreaOpening locale={l} goals={goals} perGoal={new Map([...groups].map(([g, list]) => [g, list.length]))} moved={moved} areaKey={area.key} />}
        {extra}
        {[...groups.entries()].map(([goal, list]) => (
          <section class="ind-goal" aria-labelledby={`goal-${goal || 'none'}`}>
            <h2 class="ds-heading" data-size="md" id={`goal-${goal || 'none'}`}>
              {goal ? t[l].goalN(goal, goalName.get(goal) ?? '') : t[l].noGoal}
            </h2>
            <div class="ind-table-wrap">
              <table class="ds-table" data-border>
                <thead>
                  <tr>
                    <th scope="col">{t[l].indicator}</th>
                    <th scope="col">{t[l].latest}</th>
                    <th scope="col">{t[l].change}</th>
                    <th scope="col">{t[l].trend}</th>
                  </tr>
                </thead>
                <tbody dangerouslySetInnerHTML={{ __html: list.map((x) => areaRowHtml(l, area, x)).join('') }} />
              </table>
            </div>
          </section>
        ))}
      </Layout>,
    );
  });

  // Compare page -------------------------------------------------------------------------
  r.get(
    '/compare',
    {
      schema: {
        hide: true,
        querystring: z.object({
          indicator: z.string().max(80).optional(),
          area: z.string().max(40).optional(),
          group: z.string().max(100).optional(),
          areas: z.string().max(2000).optional(),
        }),
      },
    },
    async (req, reply) => {
      const l = req.locale;
      const { indicator, group } = req.query;
      const [indList, groups, known] = await Promise.all([q.indicatorOptions(db.orm), q.listGroups(db.orm), q.areasWithData(db.orm)]);
      // Areas are picked by name (with suggestions from a datalist, which needs no script); keys still work.
      const fold = (x: string) => x.trim().toLocaleLowerCase(INTL_TAG[l]).normalize('NFC');
      const byName = new Map(known.map((a) => [fold(a.name), a.key]));
      const byKey = new Map(known.map((a) => [a.key, a]));
      const resolve = (x: string) => byName.get(fold(x)) ?? (/^[a-z]{2}-[\w-]+$/i.test(x.trim()) ? x.trim().toLowerCase() : undefined);
      const unknown: string[] = [];
      const areaAsked = req.query.area?.trim() ?? '';
      const areaKey = areaAsked ? resolve(areaAsked) : undefined;
      if (areaAsked && !areaKey) unknown.push(areaAsked);
      const listed = (req.query.areas ?? '').split(',').map((x) => x.trim()).filter(Boolean);
      const listedKeys = listed.map((x) => resolve(x) ?? (unknown.push(x), '')).filter(Boolean);
      const areas = listedKeys.length ? listedKeys.join(',') : undefined;
      const ind = indicator ? await q.getIndicator(db.orm, indicator) : null;
      const highlight = areaKey ? await q.getArea(db.orm, areaKey).catch(() => null) : null;
      // With an area and no choice of set, the default is the area's own group (similar municipalities
      // first), else its country. An explicit empty group (the "whole country" choice) means the country.
      let groupKey = group;
      if (group === undefined && !areas && highlight) {
        const rank: Record<string, number> = { similar: 0, kolada: 1, network: 2, custom: 3 };
        groupKey = (await q.listGroups(db.orm, highlight.id)).sort((a, b) => (rank[a.kind] ?? 9) - (rank[b.kind] ?? 9))[0]?.key;
      }
      const groupName = groupKey ? groups.find((g) => g.key === groupKey)?.name : undefined;
      let rows: q.CompareRow[] = [];
      let setIds: string[] = [];
      if (ind) {
        if (groupKey) {
          const g = await q.groupByKey(db.orm, groupKey);
          setIds = g.member_ids;
          if (highlight && !setIds.includes(highlight.id)) setIds.push(highlight.id);
          rows = await q.compareLatest(db.orm, ind.id, setIds);
        } else if (areas) {
          const picked = await q.areasByKeys(db.orm, asList(areas).slice(0, 300));
          setIds = picked.map((a) => a.id);
          if (highlight && !setIds.includes(highlight.id)) setIds.push(highlight.id);
          rows = await q.compareLatest(db.orm, ind.id, setIds);
        } else {
          rows = await q.compareLatest(db.orm, ind.id, 'country', highlight?.country ?? 'SE');
        }
      }
      // Best first by the indicator's direction (the query orders highest first); neutral stays by value.
      if (ind?.direction === 'lower') rows = [...rows].sort((a, b) => a.value - b.value || a.name.localeCompare(b.name));
      const hl = highlight ? rows.find((x) => x.key === highlight.key) : undefined;
      const st = stats(rows.map((x) => x.value), hl?.value ?? null, ind?.direction);
      const dec = ind?.decimals ?? 1;
      const setKey = rows.map((x) => x.key).join(',');
      const barOpt = ind && rows.length ? rankedBarOption(rows, highlight?.key ?? null, st.median, l, dec) : undefined;
      const barSvg = ind && barOpt ? renderSvg(`bar:${ind.id}:${ind.data_version}:${l}:${highlight?.key ?? ''}:${setKey}`, 760, Math.min(60 + rows.length * 22, 6000), () => barOpt) : '';
      const barSum = ind && rows.length
        ? `${t[l].barSummary(rows.length, fmt(l, st.median, dec))}${hl && st.rank !== null && st.percentile !== null ? ` ${t[l].barHighlight(hl.name, st.rank, rows.length, fmt(l, hl.value, dec), st.percentile)}` : ''}`
        : '';
      // The time series: the highlighted area and the nearest in rank, at most 10 lines.
      let tsRows: q.CompareRow[] = [];
      if (rows.length) {
        const idx = hl ? rows.indexOf(hl) : 0;
        const start = Math.max(0, Math.min(idx - 4, rows.length - 10));
        tsRows = rows.slice(start, start + 10);
      }
      const tsAreas = await q.areasByKeys(db.orm, tsRows.map((x) => x.key));
      const tsPoints = ind ? await q.indicatorSeries(db.orm, ind.id, tsAreas.map((a) => a.id), { totalOnly: true }) : [];
      const tsSeries: LineSeries[] = tsAreas.map((a) => ({ name: a.name, points: tsPoints.filter((p) => p.area_key === a.key).map((p) => [p.period, p.value] as [string, number | null]) }));
      const tsOpt = ind && tsSeries.length ? lineOption(tsSeries, l, ind.unit, dec, highlight?.name ?? null) : undefined;
      const tsSvg = ind && tsOpt ? renderSvg(`ts:${ind.id}:${ind.data_version}:${l}:${highlight?.key ?? ''}:${tsRows.map((x) => x.key).join(',')}`, 760, 360, () => tsOpt) : '';
      const tsSum = ind
        ? t[l].lineSummary(
            ind.name,
            tsSeries
              .map((s) => {
                const v = s.points.filter((p) => p[1] !== null);
                return v.length ? t[l].seriesPart(s.name, fmt(l, v[0]![1], dec), v[0]![0], fmt(l, v[v.length - 1]![1], dec), v[v.length - 1]![0]) : '';
              })
              .join(' '),
          )
        : '';
      const allIds = rows.length ? (await q.areasByKeys(db.orm, rows.map((x) => x.key))).map((a) => a.id) : [];
      const geo = await q.geometries(db.orm, allIds);
      const mapValues = new Map(rows.map((x) => [x.key, x.value]));
      const mapAreas = geo.map((g) => ({ key: g.key, name: g.name, geojson: g.geojson, value: mapValues.get(g.key) ?? null }));
      return reply.html(
        <Layout req={req} title={t[l].compareWith} crumbs={[{ href: '/indicators', label: t[l].indicators }]}>
          <Styles />
          <h1 class="ds-heading" data-size="lg">
            {t[l].compareWith}
          </h1>
          <p class="ds-paragraph">{t[l].compareIntro}</p>
          <form method="get" action="/compare" class="ind-filters">
            <div class="ds-field">
              <label class="ds-label" for="f-indicator">
                {t[l].indicator}
              </label>
              <select class="ds-input" id="f-indicator" name="indicator">
                <option value="">{t[l].chooseIndicator}</option>
                {sortByText(l, indList, (i) => i.name).map((i) => (
                  <option value={i.code} selected={i.code === ind?.code}>
                    {i.name}
                  </option>
                ))}
              </select>
            </div>
            <div class="ds-field">
              <label class="ds-label" for="f-area">
                {li[l].areaName}
              </label>
              <p class="ds-paragraph field-desc" data-size="sm" id="f-area-desc">
                {li[l].areaNameHelp}
              </p>
              <input class="ds-input" id="f-area" name="area" list="area-names" autocomplete="off" aria-describedby="f-area-desc" value={highlight?.name ?? areaAsked} />
            </div>
            <div class="ds-field">
              <label class="ds-label" for="f-group">
                {t[l].group}
              </label>
              <select class="ds-input" id="f-group" name="group">
                <option value="">{t[l].anyGroup}</option>
                {sortByText(l, groups, (g) => g.name).map((g) => (
                  <option value={g.key} selected={g.key === groupKey}>
                    {g.name}
                  </option>
                ))}
              </select>
            </div>
            <div class="ds-field">
              <label class="ds-label" for="f-areas">
                {li[l].areaNames}
              </label>
              <p class="ds-paragraph field-desc" data-size="sm" id="f-areas-desc">
                {li[l].areaNamesHelp}
              </p>
              <input class="ds-input" id="f-areas" name="areas" aria-describedby="f-areas-desc" value={listed.map((x) => byKey.get(resolve(x) ?? '')?.name ?? x).join(', ')} />
            </div>
            <datalist id="area-names">
              {sortByText(l, known, (a) => a.name).map((a) => (
                <option value={a.name}>{a.country}</option>
              ))}
            </datalist>
            <button class="ds-button" data-variant="primary" type="submit">
              {t[l].compare}
            </button>
          </form>
          {unknown.length > 0 && (
            <Alert color="warning">
              {unknown.map((x) => (
                <p class="ds-paragraph">{li[l].unknownArea(x)}</p>
              ))}
            </Alert>
          )}
          {!ind ? (
            <section class="compare-empty" aria-labelledby="compare-empty-h">
              <h2 class="ds-heading" data-size="sm" id="compare-empty-h">
                {li[l].emptyTitle}
              </h2>
              <ol class="ds-list">
                <li>{li[l].emptyStep1}</li>
                <li>{li[l].emptyStep2}</li>
                <li>{li[l].emptyStep3}</li>
              </ol>
            </section>
          ) : rows.length === 0 ? (
            <p class="ds-paragraph">{t[l].noData}</p>
          ) : (
            <>
              <h2 class="ds-heading" data-size="md">
                {t[l].ranking}: <span lang={ind.lang}>{ind.name}</span>
              </h2>
              {!areas && (
                <p class="ds-paragraph" data-size="sm">
                  {groupName ? ci[l].inGroup(groupName) : ci[l].inCountry(new Intl.DisplayNames([INTL_TAG[l]], { type: 'region' }).of(highlight?.country ?? 'SE') ?? '')}
                  {groupName && highlight && (
                    <>
                      {' '}
                      <a class="ds-link" href={`/compare?indicator=${encodeURIComponent(ind.code)}&area=${encodeURIComponent(highlight.key)}&group=`}>
                        {ci[l].wholeCountry}
                      </a>
                    </>
                  )}
                </p>
              )}
              {hl && st.percentile !== null && (
                <p class="ds-paragraph">
                  <strong>{hl.name}</strong>: {fmt(l, hl.value, dec)} ({hl.period}) · {t[l].rank} {st.rank}/{rows.length} · {t[l].percentile} {st.percentile} · {t[l].median}{' '}
                  {fmt(l, st.median, dec)}
                </p>
              )}
              <Figure svg={barSvg} summary={barSum} id="ind-bar" option={barOpt} />
              <ChartScripts />
              <div class="ind-table-wrap">
                <Table caption={`${t[l].dataTable}: ${ind.name}${ind.unit ? ` (${ind.unit})` : ''}`} head={[t[l].rank, t[l].area, t[l].period, t[l].value]}>
                  {rows.map((x, i) => (
                    <tr aria-current={x.key === highlight?.key ? 'true' : undefined}>
                      <td>{i + 1}</td>
                      <th scope="row">
                        <a class="ds-link" href={`/areas/${x.key}`}>
                          {x.key === highlight?.key ? <strong>{x.name}</strong> : x.name}
                        </a>
                      </th>
                      <td>{x.period}</td>
                      <td data-align="right">{fmt(l, x.value, dec)}</td>
                    </tr>
                  ))}
                </Table>
              </div>
              <h2 class="ds-heading" data-size="md">
                {t[l].timeSeries}
              </h2>
              {tsSvg && <Figure svg={tsSvg} summary={tsSum} id="ind-ts" option={tsOpt} />}
              {ind && mapAreas.length > 0 && (
                <>
                  <h2 class="ds-heading" data-size="md">
                    {t[l].map}
                  </h2>
                  <style>{MAP_CSS}</style>
                  <ChoroplethMap locale={l} areas={mapAreas} highlight={highlight?.key ?? null} decimals={dec} unit={ind.unit} title={`${t[l].map}: ${ind.name}`} summary={t[l].mapSummary(geo.length)} />
                </>
              )}
            </>
          )}
        </Layout>,
      );
    },
  );

  // Imports --------------------------------------------------------------------------------
  const importsPage = async (req: FastifyRequest, status = 200, error?: string) => {
    const l = req.locale;
    // Who imported what is shown to signed-in users only (by name; never their e-mail address).
    const batches = req.actor.userId ? await q.listBatches(db.orm, 30) : [];
    const allowed = canImport(req.actor);
    return (
      <Layout req={req} title={t[l].imports}>
        <Styles />
        <h1 class="ds-heading" data-size="lg">
          {t[l].imports}
        </h1>
        <p class="ds-paragraph">{t[l].importsIntro}</p>
        {!allowed ? (
          <Alert color="info">{t[l].importNeedsRole}</Alert>
        ) : (
          <form method="post" action="/imports" enctype="multipart/form-data" class="ind-upload">
            <h2 class="ds-heading" data-size="md">
              {t[l].upload}
            </h2>
            {error && <Alert color="danger">{error}</Alert>}
            <input type="hidden" name="_csrf" value={req.csrfToken} />
            <div class="ds-field">
              <label class="ds-label" for="f-format">
                {t[l].format}
              </label>
              <select class="ds-input" id="f-format" name="format">
                <option value="long">{t[l].fmtLong}</option>
                <option value="opensdg">{t[l].fmtOpensdg}</option>
                <option value="jsonstat">{t[l].fmtJsonstat}</option>
                <option value="kolada">{t[l].fmtKolada}</option>
              </select>
            </div>
            <div class="ds-field">
              <label class="ds-label" for="f-file">
                {t[l].file}
              </label>
              <input class="ds-input" id="f-file" name="file" type="file" accept=".csv,.xlsx,.json,text/csv,application/json" />
            </div>
            <div class="ds-field">
              <label class="ds-label" for="f-meta">
                {t[l].metaFile}
              </label>
              <input class="ds-input" id="f-meta" name="meta" type="file" accept=".md,.yml,.yaml,text/markdown,text/yaml" />
            </div>
            <div class="ds-field">
              <label class="ds-label" for="f-text">
                {t[l].orPaste}
              </label>
              <textarea class="ds-input" id="f-text" name="text" rows={5}></textarea>
            </div>
            <button class="ds-button" data-variant="primary" type="submit">
              {t[l].next}
            </button>
          </form>
        )}
        {allowed && (
          <ul class="ds-list">
            <li>
              <a class="ds-link" href="/imports/mappings">
                {mt[l].link}
              </a>
            </li>
            {canManageReferenceData(req.actor) && (
              <li>
                <a class="ds-link" href="/imports/reference">
                  {rt[l].link}
                </a>
              </li>
            )}
          </ul>
        )}
        <h2 class="ds-heading" data-size="md">
          {t[l].recentBatches}
        </h2>
        {batches.length === 0 ? (
          <p class="ds-paragraph">{t[l].noData}</p>
        ) : (
          <div class="ind-table-wrap">
            <Table head={[t[l].batch, t[l].when, t[l].who, t[l].format, t[l].inserted, t[l].updated, t[l].unchanged]}>
              {batches.map((b) => (
                <tr>
                  <td>
                    <a class="ds-link" href={`/imports/batches/${b.id}`}>
                      #{b.id} {b.filename}
                    </a>
                  </td>
                  <td>{formatDateTime(l, b.created_at)}</td>
                  <td>{b.actor_label}</td>
                  <td>{b.format}</td>
                  <td data-align="right">{formatNumber(l, b.rows_inserted)}</td>
                  <td data-align="right">{formatNumber(l, b.rows_updated)}</td>
                  <td data-align="right">{formatNumber(l, b.rows_unchanged)}</td>
                </tr>
              ))}
            </Table>
          </div>
        )}
      </Layout>
    );
  };

  r.get('/imports', { schema: { hide: true } }, async (req, reply) => reply.html(await importsPage(req)));

  // Uploads arrive as multipart (a file input) and need their own parser, scoped to this plugin.
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: config.uploadMaxBytes }, (req, body, done) => {
    const boundary = boundaryOf(req.headers['content-type']);
    if (!boundary) return done(Object.assign(new Error('multipart body without boundary'), { statusCode: 400 }), undefined);
    try {
      const mp = parseMultipart(body as Buffer, boundary);
      done(null, { ...mp.fields, __files: mp.files });
    } catch (err) {
      done(Object.assign(err as Error, { statusCode: 400 }), undefined);
    }
  });

  referenceImportPages(app, db);
  mappingPages(app, db);

  app.post('/imports', { schema: { hide: true } }, async (req, reply) => {
    assertCanImport(req.actor);
    const l = req.locale;
    const body = (req.body ?? {}) as Record<string, unknown> & { __files?: Multipart['files'] };
    const format = String(body.format ?? 'long') as ImportFormat;
    if (!(FORMATS as readonly string[]).includes(format)) throw new ValidationError([{ field: 'format', message: 'unknown format' }]);
    const file = body.__files?.file;
    const text = typeof body.text === 'string' ? body.text.trim() : '';
    const content = file && file.data.length ? file.data : text ? Buffer.from(text, 'utf8') : null;
    if (!content) return reply.html(await importsPage(req, 422, t[l].fileRequired), 422);
    const filename = file?.filename || (format === 'jsonstat' || format === 'kolada' ? 'pasted.json' : 'pasted.csv');
    let preview: Preview;
    try {
      // Workbooks and large files are read in a worker with heap and time limits (parse-pool.ts).
      preview = await previewSafely({ format, filename, buf: content });
    } catch (err) {
      if (err instanceof FileFormatError) return reply.html(await importsPage(req, 422, err.message), 422);
      throw err;
    }
    const mapping: Record<string, unknown> = preview.kind === 'kolada' ? {} : { ...(preview.mapping as unknown as Record<string, unknown>) };
    const meta = body.__files?.meta;
    if (meta && meta.data.length) {
      // Open SDG metadata travels with the upload and names the indicator, its definition and SDG target.
      try {
        parseOpenSdgMeta(meta.data.toString('utf8'), typeof mapping.indicator === 'string' ? mapping.indicator : undefined);
      } catch (err) {
        if (err instanceof FileFormatError) return reply.html(await importsPage(req, 422, err.message), 422);
        throw err;
      }
      mapping.meta = meta.data.toString('utf8').slice(0, 200_000);
    }
    const id = await createUpload(db, req.actor, { filename, format, content, mapping });
    return reply.redirect(`/imports/uploads/${id}`, 303);
  });

  const loadUpload = async (req: FastifyRequest, id: string) => {
    const u = await q.getUpload(db.orm, id);
    // Someone else's upload is not theirs to see: answer as if it did not exist.
    if (!canUseUpload(req.actor, u)) {
      assertCanImport(req.actor);
      throw new NotFoundError('upload', id);
    }
    return u;
  };

  const uploadPage = async (req: FastifyRequest, id: string) => {
    const l = req.locale;
    const u = await loadUpload(req, id);
    const preview = await previewSafely({ format: u.format, filename: u.filename, buf: u.content }).catch((err) => {
      if (err instanceof FileFormatError) return null;
      throw err;
    });
    const mapping = u.mapping as Record<string, any>;
    const report = u.report as Partial<import('./service.js').ImportReport>;
    const saved = await q.listMappings(db.orm, u.format);
    const isRunning = u.status === 'running';
    const pct = isRunning ? await importProgress(db, u.id) : 0;
    const roleLabel = (r: string) =>
      ({
        period: t[l].rolePeriod,
        area: t[l].roleArea,
        indicator: t[l].roleIndicator,
        value: t[l].roleValue,
        unit: t[l].roleUnit,
        status: t[l].roleStatus,
        note: t[l].roleNote,
        breakdown: t[l].roleBreakdown,
        ignore: t[l].roleIgnore,
        fixed: t[l].roleFixed,
      })[r] ?? r;
    return (
      <Layout req={req} title={`${t[l].imports}: ${u.filename}`} crumbs={[{ href: '/imports', label: t[l].imports }]}>
        <Styles />
        <h1 class="ds-heading" data-size="lg">
          {u.filename}
        </h1>
        {isRunning && (
          // With JavaScript, htmx reloads the page body every second until the import is done; without, a link does.
          <div role="status" hx-get={`/imports/uploads/${u.id}`} hx-trigger="every 1s" hx-select="#main" hx-target="#main" hx-swap="outerHTML">
            <p class="ds-paragraph">{t[l].running(pct)}</p>
            <progress max={100} value={pct} aria-label={t[l].running(pct)} />
            <p class="ds-paragraph">
              <a class="ds-link" href={`/imports/uploads/${u.id}`}>
                {t[l].refresh}
              </a>
            </p>
          </div>
        )}
        {u.status === 'done' && (
          <Alert color="success">
            <p class="ds-paragraph">{report.batchId ? t[l].done : t[l].nothingNew}</p>
            {report.ok && <p class="ds-paragraph">{t[l].reportOk(report.rowsTotal ?? 0, report.inserted ?? 0, report.updated ?? 0, report.unchanged ?? 0)}</p>}
            {(report.notes ?? []).map((n) => (
              <p class="ds-paragraph" lang="en">
                {n}
              </p>
            ))}
            {report.batchId && (
              <p class="ds-paragraph">
                <a class="ds-link" href={`/imports/batches/${report.batchId}`}>
                  {t[l].batch} #{report.batchId}
                </a>
              </p>
            )}
          </Alert>
        )}
        {(u.status === 'checked' || u.status === 'failed') && report && (
          <section aria-labelledby="report-h">
            <h2 class="ds-heading" data-size="md" id="report-h">
              {t[l].reportTitle}
            </h2>
            {report.ok ? (
              <Alert color="success">{t[l].reportOk(report.rowsTotal ?? 0, report.inserted ?? 0, report.updated ?? 0, report.unchanged ?? 0)}</Alert>
            ) : (
              <>
                <Alert color="danger">{u.status === 'failed' && !report.errors?.length ? t[l].failed : t[l].reportErrors(report.errorCount ?? report.errors?.length ?? 0)}</Alert>
                <div class="ind-table-wrap">
                  <Table head={[t[l].row, t[l].field, t[l].reason]}>
                    {(report.errors ?? []).slice(0, 500).map((e) => (
                      <tr>
                        <td>{e.line || '–'}</td>
                        <td>{e.field}</td>
                        <td lang="en">{e.message}</td>
                      </tr>
                    ))}
                  </Table>
                </div>
              </>
            )}
          </section>
        )}
        {preview && u.status !== 'done' && !isRunning && (
          <>
            <h2 class="ds-heading" data-size="md">
              {t[l].preview}
            </h2>
            {preview.kind === 'table' && (
              <div class="ind-table-wrap">
                <Table caption={t[l].lines(preview.rowCount)} head={preview.headers}>
                  {preview.sample.map((row) => (
                    <tr>
                      {row.map((c) => (
                        <td>{c}</td>
                      ))}
                    </tr>
                  ))}
                </Table>
              </div>
            )}
            {preview.kind === 'jsonstat' && (
              <p class="ds-paragraph">
                {preview.label} · {t[l].cells(preview.cells)} · {preview.dims.map((d) => `${d.label} (${d.ids.length})`).join(' × ')}
              </p>
            )}
            {preview.kind === 'kolada' && <p class="ds-paragraph">{t[l].lines(preview.entries)}</p>}
            <form method="post" action={`/imports/uploads/${u.id}`}>
              <Csrf req={req} />
              {preview.kind !== 'kolada' && (
                <fieldset class="ds-fieldset">
                  <legend class="ds-heading" data-size="sm">
                    {t[l].mapping}
                  </legend>
                  <p class="ds-paragraph" data-size="sm">
                    {t[l].mappingHelp}
                  </p>
                  {saved.length > 0 && (
                    <div class="ds-field">
                      <label class="ds-label" for="f-saved">
                        {t[l].savedMappings}
                      </label>
                      <select class="ds-input" id="f-saved" name="useSaved">
                        <option value="">–</option>
                        {saved.map((s) => (
                          <option value={s.id}>{s.name}</option>
                        ))}
                      </select>
                    </div>
                  )}
                  {preview.kind === 'table' &&
                    preview.headers.map((h, i) => (
                      <div class="ds-field">
                        <label class="ds-label" for={`f-col-${i}`}>
                          {t[l].columnRole(h)}
                        </label>
                        <select class="ds-input" id={`f-col-${i}`} name={`col:${h}`}>
                          {COLUMN_ROLES.map((role) => (
                            <option value={role} selected={(mapping.columns?.[h] ?? preview.mapping.columns[h]) === role}>
                              {roleLabel(role)}
                            </option>
                          ))}
                        </select>
                      </div>
                    ))}
                  {preview.kind === 'jsonstat' &&
                    preview.dims.map((d, i) => (
                      <div class="ds-field">
                        <label class="ds-label" for={`f-dim-${i}`}>
                          {t[l].dimRole(d.label)}
                        </label>
                        <select class="ds-input" id={`f-dim-${i}`} name={`dim:${d.id}`}>
                          {DIM_ROLES.map((role) => (
                            <option value={role} selected={(mapping.dims?.[d.id] ?? preview.mapping.dims[d.id]) === role}>
                              {roleLabel(role)}
                            </option>
                          ))}
                        </select>
                      </div>
                    ))}
                  <div class="ds-field">
                    <label class="ds-label" for="f-indicator">
                      {t[l].fixedIndicator}
                    </label>
                    <input class="ds-input" id="f-indicator" name="indicator" value={String(mapping.indicator ?? '')} />
                  </div>
                  {(
                    <div class="ds-field">
                      <label class="ds-label" for="f-fixedarea">
                        {t[l].fixedArea}
                      </label>
                      <input class="ds-input" id="f-fixedarea" name="area" value={String(mapping.area ?? '')} />
                    </div>
                  )}
                  {(
                    <div class="ds-field">
                      <label class="ds-label" for="f-codes">
                        {t[l].codeMapping}
                      </label>
                      <div class="ds-paragraph" data-size="sm" id="f-codes-help">
                        {t[l].codeMappingHelp}
                      </div>
                      <textarea class="ds-input" id="f-codes" name="codes" rows={4} aria-describedby="f-codes-help">
                        {Object.entries((mapping.codes as Record<string, string> | undefined) ?? {})
                          .map(([k, v]) => `${k} = ${v}`)
                          .join('\n')}
                      </textarea>
                    </div>
                  )}
                  {preview.kind === 'jsonstat' && (
                    <div class="ds-field">
                      <label class="ds-label" for="f-prefix">
                        {t[l].indicatorPrefix}
                      </label>
                      <input class="ds-input" id="f-prefix" name="indicatorPrefix" value={String(mapping.indicatorPrefix ?? '')} />
                    </div>
                  )}
                  <div class="ds-field">
                    <label class="ds-label" for="f-country">
                      {t[l].country}
                    </label>
                    <select class="ds-input" id="f-country" name="country">
                      <option value="">{t[l].countryNone}</option>
                      {(['SE', 'NO', 'DK'] as const).map((c) => (
                        <option value={c} selected={mapping.country === c}>
                          {c}
                        </option>
                      ))}
                    </select>
                  </div>
                  <div class="ds-field">
                    <label class="ds-label" for="f-savename">
                      {t[l].saveMappingAs}
                    </label>
                    <input class="ds-input" id="f-savename" name="saveAs" value="" />
                  </div>
                </fieldset>
              )}
              <div class="ind-filters">
                <button class="ds-button" data-variant="secondary" type="submit" name="action" value="check">
                  {t[l].dryRun}
                </button>
                {u.status === 'checked' && report.ok && (
                  <button class="ds-button" data-variant="primary" type="submit" name="action" value="commit">
                    {t[l].commit}
                  </button>
                )}
              </div>
            </form>
          </>
        )}
        <p class="ds-paragraph">
          <a class="ds-link" href="/imports">
            {t[l].backToImports}
          </a>
        </p>
      </Layout>
    );
  };

  r.get('/imports/uploads/:id', { schema: { hide: true, params: z.object({ id: z.string().max(80) }) } }, async (req, reply) => {
    assertCanImport(req.actor);
    return reply.html(await uploadPage(req, req.params.id));
  });

  r.post(
    '/imports/uploads/:id',
    { schema: { hide: true, params: z.object({ id: z.string().max(80) }), body: z.record(z.string(), z.union([z.string(), z.array(z.string())])) } },
    async (req, reply) => {
      assertCanImport(req.actor);
      const u = await loadUpload(req, req.params.id);
      const body = req.body as Record<string, string>;
      const action = body.action === 'commit' ? 'commit' : 'check';
      if (u.status === 'running' || u.status === 'done') return reply.redirect(`/imports/uploads/${u.id}`, 303);
      let mapping: Record<string, unknown> = u.mapping;
      if (action === 'check') {
        if (body.useSaved) {
          const s = (await q.listMappings(db.orm, u.format)).find((m) => m.id === body.useSaved);
          if (s) mapping = s.mapping;
        } else {
          const columns: Record<string, string> = {};
          const dims: Record<string, string> = {};
          for (const [k, v] of Object.entries(body)) {
            if (k.startsWith('col:') && (COLUMN_ROLES as readonly string[]).includes(v)) columns[k.slice(4)] = v;
            if (k.startsWith('dim:') && (DIM_ROLES as readonly string[]).includes(v)) dims[k.slice(4)] = v;
          }
          const country = ['SE', 'NO', 'DK'].includes(body.country ?? '') ? body.country : undefined;
          mapping = {
            ...(Object.keys(columns).length ? { columns } : {}),
            ...(Object.keys(dims).length ? { dims } : {}),
            ...(body.indicator?.trim() ? { indicator: body.indicator.trim() } : {}),
            ...(body.area?.trim() ? { area: body.area.trim().toLowerCase() } : {}),
            ...(parseCodeLines(body.codes) ? { codes: parseCodeLines(body.codes) } : {}),
            ...(body.indicatorPrefix?.trim() ? { indicatorPrefix: body.indicatorPrefix.trim() } : {}),
            ...(country ? { country } : {}),
            ...(typeof u.mapping.meta === 'string' ? { meta: u.mapping.meta } : {}),
          };
        }
        if (body.saveAs?.trim()) await saveMapping(db, req.actor, { name: body.saveAs.trim().slice(0, 200), format: u.format, mapping });
        await updateUpload(db, u.id, { mapping });
        const report = await runUpload(db, req.actor, u.id, true);
        await updateUpload(db, u.id, { status: report.ok ? 'checked' : 'failed', report });
        return reply.redirect(`/imports/uploads/${u.id}`, 303);
      }
      if (u.status !== 'checked') return reply.redirect(`/imports/uploads/${u.id}`, 303);
      await startImport(db, req.actor, u.id);
      return reply.redirect(`/imports/uploads/${u.id}`, 303);
    },
  );

  r.get('/imports/batches/:id', { schema: { hide: true, params: z.object({ id: z.string().max(20) }) } }, async (req, reply) => {
    const l = req.locale;
    const b = await q.getBatch(db.orm, req.params.id);
    const changes = await q.batchChanges(db.orm, b.id);
    return reply.html(
      <Layout req={req} title={`${t[l].batch} #${b.id}`} crumbs={[{ href: '/imports', label: t[l].imports }]}>
        <Styles />
        <h1 class="ds-heading" data-size="lg">
          {t[l].batch} #{b.id} {b.filename}
        </h1>
        <dl class="ind-meta">
          <dt>{t[l].when}</dt>
          <dd>{formatDateTime(l, b.created_at)}</dd>
          <dt>{t[l].who}</dt>
          <dd>{b.actor_label}</dd>
          <dt>{t[l].format}</dt>
          <dd>{b.format}</dd>
          <dt>{t[l].rows}</dt>
          <dd>
            {t[l].reportOk(b.rows_total, b.rows_inserted, b.rows_updated, b.rows_unchanged)}
          </dd>
        </dl>
        <h2 class="ds-heading" data-size="md">
          {t[l].changes}
        </h2>
        {changes.length === 0 ? (
          <p class="ds-paragraph">{t[l].noChanges}</p>
        ) : (
          <div class="ind-table-wrap">
            <Table caption={t[l].changesIntro} head={[t[l].indicator, t[l].area, t[l].period, t[l].breakdown, t[l].oldValue, t[l].newValue, t[l].fromBatch]}>
              {changes.map((c) => (
                <tr>
                  <td>{c.indicator}</td>
                  <td>{c.area_key}</td>
                  <td>{c.period}</td>
                  <td>{bdLabel(l, c.breakdown)}</td>
                  <td data-align="right">{c.old_value === null ? '–' : formatNumber(l, c.old_value)}</td>
                  <td data-align="right">{c.new_value === null ? '–' : formatNumber(l, c.new_value)}</td>
                  <td>
                    <a class="ds-link" href={`/imports/batches/${c.old_batch}`}>
                      #{c.old_batch}
                    </a>
                  </td>
                </tr>
              ))}
            </Table>
          </div>
        )}
      </Layout>,
    );
  });
}

/**
 * On a municipality's (or region's) organisation page: the area's indicators in
 * brief, linking to the area page. Added through the app's extension point.
 */
export function organisationIndicatorsSection(db: AppDeps['db']) {
  return async (req: FastifyRequest, org: { id: string; slug: string; name: string; kind: string; areaId: string | null }) => {
    if (!org.areaId) return null;
    const area = await directory.getAreaById(db.orm, org.areaId);
    if (!area) return null;
    const rows = await q.areaIndicators(db.orm, area.id);
    if (!rows.length) return null;
    const l = req.locale;
    return (
      <section aria-labelledby="org-indicators" class="section">
        <h2 class="ds-heading" data-size="sm" id="org-indicators">
          {t[l].indicators}
        </h2>
        <ul class="ds-list">
          {rows.slice(0, 5).map((x) => (
            <li>
              <a class="ds-link" href={`/indicators/${encodeURIComponent(x.code)}?area=${area.key}`}>
                {x.name}
              </a>
              : {fmt(l, x.latest_value, x.decimals)}
              {x.unit ? ` ${x.unit}` : ''} ({x.latest_period})
            </li>
          ))}
        </ul>
        <p class="ds-paragraph">
          <a class="ds-link" href={`/areas/${area.key}`}>
            {t[l].areaPage(area.name)}
          </a>
        </p>
      </section>
    );
  };
}
