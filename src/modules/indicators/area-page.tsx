/** An area's page (its indicators by SDG goal) and the area's indicators on its organisation's page. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps, OrganisationRef } from '../../platform/http.js';
import { render } from 'preact-render-to-string';
import { Layout } from '../../web/layout.js';
import { InLanguage } from '../../web/components.js';
import { type Locale } from '../../web/i18n/index.js';
import { directory } from '../directory/index.js';
import { t } from './i18n.js';
import * as q from './queries.js';
import { AREA_OPENING_CSS, AreaOpening, movedMost } from './area-overview.js';
import { sparkSvg } from './charts.js';
import { fmt, Styles } from './views.js';
import { registerProcessCache } from '../../platform/process-caches.js';

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

export async function areaPages(app: FastifyInstance, deps: AppDeps) {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

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
  return async (req: FastifyRequest, org: OrganisationRef) => {
    if (!org.areaId) return null;
    const area = org.area !== undefined ? org.area : await directory.getAreaById(db.orm, org.areaId);
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
