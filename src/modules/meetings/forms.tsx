import type { FastifyRequest } from 'fastify';
import { CheckList, Csrf, ErrorSummary, SelectField, TextArea, TextField, type FormState } from '../../web/form-fields.js';
import { common } from '../../web/i18n/common.js';
import { sortByText, type Locale } from '../../web/i18n/index.js';
import { t } from './i18n.js';
import { ATTENDANCE, CONTENT_LANGS, FILE_ROLES, MEETING_STATES, PARTICIPANT_ROLES } from './schema.js';
import { isTimeZone } from './time.js';

export type OrgOption = { id: string; name: string };
const LANG_NAMES: Record<string, string> = { sv: 'Svenska', nb: 'Norsk bokmål', da: 'Dansk', en: 'English' };

export function LocalDateTime({ name, label, form, required, help }: { name: string; label: string; form: FormState; required?: boolean; help?: string }) {
  const id = `f-${name}`;
  const err = form.errors[name];
  return (
    <div class="ds-field">
      <label class="ds-label" for={id}>
        {label}
      </label>
      {help && (
        <p class="ds-paragraph field-desc" data-size="sm" id={`${id}-desc`}>
          {help}
        </p>
      )}
      <input
        class="ds-input"
        type="datetime-local"
        id={id}
        name={name}
        value={form.values[name] ?? ''}
        required={required}
        aria-invalid={err ? 'true' : undefined}
        aria-describedby={[help ? `${id}-desc` : '', err ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined}
      />
      {err && (
        <p class="ds-validation-message" id={`${id}-err`} data-color="danger">
          {err}
        </p>
      )}
    </div>
  );
}

/**
 * Several organisations at once: a list of checkboxes in the page language's
 * alphabetical order, at least five rows high, with a filter field when long
 * (CheckList). It sends the same repeated field a <select multiple> would.
 */
export function MultiSelect({ name, label, form, options, help, locale }: { name: string; label: string; form: FormState; options: OrgOption[]; help?: string; locale: Locale }) {
  return (
    <CheckList
      name={name}
      legend={label}
      description={help}
      error={form.errors[name]}
      options={sortByText(locale, options, (o) => o.name).map((o) => ({ value: o.id, label: o.name }))}
      selected={(form.values[name] ?? '').split(',').filter(Boolean)}
      filterLabel={common[locale].filterOptions}
    />
  );
}

export function Checkbox({ name, label, form, help }: { name: string; label: string; form: FormState; help?: string }) {
  const id = `f-${name}`;
  return (
    <div class="ds-field">
      <div class="ds-field checkbox-field">
        <input class="ds-input" type="checkbox" id={id} name={name} value="on" checked={form.values[name] === 'on'} aria-describedby={help ? `${id}-desc` : undefined} />
        <label class="ds-label" for={id}>
          {label}
        </label>
      </div>
      {help && (
        <p class="ds-paragraph field-desc" data-size="sm" id={`${id}-desc`}>
          {help}
        </p>
      )}
    </div>
  );
}

const ZONES = ['Europe/Stockholm', 'Europe/Oslo', 'Europe/Copenhagen', 'Europe/Helsinki', 'UTC'];
/**
 * The zones to choose from, with the meeting's own when it is another (the API takes any IANA zone):
 * missing from the list, the browser would send the first one, and saving the form would move the
 * meeting to that zone's wall-clock time.
 */
const zoneChoices = (current: string | undefined) => (current && !ZONES.includes(current) && isTimeZone(current) ? [current, ...ZONES] : ZONES);

const langOptions = () => CONTENT_LANGS.map((l) => ({ value: l, label: LANG_NAMES[l]! }));

export function MeetingForm({ req, form, action, leadOptions, allOrgs, submit }: { req: FastifyRequest; form: FormState; action: string; leadOptions: OrgOption[]; allOrgs: OrgOption[]; submit: string }) {
  const s = t[req.locale];
  const labels: Record<string, string> = {
    title: s.title, startsAt: s.start, endsAt: s.end, timeZone: s.timeZone, organisationId: s.leadOrganiser, coOrganisationIds: s.otherOrganisers,
    onlineUrl: s.onlineUrl, state: s.state, lang: s.language, streetAddress: s.streetAddress, postalCode: s.postalCode, locality: s.locality, room: s.room, onlinePlatform: s.onlinePlatform, description: s.description, _: '',
  };
  return (
    <form method="post" action={action} novalidate>
      <ErrorSummary req={req} form={form} labels={labels} />
      <Csrf req={req} />
      <TextField name="title" label={s.title} form={form} required lang={form.values.lang} />
      <SelectField name="organisationId" label={s.leadOrganiser} form={form} sort={req.locale} options={leadOptions.map((o) => ({ value: o.id, label: o.name }))} required />
      <MultiSelect name="coOrganisationIds" label={s.otherOrganisers} form={form} options={allOrgs} locale={req.locale} />
      <LocalDateTime name="startsAt" label={s.start} form={form} required help={s.timeHelp} />
      <LocalDateTime name="endsAt" label={s.end} form={form} />
      <SelectField name="timeZone" label={s.timeZone} form={form} options={zoneChoices(form.values.timeZone).map((z) => ({ value: z, label: z }))} />
      <SelectField name="state" label={s.state} form={form} options={MEETING_STATES.map((x) => ({ value: x, label: s[`state_${x}`] }))} />
      <SelectField name="lang" label={s.language} form={form} options={langOptions()} />
      <fieldset class="ds-fieldset">
        <legend class="ds-label">{s.place}</legend>
        <TextField name="room" label={s.room} form={form} />
        <TextField name="streetAddress" label={s.streetAddress} form={form} autocomplete="street-address" />
        <TextField name="postalCode" label={s.postalCode} form={form} autocomplete="postal-code" />
        <TextField name="locality" label={s.locality} form={form} autocomplete="address-level2" />
      </fieldset>
      <fieldset class="ds-fieldset">
        <legend class="ds-label">{s.online}</legend>
        <TextField name="onlinePlatform" label={s.onlinePlatform} form={form} description={s.onlinePlatformHelp} />
        <TextField name="onlineUrl" label={s.onlineUrl} form={form} type="url" />
      </fieldset>
      <TextArea name="description" label={s.description} form={form} description={s.richTextHelp} lang={form.values.lang} />
      <button class="ds-button" data-variant="primary" type="submit">
        {submit}
      </button>
    </form>
  );
}

export function ItemForm({ req, form, action, orgs, submit }: { req: FastifyRequest; form: FormState; action: string; orgs: OrgOption[]; submit: string }) {
  const s = t[req.locale];
  const lang = form.values.lang;
  const labels: Record<string, string> = {
    number: s.number, title: s.title, lang: s.language, summary: s.summary, description: s.itemDescription, recommendation: s.recommendation, decision: s.decision, result: s.result,
    caseReference: s.caseReference, caseTitle: s.caseTitle, caseType: s.caseType, caseDate: s.caseDate, caseOfficer: s.caseOfficer, otherOfficers: s.otherOfficers,
    caseLeadBodyId: s.referrals, caseOtherBodyIds: s.referrals, _: '',
  };
  return (
    <form method="post" action={action} novalidate>
      <ErrorSummary req={req} form={form} labels={labels} />
      <Csrf req={req} />
      <TextField name="number" label={s.number} form={form} description={s.numberHelp} />
      <TextField name="title" label={s.title} form={form} required lang={lang} />
      <Checkbox name="isPublic" label={s.isPublic} form={form} help={s.isPublicHelp} />
      <SelectField name="lang" label={s.language} form={form} options={langOptions()} />
      <TextArea name="summary" label={s.summary} form={form} description={s.richTextHelp} lang={lang} rows={3} />
      <TextArea name="description" label={s.itemDescription} form={form} lang={lang} rows={8} />
      <TextArea name="recommendation" label={s.recommendation} form={form} lang={lang} rows={3} />
      <TextArea name="decision" label={s.decision} form={form} lang={lang} rows={3} />
      <TextField name="result" label={s.result} form={form} description={s.resultHelp} lang={lang} />
      <fieldset class="ds-fieldset">
        <legend class="ds-label">{s.caseSection}</legend>
        <p class="ds-paragraph" data-size="sm">
          {s.caseHelp}
        </p>
        <TextField name="caseReference" label={s.caseReference} form={form} description={s.caseReferenceHelp} />
        <TextField name="caseTitle" label={s.caseTitle} form={form} description={s.caseTitleHelp} lang={lang} />
        <TextField name="caseType" label={s.caseType} form={form} lang={lang} />
        <TextField name="caseDate" label={s.caseDate} form={form} type="date" />
        <TextField name="caseOfficer" label={s.caseOfficer} form={form} />
        <TextArea name="otherOfficers" label={s.otherOfficers} form={form} description={s.otherOfficersHelp} rows={2} />
        <SelectField
          name="caseLeadBodyId"
          label={`${s.referrals} (${s.leadingBody})`}
          form={form}
          description={s.referralsHelp}
          options={[{ value: '', label: s.none }, ...orgs.map((o) => ({ value: o.id, label: o.name }))]}
        />
        <MultiSelect name="caseOtherBodyIds" label={s.referrals} form={form} options={orgs} locale={req.locale} />
      </fieldset>
      <button class="ds-button" data-variant="primary" type="submit">
        {submit}
      </button>
    </form>
  );
}

export function ParticipantForm({ req, action, people, form }: { req: FastifyRequest; action: string; people: { id: string; name: string }[]; form: FormState }) {
  const s = t[req.locale];
  return (
    <form method="post" action={action} class="editor-panel" novalidate>
      <h3 class="ds-heading" data-size="xs">
        {s.addParticipant}
      </h3>
      <Csrf req={req} />
      <SelectField name="personId" label={s.person} form={form} sort={req.locale} options={[{ value: '', label: s.none }, ...people.map((p) => ({ value: p.id, label: p.name }))]} />
      {/* Not "role": the upload form on the same page has a field of that name, and the two would share an id. */}
      <SelectField name="participantRole" label={s.role} form={form} options={PARTICIPANT_ROLES.map((r) => ({ value: r, label: s[`role_${r}`] }))} />
      <SelectField name="attendance" label={s.attendance} form={form} options={ATTENDANCE.map((a) => ({ value: a, label: s[`att_${a}`] }))} />
      <button class="ds-button" data-variant="secondary" type="submit">
        {common[req.locale].save}
      </button>
    </form>
  );
}

export function UploadForm({ req, action, items, form, maxBytes }: { req: FastifyRequest; action: string; items: { id: string; label: string }[]; form: FormState; maxBytes: number }) {
  const s = t[req.locale];
  const err = form.errors.file;
  return (
    <form method="post" action={action} enctype="multipart/form-data" class="editor-panel" novalidate id="upload">
      <h3 class="ds-heading" data-size="xs">
        {s.upload}
      </h3>
      <ErrorSummary req={req} form={form} labels={{ file: s.file, title: s.fileTitle, role: s.fileRole, agendaItemId: s.attachTo }} />
      <Csrf req={req} />
      <div class="ds-field">
        <label class="ds-label" for="f-file">
          {s.file}
        </label>
        <p class="ds-paragraph field-desc" data-size="sm" id="f-file-desc">
          {s.fileHelp(String(Math.round((maxBytes / 1024 / 1024) * 10) / 10))}
        </p>
        <input
          class="ds-input"
          type="file"
          id="f-file"
          name="file"
          accept=".pdf,.docx,.xlsx,.pptx,.odt,.ods,.png,.jpg,.jpeg,.csv,.txt"
          aria-invalid={err ? 'true' : undefined}
          aria-describedby={err ? 'f-file-desc f-file-err' : 'f-file-desc'}
        />
        {err && (
          <p class="ds-validation-message" id="f-file-err" data-color="danger">
            {err}
          </p>
        )}
      </div>
      <TextField name="title" label={s.fileTitle} form={form} />
      <SelectField name="role" label={s.fileRole} form={form} options={FILE_ROLES.map((r) => ({ value: r, label: s[`role_${r}`] }))} />
      <SelectField name="agendaItemId" label={s.attachTo} form={form} options={[{ value: '', label: s.wholeMeeting }, ...items.map((i) => ({ value: i.id, label: i.label }))]} />
      <button class="ds-button" data-variant="secondary" type="submit">
        {s.upload}
      </button>
    </form>
  );
}
