/**
 * The forms of plans, actions and priorities: the plan and action editors as whole pages, the
 * priority's fields (on the organisation's priorities page and on its own edit page), and the
 * multi-select they use.
 */
import type { FastifyRequest } from 'fastify';
import { Button } from '../../web/components.js';
import { Csrf, ErrorSummary, SelectField, TextArea, TextField, type FormState } from '../../web/form-fields.js';
import { common } from '../../web/i18n/common.js';
import { LOCALES, LOCALE_NAMES } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { ChooserFilters, ChooserList, type ChooserData } from './chooser.js';
import { planStateLabel, pt, statusLabel } from './i18n.js';
import { ACTION_STATUSES, PLAN_STATES, type PlanRow } from './schema.js';

const langOptions = () => LOCALES.map((x) => ({ value: x, label: LOCALE_NAMES[x] }));

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

/** The plan editor. `orgs`: the owners the actor may choose; `parents`: the plans it may sit below. */
export function PlanFormPage({ req, form, action, heading, orgs, parents }: { req: FastifyRequest; form: FormState; action: string; heading: string; orgs: { id: string; name: string }[]; parents: PlanRow[] }) {
  const l = req.locale;
  const t = pt[l];
  const labels = { organisationId: t.owner, title: t.title, periodStart: t.start, periodEnd: t.end, adoptedItemId: t.adoptedBy, parentId: t.parentPlan, documents: t.documents, adoptedOn: t.adoptedOn };
  return (
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
    </Layout>
  );
}

/** The action editor, under its plan. `orgs` and `people`: every organisation and person, to choose from. */
export function ActionFormPage({ req, plan, form, action, heading, orgs, people }: { req: FastifyRequest; plan: PlanRow; form: FormState; action: string; heading: string; orgs: { id: string; name: string }[]; people: { id: string; name: string; title?: string | null }[] }) {
  const l = req.locale;
  const t = pt[l];
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
}

/**
 * A priority's fields, from its title to the save button: the same on the organisation's
 * priorities page (new) and on the priority's edit page. The indicator chooser's list sits among
 * them when there is one.
 */
export function PriorityFields({ req, form, chooser }: { req: FastifyRequest; form: FormState; chooser: ChooserData | null }) {
  const l = req.locale;
  const t = pt[l];
  return (
    <>
      <TextField name="title" label={t.title} form={form} required />
      <SelectField name="lang" label={t.language} form={form} options={langOptions()} />
      <TextArea name="rationale" label={t.rationale} form={form} rows={3} />
      <TextField name="sdgGoals" label={t.sdgGoals} form={form} description={t.sdgGoalsHelp} />
      <TextField name="sdgTargets" label={t.sdgTargets} form={form} description={t.sdgTargetsHelp} />
      {chooser && <ChooserList req={req} form={form} data={chooser} />}
      <TextArea name="actors" label={t.actors} form={form} description={t.actorsHelp} rows={3} />
      <SelectField name="state" label={t.priorityState} form={form} description={t.priorityDraftHint} options={[{ value: 'published', label: t.published }, { value: 'draft', label: t.draft }]} />
      <Button>{common[l].save}</Button>
    </>
  );
}

/** A priority's edit page, with the indicator chooser's filters above the form. */
export function PriorityEditPage({ req, priorityId, org, form, chooser }: { req: FastifyRequest; priorityId: string; org: { id: string; slug: string; name: string }; form: FormState; chooser: ChooserData }) {
  const t = pt[req.locale];
  return (
    <Layout req={req} title={t.editPriority} crumbs={[{ href: `/organisations/${org.slug}`, label: org.name }, { href: `/organisations/${org.slug}/priorities`, label: t.priorities }]}>
      <h1 class="ds-heading" data-size="lg">
        {t.editPriority}
      </h1>
      <ErrorSummary req={req} form={form} labels={{ title: t.title, sdgGoals: t.sdgGoals, sdgTargets: t.sdgTargets, indicatorCodes: t.chooseIndicators, actors: t.actors }} />
      <ChooserFilters req={req} action={`/priorities/${priorityId}/edit`} data={chooser} />
      <form method="post" action={`/priorities/${priorityId}/edit`} class="form" novalidate>
        <Csrf req={req} />
        <input type="hidden" name="organisationId" value={org.id} />
        <PriorityFields req={req} form={form} chooser={chooser} />
      </form>
    </Layout>
  );
}
