/**
 * The HTML pages of priorities, plans and actions. One file because the pages share their forms
 * and helpers; each handler calls the same use cases and reads as the JSON API.
 * Why this file is long: the priority, plan and action pages share their forms and helpers; it is
 * not yet split, and the cut made in meetings and knowledge (routes, views, forms apart) is the next step.
 */
import { requireUser } from '../../web/context.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../platform/audit.js';
import type { AppDeps } from '../../platform/http.js';
import { Alert, Button, ButtonLink, InlineLinks } from '../../web/components.js';
import { Csrf, emptyForm, ErrorSummary, SelectField, TextArea, TextField, type FormState } from '../../web/form-fields.js';
import { handleForm } from '../../web/forms.js';
import { asUploadedFile } from '../../web/multipart.js';
import { common } from '../../web/i18n/common.js';
import { formatDate, formatNumber, LOCALES, LOCALE_NAMES, type Locale } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { directory } from '../directory/index.js';
import { indicatorsByCodes } from '../indicators/index.js';
import { PlanFilesSection } from './files-pages.js';
import { ChooserFilters, ChooserList, ChooserQuery, loadChooser } from './chooser.js';
import { listMeetings, publicMeetingView } from '../meetings/index.js';
import { actorRoleLabel, directionLabel, followupStateLabel, planStateLabel, pt, statusLabel } from './i18n.js';
import { assertCanManage, canManage } from './policy.js';
import * as q from './queries.js';
import { ACTION_STATUSES, FOLLOWUP_STATES, PLAN_STATES, type ActionRow, type PlanRow, type PriorityRow } from './schema.js';
import * as svc from './service.js';
import { budgetText, Lang, money, SdgGoal, SdgTargets, StatusTag, WideTable } from './views.js';
import { formatOf, ImportRowsError, importActions, registerImportRoutes } from './transfer.js';

const Id = z.object({ id: z.string().min(1).max(100) });
const Slug = z.object({ slug: z.string().min(1).max(200) });
const Form = z.record(z.string(), z.unknown());
const hide = { hide: true } as const;


/** A form body with lists kept (multi-selects, checkboxes) and the CSRF field dropped. */
export function rawBody(req: FastifyRequest): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries((req.body ?? {}) as Record<string, unknown>)) if (k !== '_csrf') out[k] = v;
  return out;
}
/** The same body as form values for re-rendering: lists joined with commas. */
const asValues = (raw: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v == null ? '' : String(v)]));

/** Organisations the actor may write for (all for platform admins). */
export async function managedOrganisations(db: AppDeps['db'], actor: Actor) {
  const all = await directory.organisationOptions(db.orm);
  if (actor.isPlatformAdmin) return all;
  const out = [];
  for (const o of all) if (actor.orgRoles.has(o.id) && (await canManage(db.orm, actor, o.id))) out.push(o);
  return out;
}

const langOptions = () => LOCALES.map((x) => ({ value: x, label: LOCALE_NAMES[x] }));
const period = (l: Locale, p: Pick<PlanRow, 'periodStart' | 'periodEnd'>) =>
  p.periodStart || p.periodEnd ? `${formatDate(l, p.periodStart, 'medium')} – ${formatDate(l, p.periodEnd, 'medium')}` : '–';

function MultiSelect({ name, label, form, options, description }: { name: string; label: string; form: FormState; options: { value: string; label: string }[]; description?: string }) {
  const chosen = new Set((form.values[name] ?? '').split(',').filter(Boolean));
  const err = form.errors[name];
  return (
    <div class="ds-field">
      <label class="ds-label" for={`f-${name}`}>
        {label}
      </label>
      {description && (
        <p class="ds-paragraph field-desc" data-size="sm" id={`f-${name}-desc`}>
          {description}
        </p>
      )}
      <select class="ds-input" id={`f-${name}`} name={name} multiple size={6} aria-invalid={err ? 'true' : undefined} aria-describedby={[description ? `f-${name}-desc` : '', err ? `f-${name}-err` : ''].filter(Boolean).join(' ') || undefined}>
        {options.map((o) => (
          <option value={o.value} selected={chosen.has(o.value)}>
            {o.label}
          </option>
        ))}
      </select>
      {err && (
        <p class="ds-validation-message" id={`f-${name}-err`} data-color="danger">
          {err}
        </p>
      )}
    </div>
  );
}

