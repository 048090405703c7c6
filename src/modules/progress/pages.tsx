/**
 * The HTML pages: an area's progress, one goal across a network's members, a
 * network's status per member (with its targets, which its editors set here), and
 * the sections other modules' pages show. Every page reads stored results only.
 * Why this file is long: the three pages share their helpers and the status page's form; the badges and the explanation live in views.tsx.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps, AreaSection, OrganisationSection } from '../../platform/http.js';
import { NotFoundError } from '../../platform/errors.js';
import { Layout } from '../../web/layout.js';
import { Button } from '../../web/components.js';
import { Csrf, emptyForm, ErrorSummary, SelectField, TextField, type FormState } from '../../web/form-fields.js';
import { handleForm } from '../../web/forms.js';
import { formatDateTime, formatNumber, INTL_TAG, type Locale } from '../../web/i18n/index.js';
import { directory } from '../directory/index.js';
import { areaIndicators, getIndicator, indicatorOptions, SDG_GOALS } from '../indicators/index.js';
import { DIMENSION_LABEL, LEVEL_LABEL, t } from './i18n.js';
import { canSetTarget } from './policy.js';
import * as q from './queries.js';
import * as svc from './service.js';
import { ColourBadge, explain, num, SDG_COLOURS, STATUS_ORDER, StatusBadge, Styles, TrendBadge } from './views.js';

type IndMeta = { name: string; unit: string; decimals: number; lang: string };

/** Names, units and decimals of the indicators in a list of statuses. */
async function indicatorMeta(db: AppDeps['db'], areaId: string | null, codes: string[]): Promise<Map<string, IndMeta>> {
  const out = new Map<string, IndMeta>();
  if (areaId) for (const r of await areaIndicators(db.orm, areaId)) out.set(r.code, { name: r.name, unit: r.unit, decimals: r.decimals, lang: r.lang });
  for (const c of codes) {
    if (out.has(c)) continue;
    const i = await getIndicator(db.orm, c).catch(() => null);
    if (i) out.set(c, { name: i.name, unit: i.unit, decimals: i.decimals, lang: i.lang });
  }
  return out;
}

/** Goal numbers in numeric order (2 before 10), no goal last; one collator, not one per comparison. */
const byGoal = new Intl.Collator(undefined, { numeric: true });
/** One collator per language for sorting names, made once (building one costs more than a sort of a page's rows). */
const collators = new Map<Locale, Intl.Collator>();
const collatorFor = (l: Locale) => collators.get(l) ?? collators.set(l, new Intl.Collator(INTL_TAG[l])).get(l)!;
const goalName = (l: Locale, n: string) => SDG_GOALS.find((g) => g.code === n)?.short[l] ?? n;
const lang = (l: Locale, contentLang: string) => (contentLang !== l ? contentLang : undefined);

