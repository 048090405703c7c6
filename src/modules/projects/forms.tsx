/**
 * The project form: one page, no JavaScript. Lists (partners, phases and
 * deadlines, links, funding sources) show their rows plus a few blank ones;
 * blank rows are dropped when the form is read. Field names are the API's
 * paths (`partners.0.role`), so the API's error fields point at the inputs.
 */
import type { FastifyRequest } from 'fastify';
import type { FormState } from '../../web/form-fields.js';
import { Alert, Button } from '../../web/components.js';
import { Csrf, ErrorSummary, SelectField, TextArea, TextField } from '../../web/form-fields.js';
import { localiseFieldMessage } from '../../web/forms.js';
import { Layout } from '../../web/layout.js';
import { ValidationError } from '../../platform/errors.js';
import { milestoneKindLabel, partnerRoleLabel, pt, stateLabel, visibilityLabel } from './i18n.js';
import { nestForm } from './inputs.js';
import { toDecimal } from './money.js';
import { CURRENCIES, MILESTONE_KINDS, PARTNER_ROLES, PROJECT_LANGS, PROJECT_STATES, VISIBILITIES } from './schema.js';
import type { toInput } from './present.js';

type Opt = { value: string; label: string };
const LANG_NAMES: Record<string, string> = { sv: 'Svenska', nb: 'Norsk bokmål', da: 'Dansk', en: 'English' };

/** Flat form values from a project's input shape (for the edit form). */
export function formValuesOf(input: ReturnType<typeof toInput>): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (k: string, v: unknown) => {
    if (v === null || v === undefined) return;
    out[k] = typeof v === 'boolean' ? (v ? 'on' : '') : String(v);
  };
  for (const [k, v] of Object.entries(input)) if (!Array.isArray(v)) put(k, v);
  input.partners.forEach((p, i) => Object.entries(p).forEach(([k, v]) => put(`partners.${i}.${k}`, v)));
  input.milestones.forEach((m, i) => Object.entries(m).forEach(([k, v]) => put(`milestones.${i}.${k}`, v)));
  input.links.forEach((l, i) => Object.entries(l).forEach(([k, v]) => put(`links.${i}.${k}`, v)));
  input.funding.forEach((f, i) => {
    put(`funding.${i}.funderOrgId`, f.funderOrgId);
    put(`funding.${i}.isOwn`, f.isOwn);
    put(`funding.${i}.programme`, f.programme);
    put(`funding.${i}.grantReference`, f.grantReference);
    out[`funding.${i}.amountsText`] = f.amounts.map((a) => `${a.year} ${a.currency} ${a.amount}`).join('\n');
  });
  input.planActions.forEach((id, i) => (out[`planActions.${i}`] = id));
  input.challenges.forEach((id, i) => (out[`challenges.${i}`] = id));
  out.sdgTargets = input.sdgTargets.join(' ');
  out.indicators = input.indicators.join(' ');
  return out;
}

export const amountsTextOf = (amounts: { year: number; currency: string; amountMinor: bigint }[]) => amounts.map((a) => `${a.year} ${a.currency} ${toDecimal(a.amountMinor)}`).join('\n');

/** Reads the flat form into the API's input shape. Amount lines become amount rows. */
export function readProjectForm(values: Record<string, string>): Record<string, unknown> {
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) {
    const m = /^funding\.(\d+)\.amountsText$/.exec(k);
    if (!m) {
      flat[k] = v;
      continue;
    }
    v.split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
      .forEach((line, j) => {
        const [year = '', currency = '', ...rest] = line.split(/\s+/);
        flat[`funding.${m[1]}.amounts.${j}.year`] = year;
        flat[`funding.${m[1]}.amounts.${j}.currency`] = currency.toUpperCase();
        flat[`funding.${m[1]}.amounts.${j}.amount`] = rest.join(' ');
      });
  }
  return nestForm(flat);
}

/** Where a service error's field shows in the form. */
export function formField(field: string): string {
  const m = /^funding\.(\d+)\.amounts\b/.exec(field);
  if (m) return `funding.${m[1]}.amountsText`;
  if (/^(sdgTargets|indicators)\./.test(field)) return field.split('.')[0]!;
  return field;
}

export function formErrors(req: FastifyRequest, err: ValidationError, values: Record<string, string>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of err.fields) {
    const key = formField(f.field);
    errors[key] ??= localiseFieldMessage(req.locale, f.message, values[key] ?? 'x');
  }
  return errors;
}

/**
 * No list in ProjectInput accepts more than 200 rows (inputs.ts). A higher index comes from a
 * crafted request, not from this form, and re-showing the form up to it rendered that many rows:
 * `milestones.99999.title` made a 422 page of 100,000 rows and seconds of the server's CPU.
 */
const MAX_ROWS = 200;