export async function planPages(app: FastifyInstance, deps: AppDeps & { indicatorTargets?: q.IndicatorTargetSource }) {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const targets = deps.indicatorTargets ? { targets: deps.indicatorTargets } : {};
  const org = (id: string) => q.orgCache(db.orm)(id);

  // --- Plans list ---
  r.get('/plans', { schema: hide }, async (req, reply) => {
    const l = req.locale;
    const t = pt[l];
    const list = await q.listPlans(db.orm, req.actor);
    const owners = q.orgCache(db.orm);
    const rows = await Promise.all(list.map(async (p) => ({ p, owner: await owners(p.organisationId) })));
    const canCreate = !!req.user && (req.actor.isPlatformAdmin || [...req.actor.orgRoles.values()].some((x) => x !== 'member'));
    return reply.html(
      <Layout req={req} title={t.plans}>
        <h1 class="ds-heading" data-size="lg">
          {t.plans}
        </h1>
        {canCreate && <ButtonLink href="/plans/new">{t.newPlan}</ButtonLink>}
        {rows.length === 0 ? (
          <p class="ds-paragraph">{t.noPlans}</p>
        ) : (
          <WideTable caption={t.plans} label={t.plans} head={[t.title, t.owner, t.period, t.state]}>
            {rows.map(({ p, owner }) => (
              <tr>
                <td>
                  <a class="ds-link" href={`/plans/${p.id}`}>
                    <Lang lang={p.lang} page={l}>
                      {p.title}
                    </Lang>
                  </a>
                </td>
                <td>{owner ? <a class="ds-link" href={`/organisations/${owner.slug}`}>{owner.name}</a> : '–'}</td>
                <td>{period(l, p)}</td>
                <td>{planStateLabel(l, p.state)}</td>
              </tr>
            ))}
          </WideTable>
        )}
      </Layout>,
    );
  });

  // --- Plan form ---
  const planForm = async (req: FastifyRequest, form: FormState, action: string, heading: string, status = 200, exceptId?: string) => {
    const l = req.locale;
    const t = pt[l];
    const orgs = await managedOrganisations(db, req.actor);
    const parents = (await q.listPlans(db.orm, req.actor)).filter((p) => p.id !== exceptId);
    const labels = { organisationId: t.owner, title: t.title, periodStart: t.start, periodEnd: t.end, adoptedItemId: t.adoptedBy, parentId: t.parentPlan, documents: t.documents, adoptedOn: t.adoptedOn };
    return reply(
      <Layout req={req} title={heading} crumbs={[{ href: '/plans', label: t.plans }]}>
        <h1 class="ds-heading" data-size="lg">
          {heading}
        </h1>
        <ErrorSummary req={req} form={form} labels={labels} />
        <form method="post" action={action} class="form" novalidate>
          <Csrf req={req} />
          <SelectField name="organisationId" label={t.owner} form={form} required options={[{ value: '', label: t.choose }, ...orgs.map((o) => ({ value: o.id, label: o.name }))]} />
          <TextField name="title" label={t.title} form={form} required />
          <SelectField name="lang" label={t.language} form={form} options={langOptions()} />
          <TextArea name="description" label={t.description} form={form} />
          <TextField name="periodStart" label={t.start} form={form} type="date" />
          <TextField name="periodEnd" label={t.end} form={form} type="date" />
          <SelectField name="state" label={t.state} form={form} options={PLAN_STATES.map((s) => ({ value: s, label: planStateLabel(l, s) }))} />
          <TextField name="adoptedItemId" label={t.adoptedBy} form={form} description={t.adoptedItemHelp} />
          <TextField name="adoptedOn" label={t.adoptedOn} form={form} type="date" />
          <TextField name="decisionNote" label={t.decisionNote} form={form} />
          <SelectField name="parentId" label={t.parentPlan} form={form} options={[{ value: '', label: '–' }, ...parents.map((p) => ({ value: p.id, label: p.title }))]} />
          <TextArea name="documents" label={t.documents} form={form} description={t.documentsHelp} rows={3} />
          <Button>{common[l].save}</Button>
        </form>
      </Layout>,
      status,
    );
  };
  const reply = (node: preact.VNode, status: number) => ({ node, status });

  r.get('/plans/new', { schema: hide }, async (req, res) => {
    requireUser(req);
    const v = await planForm(req, emptyForm({ lang: req.locale, state: 'draft' }), '/plans', pt[req.locale].newPlan);
    return res.html(v.node, v.status);
  });
  r.post('/plans', { schema: { ...hide, body: Form } }, async (req, res) => {
    const raw = rawBody(req);
    const out = await handleForm(req, () => svc.createPlan(db, req.actor, raw));
    if (out.ok) return res.redirect(`/plans/${out.result.id}`, 303);
    const v = await planForm(req, out.form, '/plans', pt[req.locale].newPlan, 422);
    return res.html(v.node, v.status);
  });

  const planValues = (p: PlanRow): Record<string, string> => ({
    organisationId: p.organisationId, title: p.title, lang: p.lang, description: p.description, periodStart: p.periodStart ?? '', periodEnd: p.periodEnd ?? '',
    state: p.state, adoptedItemId: p.adoptedItemId ?? '', adoptedOn: p.adoptedOn ?? '', decisionNote: p.decisionNote, parentId: p.parentId ?? '',
    documents: p.documents.map((d) => `${d.title} | ${d.url}`).join('\n'),
  });
  r.get('/plans/:id/edit', { schema: { ...hide, params: Id } }, async (req, res) => {
    requireUser(req);
    const p = await svc.getPlan(db.orm, req.actor, req.params.id);
    await assertCanManage(db.orm, req.actor, p.organisationId);
    const v = await planForm(req, emptyForm(planValues(p)), `/plans/${p.id}/edit`, pt[req.locale].editPlan, 200, p.id);
    return res.html(v.node, v.status);
  });
  r.post('/plans/:id/edit', { schema: { ...hide, params: Id, body: Form } }, async (req, res) => {
    const raw = rawBody(req);
    const out = await handleForm(req, () => svc.updatePlan(db, req.actor, req.params.id, raw));
    if (out.ok) return res.redirect(`/plans/${out.result.id}`, 303);
    const v = await planForm(req, out.form, `/plans/${req.params.id}/edit`, pt[req.locale].editPlan, 422, req.params.id);
    return res.html(v.node, v.status);
  });

  // --- Plan page (with the roll-up when other plans sit below it) ---
  r.get('/plans/:id', { schema: { ...hide, params: Id, querystring: z.object({ imported: z.coerce.number().int().optional() }) } }, async (req, res) => {
    const l = req.locale;
    const t = pt[l];
    const d = await q.planDetail(db.orm, req.actor, req.params.id, targets);
    const p = d.plan;
    const ru = d.children.length ? await q.rollup(db.orm, req.actor, p.id, targets) : null;
    const byStatus = new Map<string, number>();
    for (const a of d.actions) byStatus.set(a.status.status, (byStatus.get(a.status.status) ?? 0) + 1);
    const TallyTable = ({ caption, rows, label }: { caption: string; rows: [string, q.Tally][]; label: (k: string) => preact.ComponentChildren }) => (
      <WideTable caption={caption} label={caption} head={[caption, t.count, t.budget]}>
        {rows.map(([k, v]) => (
          <tr>
            <td>{label(k)}</td>
            <td>{formatNumber(l, v.count)}</td>
            <td>{budgetText(l, v.budget)}</td>
          </tr>
        ))}
      </WideTable>
    );
    return res.html(
      <Layout req={req} title={p.title} crumbs={[{ href: '/plans', label: t.plans }]}>
        <h1 class="ds-heading" data-size="lg">
          <Lang lang={p.lang} page={l}>
            {p.title}
          </Lang>
        </h1>
        {req.query.imported != null && <Alert color="success">{t.imported(req.query.imported)}</Alert>}
        <dl class="facts" style="overflow-wrap: anywhere">
          <dt>{t.owner}</dt>
          <dd>{d.owner ? <a class="ds-link" href={`/organisations/${d.owner.slug}`}>{d.owner.name}</a> : '–'}</dd>
          <dt>{t.period}</dt>
          <dd>{period(l, p)}</dd>
          <dt>{t.state}</dt>
          <dd>{planStateLabel(l, p.state)}</dd>
          {d.adoptedBy && (
            <>
              <dt>{t.adoptedBy}</dt>
              <dd>
                <a class="ds-link" href={`/meetings/${d.adoptedBy.meetingId}#item-${d.adoptedBy.id}`}>
                  <Lang lang={d.adoptedBy.lang} page={l}>
                    {d.adoptedBy.number ? `${d.adoptedBy.number}. ` : ''}
                    {d.adoptedBy.title}
                  </Lang>
                </a>{' '}
                <span class="muted">({formatDate(l, d.adoptedBy.startsAt)})</span>
              </dd>
            </>
          )}
          {p.adoptedOn && (
            <>
              <dt>{t.adoptedOn}</dt>
              <dd>{formatDate(l, p.adoptedOn)}</dd>
            </>
          )}
          {p.decisionNote && (
            <>
              <dt>{t.decisionNote}</dt>
              <dd lang={p.lang}>{p.decisionNote}</dd>
            </>
          )}
          {d.parent && (
            <>
              <dt>{t.parentPlan}</dt>
              <dd>
                <a class="ds-link" href={`/plans/${d.parent.id}`}>
                  {d.parent.title}
                </a>
              </dd>
            </>
          )}
        </dl>
        {p.description && (
          <p class="ds-paragraph description" lang={p.lang}>
            {p.description}
          </p>
        )}
        {p.documents.length > 0 && (
          <section class="section" aria-labelledby="docs-h">
            <h2 class="ds-heading" data-size="sm" id="docs-h">
              {t.documents}
            </h2>
            <ul>
              {p.documents.map((doc) => (
                <li>
                  <a class="ds-link" href={doc.url} rel="noopener noreferrer">
                    {doc.title}
                  </a>
                </li>
              ))}
            </ul>
          </section>
        )}
        {await PlanFilesSection({ req, db, plan: p, canEdit: d.canEdit })}
        {d.canEdit && (
          <p class="actions">
            <ButtonLink href={`/plans/${p.id}/edit`}>{t.editPlan}</ButtonLink> <ButtonLink href={`/plans/${p.id}/actions/new`}>{t.newAction}</ButtonLink>
          </p>
        )}
        <section class="section" aria-labelledby="actions-h">
          <h2 class="ds-heading" data-size="md" id="actions-h">
            {t.actions} ({formatNumber(l, d.actions.length)})
          </h2>
          {byStatus.size > 0 && (
            <p class="ds-paragraph">
              {[...byStatus].map(([s, n]) => (
                <span style="margin-right: 1rem; display: inline-block">
                  <StatusTag l={l} status={s as ActionRow['manualStatus'] & string as never} />: {formatNumber(l, n)}
                </span>
              ))}
            </p>
          )}
          {d.actions.length === 0 ? (
            <p class="ds-paragraph">{t.noActions}</p>
          ) : (
            <WideTable caption={t.actions} label={t.actions} head={[t.identifier, t.title, t.status, t.end, t.sdgTargets, t.budget]}>
              {d.actions.map((a) => (
                <tr>
                  <td>{a.action.identifier}</td>
                  <td>
                    <a class="ds-link" href={`/actions/${a.action.id}`}>
                      <Lang lang={a.action.lang} page={l}>
                        {a.action.title}
                      </Lang>
                    </a>
                  </td>
                  <td>
                    <StatusTag l={l} status={a.status.status} />
                  </td>
                  <td>{formatDate(l, a.action.endDate, 'medium') || '–'}</td>
                  <td>
                    <SdgTargets l={l} codes={a.action.sdgTargets} />
                  </td>
                  <td>{a.action.currency ? money(l, a.action.budget.reduce((s, b) => s + b.amount, 0), a.action.currency) : '–'}</td>
                </tr>
              ))}
            </WideTable>
          )}
          <p class="ds-paragraph">
            {t.export}:{' '}
            <a class="ds-link" href={`/plans/${p.id}/actions.csv`}>
              CSV
            </a>{' '}
            ·{' '}
            <a class="ds-link" href={`/plans/${p.id}/actions.xlsx`}>
              XLSX
            </a>
          </p>
          {d.canEdit && (
            <form method="post" action={`/plans/${p.id}/actions/import`} enctype="multipart/form-data" class="form">
              <Csrf req={req} />
              <h3 class="ds-heading" data-size="xs">
                {t.importTitle}
              </h3>
              <p class="ds-paragraph field-desc" data-size="sm">
                {t.importHelp}
              </p>
              <div class="ds-field">
                <label class="ds-label" for="f-file">
                  {t.importFile}
                </label>
                <input class="ds-input" type="file" id="f-file" name="file" accept=".csv,.xlsx" required />
              </div>
              <Button variant="secondary">{t.importButton}</Button>
            </form>
          )}
        </section>
        {d.children.length > 0 && (
          <section class="section" aria-labelledby="children-h">
            <h2 class="ds-heading" data-size="md" id="children-h">
              {t.childPlans}
            </h2>
            <ul class="entity-list">
              {d.children.map((c) => (
                <li>
                  <a class="ds-link" href={`/plans/${c.id}`}>
                    {c.title}
                  </a>{' '}
                  <span class="muted">({planStateLabel(l, c.state)})</span>
                </li>
              ))}
            </ul>
          </section>
        )}
        {ru && (
          <section class="section" aria-labelledby="rollup-h">
            <h2 class="ds-heading" data-size="md" id="rollup-h">
              {t.rollup}
            </h2>
            <p class="ds-paragraph">
              {t.rollupIntro(ru.plans.length, ru.total.count)} {t.total}: {budgetText(l, ru.total.budget)}
            </p>
            <TallyTable caption={t.byGoal} rows={ru.byGoal} label={(g) => (g ? <SdgGoal l={l} code={g} /> : t.noGoal)} />
            <TallyTable caption={t.byStatus} rows={ru.byStatus} label={(s) => <StatusTag l={l} status={s as never} />} />
            <TallyTable
              caption={t.byOrganisation}
              rows={ru.byOrganisation.map(([o, v]) => [o.id, v] as [string, q.Tally])}
              label={(id) => {
                const o = ru.byOrganisation.find(([x]) => x.id === id)![0];
                return <a class="ds-link" href={`/organisations/${o.slug}`}>{o.name}</a>;
              }}
            />
          </section>
        )}
      </Layout>,
    );
  });

  // --- Action form ---
  const actionForm = async (req: FastifyRequest, plan: PlanRow, form: FormState, action: string, heading: string) => {
    const l = req.locale;
    const t = pt[l];
    const [orgs, people] = await Promise.all([directory.organisationOptions(db.orm), directory.personOptions(db.orm)]);
    const labels = {
      identifier: t.identifier, title: t.title, primaryOrgId: t.primaryOrg, collaboratorIds: t.collaborators, contactIds: t.contacts, startDate: t.start, endDate: t.end,
      milestones: t.milestones, sdgTargets: t.sdgTargets, indicators: t.indicators, currency: t.currency, budget: t.budget, manualStatus: t.manualStatus, manualReason: t.manualReason,
    };
    return (
      <Layout req={req} title={heading} crumbs={[{ href: '/plans', label: t.plans }, { href: `/plans/${plan.id}`, label: plan.title }]}>
        <h1 class="ds-heading" data-size="lg">
          {heading}
        </h1>
        <ErrorSummary req={req} form={form} labels={labels} />
        <form method="post" action={action} class="form" novalidate>
          <Csrf req={req} />
          <TextField name="identifier" label={t.identifier} form={form} required />
          <TextField name="title" label={t.title} form={form} required />
          <SelectField name="lang" label={t.language} form={form} options={langOptions()} />
          <TextArea name="description" label={t.description} form={form} />
          <SelectField name="primaryOrgId" label={t.primaryOrg} form={form} required options={[{ value: '', label: t.choose }, ...orgs.map((o) => ({ value: o.id, label: o.name }))]} />
          <MultiSelect name="collaboratorIds" label={t.collaborators} form={form} description={t.idsHelp} options={orgs.map((o) => ({ value: o.id, label: o.name }))} />
          <MultiSelect name="contactIds" label={t.contacts} form={form} description={t.idsHelp} options={people.map((p) => ({ value: p.id, label: p.title ? `${p.name} (${p.title})` : p.name }))} />
          <TextField name="startDate" label={t.start} form={form} type="date" />
          <TextField name="endDate" label={t.end} form={form} type="date" />
          <TextArea name="milestones" label={t.milestones} form={form} description={t.milestonesHelp} rows={4} />
          <TextField name="sdgTargets" label={t.sdgTargets} form={form} description={t.sdgTargetsHelp} />
          <TextArea name="indicators" label={t.indicators} form={form} description={t.indicatorsHelp} rows={3} />
          <TextField name="currency" label={t.currency} form={form} />
          <TextArea name="budget" label={t.budget} form={form} description={t.budgetHelp} rows={3} />
          <SelectField name="manualStatus" label={t.manualStatus} form={form} options={[{ value: '', label: t.manualStatusNone }, ...ACTION_STATUSES.map((s) => ({ value: s, label: statusLabel(l, s) }))]} />
          <TextField name="manualReason" label={t.manualReason} form={form} />
          <Button>{common[l].save}</Button>
        </form>
      </Layout>
    );
  };
  const actionValues = (a: ActionRow): Record<string, string> => ({
    identifier: a.identifier, title: a.title, lang: a.lang, description: a.description, primaryOrgId: a.primaryOrgId, collaboratorIds: a.collaboratorIds.join(','),
    contactIds: a.contactIds.join(','), startDate: a.startDate ?? '', endDate: a.endDate ?? '',
    milestones: a.milestones.map((m) => [m.due, m.title, m.completedOn ?? ''].join(' | ').replace(/ \| $/, '')).join('\n'),
    sdgTargets: a.sdgTargets.join(', '), indicators: a.indicators.map((i) => `${i.code} | ${i.direction}`).join('\n'), currency: a.currency ?? '',
    budget: a.budget.map((b) => `${b.year} | ${b.amount}`).join('\n'), manualStatus: a.manualStatus ?? '', manualReason: a.manualReason ?? '',
  });

  // A new action may start from a challenge whose response was accepted: the challenge page sends
  // its title, targets, indicator and the partner along, to be checked and completed here.
  const Prefill = z.object({
    title: z.string().max(300).optional(), description: z.string().max(5000).optional(), sdgTargets: z.string().max(1000).optional(),
    indicator: z.string().max(200).optional(), collaboratorIds: z.string().max(2000).optional(), lang: z.enum(['sv', 'nb', 'da', 'en']).optional(),
  });
  r.get('/plans/:id/actions/new', { schema: { ...hide, params: Id, querystring: Prefill } }, async (req, res) => {
    requireUser(req);
    const plan = await svc.getPlan(db.orm, req.actor, req.params.id);
    await assertCanManage(db.orm, req.actor, plan.organisationId);
    const p = req.query;
    const values = {
      lang: p.lang ?? plan.lang, primaryOrgId: plan.organisationId, currency: '', title: p.title ?? '', description: p.description ?? '', sdgTargets: p.sdgTargets ?? '',
      indicators: p.indicator ? `${p.indicator} | increase` : '', collaboratorIds: p.collaboratorIds ?? '',
    };
    return res.html(await actionForm(req, plan, emptyForm(values), `/plans/${plan.id}/actions`, pt[req.locale].newAction));
  });
  r.post('/plans/:id/actions', { schema: { ...hide, params: Id, body: Form } }, async (req, res) => {
    const raw = rawBody(req);
    const out = await handleForm(req, () => svc.createAction(db, req.actor, req.params.id, raw));
    if (out.ok) return res.redirect(`/actions/${out.result.id}`, 303);
    const plan = await svc.getPlan(db.orm, req.actor, req.params.id);
    return res.html(await actionForm(req, plan, { ...out.form, values: asValues(raw) }, `/plans/${plan.id}/actions`, pt[req.locale].newAction), 422);
  });
  r.get('/actions/:id/edit', { schema: { ...hide, params: Id } }, async (req, res) => {
    requireUser(req);
    const { action, plan } = await svc.getAction(db.orm, req.actor, req.params.id);
    await assertCanManage(db.orm, req.actor, plan.organisationId);
    return res.html(await actionForm(req, plan, emptyForm(actionValues(action)), `/actions/${action.id}/edit`, pt[req.locale].editAction));
  });
  r.post('/actions/:id/edit', { schema: { ...hide, params: Id, body: Form } }, async (req, res) => {
    const raw = rawBody(req);
    const out = await handleForm(req, () => svc.updateAction(db, req.actor, req.params.id, raw));
    if (out.ok) return res.redirect(`/actions/${out.result.id}`, 303);
    const { plan } = await svc.getAction(db.orm, req.actor, req.params.id);
    return res.html(await actionForm(req, plan, { ...out.form, values: asValues(raw) }, `/actions/${req.params.id}/edit`, pt[req.locale].editAction), 422);
  });

  // --- Action page ---
  /** Agenda items of meetings whose organisers the reader manages: where a follow-up item can be recorded. */
  const followupItems = async (req: FastifyRequest) => {
    if (!req.user) return [];
    // The bodies the reader manages and those nested under them (a municipality's committees).
    const orgIds = (await managedOrganisations(db, req.actor)).map((o) => o.id);
    if (!orgIds.length) return [];
    for (let i = 0; i < orgIds.length && orgIds.length < 500; i++) {
      for (const c of (await directory.listOrganisations(db.orm, { parentId: orgIds[i]!, pageSize: 200 })).items) if (!orgIds.includes(c.id)) orgIds.push(c.id);
    }
    const out: { value: string; label: string }[] = [];
    for (const { meeting } of (await listMeetings(db.orm, { organisationIds: orgIds, when: 'all', pageSize: 30 })).items) {
      const v = await publicMeetingView(db.orm, meeting);
      for (const it of v.items) out.push({ value: it.id, label: `${meeting.title}: ${it.number ? `${it.number}. ` : ''}${it.title}` });
    }
    return out;
  };
  const actionPage = async (req: FastifyRequest, id: string, updateForm: FormState, followupForm: FormState = emptyForm()) => {
    const l = req.locale;
    const t = pt[l];
    const d = await q.actionDetail(db.orm, req.actor, id, targets);
    const items = await followupItems(req);
    const a = d.action;
    const fmt = (v: number | null | undefined, unit: string) => (v == null ? '–' : `${formatNumber(l, v, { maximumFractionDigits: 2 })} ${unit}`);
    // Other modules' sections (the projects carrying this action out), through the slot.
    const extra = await Promise.all((deps.extensions?.actionSections ?? []).map((section) => section(req, { id: a.id, planId: d.plan.id, organisationId: d.plan.organisationId })));
    return (
      <Layout req={req} title={`${a.identifier} ${a.title}`} crumbs={[{ href: '/plans', label: t.plans }, { href: `/plans/${d.plan.id}`, label: d.plan.title }]}>
        <h1 class="ds-heading" data-size="lg">
          {a.identifier}{' '}
          <Lang lang={a.lang} page={l}>
            {a.title}
          </Lang>
        </h1>
        <p class="ds-paragraph lead">
          <StatusTag l={l} status={d.status.status} /> <span class="muted">({d.status.manual ? t.statusSetByHand : t.statusComputed})</span>
          {d.status.manual && d.status.reason && (
            <>
              {' '}
              <span lang={a.lang}>{d.status.reason}</span>
            </>
          )}
          {!d.status.manual && d.status.lateMilestones.length > 0 && <> · {t.lateMilestones(d.status.lateMilestones.length)}</>}
        </p>
        {a.description && (
          <p class="ds-paragraph description" lang={a.lang}>
            {a.description}
          </p>
        )}
        <dl class="facts" style="overflow-wrap: anywhere">
          <dt>{t.plan}</dt>
          <dd>
            <a class="ds-link" href={`/plans/${d.plan.id}`}>
              {d.plan.title}
            </a>
          </dd>
          <dt>{t.primaryOrg}</dt>
          <dd>{d.owner ? <a class="ds-link" href={`/organisations/${d.owner.slug}`}>{d.owner.name}</a> : '–'}</dd>
          {d.collaborators.length > 0 && (
            <>
              <dt>{t.collaborators}</dt>
              <dd>
                <InlineLinks links={d.collaborators.map((o) => ({ href: `/organisations/${o.slug}`, label: o.name }))} />
              </dd>
            </>
          )}
          {d.contacts.length > 0 && (
            <>
              <dt>{t.contacts}</dt>
              <dd>
                <InlineLinks links={d.contacts.map((p) => ({ href: `/people/${p.slug}`, label: p.name }))} />
              </dd>
            </>
          )}
          <dt>{t.period}</dt>
          <dd>{period(l, { periodStart: a.startDate, periodEnd: a.endDate })}</dd>
          {a.sdgTargets.length > 0 && (
            <>
              <dt>{t.sdgTargets}</dt>
              <dd>
                <SdgTargets l={l} codes={a.sdgTargets} />
              </dd>
            </>
          )}
        </dl>
        {d.canEdit && (
          <p class="actions">
            <ButtonLink href={`/actions/${a.id}/edit`}>{t.editAction}</ButtonLink>
          </p>
        )}
        {a.milestones.length > 0 && (
          <section class="section" aria-labelledby="ms-h">
            <h2 class="ds-heading" data-size="md" id="ms-h">
              {t.milestones}
            </h2>
            <WideTable label={t.milestones} head={[t.milestone, t.due, t.completedOn]}>
              {a.milestones.map((m) => (
                <tr>
                  <td lang={a.lang}>{m.title}</td>
                  <td>{formatDate(l, m.due)}</td>
                  <td>{m.completedOn ? formatDate(l, m.completedOn) : d.status.lateMilestones.includes(m) ? <StatusTag l={l} status="late" /> : t.notCompleted}</td>
                </tr>
              ))}
            </WideTable>
          </section>
        )}
        {d.indicators.length > 0 && (
          <section class="section" aria-labelledby="ind-h">
            <h2 class="ds-heading" data-size="md" id="ind-h">
              {t.measuredChange}
            </h2>
            <WideTable label={t.measuredChange} head={[t.indicators, t.expected, t.baseline, t.latest, t.change]}>
              {d.indicators.map((c) => (
                <tr>
                  <td>
                    <a class="ds-link" href={`/indicators/${encodeURIComponent(c.code)}`}>
                      {c.name}
                    </a>
                  </td>
                  <td>{directionLabel(l, c.direction)}</td>
                  <td>{c.baseline ? `${fmt(c.baseline.value, c.unit)} (${c.baseline.period})` : t.noData}</td>
                  <td>{c.latest ? `${fmt(c.latest.value, c.unit)} (${c.latest.period})` : '–'}</td>
                  <td>
                    {c.change == null ? '–' : `${c.change > 0 ? '+' : ''}${fmt(c.change, c.unit)}`}
                    {c.asExpected != null && <> ({c.asExpected ? `✔ ${t.asExpected}` : `⚠ ${t.notAsExpected}`})</>}
                  </td>
                </tr>
              ))}
            </WideTable>
          </section>
        )}
        {a.budget.length > 0 && (
          <section class="section" aria-labelledby="budget-h">
            <h2 class="ds-heading" data-size="md" id="budget-h">
              {t.budget}
            </h2>
            <WideTable label={t.budget} head={[t.year, t.amount]}>
              {a.budget.map((b) => (
                <tr>
                  <td>{b.year}</td>
                  <td>{money(l, b.amount, a.currency)}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">{t.total}</th>
                <td>{money(l, a.budget.reduce((s, b) => s + b.amount, 0), a.currency)}</td>
              </tr>
            </WideTable>
          </section>
        )}
        <section class="section" aria-labelledby="upd-h">
          <h2 class="ds-heading" data-size="md" id="upd-h">
            {t.updates}
          </h2>
          {d.updates.length === 0 ? (
            <p class="ds-paragraph">{t.noUpdates}</p>
          ) : (
            <ul class="entity-list">
              {d.updates.map((u) => (
                <li>
                  <strong>{formatDate(l, u.onDate)}</strong>: <span lang={a.lang}>{u.body}</span> <span class="muted">– {u.authorLabel}</span>
                </li>
              ))}
            </ul>
          )}
          {d.canEdit && (
            <form method="post" action={`/actions/${a.id}/updates`} class="form">
              <Csrf req={req} />
              <h3 class="ds-heading" data-size="xs">
                {t.addUpdate}
              </h3>
              <ErrorSummary req={req} form={updateForm} labels={{ onDate: t.updateDate, body: t.updateText }} />
              <TextField name="onDate" label={t.updateDate} form={updateForm} type="date" required />
              <TextArea name="body" label={t.updateText} form={updateForm} rows={3} />
              <Button variant="secondary">{common[l].save}</Button>
            </form>
          )}
        </section>
        <section class="section" aria-labelledby="mt-h">
          <h2 class="ds-heading" data-size="md" id="mt-h">
            {t.discussedIn}
          </h2>
          {d.followups.length === 0 ? (
            <p class="ds-paragraph">{t.notDiscussed}</p>
          ) : (
            <ul class="entity-list">
              {d.followups.map((f) => (
                <li>
                  {f.item ? (
                    <a class="ds-link" href={`/meetings/${f.item.meetingId}#item-${f.item.id}`}>
                      {f.item.meetingTitle}
                      {f.item.number ? `, ${f.item.number}` : ''}
                    </a>
                  ) : null}
                  {f.item && <span class="muted"> ({formatDate(l, f.item.startsAt)})</span>}: {f.what}
                  {f.who && <> · {t.followupWho}: {f.who}</>}
                  {f.dueDate && <> · {t.due}: {formatDate(l, f.dueDate)}</>}
                </li>
              ))}
            </ul>
          )}
          {items.length > 0 && (
            <form method="post" action={`/actions/${a.id}/followups`} class="form">
              <Csrf req={req} />
              <h3 class="ds-heading" data-size="xs">
                {t.addFollowup}
              </h3>
              <ErrorSummary req={req} form={followupForm} labels={{ agendaItemId: t.agendaItem, what: t.followupWhat, dueDate: t.due }} />
              <SelectField name="agendaItemId" label={t.agendaItem} form={followupForm} required options={[{ value: '', label: t.choose }, ...items]} />
              <TextField name="what" label={t.followupWhat} form={followupForm} required />
              <TextField name="who" label={t.followupWho} form={followupForm} />
              <TextField name="dueDate" label={t.due} form={followupForm} type="date" />
              <SelectField name="state" label={t.state} form={followupForm} options={FOLLOWUP_STATES.map((x) => ({ value: x, label: followupStateLabel(l, x) }))} />
              <Button variant="secondary">{common[l].save}</Button>
            </form>
          )}
        </section>
        {extra}
      </Layout>
    );
  };
  r.get('/actions/:id', { schema: { ...hide, params: Id } }, async (req, res) => res.html(await actionPage(req, req.params.id, emptyForm({ onDate: new Date().toISOString().slice(0, 10) }))));
  r.post('/actions/:id/followups', { schema: { ...hide, params: Id, body: Form } }, async (req, res) => {
    const raw = rawBody(req);
    const out = await handleForm(req, () => svc.createFollowup(db, req.actor, { ...raw, actionId: req.params.id }));
    if (out.ok) return res.redirect(`/actions/${req.params.id}`, 303);
    return res.html(await actionPage(req, req.params.id, emptyForm({ onDate: new Date().toISOString().slice(0, 10) }), out.form), 422);
  });
  r.post('/actions/:id/updates', { schema: { ...hide, params: Id, body: Form } }, async (req, res) => {
    const raw = rawBody(req);
    const out = await handleForm(req, () => svc.addStatusUpdate(db, req.actor, req.params.id, raw));
    if (out.ok) return res.redirect(`/actions/${req.params.id}`, 303);
    return res.html(await actionPage(req, req.params.id, out.form), 422);
  });

  // --- Priorities of an organisation, and its members' side by side ---
  const prioritiesPage = async (req: FastifyRequest, slug: string, form: FormState, status = 200) => {
    const l = req.locale;
    const t = pt[l];
    const o = await directory.getOrganisation(db.orm, slug);
    const own = await q.listPriorities(db.orm, req.actor, { organisationIds: [o.id] });
    const cohort = await q.cohortPriorities(db.orm, req.actor, o.id);
    const editable = await canManage(db.orm, req.actor, o.id);
    // Chosen indicators may come from any framework, with data or without.
    const names = new Map((await indicatorsByCodes(db.orm, [...new Set([...own, ...cohort.priorities].flatMap((p) => p.indicatorCodes))])).map((i) => [i.code, i.name]));
    const orgName = async (id: string) => (await org(id))?.name ?? id;
    const actorNames = new Map<string, string>();
    for (const p of [...own, ...cohort.priorities]) for (const a of p.actors) actorNames.set(a.organisationId, await orgName(a.organisationId));
    const memberName = new Map(cohort.members.map((m) => [m.id, m]));
    const qs = ChooserQuery.parse(req.method === 'GET' ? req.query : {});
    const chooser = editable ? await loadChooser(db.orm, req, qs, [...new Set([...(form.values.indicatorCodes ?? '').split(',').filter(Boolean), ...qs.indicatorCodes])]) : null;
    for (const i of chooser?.list ?? []) names.set(i.code, i.name);
    const PriorityCard = ({ p }: { p: q.PriorityView }) => (
      <article class="section priority" aria-labelledby={`p-${p.id}`}>
        <h3 class="ds-heading" data-size="sm" id={`p-${p.id}`}>
          <Lang lang={p.lang} page={l}>
            {p.title}
          </Lang>
          {p.state === 'draft' && <span class="muted"> ({t.draft})</span>}
        </h3>
        <p class="ds-paragraph">
          {q.goalsOfPriority(p).map((g) => (
            <SdgGoal l={l} code={g} />
          ))}
          <SdgTargets l={l} codes={p.sdgTargets} />
        </p>
        {p.rationale && (
          <p class="ds-paragraph" lang={p.lang}>
            {p.rationale}
          </p>
        )}
        {p.indicatorCodes.length > 0 && (
          <>
            <h4 class="ds-heading" data-size="2xs">
              {t.indicators}
            </h4>
            <ul>
              {p.indicatorCodes.map((c) => (
                <li>
                  <a class="ds-link" href={`/indicators/${encodeURIComponent(c)}`}>
                    {names.get(c) ?? c}
                  </a>
                </li>
              ))}
            </ul>
          </>
        )}
        {p.actors.length > 0 && (
          <>
            <h4 class="ds-heading" data-size="2xs">
              {t.actors}
            </h4>
            <ul>
              {p.actors.map((a) => (
                <li>
                  {actorNames.get(a.organisationId)}: {actorRoleLabel(l, a.role)}
                  {a.contact && <> · {a.contact}</>}
                  {a.challengeId && (
                    <>
                      {' '}
                      (<a class="ds-link" href={`/challenges/${a.challengeId}`}>→</a>)
                    </>
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
        {editable && (
          <p>
            <a class="ds-link" href={`/priorities/${p.id}/edit`}>
              {t.editPriority}
              <span class="visually-hidden">: {p.title}</span>
            </a>
          </p>
        )}
      </article>
    );
    return res(
      <Layout req={req} title={t.prioritiesOf(o.name)} crumbs={[{ href: '/organisations', label: 'Organisations' }, { href: `/organisations/${o.slug}`, label: o.name }]}>
        <h1 class="ds-heading" data-size="lg">
          {t.prioritiesOf(o.name)}
        </h1>
        {own.length === 0 ? <p class="ds-paragraph">{t.noPriorities}</p> : own.map((p) => <PriorityCard p={p} />)}
        {cohort.members.length > 0 && (
          <section class="section" aria-labelledby="cohort-h">
            <h2 class="ds-heading" data-size="md" id="cohort-h">
              {t.membersSideBySide}
            </h2>
            <p class="ds-paragraph">{t.membersIntro}</p>
            <WideTable caption={t.sdgGoals} label={t.sdgGoals} head={[t.sdgGoals, ...cohort.members.map((m) => m.name)]}>
              {cohort.goals.map((g) => (
                <tr>
                  <th scope="row">
                    <SdgGoal l={l} code={g} />
                  </th>
                  {cohort.members.map((m) => {
                    const ps = cohort.priorities.filter((p) => p.organisationId === m.id && q.goalsOfPriority(p).includes(g));
                    return <td>{ps.length ? ps.map((p) => p.title).join('; ') : '–'}</td>;
                  })}
                </tr>
              ))}
            </WideTable>
            <WideTable caption={t.indicators} label={t.indicators} head={[t.indicators, t.whoChose]}>
              {cohort.indicators.map((c) => (
                <tr>
                  <td>
                    <a class="ds-link" href={`/indicators/${encodeURIComponent(c)}`}>
                      {names.get(c) ?? c}
                    </a>
                  </td>
                  <td>
                    {[...new Set(cohort.priorities.filter((p) => p.indicatorCodes.includes(c)).map((p) => memberName.get(p.organisationId)?.name ?? ''))].join(', ')}
                  </td>
                </tr>
              ))}
            </WideTable>
            <ul class="entity-list">
              {cohort.members.map((m) => (
                <li>
                  <a class="ds-link" href={`/organisations/${m.slug}/priorities`}>
                    {t.prioritiesOf(m.name)}
                  </a>
                </li>
              ))}
            </ul>
          </section>
        )}
        {editable && (
          <section class="section" aria-labelledby="new-h">
            <h2 class="ds-heading" data-size="md" id="new-h">
              {t.newPriority}
            </h2>
            <ErrorSummary req={req} form={form} labels={{ title: t.title, sdgGoals: t.sdgGoals, sdgTargets: t.sdgTargets, indicatorCodes: t.chooseIndicators, actors: t.actors, rationale: t.rationale }} />
            {chooser && <ChooserFilters req={req} action={`/organisations/${o.slug}/priorities`} data={chooser} />}
            <form method="post" action={`/organisations/${o.slug}/priorities`} class="form" novalidate>
              <Csrf req={req} />
              <input type="hidden" name="organisationId" value={o.id} />
              <TextField name="title" label={t.title} form={form} required />
              <SelectField name="lang" label={t.language} form={form} options={langOptions()} />
              <TextArea name="rationale" label={t.rationale} form={form} rows={3} />
              <TextField name="sdgGoals" label={t.sdgGoals} form={form} description={t.sdgGoalsHelp} />
              <TextField name="sdgTargets" label={t.sdgTargets} form={form} description={t.sdgTargetsHelp} />
              {chooser && <ChooserList req={req} form={form} data={chooser} />}
              <TextArea name="actors" label={t.actors} form={form} description={t.actorsHelp} rows={3} />
              <SelectField name="state" label={t.priorityState} form={form} description={t.priorityDraftHint} options={[{ value: 'published', label: t.published }, { value: 'draft', label: t.draft }]} />
              <Button>{common[l].save}</Button>
            </form>
          </section>
        )}
      </Layout>,
      status,
    );
  };
  const res = (node: preact.VNode, status: number) => ({ node, status });
  r.get('/organisations/:slug/priorities', { schema: { ...hide, params: Slug, querystring: ChooserQuery } }, async (req, reply) => {
    const v = await prioritiesPage(req, req.params.slug, emptyForm({ lang: req.locale, state: 'published' }));
    return reply.html(v.node, v.status);
  });
  r.post('/organisations/:slug/priorities', { schema: { ...hide, params: Slug, body: Form } }, async (req, reply) => {
    const raw = rawBody(req);
    const o = await directory.getOrganisation(db.orm, req.params.slug);
    const out = await handleForm(req, () => svc.createPriority(db, req.actor, { ...raw, organisationId: o.id }));
    if (out.ok) return reply.redirect(`/organisations/${o.slug}/priorities#p-${out.result.id}`, 303);
    const v = await prioritiesPage(req, req.params.slug, { ...out.form, values: asValues(raw) }, 422);
    return reply.html(v.node, v.status);
  });

  // --- Editing a priority ---
  const priorityValues = (p: q.PriorityView, slugs: Map<string, string>): Record<string, string> => ({
    title: p.title, lang: p.lang, rationale: p.rationale, sdgGoals: p.sdgGoals.join(', '), sdgTargets: p.sdgTargets.join(', '), indicatorCodes: p.indicatorCodes.join(','),
    actors: p.actors.filter((a) => !a.challengeId).map((a) => [slugs.get(a.organisationId) ?? a.organisationId, a.role, a.contact ?? ''].join(' | ').replace(/ \| $/, '')).join('\n'), state: p.state,
  });
  const priorityEdit = async (req: FastifyRequest, p: PriorityRow, form: FormState) => {
    const l = req.locale;
    const t = pt[l];
    const o = await directory.getOrganisation(db.orm, p.organisationId);
    const qs = ChooserQuery.parse(req.method === 'GET' ? req.query : {});
    const chooser = await loadChooser(db.orm, req, qs, [...new Set([...(form.values.indicatorCodes ?? '').split(',').filter(Boolean), ...qs.indicatorCodes])]);
    return (
      <Layout req={req} title={t.editPriority} crumbs={[{ href: `/organisations/${o.slug}`, label: o.name }, { href: `/organisations/${o.slug}/priorities`, label: t.priorities }]}>
        <h1 class="ds-heading" data-size="lg">
          {t.editPriority}
        </h1>
        <ErrorSummary req={req} form={form} labels={{ title: t.title, sdgGoals: t.sdgGoals, sdgTargets: t.sdgTargets, indicatorCodes: t.chooseIndicators, actors: t.actors }} />
        <ChooserFilters req={req} action={`/priorities/${p.id}/edit`} data={chooser} />
        <form method="post" action={`/priorities/${p.id}/edit`} class="form" novalidate>
          <Csrf req={req} />
          <input type="hidden" name="organisationId" value={o.id} />
          <TextField name="title" label={t.title} form={form} required />
          <SelectField name="lang" label={t.language} form={form} options={langOptions()} />
          <TextArea name="rationale" label={t.rationale} form={form} rows={3} />
          <TextField name="sdgGoals" label={t.sdgGoals} form={form} description={t.sdgGoalsHelp} />
          <TextField name="sdgTargets" label={t.sdgTargets} form={form} description={t.sdgTargetsHelp} />
          <ChooserList req={req} form={form} data={chooser} />
          <TextArea name="actors" label={t.actors} form={form} description={t.actorsHelp} rows={3} />
          <SelectField name="state" label={t.priorityState} form={form} description={t.priorityDraftHint} options={[{ value: 'published', label: t.published }, { value: 'draft', label: t.draft }]} />
          <Button>{common[l].save}</Button>
        </form>
      </Layout>
    );
  };
  r.get('/priorities/:id/edit', { schema: { ...hide, params: Id, querystring: ChooserQuery } }, async (req, reply) => {
    requireUser(req);
    const p = await svc.getPriority(db.orm, req.actor, req.params.id);
    await assertCanManage(db.orm, req.actor, p.organisationId);
    const actors = await svc.listPriorityActors(db.orm, [p.id]);
    const slugs = new Map<string, string>();
    for (const a of actors) slugs.set(a.organisationId, (await org(a.organisationId))?.slug ?? a.organisationId);
    return reply.html(await priorityEdit(req, p, emptyForm(priorityValues({ ...p, actors }, slugs))));
  });
  r.post('/priorities/:id/edit', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) => {
    const raw = rawBody(req);
    const out = await handleForm(req, () => svc.updatePriority(db, req.actor, req.params.id, raw));
    if (out.ok) {
      const o = await directory.getOrganisation(db.orm, out.result.organisationId);
      return reply.redirect(`/organisations/${o.slug}/priorities#p-${out.result.id}`, 303);
    }
    const p = await svc.getPriority(db.orm, req.actor, req.params.id);
    return reply.html(await priorityEdit(req, p, { ...out.form, values: asValues(raw) }), 422);
  });

  // --- Import and export of actions ---
  registerImportRoutes(app, db, deps.config.uploadMaxBytes);
  r.post('/plans/:id/actions/import', { schema: { ...hide, params: Id } }, async (req, reply) => {
    requireUser(req);
    const l = req.locale;
    const t = pt[l];
    const file = asUploadedFile((req.body as Record<string, unknown> | undefined)?.file);
    const format = file ? formatOf(file.fileName) : null;
    let rows: { row: number; column: string; message: string }[];
    if (!file || !format) rows = [{ row: 1, column: 'file', message: !file ? 'Choose a file.' : 'Use a .csv or .xlsx file.' }];
    // The multipart parser lets a file a little over the limit through so that it can be named here.
    else if (file.data.byteLength > deps.config.uploadMaxBytes) rows = [{ row: 1, column: 'file', message: 'The file is too large.' }];
    else {
      try {
        const res = await importActions(db, req.actor, req.params.id, Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength), format);
        return reply.redirect(`/plans/${req.params.id}?imported=${res.created + res.updated}`, 303);
      } catch (err) {
        if (!(err instanceof ImportRowsError)) throw err;
        rows = err.rows;
      }
    }
    const plan = await svc.getPlan(db.orm, req.actor, req.params.id);
    return reply.html(
      <Layout req={req} title={t.importTitle} crumbs={[{ href: '/plans', label: t.plans }, { href: `/plans/${plan.id}`, label: plan.title }]}>
        <h1 class="ds-heading" data-size="lg">
          {t.importTitle}
        </h1>
        <Alert color="danger">{t.importErrors}</Alert>
        <WideTable caption={t.importErrors} label={t.importErrors} head={[t.row, t.field, t.reason]}>
          {rows.map((e) => (
            <tr>
              <td>{e.row}</td>
              <td>{e.column}</td>
              <td>{e.message}</td>
            </tr>
          ))}
        </WideTable>
        <p>
          <a class="ds-link" href={`/plans/${plan.id}`}>
            {plan.title}
          </a>
        </p>
      </Layout>,
      422,
    );
  });

  // Show an organisation's priorities and plans on its page.
  deps.extensions?.organisationSections.push(async (req, o) => {
    const l = req.locale;
    const t = pt[l];
    const [prios, planList] = await Promise.all([q.listPriorities(db.orm, req.actor, { organisationIds: [o.id] }), q.listPlans(db.orm, req.actor, { organisationId: o.id })]);
    const cohort = await q.cohortPriorities(db.orm, req.actor, o.id);
    if (!prios.length && !planList.length && !cohort.priorities.length) return null;
    return (
      <section class="section" aria-labelledby="plans-section-h">
        <h2 class="ds-heading" data-size="md" id="plans-section-h">
          {t.priorities} · {t.plans}
        </h2>
        <ul class="entity-list">
          {(prios.length > 0 || cohort.priorities.length > 0) && (
            <li>
              <a class="ds-link" href={`/organisations/${o.slug}/priorities`}>
                {t.prioritiesOf(o.name)}
              </a>{' '}
              ({formatNumber(l, prios.length + cohort.priorities.length)})
            </li>
          )}
          {planList.map((p) => (
            <li>
              <a class="ds-link" href={`/plans/${p.id}`}>
                {p.title}
              </a>{' '}
              <span class="muted">({planStateLabel(l, p.state)})</span>
            </li>
          ))}
        </ul>
      </section>
    );
  });
}
