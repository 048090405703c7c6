/** The event editor: its form and page, and reading the form back with times in the chosen zone. */
import type { FastifyRequest } from 'fastify';
import type { Executor } from '../../platform/db/index.js';
import { Csrf, ErrorSummary, SelectField, TextArea, TextField, type FormState } from '../../web/form-fields.js';
import { Layout } from '../../web/layout.js';
import { directory } from '../directory/index.js';
import { et, LANG_LABEL, nt } from './i18n.js';
import { zonedInstant } from './inputs.js';
import { canManageAny } from './policy.js';
import { EVENT_KINDS, type EventRow } from './schema.js';
import { kindLabel, localValue } from './event-views.js';

const ZONES = ['Europe/Stockholm', 'Europe/Oslo', 'Europe/Copenhagen', 'Europe/Helsinki', 'Europe/Brussels', 'UTC'];

/** The form's strings as the shared input schema expects them: times read in the chosen zone. */
export function eventFromForm(body: unknown) {
  const v = body as Record<string, unknown>;
  const s = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : Array.isArray(v[k]) ? String((v[k] as unknown[])[0] ?? '') : '');
  const tz = s('timeZone') || 'Europe/Stockholm';
  const at = (k: string) => (s(k) ? (zonedInstant(s(k), tz) ?? undefined) : null);
  const orgs = Array.isArray(v.organisationIds) ? (v.organisationIds as string[]) : s('organisationIds') ? [s('organisationIds')] : [];
  return {
    kind: s('kind'),
    title: s('title'),
    description: s('description'),
    lang: s('lang'),
    startsAt: at('startsAt') ?? undefined,
    endsAt: at('endsAt') ?? undefined,
    timeZone: tz,
    place: s('place'),
    onlineUrl: s('onlineUrl'),
    organisationIds: orgs.filter(Boolean),
    registrationOpen: s('registrationOpen'),
    capacity: s('capacity'),
    registrationDeadline: at('registrationDeadline'),
    sdgGoals: s('sdgGoals'),
    topics: s('topics'),
  };
}

export const eventFormValues = (e: EventRow, orgIds: string[]): Record<string, string> => ({
  kind: e.kind,
  title: e.title,
  description: e.description,
  lang: e.lang,
  startsAt: localValue(e.startsAt, e.timeZone),
  endsAt: localValue(e.endsAt, e.timeZone),
  timeZone: e.timeZone,
  place: e.place ?? '',
  onlineUrl: e.onlineUrl ?? '',
  organisationIds: orgIds.join(','),
  registrationOpen: e.registrationOpen ? 'true' : '',
  capacity: e.capacity ? String(e.capacity) : '',
  registrationDeadline: localValue(e.registrationDeadline, e.timeZone),
  sdgGoals: e.sdgGoals.join(', '),
  topics: e.topics.join(', '),
});

/**
 * The organisers the form offers: the bodies the actor manages, and those the event already has (`keep`).
 * A co-organiser the actor does not manage must still be offered, selected: a browser sends only the
 * options it shows, so leaving it out would silently remove it on save.
 */
export async function writableOrgs(db: Executor, req: FastifyRequest, keep: readonly string[] = []) {
  const all = await directory.organisationOptions(db);
  if (req.actor.isPlatformAdmin) return all;
  const out = [];
  for (const o of all) if (keep.includes(o.id) || (await canManageAny(db, req.actor, [o.id]))) out.push(o);
  return out;
}

