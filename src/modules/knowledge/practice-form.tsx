/** The practice editor: its form and page, and reading the form back (organisations arrive as a list). */
import type { FastifyRequest } from 'fastify';
import { Csrf, ErrorSummary, SelectField, TextArea, TextField, type FormState } from '../../web/form-fields.js';
import { formValues } from '../../web/forms.js';
import { Layout } from '../../web/layout.js';
import { LANG_LABEL, pt } from './i18n.js';
import { type PracticeRow } from './schema.js';
import { TEXT_FIELDS } from './practice-views.js';

/** Form bodies: multiple-select organisations arrive as an array, the shared schema takes a list. */
export function practiceFromForm(body: unknown) {
  const v = formValues(body);
  const orgs = (body as Record<string, unknown>).organisationIds;
  return { ...v, organisationIds: Array.isArray(orgs) ? orgs : v.organisationIds ? [v.organisationIds] : [] };
}
export const rerender = (body: unknown) => {
  const v = formValues(body);
  const orgs = (body as Record<string, unknown>).organisationIds;
  if (Array.isArray(orgs)) v.organisationIds = orgs.join(',');
  return v;
};

function PracticeForm({ req, form, action, orgs, editing }: { req: FastifyRequest; form: FormState; action: string; orgs: { id: string; name: string; kind: string }[]; editing: boolean }) {
  const l = req.locale;
  const t = pt[l];
  const chosen = new Set((form.values.organisationIds ?? '').split(',').filter(Boolean));
  const labels: Record<string, string> = { title: t.title, lang: t.lang, organisationIds: t.organisations, reviewerOrgId: t.reviewer, themes: t.themes, sdgTargets: t.sdgTargets, periodStart: t.periodStart, periodEnd: t.periodEnd, originUrl: t.originUrl, indicators: t.indicators };
  for (const f of TEXT_FIELDS) labels[f] = t[f];
  return (
    <form method="post" action={action} class="stack">
      <Csrf req={req} />
      <ErrorSummary req={req} form={form} labels={labels} />
      <TextField name="title" label={t.title} form={form} required />
      <SelectField name="lang" label={t.lang} form={form} required options={(['sv', 'nb', 'da', 'en'] as const).map((k) => ({ value: k, label: LANG_LABEL[l][k] }))} />
      <div class="ds-field">
        <label class="ds-label" for="f-organisationIds">
          {t.organisations}
        </label>
        <p class="ds-paragraph field-desc" data-size="sm" id="f-organisationIds-desc">
          {t.organisationsHelp}
        </p>
        <select class="ds-input" id="f-organisationIds" name="organisationIds" multiple size={6} required aria-describedby="f-organisationIds-desc" aria-invalid={form.errors.organisationIds ? 'true' : undefined}>
          {orgs.map((o) => (
            <option value={o.id} selected={chosen.has(o.id)}>
              {o.name}
            </option>
          ))}
        </select>
        {form.errors.organisationIds && <p class="ds-validation-message" data-color="danger">{form.errors.organisationIds}</p>}
      </div>
      <SelectField name="reviewerOrgId" label={t.reviewer} form={form} required description={t.reviewerHelp} options={[{ value: '', label: '–' }, ...orgs.filter((o) => o.kind === 'network').map((o) => ({ value: o.id, label: o.name }))]} />
      <TextField name="themes" label={t.themes} form={form} />
      <TextField name="sdgTargets" label={t.sdgTargets} form={form} description={t.sdgTargetsHelp} />
      <TextField name="periodStart" label={t.periodStart} form={form} type="number" />
      <TextField name="periodEnd" label={t.periodEnd} form={form} type="number" />
      {TEXT_FIELDS.map((f) => (
        <TextArea name={f} label={t[f]} form={form} rows={f === 'contacts' || f === 'keyFigures' ? 3 : 5} />
      ))}
      <TextField name="originUrl" label={t.originUrl} form={form} />
      <TextArea name="indicators" label={t.indicators} form={form} description={t.indicatorsHelp} rows={3} />
      <button class="ds-button" data-variant="primary" type="submit">
        {editing ? t.saveChanges : t.save}
      </button>
    </form>
  );
}

export function EditPage({ req, form, orgs, practice }: { req: FastifyRequest; form: FormState; orgs: { id: string; name: string; kind: string }[]; practice: PracticeRow | null }) {
  const t = pt[req.locale];
  return (
    <Layout req={req} title={practice ? t.edit : t.submit} crumbs={[{ href: '/practices', label: t.practices }]}>
      <h1 class="ds-heading" data-size="lg">
        {practice ? t.edit : t.submit}
      </h1>
      <PracticeForm req={req} form={form} action={practice ? `/practices/${practice.id}/edit` : '/practices'} orgs={orgs} editing={!!practice} />
    </Layout>
  );
}
