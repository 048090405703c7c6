/**
 * The project pages: list with filters, a project, create and edit forms,
 * documents, the network overview, and the "Projects" section on organisation
 * pages. One file because the routes share the form handling; the form, the
 * views and the chart live beside it.
 * Why this file is long: the routes share the form handling; the views are already beside it.
 */
import { requireUser } from '../../web/context.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps, OrganisationRef } from '../../platform/http.js';
import { ValidationError } from '../../platform/errors.js';
import type { FileStorage } from '../../platform/storage/index.js';
import { Alert, Button, ButtonLink, Table } from '../../web/components.js';
import { Csrf, emptyForm, ErrorSummary, FileField, TextArea, TextField, type FormState } from '../../web/form-fields.js';
import { formValues } from '../../web/forms.js';
import { formatDate, type Locale } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import type { Actor } from '../../platform/audit.js';
import { directory } from '../directory/index.js';
import { SDG_GOALS, sdgTargets } from '../indicators/index.js';
import { plans } from '../plans/index.js';
import { challenges } from '../challenges/index.js';
import { fundingChartSvg } from './chart.js';
import { formErrors, formValuesOf, ProjectForm, readProjectForm } from './forms.js';
import { milestoneKindLabel, partnerRoleLabel, pt, stateLabel } from './i18n.js';
import { ListFilter } from './inputs.js';
import { formatMoney, rateToDecimal, toDecimal } from './money.js';
import { networkOverview } from './overview.js';
import * as policy from './policy.js';
import { toInput } from './present.js';
import { listProjects, OrgNames, projectView, type ProjectView } from './queries.js';
import { CURRENCIES, PROJECT_STATES, type Currency } from './schema.js';
import * as svc from './service.js';
import { asUploadedFile } from '../../web/multipart.js';
import { Money, period, Scroll, StateTag } from './views.js';

const Slug = z.object({ slug: z.string().min(1).max(200) });
const DocParams = Slug.extend({ id: z.string().min(1).max(100) });
const CONTENT_LANG_OK = (l: Locale, lang: string) => (lang === l ? undefined : lang);


/** The form's choices; plan actions and challenges only those this actor may see (no draft of another organisation). */
async function options(db: AppDeps['db'], actor: Actor) {
  const [orgs, people, acts, chs] = await Promise.all([directory.organisationOptions(db.orm), directory.personOptions(db.orm), plans.visibleActions(db.orm, actor), challenges.listChallenges(db.orm, actor)]);
  return {
    orgs: orgs.map((o) => ({ value: o.id, label: o.name })),
    people: people.map((p) => ({ value: p.id, label: p.title ? `${p.name} (${p.title})` : p.name })),
    actions: acts.map((a) => ({ value: a.action.id, label: `${a.plan.title}: ${a.action.identifier} ${a.action.title}` })),
    challenges: chs.map((c) => ({ value: c.challenge.id, label: c.owner ? `${c.challenge.title} (${c.owner.name})` : c.challenge.title })),
  };
}