/** How many rows a list shows: the highest index in the values (below MAX_ROWS), plus blanks. */
function rowCount(values: Record<string, string>, prefix: string, blanks: number): number {
  let max = -1;
  for (const k of Object.keys(values)) {
    const m = new RegExp(`^${prefix}\\.(\\d+)\\.`).exec(k);
    if (m && Number(m[1]) < MAX_ROWS) max = Math.max(max, Number(m[1]));
  }
  return max + 1 + blanks;
}

/** How many rows a list of plain values (`planActions.0`) shows: the highest index (below MAX_ROWS), plus blanks. */
function valueRowCount(values: Record<string, string>, prefix: string, blanks: number): number {
  let max = -1;
  for (const k of Object.keys(values)) {
    const m = new RegExp(`^${prefix}\\.(\\d+)$`).exec(k);
    if (m && Number(m[1]) < MAX_ROWS) max = Math.max(max, Number(m[1]));
  }
  return max + 1 + blanks;
}

function Check({ name, label, form }: { name: string; label: string; form: FormState }) {
  const id = `f-${name}`;
  return (
    <div class="ds-field">
      <input class="ds-input" type="checkbox" id={id} name={name} value="on" checked={form.values[name] === 'on' || form.values[name] === 'true'} />
      <label class="ds-label" for={id}>
        {label}
      </label>
    </div>
  );
}

function DateField({ name, label, form, required }: { name: string; label: string; form: FormState; required?: boolean }) {
  return <TextField name={name} label={label} form={form} type="date" required={required} />;
}

