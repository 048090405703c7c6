/** The indicator list, an indicator's page (with its SDG targets form) and an area's page. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { render } from 'preact-render-to-string';
import { Layout } from '../../web/layout.js';
import { Button, Csrf, ErrorSummary, InLanguage, Pager, Table, TextField, type FormState } from '../../web/components.js';
import { sdgColours } from '../../web/sdg.js';
import { handleForm } from '../../web/forms.js';
import { sortByText, type Locale } from '../../web/i18n/index.js';
import { directory } from '../directory/index.js';
import { li } from './list-i18n.js';
import { t } from './i18n.js';
import * as q from './queries.js';
import { AREA_OPENING_CSS, AreaOpening, movedMost } from './area-overview.js';
import { ft } from './frameworks-pages.js';
import { lineOption, renderSvg, sparkSvg, type LineSeries } from './charts.js';
import { withTargetLines } from './target-lines.js';
import { breakdownText, breakdownLang, dimensionText } from '../indicator-model/index.js';
import { labelBook } from './labels.js';
import { indicatorOwner } from './headline.js';
import { ht } from './headline-i18n.js';
import { assertCanManageReferenceData, canEditIndicator, canManageReferenceData } from './policy.js';
import { setIndicatorSdgLinks } from './service.js';
import { asList, ChartScripts, dirLabel, Figure, fmt, formatNumber, Styles } from './views.js';


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

export async function indicatorPages(app: FastifyInstance, deps: AppDeps) {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

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