export async function projectPages(app: FastifyInstance, { db, config, storage }: AppDeps & { storage: FileStorage }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const hide = { hide: true } as const;

  // --- List ------------------------------------------------------------------
  r.get('/projects', { schema: { ...hide, querystring: ListFilter } }, async (req, reply) => {
    const l = req.locale;
    const t = pt[l];
    const f = req.query;
    const names = new OrgNames(db.orm);
    const items = await listProjects(db.orm, req.actor, f, names);
    const opts = (await directory.organisationOptions(db.orm)).map((o) => ({ value: o.slug, label: o.name }));
    const filtered = Object.values(f).some((v) => v !== undefined && v !== '');
    const qs = new URLSearchParams(Object.entries(f).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)])).toString();
    const Select = ({ name, label, choices, value }: { name: string; label: string; choices: { value: string; label: string }[]; value: string | number | undefined }) => (
      <div class="ds-field">
        <label class="ds-label" for={`flt-${name}`}>
          {label}
        </label>
        <select class="ds-input" id={`flt-${name}`} name={name}>
          <option value="">{t.any}</option>
          {choices.map((c) => (
            <option value={c.value} selected={String(value ?? '') === c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
    );
    const years = Array.from({ length: 15 }, (_, i) => String(new Date().getUTCFullYear() + 2 - i));
    return reply.html(
      <Layout req={req} title={t.projects}>
        <h1 class="ds-heading" data-size="lg">
          {t.projects}
        </h1>
        <div class="actions">
          {policy.mayCreateSome(req.actor) && <ButtonLink href="/projects/new" variant="primary">{t.newProject}</ButtonLink>}
          <a class="ds-link" href={`/projects/export.csv${qs ? `?${qs}` : ''}`}>
            {t.exportCsv}
          </a>
          <a class="ds-link" href={`/projects/export.xlsx${qs ? `?${qs}` : ''}`}>
            {t.exportXlsx}
          </a>
          <a class="ds-link" href="/projects/deadlines.ics">
            {t.calendar}
          </a>
        </div>
        <form method="get" action="/projects" class="filter-form" role="search" aria-label={t.filters}>
          <div class="ds-field">
            <label class="ds-label" for="flt-q">
              {t.search}
            </label>
            <input class="ds-input" type="search" id="flt-q" name="q" value={f.q ?? ''} />
          </div>
          <Select name="organisation" label={t.organisation} choices={opts} value={f.organisation} />
          <Select name="partner" label={t.partner} choices={opts} value={f.partner} />
          <Select name="funder" label={t.funder} choices={opts} value={f.funder} />
          <Select name="sdg" label={t.sdg} choices={SDG_GOALS.map((g) => ({ value: g.code, label: `${g.code}. ${g.short[l]}` }))} value={f.sdg} />
          <Select name="state" label={t.state} choices={PROJECT_STATES.map((s) => ({ value: s, label: stateLabel(l, s) }))} value={f.state} />
          <Select name="year" label={t.year} choices={years.map((y) => ({ value: y, label: y }))} value={f.year} />
          <Select name="country" label={t.country} choices={[{ value: 'SE', label: 'Sverige' }, { value: 'NO', label: 'Norge' }, { value: 'DK', label: 'Danmark' }]} value={f.country} />
          <Button variant="secondary">{t.filter}</Button>
        </form>
        {items.length === 0 ? (
          <>
            <p class="ds-paragraph">{filtered ? t.noProjects : t.noProjectsYet}</p>
            {!filtered && policy.mayCreateSome(req.actor) && <p class="ds-paragraph">{t.createHint}</p>}
          </>
        ) : (
          <Scroll label={t.projects}>
            <Table caption={t.projects} head={[t.name, t.owner, t.period, t.state, t.funder, t.total]}>
              {items.map((e) => (
                <tr>
                  <td>
                    <a class="ds-link" href={`/projects/${e.project.slug}`} lang={CONTENT_LANG_OK(l, e.project.lang)}>
                      {e.project.name}
                    </a>
                    {e.project.acronym && <> ({e.project.acronym})</>}
                  </td>
                  <td>{e.owner.name}</td>
                  <td>{period(l, e.project.startDate, e.project.endDate)}</td>
                  <td>
                    <StateTag l={l} state={e.project.state} />
                  </td>
                  <td>{[...new Set(e.funding.filter((s) => !s.isOwn).map((s) => s.funder.name))].join(', ') || '–'}</td>
                  <td>
                    <Money l={l} p={e.totals.total} />
                  </td>
                </tr>
              ))}
            </Table>
          </Scroll>
        )}
      </Layout>,
    );
  });

  // --- Create ----------------------------------------------------------------
  const renderForm = async (req: FastifyRequest, reply: FastifyReply, form: FormState, mode: { action: string; title: string; submit: string; crumbs: { href: string; label: string }[]; notice?: string }, status = 200) => {
    const o = await options(db, req.actor);
    return reply.html(
      <Layout req={req} title={mode.title} crumbs={mode.crumbs}>
        {mode.notice && <Alert color="success">{mode.notice}</Alert>}
        <h1 class="ds-heading" data-size="lg">
          {mode.title}
        </h1>
        <ProjectForm req={req} form={form} action={mode.action} orgs={o.orgs} people={o.people} actions={o.actions} challenges={o.challenges} submit={mode.submit} />
      </Layout>,
      status,
    );
  };

  r.get('/projects/new', { schema: { ...hide, querystring: z.object({ owner: z.string().max(200).optional() }) } }, async (req, reply) => {
    requireUser(req);
    const t = pt[req.locale];
    let ownerOrgId = '';
    if (req.query.owner) ownerOrgId = (await svc.orgByRef(db.orm, req.query.owner).catch(() => null))?.id ?? '';
    return renderForm(req, reply, emptyForm({ lang: req.locale, state: 'planned', visibility: 'public', ownerOrgId }), { action: '/projects', title: t.newProject, submit: t.create, crumbs: [{ href: '/projects', label: t.projects }] });
  });

  r.post('/projects', { schema: hide }, async (req, reply) => {
    const t = pt[req.locale];
    const values = formValues(req.body);
    try {
      const p = await svc.createProject(db, req.actor, readProjectForm(values));
      return reply.redirect(`/projects/${p.slug}?created=1`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return renderForm(req, reply, { values, errors: formErrors(req, err, values) }, { action: '/projects', title: t.newProject, submit: t.create, crumbs: [{ href: '/projects', label: t.projects }] }, 422);
    }
  });

  // Started from an accepted challenge response (the button on the challenge page, see challengeProjectsSection).
  r.post('/projects/from-response', { schema: hide }, async (req, reply) => {
    const values = formValues(req.body);
    const p = await svc.startProjectFromResponse(db, req.actor, { challengeId: values.challengeId, responseId: values.responseId });
    return reply.redirect(`/projects/${p.slug}/edit?started=1`, 303);
  });

  // Calendar and exports are in feeds.ts; their fixed paths win over /projects/:slug in Fastify's router.

  // --- Network overview ------------------------------------------------------
  const renderOverview = async (req: FastifyRequest, reply: FastifyReply, slug: string, currency: Currency | null, ratesForm?: FormState, status = 200) => {
    const l = req.locale;
    const t = pt[l];
    const o = await networkOverview(db.orm, req.actor, slug, currency);
    const canRates = await directory.canManageOrganisation(db.orm, req.actor, o.network.id);
    // One chart per currency shown: sums in different currencies never share an axis.
    const currencies = [...new Set(o.cells.map((c) => c.currency))].sort();
    const years = [...new Set(o.cells.map((c) => c.year))].sort((a, b) => a - b);
    const title = t.overviewOf(o.network.name);
    const ratesText = ratesForm?.values.ratesText ?? o.rates.map((x) => `${x.year} ${x.from} ${x.to} ${rateToDecimal(x.rateMicro)}`).join('\n');
    return reply.html(
      <Layout req={req} title={title} crumbs={[{ href: '/projects', label: t.projects }, { href: `/organisations/${o.network.slug}`, label: o.network.name }]}>
        <h1 class="ds-heading" data-size="lg">
          {title}
        </h1>
        <p class="ds-paragraph lead">{t.overviewIntro(o.members, o.projects.length)}</p>
        <form method="get" action={`/projects/networks/${o.network.slug}`} class="filter-form">
          <div class="ds-field">
            <label class="ds-label" for="ov-currency">
              {t.showIn}
            </label>
            <select class="ds-input" id="ov-currency" name="currency">
              <option value="">{t.ownCurrencies}</option>
              {CURRENCIES.map((c) => (
                <option value={c} selected={currency === c}>
                  {c}
                </option>
              ))}
            </select>
          </div>
          <Button variant="secondary">{t.filter}</Button>
        </form>
        <section class="section" aria-labelledby="ov-funding">
          <h2 class="ds-heading" data-size="md" id="ov-funding">
            {t.fundingByFunderYear}
          </h2>
          {currency && o.cells.some((c) => c.converted) && <p class="ds-paragraph">{t.convertedNote(currency)}</p>}
          {o.cells.length === 0 && <p class="ds-paragraph">{t.noFunding}</p>}
          {currencies.map((cur) => {
            const cells = o.cells.filter((c) => c.currency === cur);
            const funders = [...new Set(cells.map((c) => c.funder))];
            const ys = years.filter((y) => cells.some((c) => c.year === y));
            const series = funders.map((f) => ({ name: f, values: ys.map((y) => cells.filter((c) => c.funder === f && c.year === y).reduce((s, c) => s + Number(toDecimal(c.amountMinor)), 0)) }));
            const totals = funders.map((f) => [f, cells.filter((c) => c.funder === f).reduce((s, c) => s + c.amountMinor, 0n)] as const).sort((a, b) => (b[1] > a[1] ? 1 : b[1] < a[1] ? -1 : 0));
            const summary = t.chartSummary(cur, ys.length ? `${ys[0]}–${ys[ys.length - 1]}` : '', totals[0] ? `${totals[0][0]} (${formatMoney(l, totals[0][1], cur)})` : '–');
            return (
              <figure class="section">
                <figcaption class="ds-paragraph">{summary}</figcaption>
                <div role="img" aria-label={summary} dangerouslySetInnerHTML={{ __html: fundingChartSvg(l, ys, series, cur) }} />
                <Scroll label={`${t.fundingByFunderYear} (${cur})`}>
                  <Table caption={`${t.fundingByFunderYear} (${cur})`} head={[t.funder, ...ys.map(String)]}>
                    {funders.map((f) => (
                      <tr>
                        <th scope="row">{f}</th>
                        {ys.map((y) => {
                          const here = cells.filter((c) => c.funder === f && c.year === y);
                          const sum = here.reduce((s, c) => s + c.amountMinor, 0n);
                          return (
                            <td>
                              {here.length ? formatMoney(l, sum, cur) : '–'}
                              {here.some((c) => c.converted) && <> ({t.converted})</>}
                            </td>
                          );
                        })}
                      </tr>
                    ))}
                  </Table>
                </Scroll>
              </figure>
            );
          })}
        </section>
        <section class="section" aria-labelledby="ov-projects">
          <h2 class="ds-heading" data-size="md" id="ov-projects">
            {t.projects}
          </h2>
          {o.projects.length === 0 ? (
            <p class="ds-paragraph">{t.noProjectsYet}</p>
          ) : (
            <Scroll label={t.projects}>
              <Table caption={t.projects} head={[t.name, t.owner, t.period, t.state, t.total]}>
                {o.projects.map((e) => (
                  <tr>
                    <td>
                      <a class="ds-link" href={`/projects/${e.project.slug}`} lang={CONTENT_LANG_OK(l, e.project.lang)}>
                        {e.project.name}
                      </a>
                    </td>
                    <td>{e.owner.name}</td>
                    <td>{period(l, e.project.startDate, e.project.endDate)}</td>
                    <td>
                      <StateTag l={l} state={e.project.state} />
                    </td>
                    <td>
                      <Money l={l} p={e.totals.total} />
                    </td>
                  </tr>
                ))}
              </Table>
            </Scroll>
          )}
        </section>
        <section class="section" aria-labelledby="ov-rates">
          <h2 class="ds-heading" data-size="md" id="ov-rates">
            {t.rates}
          </h2>
          {o.rates.length === 0 && <p class="ds-paragraph">{t.noRates}</p>}
          {o.rates.length > 0 && (
            <ul class="ds-list">
              {o.rates.map((x) => (
                <li>{`${x.year}: 1 ${x.from} = ${rateToDecimal(x.rateMicro)} ${x.to}`}</li>
              ))}
            </ul>
          )}
          {canRates && (
            <form method="post" action={`/projects/networks/${o.network.slug}/rates`} class="form" noValidate>
              <Csrf req={req} />
              {ratesForm && <ErrorSummary req={req} form={ratesForm} labels={{ ratesText: t.rates }} />}
              <TextArea name="ratesText" label={t.rates} form={{ values: { ratesText }, errors: ratesForm?.errors ?? {} }} description={t.ratesHelp} rows={4} />
              <Button variant="secondary">{t.saveRates}</Button>
            </form>
          )}
        </section>
      </Layout>,
      status,
    );
  };

  r.get('/projects/networks/:slug', { schema: { ...hide, params: Slug, querystring: z.object({ currency: z.enum(CURRENCIES).or(z.literal('')).optional() }) } }, async (req, reply) =>
    renderOverview(req, reply, req.params.slug, req.query.currency || null));

  r.post('/projects/networks/:slug/rates', { schema: { ...hide, params: Slug } }, async (req, reply) => {
    const values = formValues(req.body);
    const rates = (values.ratesText ?? '')
      .split(/\r?\n/)
      .map((x) => x.trim())
      .filter(Boolean)
      .map((line) => {
        const [year = '', from = '', to = '', rate = ''] = line.split(/\s+/);
        return { year, from: from.toUpperCase(), to: to.toUpperCase(), rate };
      });
    try {
      await svc.setExchangeRates(db, req.actor, req.params.slug, { rates });
      return reply.redirect(`/projects/networks/${req.params.slug}`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const first = err.fields[0];
      const line = first ? Number(first.field.split('.')[1]) + 1 : 0;
      return renderOverview(req, reply, req.params.slug, null, { values, errors: { ratesText: `${line ? `${line}: ` : ''}${first?.message ?? ''}` } }, 422);
    }
  });

  // --- A project -------------------------------------------------------------
  const renderProject = async (req: FastifyRequest, reply: FastifyReply, v: ProjectView, docForm?: FormState, status = 200) => {
    const l = req.locale;
    const t = pt[l];
    const p = v.project;
    const lang = CONTENT_LANG_OK(l, p.lang);
    const q = req.query as Record<string, string | undefined>;
    const targets = new Map(sdgTargets().map((x) => [x.code, x.title]));
    const years = [...v.totals.byYear.keys()];
    return reply.html(
      <Layout req={req} title={p.name} crumbs={[{ href: '/projects', label: t.projects }]}>
        {q.created && <Alert color="success">{t.created}</Alert>}
        {q.saved && <Alert color="success">{t.saved}</Alert>}
        <h1 class="ds-heading" data-size="lg" lang={lang}>
          {p.name}
          {p.acronym && <> ({p.acronym})</>}
        </h1>
        <p>
          <StateTag l={l} state={p.state} />
        </p>
        <dl class="facts">
          <dt>{t.owner}</dt>
          <dd>
            <a class="ds-link" href={`/organisations/${v.owner.slug}`}>
              {v.owner.name}
            </a>
          </dd>
          {(v.coordinatorPerson || v.coordinatorOrg) && (
            <>
              <dt>{t.coordinator}</dt>
              <dd>
                {v.coordinatorPerson && (
                  <a class="ds-link" href={`/people/${v.coordinatorPerson.slug}`}>
                    {v.coordinatorPerson.name}
                  </a>
                )}
                {v.coordinatorPerson && v.coordinatorOrg && ', '}
                {v.coordinatorOrg && (
                  <a class="ds-link" href={`/organisations/${v.coordinatorOrg.slug}`}>
                    {v.coordinatorOrg.name}
                  </a>
                )}
              </dd>
            </>
          )}
          {(p.startDate || p.endDate) && (
            <>
              <dt>{t.period}</dt>
              <dd>{period(l, p.startDate, p.endDate)}</dd>
            </>
          )}
          <dt>{t.total}</dt>
          <dd>
            <Money l={l} p={v.totals.total} />
          </dd>
        </dl>
        {v.canManage && (
          <div class="actions">
            <ButtonLink href={`/projects/${p.slug}/edit`}>{t.editProject}</ButtonLink>
          </div>
        )}
        {[
          [t.description, p.description],
          [t.objectives, p.objectives],
          [t.targetGroup, p.targetGroup],
        ].map(([h, text]) =>
          text ? (
            <section class="section">
              <h2 class="ds-heading" data-size="sm">
                {h}
              </h2>
              <p class="ds-paragraph description" lang={lang}>
                {text}
              </p>
            </section>
          ) : null,
        )}
        <section class="section" aria-labelledby="p-partners">
          <h2 class="ds-heading" data-size="md" id="p-partners">
            {t.partners}
          </h2>
          {v.partners.length === 0 ? (
            <p class="ds-paragraph">{t.none}</p>
          ) : (
            <Scroll label={t.partners}>
              <Table head={[t.organisation, t.role, t.period]}>
                {v.partners.map((x) => (
                  <tr>
                    <td>
                      <a class="ds-link" href={`/organisations/${x.organisation.slug}`}>
                        {x.organisation.name}
                      </a>
                    </td>
                    <td>{partnerRoleLabel(l, x.role)}</td>
                    <td>{period(l, x.startDate ?? p.startDate, x.endDate ?? p.endDate)}</td>
                  </tr>
                ))}
              </Table>
            </Scroll>
          )}
        </section>
        <section class="section" aria-labelledby="p-ms">
          <h2 class="ds-heading" data-size="md" id="p-ms">
            {t.milestones}
          </h2>
          {v.milestones.length === 0 ? (
            <p class="ds-paragraph">{t.none}</p>
          ) : (
            <Scroll label={t.milestones}>
              <Table head={[t.kind, t.title, t.dueDate]}>
                {v.milestones.map((m) => (
                  <tr>
                    <td>{milestoneKindLabel(l, m.kind)}</td>
                    <td lang={lang}>{m.title}</td>
                    <td>{m.kind === 'phase' ? period(l, m.startDate, m.dueDate) : formatDate(l, m.dueDate)}</td>
                  </tr>
                ))}
              </Table>
            </Scroll>
          )}
          <p class="ds-paragraph">
            <a class="ds-link" href={`/projects/${p.slug}/deadlines.ics`}>
              {t.calendar}
            </a>
          </p>
        </section>
        <section class="section" aria-labelledby="p-funding">
          <h2 class="ds-heading" data-size="md" id="p-funding">
            {t.funding}
          </h2>
          {v.funding.length === 0 ? (
            <p class="ds-paragraph">{t.noFunding}</p>
          ) : (
            <>
              <p class="ds-paragraph" data-size="sm">
                {t.perCurrencyNote}
              </p>
              <Scroll label={t.totalsBySource}>
                <Table caption={t.totalsBySource} head={[t.funder, t.programme, t.grantReference, ...years.map(String), t.total]}>
                  {v.funding.map((s) => (
                    <tr>
                      <th scope="row">
                        <a class="ds-link" href={`/organisations/${s.funder.slug}`}>
                          {s.funder.name}
                        </a>
                        {s.isOwn && <> ({t.ownShort})</>}
                      </th>
                      <td>{s.programme ?? ''}</td>
                      <td>{s.grantReference ?? ''}</td>
                      {years.map((y) => {
                        const here = s.amounts.filter((a) => a.year === y);
                        return <td>{here.length ? <Money l={l} p={Object.fromEntries(here.map((a) => [a.currency, a.amountMinor]))} /> : '–'}</td>;
                      })}
                      <td>
                        <Money l={l} p={v.totals.bySource.get(s.id) ?? {}} />
                      </td>
                    </tr>
                  ))}
                  <tr>
                    <th scope="row">{t.total}</th>
                    <td></td>
                    <td></td>
                    {years.map((y) => (
                      <td>
                        <Money l={l} p={v.totals.byYear.get(y) ?? {}} />
                      </td>
                    ))}
                    <td>
                      <Money l={l} p={v.totals.total} />
                    </td>
                  </tr>
                </Table>
              </Scroll>
            </>
          )}
        </section>
        {v.sdgTargets.length > 0 && (
          <section class="section" aria-labelledby="p-sdg">
            <h2 class="ds-heading" data-size="md" id="p-sdg">
              {t.sdgTargets}
            </h2>
            <ul class="ds-list">
              {v.sdgTargets.map((c) => (
                <li>
                  <a class="ds-link" href={`/projects?sdg=${encodeURIComponent(c)}`}>
                    {c}
                  </a>{' '}
                  <span lang={l === 'en' ? undefined : 'en'}>{targets.get(c) ?? ''}</span>
                </li>
              ))}
            </ul>
          </section>
        )}
        {v.indicators.length > 0 && (
          <section class="section" aria-labelledby="p-ind">
            <h2 class="ds-heading" data-size="md" id="p-ind">
              {t.indicators}
            </h2>
            <ul class="ds-list">
              {v.indicators.map((c) => (
                <li>
                  <a class="ds-link" href={`/indicators/${encodeURIComponent(c)}`}>
                    {c}
                  </a>
                </li>
              ))}
            </ul>
          </section>
        )}
        {(v.planActions.length > 0 || v.challenges.length > 0) && (
          <section class="section" aria-labelledby="p-linked">
            <h2 class="ds-heading" data-size="md" id="p-linked">
              {t.linkedTo}
            </h2>
            {v.planActions.length > 0 && (
              <>
                <h3 class="ds-heading" data-size="xs">
                  {t.planActions}
                </h3>
                <ul class="ds-list">
                  {v.planActions.map((a) => (
                    <li>
                      <a class="ds-link" href={`/actions/${a.id}`}>
                        {a.identifier} <span lang={CONTENT_LANG_OK(l, a.lang)}>{a.title}</span>
                      </a>{' '}
                      (
                      <a class="ds-link" href={`/plans/${a.plan.id}`} lang={CONTENT_LANG_OK(l, a.plan.lang)}>
                        {a.plan.title}
                      </a>
                      )
                    </li>
                  ))}
                </ul>
              </>
            )}
            {v.challenges.length > 0 && (
              <>
                <h3 class="ds-heading" data-size="xs">
                  {t.challenges}
                </h3>
                <ul class="ds-list">
                  {v.challenges.map((c) => (
                    <li>
                      <a class="ds-link" href={`/challenges/${c.id}`} lang={CONTENT_LANG_OK(l, c.lang)}>
                        {c.title}
                      </a>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
        )}
        {v.links.length > 0 && (
          <section class="section" aria-labelledby="p-links">
            <h2 class="ds-heading" data-size="md" id="p-links">
              {t.links}
            </h2>
            <ul class="ds-list">
              {v.links.map((x) => (
                <li>
                  <a class="ds-link" href={x.url} rel={x.url.startsWith('/') ? undefined : 'noopener noreferrer'}>
                    {x.title}
                  </a>
                </li>
              ))}
            </ul>
          </section>
        )}
        <section class="section" aria-labelledby="p-docs">
          <h2 class="ds-heading" data-size="md" id="p-docs">
            {t.documents}
          </h2>
          {v.documents.length === 0 ? (
            <p class="ds-paragraph">{t.noDocuments}</p>
          ) : (
            <ul class="ds-list">
              {v.documents.map((d) => (
                <li>
                  <a class="ds-link" href={`/projects/${p.slug}/documents/${d.id}`}>
                    {d.title}
                  </a>{' '}
                  <span class="muted">({d.fileName})</span>
                  {v.canManage && (
                    <form method="post" action={`/projects/${p.slug}/documents/${d.id}/delete`} class="inline-form">
                      <Csrf req={req} />{' '}
                      <button class="ds-button" data-variant="tertiary" data-size="sm" type="submit">
                        {t.remove}
                        <span class="visually-hidden">: {d.title}</span>
                      </button>
                    </form>
                  )}
                </li>
              ))}
            </ul>
          )}
          {v.canManage && (
            <form method="post" action={`/projects/${p.slug}/documents`} enctype="multipart/form-data" class="form" noValidate>
              <h3 class="ds-heading" data-size="xs">
                {t.uploadDocument}
              </h3>
              <Csrf req={req} />
              {docForm && <ErrorSummary req={req} form={docForm} labels={{ title: t.title, file: t.file }} />}
              <TextField name="title" label={t.title} form={docForm ?? emptyForm()} required />
              <FileField name="file" label={t.file} form={docForm ?? emptyForm()} required description={t.fileHelp} />
              <Button variant="secondary">{t.upload}</Button>
            </form>
          )}
        </section>
        {v.canManage && (
          <section class="danger-zone" aria-labelledby="p-delete">
            <h2 class="ds-heading" data-size="sm" id="p-delete">
              {t.deleteProject}
            </h2>
            <p class="ds-paragraph">{t.deleteConfirm}</p>
            <form method="post" action={`/projects/${p.slug}/delete`}>
              <Csrf req={req} />
              <button class="ds-button" data-variant="secondary" data-color="danger" type="submit">
                {t.deleteProject}
              </button>
            </form>
          </section>
        )}
      </Layout>,
      status,
    );
  };

  r.get('/projects/:slug', { schema: { ...hide, params: Slug } }, async (req, reply) => renderProject(req, reply, await projectView(db.orm, req.actor, req.params.slug)));

  r.get('/projects/:slug/edit', { schema: { ...hide, params: Slug, querystring: z.object({ started: z.string().max(5).optional() }) } }, async (req, reply) => {
    requireUser(req);
    const v = await projectView(db.orm, req.actor, req.params.slug);
    await policy.assertCanManage(db.orm, req.actor, await svc.accessOf(db.orm, v.project));
    const t = pt[req.locale];
    return renderForm(req, reply, emptyForm(formValuesOf(toInput(v))), { action: `/projects/${v.project.slug}/edit`, title: t.editProject, submit: t.save, crumbs: [{ href: '/projects', label: t.projects }, { href: `/projects/${v.project.slug}`, label: v.project.name }], ...(req.query.started ? { notice: t.started } : {}) });
  });

  r.post('/projects/:slug/edit', { schema: { ...hide, params: Slug } }, async (req, reply) => {
    const values = formValues(req.body);
    try {
      const p = await svc.updateProject(db, req.actor, req.params.slug, readProjectForm(values));
      return reply.redirect(`/projects/${p.slug}?saved=1`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const t = pt[req.locale];
      return renderForm(req, reply, { values, errors: formErrors(req, err, values) }, { action: `/projects/${req.params.slug}/edit`, title: t.editProject, submit: t.save, crumbs: [{ href: '/projects', label: t.projects }] }, 422);
    }
  });

  r.post('/projects/:slug/delete', { schema: { ...hide, params: Slug } }, async (req, reply) => {
    await svc.deleteProject(db, storage, req.actor, req.params.slug);
    return reply.redirect('/projects', 303);
  });

  r.post('/projects/:slug/documents', { schema: { ...hide, params: Slug } }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      await svc.addDocument(db, storage, req.actor, req.params.slug, { title: body.title }, asUploadedFile(body.file), config.uploadMaxBytes);
      return reply.redirect(`/projects/${req.params.slug}#p-docs`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const errors: Record<string, string> = {};
      for (const f of err.fields) errors[f.field] ??= f.message;
      return renderProject(req, reply, await projectView(db.orm, req.actor, req.params.slug), { values: { title: typeof body.title === 'string' ? body.title : '' }, errors }, 422);
    }
  });

  r.post('/projects/:slug/documents/:id/delete', { schema: { ...hide, params: DocParams } }, async (req, reply) => {
    await svc.removeDocument(db, storage, req.actor, req.params.slug, req.params.id);
    return reply.redirect(`/projects/${req.params.slug}#p-docs`, 303);
  });

  r.get('/projects/:slug/documents/:id', { schema: { ...hide, params: DocParams } }, async (req, reply) => {
    const d = await svc.documentForDownload(db.orm, req.actor, req.params.slug, req.params.id);
    const ascii = d.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
    return reply
      .type(d.mimeType)
      .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(d.fileName)}`)
      .header('cache-control', 'private, no-store')
      .send(await storage.stream(d.storageKey));
  });
}

/** The "Projects" section on an organisation's page: projects it owns, and those it is a partner in with its role and dates. */
export function organisationProjectsSection(db: AppDeps['db']) {
  return async (req: FastifyRequest, org: OrganisationRef) => {
    const l = req.locale;
    const t = pt[l];
    const items = await listProjects(db.orm, req.actor, { organisation: org.id });
    const isNetwork = org.kind === 'network';
    const mayCreate = await directory.canManageOrganisation(db.orm, req.actor, org.id);
    if (!items.length && !isNetwork && !mayCreate) return null;
    const owned = items.filter((e) => e.project.ownerOrgId === org.id);
    const partnerIn = items.flatMap((e) => e.partners.filter((x) => x.organisationId === org.id).map((x) => ({ e, x })));
    return (
      <section aria-labelledby="org-projects" class="section">
        <h2 class="ds-heading" data-size="sm" id="org-projects">
          {t.orgProjects}
        </h2>
        {owned.length > 0 && (
          <>
            <h3 class="ds-heading" data-size="xs">
              {t.owns}
            </h3>
            <ul class="ds-list">
              {owned.map((e) => (
                <li>
                  <a class="ds-link" href={`/projects/${e.project.slug}`} lang={CONTENT_LANG_OK(l, e.project.lang)}>
                    {e.project.name}
                  </a>{' '}
                  ({period(l, e.project.startDate, e.project.endDate) || stateLabel(l, e.project.state)})
                </li>
              ))}
            </ul>
          </>
        )}
        {partnerIn.length > 0 && (
          <>
            <h3 class="ds-heading" data-size="xs">
              {t.partnerIn}
            </h3>
            <ul class="ds-list">
              {partnerIn.map(({ e, x }) => (
                <li>
                  <a class="ds-link" href={`/projects/${e.project.slug}`} lang={CONTENT_LANG_OK(l, e.project.lang)}>
                    {e.project.name}
                  </a>
                  {`: ${partnerRoleLabel(l, x.role)}, ${period(l, x.startDate ?? e.project.startDate, x.endDate ?? e.project.endDate)}`}
                </li>
              ))}
            </ul>
          </>
        )}
        {!items.length && <p class="ds-paragraph">{t.noProjectsYet}</p>}
        <p class="ds-paragraph">
          {isNetwork && (
            <a class="ds-link" href={`/projects/networks/${org.slug}`}>
              {t.overviewLink}
            </a>
          )}
          {isNetwork && mayCreate && ' · '}
          {mayCreate && (
            <a class="ds-link" href={`/projects/new?owner=${org.slug}`}>
              {t.newProject}
            </a>
          )}
        </p>
      </section>
    );
  };
}

/** Projects on a plan action's page (/actions/{id}): those carrying it out that the reader may see. */
export function actionProjectsSection(db: AppDeps['db']) {
  return async (req: FastifyRequest, action: { id: string }) => {
    const l = req.locale;
    const t = pt[l];
    const items = await listProjects(db.orm, req.actor, { action: action.id });
    if (!items.length) return null;
    return (
      <section class="section" aria-labelledby="action-projects">
        <h2 class="ds-heading" data-size="md" id="action-projects">
          {t.actionProjects}
        </h2>
        <ProjectList l={l} items={items} />
      </section>
    );
  };
}

/**
 * Projects on a challenge's page: those answering it that the reader may see and, for the
 * challenge's managers, a "Start a project" button per accepted response that has none yet. The
 * challenges module only renders the slot, so it never depends on projects.
 */
export function challengeProjectsSection(db: AppDeps['db']) {
  return async (req: FastifyRequest, challenge: { id: string; organisationId: string; canManage: boolean }) => {
    const l = req.locale;
    const t = pt[l];
    const items = await listProjects(db.orm, req.actor, { challenge: challenge.id });
    const accepted = challenge.canManage ? await challenges.acceptedResponses(db.orm, req.actor, challenge.id) : [];
    const starts: { responseId: string; org: { name: string; slug: string }; started: { slug: string; name: string } | null }[] = [];
    for (const r of accepted) {
      if (!r.responderOrgId) continue;
      const org = await directory.getOrganisation(db.orm, r.responderOrgId);
      const p = await svc.projectStartedFrom(db.orm, r.id);
      starts.push({ responseId: r.id, org: { name: org.name, slug: org.slug }, started: p ? { slug: p.slug, name: p.name } : null });
    }
    if (!items.length && !starts.length) return null;
    return (
      <section class="section" aria-labelledby="challenge-projects">
        <h2 class="ds-heading" data-size="md" id="challenge-projects">
          {t.challengeProjects}
        </h2>
        {items.length > 0 && <ProjectList l={l} items={items} />}
        {starts.some((x) => !x.started) && <p class="ds-paragraph" data-size="sm">{t.startHelp}</p>}
        {starts.map((x) =>
          x.started ? null : (
            <form method="post" action="/projects/from-response" class="inline-form">
              <Csrf req={req} />
              <input type="hidden" name="challengeId" value={challenge.id} />
              <input type="hidden" name="responseId" value={x.responseId} />
              <Button variant="secondary">{t.startProjectWith(x.org.name)}</Button>{' '}
            </form>
          ),
        )}
      </section>
    );
  };
}

function ProjectList({ l, items }: { l: Locale; items: Awaited<ReturnType<typeof listProjects>> }) {
  return (
    <ul class="ds-list">
      {items.map((e) => (
        <li>
          <a class="ds-link" href={`/projects/${e.project.slug}`} lang={CONTENT_LANG_OK(l, e.project.lang)}>
            {e.project.name}
          </a>{' '}
          ({e.owner.name}; {period(l, e.project.startDate, e.project.endDate) || stateLabel(l, e.project.state)})
        </li>
      ))}
    </ul>
  );
}
