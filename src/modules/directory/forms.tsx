import type { FastifyRequest } from 'fastify';
import { Csrf, ErrorSummary, SelectField, TextArea, TextField, type FormState } from '../../web/form-fields.js';
import { common } from '../../web/i18n/common.js';
import { LOCALE_NAMES } from '../../web/i18n/index.js';
import { dir, orgKindLabel, roleLabel } from './i18n.js';
import { CONTENT_LANGS, ORG_KINDS, ROLES, type OrgKind } from './schema.js';

type Opt = { id: string; name: string; kind?: OrgKind };

const langOptions = () => CONTENT_LANGS.map((l) => ({ value: l, label: LOCALE_NAMES[l] }));

export function OrganisationForm({ req, form, action, orgs, submit }: { req: FastifyRequest; form: FormState; action: string; orgs: Opt[]; submit: string }) {
  const l = req.locale;
  const t = dir[l];
  const labels = { name: t.name, shortName: t.shortName, kind: t.kind, parentId: t.parent, country: t.country, areaCode: t.areaCode, lang: t.contentLang, description: t.description, website: t.website, foundedOn: t.foundedOn };
  return (
    <form method="post" action={action} class="form" novalidate>
      <Csrf req={req} />
      <ErrorSummary req={req} form={form} labels={labels} />
      {form.errors._ && <p class="ds-validation-message" data-color="danger">{form.errors._}</p>}
      <TextField name="name" label={t.name} form={form} required />
      <TextField name="shortName" label={`${t.shortName} (${common[l].optional})`} form={form} />
      <SelectField name="kind" label={t.kind} form={form} required sort={l} options={ORG_KINDS.map((k) => ({ value: k, label: orgKindLabel(l, k) }))} />
      <SelectField
        name="parentId"
        label={t.parent}
        form={form}
        sort={l}
        options={[{ value: '', label: t.noParent }, ...orgs.map((o) => ({ value: o.id, label: o.kind ? `${o.name} (${orgKindLabel(l, o.kind)})` : o.name }))]}
      />
      <fieldset class="ds-fieldset">
        <legend class="ds-label">{t.area}</legend>
        <SelectField
          name="country"
          label={t.country}
          form={form}
          options={[
            { value: '', label: t.countryNone },
            { value: 'SE', label: 'Sverige' },
            { value: 'NO', label: 'Norge' },
            { value: 'DK', label: 'Danmark' },
          ]}
        />
        <TextField name="areaCode" label={t.areaCode} form={form} description={t.areaCodeHelp} />
      </fieldset>
      <SelectField name="lang" label={t.contentLang} form={form} options={langOptions()} />
      <TextArea name="description" label={`${t.description} (${common[l].optional})`} form={form} lang={form.values.lang || undefined} />
      <TextField name="website" type="url" label={`${t.website} (${common[l].optional})`} form={form} />
      <TextField name="foundedOn" label={`${t.foundedOn} (${common[l].optional})`} form={form} description={t.dateHelp} />
      <div class="form-actions">
        <button class="ds-button" data-variant="primary" type="submit">
          {submit}
        </button>
      </div>
    </form>
  );
}

export function PersonForm({ req, form, action, submit }: { req: FastifyRequest; form: FormState; action: string; submit: string }) {
  const l = req.locale;
  const t = dir[l];
  const labels = { name: t.name, title: t.title, email: t.email, phone: t.phone, lang: t.contentLang };
  return (
    <form method="post" action={action} class="form" novalidate>
      <Csrf req={req} />
      <ErrorSummary req={req} form={form} labels={labels} />
      <TextField name="name" label={t.name} form={form} required autocomplete="off" />
      <TextField name="title" label={`${t.title} (${common[l].optional})`} form={form} />
      <SelectField name="lang" label={t.contentLang} form={form} options={langOptions()} />
      <TextField name="email" type="email" label={`${t.email} (${common[l].optional})`} form={form} description={t.contactHelp} autocomplete="off" />
      <TextField name="phone" type="tel" label={`${t.phone} (${common[l].optional})`} form={form} description={t.contactHelp} autocomplete="off" />
      <div class="form-actions">
        <button class="ds-button" data-variant="primary" type="submit">
          {submit}
        </button>
      </div>
    </form>
  );
}

