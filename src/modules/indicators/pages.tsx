/** An indicator's page (chart, data table, breakdowns, metadata, downloads) and its SDG targets form. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { Layout } from '../../web/layout.js';
import { Button, InLanguage, Table } from '../../web/components.js';
import { Csrf, ErrorSummary, TextField, type FormState } from '../../web/form-fields.js';
import { handleForm } from '../../web/forms.js';
import { t } from './i18n.js';
import * as q from './queries.js';
import { lineOption, renderSvg, type LineSeries } from './charts.js';
import { withTargetLines } from './target-lines.js';
import { breakdownText, breakdownLang, dimensionText } from '../indicator-model/index.js';
import { labelBook } from './labels.js';
import { indicatorOwner } from './headline.js';
import { ht } from './headline-i18n.js';
import { assertCanManageReferenceData, canEditIndicator, canManageReferenceData } from './policy.js';
import { setIndicatorSdgLinks } from './service.js';
import { asList, dirLabel, Figure, fmt, Styles } from './views.js';

export async function indicatorPages(app: FastifyInstance, deps: AppDeps) {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

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
}
