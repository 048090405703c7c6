/** The compare page: one indicator across a group or a set of areas, as a ranking, a time series and a map. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { Layout } from '../../web/layout.js';
import { Alert, Table } from '../../web/components.js';
import { INTL_TAG, sortByText } from '../../web/i18n/index.js';
import {
  Figure,
  fmt,
  indicatorQueries as q,
  lineOption,
  rankedBarOption,
  renderSvg,
  Styles,
  type LineSeries,
} from '../indicators/index.js';
import { ChoroplethMap, MAP_CSS } from './map.js';
import { t } from './i18n.js';
import { compareLatestValues } from './service.js';

export async function comparePages(app: FastifyInstance, deps: AppDeps) {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

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
      const ind = indicator ? await q.getIndicator(db.orm, indicator) : null;
      const highlight = areaKey ? await q.getArea(db.orm, areaKey).catch(() => null) : null;
      const cmp = await compareLatestValues(db.orm, { indicator: ind, highlight, group, areaKeys: listedKeys });
      const { groupKey, rows, highlighted: hl } = cmp;
      const areas = listedKeys.length ? listedKeys.join(',') : undefined;
      const groupName = groupKey ? groups.find((g) => g.key === groupKey)?.name : undefined;
      const st = { median: cmp.median, rank: cmp.rank, percentile: cmp.percentile };
      const dec = ind?.decimals ?? 1;
      // A neutral indicator has no better end, so the table gives no rank (as the summary gives
      // none) and says its order is only by value.
      const neutral = ind?.direction === 'neutral';
      const setKey = rows.map((x) => x.key).join(',');
      const barOpt = ind && rows.length ? rankedBarOption(rows, highlight?.key ?? null, st.median, l, dec) : undefined;
      const barSvg = ind && barOpt ? renderSvg(`bar:${ind.id}:${ind.data_version}:${l}:${highlight?.key ?? ''}:${setKey}`, 760, Math.min(60 + rows.length * 22, 6000), () => barOpt) : '';
      const barSum = ind && rows.length
        ? `${(neutral ? t[l].barSummaryNeutral : t[l].barSummary)(rows.length, fmt(l, st.median, dec))}${hl && st.rank !== null && st.percentile !== null ? ` ${t[l].barHighlight(hl.name, st.rank, rows.length, fmt(l, hl.value, dec), st.percentile)}` : ''}`
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
                {t[l].areaName}
              </label>
              <p class="ds-paragraph field-desc" data-size="sm" id="f-area-desc">
                {t[l].areaNameHelp}
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
                {t[l].areaNames}
              </label>
              <p class="ds-paragraph field-desc" data-size="sm" id="f-areas-desc">
                {t[l].areaNamesHelp}
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
                <p class="ds-paragraph">{t[l].unknownArea(x)}</p>
              ))}
            </Alert>
          )}
          {!ind ? (
            <section class="compare-empty" aria-labelledby="compare-empty-h">
              <h2 class="ds-heading" data-size="sm" id="compare-empty-h">
                {t[l].emptyTitle}
              </h2>
              <ol class="ds-list">
                <li>{t[l].emptyStep1}</li>
                <li>{t[l].emptyStep2}</li>
                <li>{t[l].emptyStep3}</li>
              </ol>
            </section>
          ) : rows.length === 0 ? (
            <p class="ds-paragraph">{t[l].noData}</p>
          ) : (
            <>
              <h2 class="ds-heading" data-size="md">
                {neutral ? t[l].values : t[l].ranking}: <span lang={ind.lang}>{ind.name}</span>
              </h2>
              {!areas && (
                <p class="ds-paragraph" data-size="sm">
                  {groupName ? t[l].inGroup(groupName) : t[l].inCountry(new Intl.DisplayNames([INTL_TAG[l]], { type: 'region' }).of(highlight?.country ?? 'SE') ?? '')}
                  {groupName && highlight && (
                    <>
                      {' '}
                      <a class="ds-link" href={`/compare?indicator=${encodeURIComponent(ind.code)}&area=${encodeURIComponent(highlight.key)}&group=`}>
                        {t[l].wholeCountry}
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
              <div class="ind-table-wrap">
                <Table
                  caption={`${t[l].dataTable}: ${ind.name}${ind.unit ? ` (${ind.unit})` : ''}${neutral ? `. ${t[l].byValue}` : ''}`}
                  head={neutral ? [t[l].area, t[l].period, t[l].value] : [t[l].rank, t[l].area, t[l].period, t[l].value]}
                >
                  {rows.map((x, i) => (
                    <tr aria-current={x.key === highlight?.key ? 'true' : undefined}>
                      {!neutral && <td>{rankAt(rows, i)}</td>}
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
}

/**
 * The rank of the i-th of rows sorted best first: tied values share the rank of the first of them
 * (1, 1, 3), as stats() counts the highlighted area's rank in the summary above the table.
 */
function rankAt(rows: { value: number }[], i: number): number {
  let first = i;
  while (first > 0 && rows[first - 1]!.value === rows[i]!.value) first--;
  return first + 1;
}