export function ProjectForm({ req, form, action, orgs, people, actions, challenges, submit }: { req: FastifyRequest; form: FormState; action: string; orgs: Opt[]; people: Opt[]; actions: Opt[]; challenges: Opt[]; submit: string }) {
  const l = req.locale;
  const t = pt[l];
  const none = { value: '', label: t.noneChosen };
  const orgOpts = [none, ...orgs];
  const labels: Record<string, string> = { name: t.name, acronym: t.acronym, slug: t.slug, lang: t.lang, ownerOrgId: t.owner, state: t.state, startDate: t.startDate, endDate: t.endDate, sdgTargets: t.sdgTargets, indicators: t.indicators, coordinatorOrgId: t.coordinatorOrg, coordinatorPersonId: t.coordinatorPerson };
  const partnerRows = rowCount(form.values, 'partners', 2);
  const msRows = rowCount(form.values, 'milestones', 3);
  const linkRows = rowCount(form.values, 'links', 2);
  const fundRows = rowCount(form.values, 'funding', 2);
  const actionRows = valueRowCount(form.values, 'planActions', 2);
  const challengeRows = valueRowCount(form.values, 'challenges', 1);
  for (let i = 0; i < actionRows; i++) labels[`planActions.${i}`] = `${t.planAction} ${i + 1}`;
  for (let i = 0; i < challengeRows; i++) labels[`challenges.${i}`] = `${t.challenge} ${i + 1}`;
  const lang = form.values.lang && form.values.lang !== l ? form.values.lang : undefined;
  return (
    <form method="post" action={action} class="stack" noValidate>
      <Csrf req={req} />
      <ErrorSummary req={req} form={form} labels={labels} />
      <fieldset class="ds-fieldset">
        <legend class="ds-heading" data-size="xs">
          {t.basics}
        </legend>
        <TextField name="name" label={t.name} form={form} required lang={lang} />
        <TextField name="acronym" label={t.acronym} form={form} lang={lang} />
        <TextField name="slug" label={t.slug} form={form} description={t.slugHelp} />
        <SelectField name="lang" label={t.lang} form={form} options={PROJECT_LANGS.map((x) => ({ value: x, label: LANG_NAMES[x]! }))} />
        <SelectField name="ownerOrgId" label={t.owner} form={form} options={orgOpts} required />
        <SelectField name="coordinatorOrgId" label={t.coordinatorOrg} form={form} options={orgOpts} />
        <SelectField name="coordinatorPersonId" label={t.coordinatorPerson} form={form} options={[none, ...people]} />
        <SelectField name="state" label={t.state} form={form} options={PROJECT_STATES.map((s) => ({ value: s, label: stateLabel(l, s) }))} />
        <SelectField name="visibility" label={t.visibility} form={form} options={VISIBILITIES.map((v) => ({ value: v, label: visibilityLabel(l, v) }))} />
        <DateField name="startDate" label={t.startDate} form={form} />
        <DateField name="endDate" label={t.endDate} form={form} />
        <TextArea name="description" label={t.description} form={form} lang={lang} />
        <TextArea name="objectives" label={t.objectives} form={form} rows={3} lang={lang} />
        <TextArea name="targetGroup" label={t.targetGroup} form={form} rows={2} lang={lang} />
        <TextField name="sdgTargets" label={t.sdgTargets} form={form} description={t.sdgTargetsHelp} />
        <TextField name="indicators" label={t.indicators} form={form} description={t.indicatorsHelp} />
      </fieldset>

      <fieldset class="ds-fieldset">
        <legend class="ds-heading" data-size="xs">
          {t.partners}
        </legend>
        <p class="ds-paragraph" data-size="sm">
          {t.partnersHelp}
        </p>
        {Array.from({ length: partnerRows }, (_, i) => (
          <fieldset class="ds-fieldset form-row">
            <legend class="ds-label">{`${t.partner} ${i + 1}`}</legend>
            <SelectField name={`partners.${i}.organisationId`} label={t.organisation} form={form} options={orgOpts} />
            <SelectField name={`partners.${i}.role`} label={t.role} form={form} options={PARTNER_ROLES.map((r) => ({ value: r, label: partnerRoleLabel(l, r) }))} />
            <DateField name={`partners.${i}.startDate`} label={t.startDate} form={form} />
            <DateField name={`partners.${i}.endDate`} label={t.endDate} form={form} />
            <Check name={`partners.${i}.canEdit`} label={t.canEdit} form={form} />
          </fieldset>
        ))}
      </fieldset>

      <fieldset class="ds-fieldset">
        <legend class="ds-heading" data-size="xs">
          {t.milestones}
        </legend>
        <p class="ds-paragraph" data-size="sm">
          {t.milestonesHelp}
        </p>
        {Array.from({ length: msRows }, (_, i) => (
          <fieldset class="ds-fieldset form-row">
            <legend class="ds-label">{`${t.milestones} ${i + 1}`}</legend>
            <SelectField name={`milestones.${i}.kind`} label={t.kind} form={form} options={MILESTONE_KINDS.map((k) => ({ value: k, label: milestoneKindLabel(l, k) }))} />
            <TextField name={`milestones.${i}.title`} label={t.title} form={form} lang={lang} />
            <DateField name={`milestones.${i}.startDate`} label={t.startDate} form={form} />
            <DateField name={`milestones.${i}.dueDate`} label={t.dueDate} form={form} />
          </fieldset>
        ))}
      </fieldset>

      <fieldset class="ds-fieldset">
        <legend class="ds-heading" data-size="xs">
          {t.funding}
        </legend>
        <p class="ds-paragraph" data-size="sm">
          {t.fundingHelp}
        </p>
        {Array.from({ length: fundRows }, (_, i) => (
          <fieldset class="ds-fieldset form-row">
            <legend class="ds-label">{`${t.funder} ${i + 1}`}</legend>
            <SelectField name={`funding.${i}.funderOrgId`} label={t.funder} form={form} options={orgOpts} />
            <Check name={`funding.${i}.isOwn`} label={t.own} form={form} />
            <TextField name={`funding.${i}.programme`} label={t.programme} form={form} />
            <TextField name={`funding.${i}.grantReference`} label={t.grantReference} form={form} />
            <TextArea name={`funding.${i}.amountsText`} label={t.amounts} form={form} rows={3} description={`${t.year} ${t.currency} ${t.amount}: ${CURRENCIES.join(', ')}`} />
          </fieldset>
        ))}
      </fieldset>

      <fieldset class="ds-fieldset">
        <legend class="ds-heading" data-size="xs">
          {t.linkedTo}
        </legend>
        <p class="ds-paragraph" data-size="sm">
          {t.linkedToHelp}
        </p>
        {Array.from({ length: actionRows }, (_, i) => (
          <SelectField name={`planActions.${i}`} label={`${t.planAction} ${i + 1}`} form={form} options={[none, ...actions]} />
        ))}
        {Array.from({ length: challengeRows }, (_, i) => (
          <SelectField name={`challenges.${i}`} label={`${t.challenge} ${i + 1}`} form={form} options={[none, ...challenges]} />
        ))}
      </fieldset>

      <fieldset class="ds-fieldset">
        <legend class="ds-heading" data-size="xs">
          {t.links}
        </legend>
        {Array.from({ length: linkRows }, (_, i) => (
          <fieldset class="ds-fieldset form-row">
            <legend class="ds-label">{`${t.links} ${i + 1}`}</legend>
            <TextField name={`links.${i}.title`} label={t.title} form={form} />
            <TextField name={`links.${i}.url`} label={t.linkUrl} form={form} />
          </fieldset>
        ))}
      </fieldset>
      <Button>{submit}</Button>
    </form>
  );
}

/** What the project editor's page says around the form: its title, crumbs, submit label and a notice above it. */
export type FormMode = { action: string; title: string; submit: string; crumbs: { href: string; label: string }[]; notice?: string };

/** The project editor as a page; `options`: the form's choices. */
export function ProjectFormPage({ req, form, mode, options: o }: { req: FastifyRequest; form: FormState; mode: FormMode; options: { orgs: Opt[]; people: Opt[]; actions: Opt[]; challenges: Opt[] } }) {
  return (
    <Layout req={req} title={mode.title} crumbs={mode.crumbs}>
      {mode.notice && <Alert color="success">{mode.notice}</Alert>}
      <h1 class="ds-heading" data-size="lg">
        {mode.title}
      </h1>
      <ProjectForm req={req} form={form} action={mode.action} orgs={o.orgs} people={o.people} actions={o.actions} challenges={o.challenges} submit={mode.submit} />
    </Layout>
  );
}