export async function progressPages(app: FastifyInstance, deps: AppDeps) {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

  // An area's progress -----------------------------------------------------------------
  r.get('/areas/:key/progress', { schema: { hide: true, params: z.object({ key: z.string().max(40) }) } }, async (req, reply) => {
    const l = req.locale;
    const tr = t[l];
    const area = await directory.getAreaByKey(db.orm, req.params.key);
    const [p, nets] = await Promise.all([q.areaProgress(db.orm, area.id), q.networksOfArea(db.orm, area.id)]);
    const meta = await indicatorMeta(db, area.id, p.statuses.map((s) => s.indicator_code));
    const goals = new Map(p.goals.map((g) => [g.goal, g]));
    const net = nets[0] ? await directory.getOrganisation(db.orm, nets[0]) : null;
    const goalHref = (n: string) => `/goals/${n}${net ? `?network=${encodeURIComponent(net.slug)}` : ''}`;
    const collator = collatorFor(l);
    const statuses = [...p.statuses].sort((a, b) => byGoal.compare(a.goal ?? 'z', b.goal ?? 'z') || collator.compare(meta.get(a.indicator_code)?.name ?? a.indicator_code, meta.get(b.indicator_code)?.name ?? b.indicator_code));
    const idx = p.index;
    return reply.html(
      <Layout req={req} title={tr.progressTitle(area.name)} crumbs={[{ href: `/areas/${area.key}`, label: area.name }]}>
        <Styles />
        <h1 class="ds-heading" data-size="lg">
          {tr.progressTitle(area.name)}
        </h1>
        <p class="ds-paragraph">{tr.progressIntro}</p>
        <section aria-labelledby="prog-index">
          <h2 class="ds-heading" data-size="md" id="prog-index">
            {tr.index}
          </h2>
          {idx?.score != null ? (
            <>
              <p class="prog-index">{tr.indexScore(formatNumber(l, idx.score, { maximumFractionDigits: 1 }))}</p>
              <p class="ds-paragraph">{tr.indexBasis(idx.selected)}</p>
            </>
          ) : idx?.withheld === 'too_many_missing' ? (
            <p class="ds-paragraph">{tr.indexWithheldMissing(idx.missing, idx.selected, formatNumber(l, idx.max_missing_share, { style: 'percent' }))}</p>
          ) : (
            <p class="ds-paragraph">{tr.indexNone}</p>
          )}
          {idx && <p class="ds-paragraph">{tr.computedAt(formatDateTime(l, idx.computed_at))}</p>}
        </section>
        <section aria-labelledby="prog-goals">
          <h2 class="ds-heading" data-size="md" id="prog-goals">
            {tr.goals}
          </h2>
          <ul class="prog-goals">
            {SDG_GOALS.map((g) => {
              const s = goals.get(g.code);
              return (
                <li class="prog-goal" style={`--sdg:${SDG_COLOURS[g.code]}`}>
                  <h3>
                    <a class="ds-link" href={goalHref(g.code)}>
                      {tr.goalN(g.code, g.short[l])}
                    </a>
                  </h3>
                  {s && s.colour ? (
                    <>
                      <p>
                        <ColourBadge l={l} colour={s.colour} />
                      </p>
                      {s.trend && (
                        <p>
                          <TrendBadge l={l} trend={s.trend} />
                        </p>
                      )}
                      {s.score != null && (
                        <p>
                          {tr.score}: {num(l, s.score, 0)}
                        </p>
                      )}
                    </>
                  ) : (
                    <p>{tr.noGoalData}</p>
                  )}
                </li>
              );
            })}
          </ul>
        </section>
        <section aria-labelledby="prog-inds">
          <h2 class="ds-heading" data-size="md" id="prog-inds">
            {tr.indicators}
          </h2>
          {statuses.length === 0 ? (
            <p class="ds-paragraph">{tr.noStatuses}</p>
          ) : (
            <div class="prog-wrap">
              <table class="ds-table prog-table" data-border>
                <thead>
                  <tr>
                    <th scope="col">{tr.indicator}</th>
                    <th scope="col">{tr.value}</th>
                    <th scope="col">{tr.target}</th>
                    <th scope="col">{tr.status}</th>
                    <th scope="col">{tr.explanation}</th>
                  </tr>
                </thead>
                <tbody>
                  {statuses.map((s) => {
                    const m = meta.get(s.indicator_code) ?? { name: s.indicator_code, unit: '', decimals: 1, lang: l };
                    const d = s.details;
                    return (
                      <tr>
                        <th scope="row">
                          <a class="ds-link" href={`/indicators/${encodeURIComponent(s.indicator_code)}?area=${area.key}`} lang={lang(l, m.lang)}>
                            {m.name}
                          </a>
                          {s.breakdown && <span> ({s.breakdown})</span>}
                        </th>
                        <td data-label={tr.value}>
                          {d.latestValue != null ? `${num(l, d.latestValue, m.decimals)}${m.unit ? ` ${m.unit}` : ''} (${d.latestPeriod})` : '–'}
                        </td>
                        <td data-label={tr.target}>
                          {s.target_id ? (
                            <>
                              {tr.targetBy(`${num(l, d.target, m.decimals)}${m.unit ? ` ${m.unit}` : ''}`, d.targetYear)}
                              <br />
                              <small>{LEVEL_LABEL[l][d.level as 'global']}</small>
                            </>
                          ) : (
                            tr.noTarget
                          )}
                        </td>
                        <td data-label={tr.status}>
                          <StatusBadge l={l} status={s.status} />
                          {s.trend && (
                            <>
                              <br />
                              <TrendBadge l={l} trend={s.trend} />
                            </>
                          )}
                        </td>
                        <td data-label={tr.explanation}>{explain(l, s, m.decimals, m.unit)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
          <p class="ds-paragraph">
            <a class="ds-link" href={`/api/progress/statuses.csv?area=${area.key}`}>
              {tr.exportCsv}
            </a>{' '}
            ·{' '}
            <a class="ds-link" href={`/api/areas/${area.key}/progress`}>
              {tr.exportJson}
            </a>
          </p>
        </section>
      </Layout>,
    );
  });

  // One goal across a network's members ---------------------------------------------------
  r.get('/goals/:n', {
    schema: { hide: true, params: z.object({ n: z.string().regex(/^([1-9]|1[0-7])$/) }), querystring: z.object({ network: z.string().max(200).optional(), sort: z.string().max(80).optional() }) },
  }, async (req, reply) => {
    const l = req.locale;
    const tr = t[l];
    const n = req.params.n;
    const networks = (await directory.listOrganisations(db.orm, { kind: 'network', pageSize: 200 })).items;
    const chosen = req.query.network ? networks.find((o) => o.slug === req.query.network) : networks[0];
    if (req.query.network && !chosen) throw new NotFoundError('network', req.query.network);
    const members = chosen ? (await q.networkMembers(db.orm, chosen.id)).members : [];
    const rows = await q.goalStatuses(db.orm, n, members.map((m) => m.areaId));
    const codes = [...new Set(rows.map((s) => s.indicator_code))].sort();
    const meta = await indicatorMeta(db, null, codes);
    const cell = new Map(rows.map((s) => [`${s.area_id}|${s.indicator_code}`, s]));
    const collator = collatorFor(l);
    const sort = req.query.sort && codes.includes(req.query.sort) ? req.query.sort : null;
    const rank = (areaId: string) => {
      const s = sort ? cell.get(`${areaId}|${sort}`) : undefined;
      return s ? STATUS_ORDER.indexOf(s.status) : STATUS_ORDER.length;
    };
    const sorted = [...members].sort((a, b) => (sort ? rank(a.areaId) - rank(b.areaId) : 0) || collator.compare(a.name, b.name));
    const title = tr.goalTitle(n, goalName(l, n));
    return reply.html(
      <Layout req={req} title={title}>
        <Styles />
        <h1 class="ds-heading" data-size="lg">
          {title}
        </h1>
        <p class="ds-paragraph">{tr.goalIntro}</p>
        {networks.length === 0 ? (
          <p class="ds-paragraph">{tr.noNetworks}</p>
        ) : (
          <form method="get" action={`/goals/${n}`} class="prog-form">
            <SelectField name="network" label={tr.chooseNetwork} form={emptyForm({ network: chosen?.slug ?? '' })} options={networks.map((o) => ({ value: o.slug, label: o.name }))} />
            <div>
              <Button variant="secondary">{tr.show}</Button>
            </div>
          </form>
        )}
        {chosen && members.length === 0 && <p class="ds-paragraph">{tr.noMembers}</p>}
        {members.length > 0 && codes.length === 0 && <p class="ds-paragraph">{tr.noGoalIndicators}</p>}
        {members.length > 0 && codes.length > 0 && (
          <div class="prog-wrap">
            <table class="ds-table prog-table" data-border>
              <caption>{chosen?.name}</caption>
              <thead>
                <tr>
                  <th scope="col">{tr.area}</th>
                  {codes.map((c) => (
                    <th scope="col" aria-sort={sort === c ? 'ascending' : undefined}>
                      <a class="ds-link" href={`/goals/${n}?network=${encodeURIComponent(chosen!.slug)}&sort=${encodeURIComponent(c)}`} aria-label={tr.sortBy(meta.get(c)?.name ?? c)}>
                        {meta.get(c)?.name ?? c}
                      </a>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {sorted.map((m) => (
                  <tr>
                    <th scope="row">
                      <a class="ds-link" href={`/areas/${m.areaKey}/progress`}>
                        {m.name}
                      </a>
                    </th>
                    {codes.map((c) => {
                      const s = cell.get(`${m.areaId}|${c}`);
                      return <td data-label={meta.get(c)?.name ?? c}>{s ? <StatusBadge l={l} status={s.status} /> : '–'}</td>;
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Layout>,
    );
  });

  // A network's status per member, its targets, and the form to set one ---------------------
  const statusPage = async (req: FastifyRequest, slug: string, form: FormState = emptyForm({ targetYear: '2030', baselineYear: '2015' })) => {
    const l = req.locale;
    const tr = t[l];
    const { organisation: org, members } = await q.networkMembers(db.orm, slug);
    const isNetwork = org.kind === 'network';
    const [sum, targets, mayEdit, options] = await Promise.all([
      q.areasSummary(db.orm, members.map((m) => m.areaId)),
      isNetwork ? q.listTargets(db.orm, { organisationId: org.id }) : Promise.resolve([]),
      isNetwork ? canSetTarget(db.orm, req.actor, { level: 'network', organisationId: org.id, areaId: null }) : Promise.resolve(false),
      indicatorOptions(db.orm),
    ]);
    const goalCell = new Map(sum.goals.map((g) => [`${g.area_id}|${g.goal}`, g]));
    const indexOf = new Map(sum.index.map((i) => [i.area_id, i]));
    const dims = [...new Set(sum.index.flatMap((i) => Object.keys(i.u4ssc ?? {})))].sort();
    const collator = collatorFor(l);
    const sorted = [...members].sort((a, b) => collator.compare(a.name, b.name));
    const names = new Map(options.map((o) => [o.code, o.name]));
    const title = tr.statusTitle(org.name);
    return (
      <Layout req={req} title={title} crumbs={[{ href: `/organisations/${org.slug}`, label: org.name }]}>
        <Styles />
        <h1 class="ds-heading" data-size="lg">
          {title}
        </h1>
        {!isNetwork ? (
          <p class="ds-paragraph">{tr.notNetwork}</p>
        ) : (
          <>
            <p class="ds-paragraph">{tr.statusIntro}</p>
            {members.length === 0 ? (
              <p class="ds-paragraph">{tr.noMembers}</p>
            ) : (
              <div class="prog-wrap">
                <table class="ds-table prog-table" data-border>
                  <caption>{tr.goals}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{tr.member}</th>
                      <th scope="col">{tr.index}</th>
                      {SDG_GOALS.map((g) => (
                        <th scope="col">
                          <a class="ds-link" href={`/goals/${g.code}?network=${encodeURIComponent(org.slug)}`} title={g.short[l]}>
                            {tr.goalN(g.code, '').replace(/:\s*$/, '')}
                          </a>
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {sorted.map((m) => {
                      const i = indexOf.get(m.areaId);
                      return (
                        <tr>
                          <th scope="row">
                            <a class="ds-link" href={`/areas/${m.areaKey}/progress`}>
                              {m.name}
                            </a>
                          </th>
                          <td data-label={tr.index}>{i?.score != null ? num(l, i.score, 0) : '–'}</td>
                          {SDG_GOALS.map((g) => {
                            const c = goalCell.get(`${m.areaId}|${g.code}`);
                            return (
                              <td data-label={tr.goalN(g.code, g.short[l])}>
                                {c?.colour ? <ColourBadge l={l} colour={c.colour} /> : '–'}
                                {c?.trend && (
                                  <>
                                    <br />
                                    <TrendBadge l={l} trend={c.trend} />
                                  </>
                                )}
                              </td>
                            );
                          })}
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
            <section aria-labelledby="prog-u4ssc">
              <h2 class="ds-heading" data-size="md" id="prog-u4ssc">
                {tr.u4sscScores}
              </h2>
              <p class="ds-paragraph">{tr.u4sscIntro}</p>
              {dims.length === 0 ? (
                <p class="ds-paragraph">{tr.u4sscNone}</p>
              ) : (
                <div class="prog-wrap">
                  <table class="ds-table prog-table" data-border>
                    <thead>
                      <tr>
                        <th scope="col">{tr.member}</th>
                        {dims.map((d) => (
                          <th scope="col">{DIMENSION_LABEL[l][d as 'EC'] ?? d}</th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {sorted.map((m) => (
                        <tr>
                          <th scope="row">{m.name}</th>
                          {dims.map((d) => {
                            const u = indexOf.get(m.areaId)?.u4ssc?.[d];
                            return <td data-label={DIMENSION_LABEL[l][d as 'EC'] ?? d}>{u ? `${formatNumber(l, u.score, { style: 'percent', maximumFractionDigits: 0 })} (${u.sum}/${4 * u.counted})` : '–'}</td>;
                          })}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </section>
            <section aria-labelledby="prog-targets">
              <h2 class="ds-heading" data-size="md" id="prog-targets">
                {tr.networkTargets}
              </h2>
              <p class="ds-paragraph">{tr.networkTargetsIntro}</p>
              {targets.length === 0 ? (
                <p class="ds-paragraph">{tr.noNetworkTargets}</p>
              ) : (
                <ul class="ds-list">
                  {targets.map((x) => (
                    <li>
                      <a class="ds-link" href={`/indicators/${encodeURIComponent(x.indicatorCode)}`}>
                        {names.get(x.indicatorCode) ?? x.indicatorCode}
                      </a>
                      : {tr.targetBy(num(l, x.value, 3), x.targetYear)}
                      {x.source && <span> – {x.source}</span>}
                      {mayEdit && (
                        <form method="post" action={`/organisations/${org.slug}/targets/${x.id}/delete`} style="display:inline;margin-left:.5rem">
                          <Csrf req={req} />
                          <button class="ds-button" data-variant="tertiary" data-size="sm" type="submit" aria-label={tr.removeTarget(names.get(x.indicatorCode) ?? x.indicatorCode)}>
                            {tr.remove}
                          </button>
                        </form>
                      )}
                    </li>
                  ))}
                </ul>
              )}
              {mayEdit && (
                <>
                  <h3 class="ds-heading" data-size="sm">
                    {tr.addTarget}
                  </h3>
                  <ErrorSummary req={req} form={form} labels={{ indicator: tr.indicator, value: tr.targetValue, targetYear: tr.targetYear, baselineYear: tr.baselineYear, limit: tr.limit, bound: tr.bound, green: tr.green, red: tr.red, source: tr.source }} />
                  <form method="post" action={`/organisations/${org.slug}/targets`} class="prog-form" novalidate>
                    <Csrf req={req} />
                    <SelectField name="indicator" label={tr.indicator} form={form} options={options.map((o) => ({ value: o.code, label: o.name }))} required />
                    <TextField name="value" label={tr.targetValue} form={form} required />
                    <TextField name="targetYear" label={tr.targetYear} form={form} />
                    <TextField name="baselineYear" label={tr.baselineYear} form={form} />
                    <TextField name="limit" label={tr.limit} form={form} />
                    <TextField name="bound" label={tr.bound} form={form} />
                    <TextField name="green" label={tr.green} form={form} />
                    <TextField name="red" label={tr.red} form={form} />
                    <TextField name="source" label={tr.source} form={form} />
                    <div>
                      <Button>{tr.save}</Button>
                    </div>
                  </form>
                </>
              )}
            </section>
          </>
        )}
      </Layout>
    );
  };

  r.get('/organisations/:slug/status', { schema: { hide: true, params: z.object({ slug: z.string().max(200) }) } }, async (req, reply) => reply.html(await statusPage(req, req.params.slug)));

  r.post('/organisations/:slug/targets', { schema: { hide: true, params: z.object({ slug: z.string().max(200) }) } }, async (req, reply) => {
    const org = await directory.getOrganisation(db.orm, req.params.slug);
    const res = await handleForm(req, (v) => svc.createTarget(db, req.actor, { ...v, level: 'network', organisation: org.id }));
    if (!res.ok) return reply.html(await statusPage(req, org.slug, res.form), 422);
    return reply.redirect(`/organisations/${org.slug}/status`, 303);
  });

  r.post('/organisations/:slug/targets/:id/delete', { schema: { hide: true, params: z.object({ slug: z.string().max(200), id: z.string().max(100) }) } }, async (req, reply) => {
    const org = await directory.getOrganisation(db.orm, req.params.slug);
    const target = await svc.getTarget(db.orm, req.params.id);
    if (target.organisationId !== org.id) throw new NotFoundError('target', req.params.id);
    await svc.deleteTarget(db, req.actor, target.id);
    return reply.redirect(`/organisations/${org.slug}/status`, 303);
  });
}

/** On an area's page: the index and a link to the progress page. */
export function areaProgressSection(db: AppDeps['db']): AreaSection {
  return async (req, area) => {
    const p = await q.areasSummary(db.orm, [area.id]);
    const i = p.index[0];
    const l = req.locale;
    return (
      <section aria-labelledby="area-progress" class="section">
        <h2 class="ds-heading" data-size="sm" id="area-progress">
          {t[l].progressSection}
        </h2>
        {i?.score != null && (
          <p class="ds-paragraph">
            {t[l].index}: {t[l].indexScore(formatNumber(l, i.score, { maximumFractionDigits: 1 }))}
          </p>
        )}
        <p class="ds-paragraph">
          <a class="ds-link" href={`/areas/${area.key}/progress`}>
            {t[l].progressLink(area.name)}
          </a>
        </p>
      </section>
    );
  };
}

/** On an organisation's page: its area's progress, or for a network the status per member. */
export function organisationProgressSection(db: AppDeps['db']): OrganisationSection {
  return async (req, org) => {
    const l = req.locale;
    if (org.kind === 'network') {
      return (
        <section aria-labelledby="org-progress" class="section">
          <h2 class="ds-heading" data-size="sm" id="org-progress">
            {t[l].progressSection}
          </h2>
          <p class="ds-paragraph">
            <a class="ds-link" href={`/organisations/${org.slug}/status`}>
              {t[l].statusLink}
            </a>
          </p>
        </section>
      );
    }
    if (!org.areaId) return null;
    const area = org.area !== undefined ? org.area : await directory.getAreaById(db.orm, org.areaId);
    if (!area) return null;
    return areaProgressSection(db)(req, area);
  };
}