export function MembershipForm({
  req,
  form,
  action,
  orgs,
  people,
  submit,
  editing,
}: {
  req: FastifyRequest;
  form: FormState;
  action: string;
  orgs: Opt[];
  people: { id: string; name: string; title: string | null }[];
  submit: string;
  editing?: boolean;
}) {
  const l = req.locale;
  const t = dir[l];
  const labels = {
    personId: t.memberPerson,
    newPersonName: t.memberNewPerson,
    newPersonTitle: t.memberNewPersonTitle,
    memberOrganisationId: t.memberOrganisation,
    role: t.role,
    label: t.label,
    onBehalfOfId: t.onBehalfOf,
    startDate: t.startDate,
    endDate: t.endDate,
  };
  return (
    <form method="post" action={action} class="form" novalidate>
      <Csrf req={req} />
      <ErrorSummary req={req} form={form} labels={labels} />
      {form.errors._ && <p class="ds-validation-message" data-color="danger">{form.errors._}</p>}
      {!editing && (
        <fieldset class="ds-fieldset">
          <legend class="ds-label">{t.member}</legend>
          <SelectField
            name="personId"
            label={t.memberPerson}
            form={form}
            sort={l}
            options={[{ value: '', label: t.choosePerson }, ...people.map((p) => ({ value: p.id, label: p.title ? `${p.name} (${p.title})` : p.name }))]}
          />
          <TextField name="newPersonName" label={t.memberNewPerson} form={form} autocomplete="off" />
          <TextField name="newPersonTitle" label={t.memberNewPersonTitle} form={form} autocomplete="off" />
          <SelectField
            name="memberOrganisationId"
            label={t.memberOrganisation}
            form={form}
            sort={l}
            options={[{ value: '', label: t.chooseOrganisation }, ...orgs.map((o) => ({ value: o.id, label: o.name }))]}
          />
        </fieldset>
      )}
      <SelectField name="role" label={t.role} form={form} required options={ROLES.map((r) => ({ value: r, label: roleLabel(l, r) }))} />
      <TextField name="label" label={`${t.label} (${common[l].optional})`} form={form} description={t.labelHelp} />
      <SelectField name="onBehalfOfId" label={t.onBehalfOf} form={form} sort={l} options={[{ value: '', label: t.nobody }, ...orgs.map((o) => ({ value: o.id, label: o.name }))]} />
      <TextField name="startDate" label={`${t.startDate} (${common[l].optional})`} form={form} description={t.dateHelp} />
      <TextField name="endDate" label={`${t.endDate} (${common[l].optional})`} form={form} description={t.dateHelp} />
      <div class="form-actions">
        <button class="ds-button" data-variant="primary" type="submit">
          {submit}
        </button>
      </div>
    </form>
  );
}

export function CommitmentForm({ req, form, action, submit }: { req: FastifyRequest; form: FormState; action: string; submit: string }) {
  const l = req.locale;
  const t = dir[l];
  const labels = { title: t.title, lang: t.contentLang, datedOn: t.dated, body: t.description, url: t.source };
  return (
    <form method="post" action={action} class="form" novalidate>
      <Csrf req={req} />
      <ErrorSummary req={req} form={form} labels={labels} />
      <TextField name="title" label={t.title} form={form} required />
      <SelectField name="lang" label={t.contentLang} form={form} options={langOptions()} />
      <TextField name="datedOn" label={`${t.dated} (${common[l].optional})`} form={form} description={t.dateHelp} />
      <TextArea name="body" label={`${t.description} (${common[l].optional})`} form={form} lang={form.values.lang || undefined} rows={8} />
      <TextField name="url" type="url" label={`${t.source} (${common[l].optional})`} form={form} />
      <div class="form-actions">
        <button class="ds-button" data-variant="primary" type="submit">
          {submit}
        </button>
      </div>
    </form>
  );
}

/** A small form that ends something, with an optional end date. */
export function EndForm({ req, action, label, field = 'endedOn' }: { req: FastifyRequest; action: string; label: string; field?: string }) {
  const t = dir[req.locale];
  return (
    <form method="post" action={action} class="form end-form">
      <input type="hidden" name="_csrf" value={req.csrfToken} />
      <div class="ds-field">
        <label class="ds-label" for={`end-${field}`}>
          {t.endDateLabel} ({common[req.locale].optional})
        </label>
        <p class="ds-paragraph field-desc" data-size="sm" id={`end-${field}-desc`}>
          {t.dateHelp}
        </p>
        <input class="ds-input" type="text" inputMode="numeric" id={`end-${field}`} name={field} aria-describedby={`end-${field}-desc`} />
      </div>
      <button class="ds-button" data-variant="secondary" type="submit">
        {label}
      </button>
    </form>
  );
}