function EventForm({ req, form, action, orgs, editing }: { req: FastifyRequest; form: FormState; action: string; orgs: { id: string; name: string }[]; editing: boolean }) {
  const l = req.locale;
  const t = et[l];
  const chosen = new Set((form.values.organisationIds ?? '').split(',').filter(Boolean));
  const labels = { kind: t.kind, title: t.title, description: t.description, lang: t.lang, startsAt: t.startsAt, endsAt: t.endsAt, timeZone: t.timeZone, place: t.place, onlineUrl: t.onlineUrl, organisationIds: t.organisers, capacity: t.capacity, registrationDeadline: t.registrationDeadline, sdgGoals: t.sdgGoals, topics: t.topics };
  const orgErr = form.errors.organisationIds;
  return (
    <form method="post" action={action} class="stack">
      <Csrf req={req} />
      <ErrorSummary req={req} form={form} labels={labels} />
      <SelectField name="kind" label={t.kind} form={form} required options={EVENT_KINDS.map((k) => ({ value: k, label: kindLabel(l, k) }))} />
      <TextField name="title" label={t.title} form={form} required />
      <TextArea name="description" label={t.description} form={form} rows={8} description={nt[l].bodyHelp} />
      <SelectField name="lang" label={t.lang} form={form} required options={(['sv', 'nb', 'da', 'en'] as const).map((k) => ({ value: k, label: LANG_LABEL[l][k] }))} />
      <div class="ds-field">
        <label class="ds-label" for="f-startsAt">
          {t.startsAt}
        </label>
        <p class="ds-paragraph field-desc" data-size="sm" id="f-time-desc">
          {t.timeHelp}
        </p>
        <input class="ds-input" type="datetime-local" id="f-startsAt" name="startsAt" value={form.values.startsAt ?? ''} required aria-describedby="f-time-desc" aria-invalid={form.errors.startsAt ? 'true' : undefined} />
        {form.errors.startsAt && <p class="ds-validation-message" data-color="danger">{form.errors.startsAt}</p>}
      </div>
      <div class="ds-field">
        <label class="ds-label" for="f-endsAt">
          {t.endsAt}
        </label>
        <input class="ds-input" type="datetime-local" id="f-endsAt" name="endsAt" value={form.values.endsAt ?? ''} required aria-invalid={form.errors.endsAt ? 'true' : undefined} aria-describedby={form.errors.endsAt ? 'f-endsAt-err' : undefined} />
        {form.errors.endsAt && (
          <p class="ds-validation-message" data-color="danger" id="f-endsAt-err">
            {form.errors.endsAt}
          </p>
        )}
      </div>
      <SelectField name="timeZone" label={t.timeZone} form={form} options={ZONES.map((z) => ({ value: z, label: z }))} />
      <TextField name="place" label={t.place} form={form} description={t.placeHelp} />
      <TextField name="onlineUrl" label={t.onlineUrl} form={form} type="url" />
      <div class="ds-field">
        <label class="ds-label" for="f-organisationIds">
          {t.organisers}
        </label>
        <p class="ds-paragraph field-desc" data-size="sm" id="f-organisationIds-desc">
          {t.organisersHelp}
        </p>
        <select class="ds-input" id="f-organisationIds" name="organisationIds" multiple size={6} required aria-describedby="f-organisationIds-desc" aria-invalid={orgErr ? 'true' : undefined}>
          {orgs.map((o) => (
            <option value={o.id} selected={chosen.has(o.id)}>
              {o.name}
            </option>
          ))}
        </select>
        {orgErr && <p class="ds-validation-message" data-color="danger">{orgErr}</p>}
      </div>
      <div class="ds-field">
        <label class="ds-label" data-weight="regular" for="f-registrationOpen">
          <input class="ds-input" type="checkbox" id="f-registrationOpen" name="registrationOpen" value="true" checked={form.values.registrationOpen === 'true'} /> {t.registrationOpen}
        </label>
      </div>
      <TextField name="capacity" label={t.capacity} form={form} type="number" description={t.capacityHelp} />
      <div class="ds-field">
        <label class="ds-label" for="f-registrationDeadline">
          {t.registrationDeadline}
        </label>
        <input class="ds-input" type="datetime-local" id="f-registrationDeadline" name="registrationDeadline" value={form.values.registrationDeadline ?? ''} />
        {form.errors.registrationDeadline && <p class="ds-validation-message" data-color="danger">{form.errors.registrationDeadline}</p>}
      </div>
      <TextField name="sdgGoals" label={t.sdgGoals} form={form} description={nt[l].sdgGoalsHelp} />
      <TextField name="topics" label={t.topics} form={form} description={nt[l].topicsHelp} />
      <button class="ds-button" data-variant="primary" type="submit">
        {editing ? t.saveChanges : t.save}
      </button>
    </form>
  );
}

export function EventEditPage({ req, form, orgs, event }: { req: FastifyRequest; form: FormState; orgs: { id: string; name: string }[]; event: EventRow | null }) {
  const t = et[req.locale];
  return (
    <Layout req={req} title={event ? t.editEvent : t.newEvent} crumbs={[{ href: '/events', label: t.events }]}>
      <h1 class="ds-heading" data-size="lg">
        {event ? t.editEvent : t.newEvent}
      </h1>
      <EventForm req={req} form={form} action={event ? `/events/${event.id}/edit` : '/events'} orgs={orgs} editing={!!event} />
    </Layout>
  );
}
