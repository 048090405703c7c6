import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireUser } from '../../web/context.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database, Executor } from '../../platform/db/index.js';
import { ConflictError, ForbiddenError, ValidationError } from '../../platform/errors.js';
import type { AppDeps, OrganisationRef } from '../../platform/http.js';
import type { FileStorage } from '../../platform/storage/index.js';
import { Alert, ButtonLink, Csrf, emptyForm, ErrorSummary, FileField, SelectField, Table, TextArea, TextField, type FormState, InlineLinks } from '../../web/components.js';
import { formValues, handleForm } from '../../web/forms.js';
import { INTL_TAG, type Locale } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { directory } from '../directory/index.js';
import {
  addFile,
  addItem,
  deleteEvent,
  deleteFile,
  deleteItem,
  eventDraftsFor,
  eventForReader,
  fileForDownload,
  getEventRow,
  listEvents,
  organiserIds,
  participants,
  publishEvent,
  register,
  registrationByToken,
  saveEvent,
  setRecording,
  signOff,
  type EventView,
} from './events.js';
import { renderEventsCalendar } from './ical.js';
import { et, LANG_LABEL, nt } from './i18n.js';
import { zonedInstant } from './inputs.js';
import { withDescendants } from './news-pages.js';
import { canManageAny, managesSomething } from './policy.js';
import { richTextToPlain } from '../../web/richtext.js';
import { EVENT_KINDS, type EventRow } from './schema.js';
import { asUploadedFile, textFields } from '../../web/multipart.js';

const Id = z.object({ id: z.string().min(1).max(100) });
const Form = z.record(z.string(), z.unknown());
const ZONES = ['Europe/Stockholm', 'Europe/Oslo', 'Europe/Copenhagen', 'Europe/Helsinki', 'Europe/Brussels', 'UTC'];

export const kindLabel = (l: Locale, k: EventRow['kind']) => et[l][`kind_${k}`];

/** Date and time in the event's own zone, with the zone named. */
export function formatWhen(l: Locale, e: Pick<EventRow, 'startsAt' | 'endsAt' | 'timeZone'>): string {
  const day = new Intl.DateTimeFormat(INTL_TAG[l], { dateStyle: 'full', timeZone: e.timeZone });
  const time = new Intl.DateTimeFormat(INTL_TAG[l], { timeStyle: 'short', timeZone: e.timeZone });
  const sameDay = day.format(e.startsAt) === day.format(e.endsAt);
  const zone = e.timeZone.replace(/^Europe\//, '').replace(/_/g, ' ');
  return sameDay
    ? `${day.format(e.startsAt)}, ${time.format(e.startsAt)}–${time.format(e.endsAt)} (${zone})`
    : `${day.format(e.startsAt)} ${time.format(e.startsAt)} – ${day.format(e.endsAt)} ${time.format(e.endsAt)} (${zone})`;
}

/** A wall-clock value for a datetime-local input, in the event's zone. */
function localValue(d: Date | null, zone: string): string {
  if (!d) return '';
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** The form's strings as the shared input schema expects them: times read in the chosen zone. */
function eventFromForm(body: unknown) {
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

const eventFormValues = (e: EventRow, orgIds: string[]): Record<string, string> => ({
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

async function writableOrgs(db: Executor, req: FastifyRequest) {
  const all = await directory.organisationOptions(db);
  if (req.actor.isPlatformAdmin) return all;
  const out = [];
  for (const o of all) if (await canManageAny(db, req.actor, [o.id])) out.push(o);
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

function EventEditPage({ req, form, orgs, event }: { req: FastifyRequest; form: FormState; orgs: { id: string; name: string }[]; event: EventRow | null }) {
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

export function EventList({ req, items }: { req: FastifyRequest; items: EventRow[] }) {
  const l = req.locale;
  return (
    <ul class="entity-list event-list">
      {items.map((e) => (
        <li lang={e.lang !== l ? e.lang : undefined}>
          <a class="ds-link" href={`/events/${e.id}`}>
            {e.title}
          </a>{' '}
          <span class="ds-tag" data-size="sm" lang={l}>
            {kindLabel(l, e.kind)}
          </span>
          <p class="ds-paragraph muted" data-size="sm" lang={l}>
            {formatWhen(l, e)}
            {e.status !== 'published' ? ` · ${et[l].draft}` : ''}
          </p>
        </li>
      ))}
    </ul>
  );
}

function RegistrationSection({ req, view, form, done }: { req: FastifyRequest; view: EventView; form: FormState; done: boolean }) {
  const l = req.locale;
  const t = et[l];
  const e = view.event;
  const r = view.registration;
  if (!e.registrationOpen) return null;
  return (
    <section aria-labelledby="ev-registration" class="section">
      <h2 class="ds-heading" data-size="sm" id="ev-registration">
        {t.registration}
      </h2>
      {done && <Alert color="success">{t.registered}</Alert>}
      {r.open ? (
        <>
          {e.registrationDeadline && <p class="ds-paragraph">{t.deadline(new Intl.DateTimeFormat(INTL_TAG[l], { dateStyle: 'long', timeStyle: 'short', timeZone: e.timeZone }).format(e.registrationDeadline))}</p>}
          {r.capacity !== null && <p class="ds-paragraph">{t.seatsLeft(Math.max(0, r.capacity - r.taken))}</p>}
          <form method="post" action={`/events/${e.id}/register`} class="stack">
            <Csrf req={req} />
            <ErrorSummary req={req} form={form} labels={{ name: t.yourName, email: t.yourEmail, organisationName: t.yourOrganisation }} />
            <TextField name="name" label={t.yourName} form={form} required autocomplete="name" />
            <TextField name="email" label={t.yourEmail} form={form} type="email" required autocomplete="email" />
            <TextField name="organisationName" label={t.yourOrganisation} form={form} autocomplete="organization" />
            <button class="ds-button" data-variant="primary" type="submit">
              {t.register}
            </button>
          </form>
        </>
      ) : (
        <>
          <ErrorSummary req={req} form={form} labels={{ name: t.yourName, email: t.yourEmail }} />
          <p class="ds-paragraph">{t[`reason_${r.reason!}`]}</p>
        </>
      )}
      {view.canEdit && (
        <p class="ds-paragraph">
          <a class="ds-link" href={`/events/${e.id}/participants`}>
            {t.participants}
          </a>{' '}
          ({t.participantsCount(r.taken)})
        </p>
      )}
    </section>
  );
}

function EventPage({ req, view, regForm = emptyForm(), registered = false, allOrgs = [] }: { req: FastifyRequest; view: EventView; regForm?: FormState; registered?: boolean; allOrgs?: { id: string; name: string }[] }) {
  const l = req.locale;
  const t = et[l];
  const e = view.event;
  const fileLink = (f: { id: string; title: string; fileName: string }) => (
    <a class="ds-link" href={`/events/${e.id}/files/${f.id}`}>
      {f.title || f.fileName}
    </a>
  );
  const recordings = view.files.filter((f) => f.role === 'recording');
  const materials = view.files.filter((f) => f.role === 'material');
  const isPast = e.endsAt < new Date();
  const orgOptions = allOrgs.map((o) => ({ value: o.id, label: o.name }));
  return (
    <Layout req={req} title={e.title} crumbs={[{ href: '/events', label: t.events }]}>
      <div lang={e.lang !== l ? e.lang : undefined}>
        <p class="ds-paragraph" lang={l}>
          <span class="ds-tag">{kindLabel(l, e.kind)}</span>
        </p>
        <h1 class="ds-heading" data-size="lg">
          {e.title}
        </h1>
        <dl class="facts" lang={l}>
          <dt>{t.when}</dt>
          <dd>{formatWhen(l, e)}</dd>
          {(e.place || e.onlineUrl) && <dt>{t.where}</dt>}
          {e.place && <dd>{e.place}</dd>}
          {e.onlineUrl && (
            <dd>
              <a class="ds-link" href={e.onlineUrl} rel="noopener noreferrer">
                {t.join}
              </a>
            </dd>
          )}
          <dt>{t.organisers}</dt>
          <dd>
            <InlineLinks links={view.organisers.map((o) => ({ href: `/organisations/${o.slug}`, label: o.name }))} />
          </dd>
        </dl>
        {e.status !== 'published' && (
          <div lang={l}>
            <Alert color="warning">{t.draftNote}</Alert>
          </div>
        )}
        <div class="rich-text" dangerouslySetInnerHTML={{ __html: e.description }} />
        <p class="ds-paragraph" lang={l}>
          <a class="ds-link" href={`/events/${e.id}/calendar.ics`}>
            {t.calendar}
          </a>
        </p>
        <section aria-labelledby="ev-programme" class="section">
          <h2 class="ds-heading" data-size="sm" id="ev-programme" lang={l}>
            {t.programme}
          </h2>
          {view.items.length === 0 ? (
            <p class="ds-paragraph" lang={l}>
              {t.noProgramme}
            </p>
          ) : (
            <ol class="entity-list programme">
              {view.items.map((it) => {
                const org = it.speakerOrganisationId ? view.speakerOrgs.get(it.speakerOrganisationId) : undefined;
                const pres = view.files.filter((f) => f.itemId === it.id);
                return (
                  <li>
                    {it.startsAt && <span class="muted">{new Intl.DateTimeFormat(INTL_TAG[l], { timeStyle: 'short', timeZone: e.timeZone }).format(it.startsAt)} </span>}
                    <strong>{it.title}</strong>
                    {it.speakerName && (
                      <span>
                        {' '}
                        · {it.speakerName}
                        {org ? `, ${org.name}` : ''}
                      </span>
                    )}
                    {(it.slidesUrl || pres.length > 0) && (
                      <ul class="inline-list" lang={l}>
                        {it.slidesUrl && (
                          <li>
                            <a class="ds-link" href={it.slidesUrl} rel="noopener noreferrer">
                              {t.slides}
                            </a>
                          </li>
                        )}
                        {pres.map((f) => (
                          <li>
                            {t.presentation}: {fileLink(f)}
                          </li>
                        ))}
                      </ul>
                    )}
                    {view.canEdit && (
                      <form method="post" action={`/events/${e.id}/items/${it.id}/delete`} class="inline-form" lang={l}>
                        <Csrf req={req} />
                        <button class="ds-button" data-variant="tertiary" data-size="sm" type="submit">
                          {t.removeItem}
                        </button>
                      </form>
                    )}
                  </li>
                );
              })}
            </ol>
          )}
        </section>
        {(isPast || e.recordingUrl || recordings.length > 0 || materials.length > 0) && (
          <section aria-labelledby="ev-after" class="section" lang={l}>
            <h2 class="ds-heading" data-size="sm" id="ev-after">
              {t.afterEvent}
            </h2>
            {(e.recordingUrl || recordings.length > 0) && (
              <>
                <h3 class="ds-heading" data-size="xs">
                  {t.recording}
                </h3>
                <ul class="entity-list">
                  {e.recordingUrl && (
                    <li>
                      <a class="ds-link" href={e.recordingUrl} rel="noopener noreferrer">
                        {t.watchRecording}
                      </a>
                    </li>
                  )}
                  {recordings.map((f) => (
                    <li>{fileLink(f)}</li>
                  ))}
                </ul>
              </>
            )}
            {materials.length > 0 && (
              <>
                <h3 class="ds-heading" data-size="xs">
                  {t.materials}
                </h3>
                <ul class="entity-list">
                  {materials.map((f) => (
                    <li>
                      {fileLink(f)}
                      {view.canEdit && (
                        <form method="post" action={`/events/${e.id}/files/${f.id}/delete`} class="inline-form">
                          <Csrf req={req} />
                          <button class="ds-button" data-variant="tertiary" data-size="sm" type="submit">
                            {t.removeFile}
                          </button>
                        </form>
                      )}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
        )}
      </div>
      <RegistrationSection req={req} view={view} form={regForm} done={registered} />
      {view.canEdit && (
        <section aria-labelledby="ev-manage" class="section">
          <h2 class="ds-heading" data-size="sm" id="ev-manage">
            {t.editEvent}
          </h2>
          <p class="ds-paragraph">
            <ButtonLink href={`/events/${e.id}/edit`}>{t.editEvent}</ButtonLink>
          </p>
          <form method="post" action={`/events/${e.id}/publish`}>
            <Csrf req={req} />
            <input type="hidden" name="publish" value={e.status === 'published' ? 'false' : 'true'} />
            <button class="ds-button" data-variant={e.status === 'published' ? 'secondary' : 'primary'} type="submit">
              {e.status === 'published' ? t.withdraw : t.publish}
            </button>
          </form>
          <h3 class="ds-heading" data-size="xs" id="ev-add-item">
            {t.addItem}
          </h3>
          <form method="post" action={`/events/${e.id}/items`} class="stack" aria-labelledby="ev-add-item">
            <Csrf req={req} />
            <TextField name="title" label={t.itemTitle} form={emptyForm()} required />
            <div class="ds-field">
              <label class="ds-label" for="f-item-startsAt">
                {t.itemStartsAt}
              </label>
              <input class="ds-input" type="datetime-local" id="f-item-startsAt" name="startsAt" value={localValue(e.startsAt, e.timeZone)} />
            </div>
            <TextField name="speakerName" label={t.speakerName} form={emptyForm()} />
            <SelectField name="speakerOrganisationId" label={t.speakerOrganisation} form={emptyForm()} options={[{ value: '', label: t.noOrganisation }, ...orgOptions]} />
            <TextField name="slidesUrl" label={t.slidesUrl} form={emptyForm()} type="url" />
            <button class="ds-button" data-variant="secondary" type="submit">
              {t.addItem}
            </button>
          </form>
          <h3 class="ds-heading" data-size="xs" id="ev-upload">
            {t.uploadFile}
          </h3>
          <form method="post" action={`/events/${e.id}/files`} enctype="multipart/form-data" class="stack" aria-labelledby="ev-upload">
            <Csrf req={req} />
            <SelectField name="role" label={t.fileRole} form={emptyForm({ role: isPast ? 'material' : 'presentation' })} options={(['presentation', 'recording', 'material'] as const).map((r) => ({ value: r, label: t[`role_${r}`] }))} />
            <SelectField name="itemId" label={t.forItem} form={emptyForm()} options={[{ value: '', label: t.noItem }, ...view.items.map((i) => ({ value: i.id, label: i.title }))]} />
            <TextField name="title" label={t.fileTitle} form={emptyForm()} />
            <FileField name="file" label={t.file} form={emptyForm()} required />
            <button class="ds-button" data-variant="secondary" type="submit">
              {t.upload}
            </button>
          </form>
          <h3 class="ds-heading" data-size="xs" id="ev-recording">
            {t.recording}
          </h3>
          <form method="post" action={`/events/${e.id}/recording`} class="stack" aria-labelledby="ev-recording">
            <Csrf req={req} />
            <TextField name="recordingUrl" label={t.recordingUrl} form={emptyForm({ recordingUrl: e.recordingUrl ?? '' })} type="url" />
            <button class="ds-button" data-variant="secondary" type="submit">
              {t.saveRecording}
            </button>
          </form>
          <form method="post" action={`/events/${e.id}/delete`}>
            <Csrf req={req} />
            <button class="ds-button" data-variant="tertiary" data-color="danger" type="submit">
              {t.delete}
            </button>
          </form>
        </section>
      )}
    </Layout>
  );
}

/** The organisation page's events section: upcoming events it or its working groups organise. */
export function organisationEventsSection(db: Database) {
  return async (req: FastifyRequest, org: OrganisationRef) => {
    const l = req.locale;
    const res = await listEvents(db.orm, { when: 'upcoming', organisationIds: await withDescendants(db.orm, org.id), pageSize: 5 });
    if (!res.items.length) return null;
    return (
      <section aria-labelledby="org-events" class="section">
        <h2 class="ds-heading" data-size="sm" id="org-events">
          {et[l].events}
        </h2>
        <EventList req={req} items={res.items} />
        <p class="ds-paragraph">
          <a class="ds-link" href={`/events?org=${org.id}`}>
            {et[l].eventsOf(org.name)}
          </a>{' '}
          · <a class="ds-link" href={`/events/feeds/${org.slug}`}>{et[l].calendarFeed}</a>
        </p>
      </section>
    );
  };
}

export async function eventPages(app: FastifyInstance, { db, config, storage }: AppDeps & { storage: FileStorage }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const hide = { hide: true } as const;
  const base = config.publicUrl.replace(/\/$/, '');

  r.get('/events', { schema: { ...hide, querystring: z.object({ org: z.string().uuid().optional(), page: z.coerce.number().int().min(1).max(10_000).optional() }) } }, async (req, reply) => {
    const l = req.locale;
    const t = et[l];
    const org = req.query.org ? await directory.getOrganisation(db.orm, req.query.org) : null;
    const ids = org ? await withDescendants(db.orm, org.id) : undefined;
    const [upcoming, past, drafts] = await Promise.all([
      listEvents(db.orm, { when: 'upcoming', organisationIds: ids, pageSize: 50 }),
      listEvents(db.orm, { when: 'past', organisationIds: ids, page: req.query.page ?? 1 }),
      org ? Promise.resolve([]) : eventDraftsFor(db.orm, req.actor),
    ]);
    const title = org ? t.eventsOf(org.name) : t.events;
    return reply.html(
      <Layout req={req} title={title}>
        <h1 class="ds-heading" data-size="lg">
          {title}
        </h1>
        {managesSomething(req.actor) && (
          <p class="ds-paragraph">
            <ButtonLink href="/events/new" variant="primary">
              {t.newEvent}
            </ButtonLink>
          </p>
        )}
        {org && (
          <p class="ds-paragraph">
            <a class="ds-link" href={`/events/feeds/${org.slug}`}>
              {t.calendarFeed}
            </a>
          </p>
        )}
        {drafts.length > 0 && (
          <section aria-labelledby="ev-drafts" class="section">
            <h2 class="ds-heading" data-size="sm" id="ev-drafts">
              {t.drafts}
            </h2>
            <EventList req={req} items={drafts} />
          </section>
        )}
        <section aria-labelledby="ev-upcoming" class="section">
          <h2 class="ds-heading" data-size="sm" id="ev-upcoming">
            {t.upcoming}
          </h2>
          {upcoming.items.length ? <EventList req={req} items={upcoming.items} /> : <p class="ds-paragraph">{t.noneUpcoming}</p>}
        </section>
        <section aria-labelledby="ev-past" class="section">
          <h2 class="ds-heading" data-size="sm" id="ev-past">
            {t.past}
          </h2>
          {past.items.length ? <EventList req={req} items={past.items} /> : <p class="ds-paragraph">{t.nonePast}</p>}
          {(past.page > 1 || past.hasMore) && (
            <nav aria-label={t.past} class="pager">
              {past.page > 1 && (
                <a class="ds-link" rel="prev" href={`/events?${org ? `org=${org.id}&` : ''}page=${past.page - 1}`}>
                  ←
                </a>
              )}
              {past.hasMore && (
                <a class="ds-link" rel="next" href={`/events?${org ? `org=${org.id}&` : ''}page=${past.page + 1}`}>
                  →
                </a>
              )}
            </nav>
          )}
        </section>
      </Layout>,
    );
  });

  r.get('/events/new', { schema: hide }, async (req, reply) => {
    requireUser(req);
    return reply.html(<EventEditPage req={req} form={emptyForm({ kind: 'webinar', lang: req.locale, timeZone: 'Europe/Stockholm' })} orgs={await writableOrgs(db.orm, req)} event={null} />);
  });

  const rerender = (body: unknown): Record<string, string> => {
    const v = formValues(body);
    const orgs = (body as Record<string, unknown>).organisationIds;
    if (Array.isArray(orgs)) v.organisationIds = orgs.join(',');
    return v;
  };

  r.post('/events', { schema: { ...hide, body: Form } }, async (req, reply) => {
    const res = await handleForm(req, () => saveEvent(db, req.actor, null, eventFromForm(req.body)));
    if (res.ok) return reply.redirect(`/events/${res.result.id}`, 303);
    return reply.html(<EventEditPage req={req} form={{ ...res.form, values: rerender(req.body) }} orgs={await writableOrgs(db.orm, req)} event={null} />, 422);
  });

  r.get('/events/:id', { schema: { ...hide, params: Id, querystring: z.object({ registered: z.string().optional() }) } }, async (req, reply) => {
    const view = await eventForReader(db.orm, req.actor, req.params.id);
    // Speakers often come from other organisations than the organisers: editors may pick any.
    const allOrgs = view.canEdit ? await directory.organisationOptions(db.orm) : [];
    return reply.html(<EventPage req={req} view={view} registered={req.query.registered === '1'} allOrgs={allOrgs} />);
  });

  r.get('/events/:id/edit', { schema: { ...hide, params: Id } }, async (req, reply) => {
    requireUser(req);
    const view = await eventForReader(db.orm, req.actor, req.params.id);
    if (!view.canEdit) throw new ForbiddenError('Only the organisers’ admins and editors can change this event.');
    return reply.html(<EventEditPage req={req} form={emptyForm(eventFormValues(view.event, await organiserIds(db.orm, view.event.id)))} orgs={await writableOrgs(db.orm, req)} event={view.event} />);
  });

  r.post('/events/:id/edit', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) => {
    const res = await handleForm(req, () => saveEvent(db, req.actor, req.params.id, eventFromForm(req.body)));
    if (res.ok) return reply.redirect(`/events/${res.result.id}`, 303);
    const event = await getEventRow(db.orm, req.params.id);
    return reply.html(<EventEditPage req={req} form={{ ...res.form, values: rerender(req.body) }} orgs={await writableOrgs(db.orm, req)} event={event} />, 422);
  });

  r.post('/events/:id/publish', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) => {
    await publishEvent(db, req.actor, req.params.id, textFields(req.body));
    return reply.redirect(`/events/${req.params.id}`, 303);
  });
  r.post('/events/:id/delete', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) => {
    await deleteEvent(db, req.actor, req.params.id);
    return reply.redirect('/events', 303);
  });

  /** A rejected management form: the event page again, with the message on top. */
  const manageForm = async (req: FastifyRequest, reply: import('fastify').FastifyReply, id: string, run: () => Promise<unknown>) => {
    const res = await handleForm(req, run);
    if (res.ok) return reply.redirect(`/events/${id}`, 303);
    const view = await eventForReader(db.orm, req.actor, id);
    const msg = Object.values(res.form.errors).join(' ');
    return reply.html(
      <Layout req={req} title={view.event.title} crumbs={[{ href: `/events/${id}`, label: view.event.title }]}>
        <h1 class="ds-heading" data-size="lg">
          {view.event.title}
        </h1>
        <Alert color="danger">{msg}</Alert>
        <p class="ds-paragraph">
          <a class="ds-link" href={`/events/${id}`}>
            {view.event.title}
          </a>
        </p>
      </Layout>,
      422,
    );
  };

  r.post('/events/:id/items', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) => {
    const f = textFields(req.body);
    return manageForm(req, reply, req.params.id, async () => {
      const event = await getEventRow(db.orm, req.params.id);
      return addItem(db, req.actor, req.params.id, { ...f, startsAt: f.startsAt ? (zonedInstant(f.startsAt, event.timeZone) ?? 'invalid') : null });
    });
  });
  r.post('/events/:id/items/:itemId/delete', { schema: { ...hide, params: z.object({ id: z.string().max(100), itemId: z.string().max(100) }), body: Form } }, async (req, reply) => {
    await deleteItem(db, req.actor, req.params.id, req.params.itemId);
    return reply.redirect(`/events/${req.params.id}`, 303);
  });
  r.post('/events/:id/files', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) =>
    manageForm(req, reply, req.params.id, () => addFile(db, storage, req.actor, req.params.id, asUploadedFile((req.body as Record<string, unknown>).file), textFields(req.body), config.uploadMaxBytes)),
  );
  r.post('/events/:id/files/:fileId/delete', { schema: { ...hide, params: z.object({ id: z.string().max(100), fileId: z.string().max(100) }), body: Form } }, async (req, reply) => {
    await deleteFile(db, req.actor, req.params.id, req.params.fileId);
    return reply.redirect(`/events/${req.params.id}`, 303);
  });
  r.post('/events/:id/recording', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) => manageForm(req, reply, req.params.id, () => setRecording(db, req.actor, req.params.id, textFields(req.body))));

  r.get('/events/:id/files/:fileId', { schema: { ...hide, params: z.object({ id: z.string().max(100), fileId: z.string().max(100) }) } }, async (req, reply) => {
    const f = await fileForDownload(db.orm, req.actor, req.params.id, req.params.fileId);
    const inline = f.mimeType === 'application/pdf' || f.mimeType.startsWith('image/');
    return reply
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(f.fileName)}`)
      .type(f.mimeType)
      .send(await storage.get(f.storageKey));
  });

  // Sign-up: open to everyone, CSRF-protected like every form.
  r.post('/events/:id/register', { config: { public: true }, schema: { ...hide, params: Id, body: Form } }, async (req, reply) => {
    const values = textFields(req.body);
    try {
      await register(db, req.actor, req.params.id, values, base, { locale: req.locale });
      return reply.redirect(`/events/${req.params.id}?registered=1`, 303);
    } catch (err) {
      // Full, past the deadline, already registered: 409; a field missing or wrong: 422. Nothing was written.
      if (!(err instanceof ConflictError) && !(err instanceof ValidationError)) throw err;
      const res = await handleForm(req, async () => {
        throw err;
      });
      const view = await eventForReader(db.orm, req.actor, req.params.id);
      return reply.html(<EventPage req={req} view={view} regForm={res.ok ? emptyForm(values) : res.form} />, err instanceof ConflictError ? 409 : 422);
    }
  });

  r.get('/events/:id/participants', { schema: { ...hide, params: Id } }, async (req, reply) => {
    requireUser(req);
    const l = req.locale;
    const t = et[l];
    const { event, list } = await participants(db.orm, req.actor, req.params.id);
    return reply.html(
      <Layout req={req} title={`${t.participants}: ${event.title}`} crumbs={[{ href: '/events', label: t.events }, { href: `/events/${event.id}`, label: event.title }]}>
        <h1 class="ds-heading" data-size="lg">
          {t.participants}
        </h1>
        <p class="ds-paragraph">
          {event.title} · {t.participantsCount(list.length)}
        </p>
        {list.length === 0 ? (
          <p class="ds-paragraph">{t.noParticipants}</p>
        ) : (
          <Table caption={t.participants} head={[t.name, t.email, t.organisation, t.registeredAt]}>
            {list.map((p) => (
              <tr>
                <td>{p.name}</td>
                <td>{p.email}</td>
                <td>{p.organisationName ?? ''}</td>
                <td>{new Intl.DateTimeFormat(INTL_TAG[l], { dateStyle: 'medium', timeStyle: 'short', timeZone: event.timeZone }).format(p.createdAt)}</td>
              </tr>
            ))}
          </Table>
        )}
      </Layout>,
    );
  });

  r.get('/events/signoff/:token', { schema: { ...hide, params: z.object({ token: z.string().max(200) }) } }, async (req, reply) => {
    const t = et[req.locale];
    const { reg, event } = await registrationByToken(db.orm, req.params.token);
    return reply.html(
      <Layout req={req} title={t.signOffTitle}>
        <h1 class="ds-heading" data-size="lg">
          {t.signOffTitle}
        </h1>
        {reg.cancelledAt ? (
          <p class="ds-paragraph">{t.alreadySignedOff}</p>
        ) : (
          <form method="post" action={`/events/signoff/${encodeURIComponent(req.params.token)}`}>
            <Csrf req={req} />
            <p class="ds-paragraph">{t.signOffConfirm(event.title)}</p>
            <button class="ds-button" data-variant="primary" type="submit">
              {t.signOff}
            </button>
          </form>
        )}
      </Layout>,
    );
  });

  // The sign-off link in the mail is the credential: no account needed.
  r.post('/events/signoff/:token', { config: { public: true }, schema: { ...hide, params: z.object({ token: z.string().max(200) }), body: Form } }, async (req, reply) => {
    const t = et[req.locale];
    const event = await signOff(db, req.actor, req.params.token);
    return reply.html(
      <Layout req={req} title={t.signOffTitle}>
        <h1 class="ds-heading" data-size="lg">
          {t.signOffTitle}
        </h1>
        <Alert color="success">{t.signedOff}</Alert>
        <p class="ds-paragraph">
          <a class="ds-link" href={`/events/${event.id}`}>
            {event.title}
          </a>
        </p>
      </Layout>,
    );
  });

  r.get('/events/:id/calendar.ics', { schema: { ...hide, params: Id } }, async (req, reply) => {
    const view = await eventForReader(db.orm, req.actor, req.params.id);
    return reply
      .type('text/calendar; charset=utf-8')
      .header('content-disposition', `attachment; filename="event-${view.event.id}.ics"`)
      .send(renderEventsCalendar(view.event.title, [{ event: view.event, description: richTextToPlain(view.event.description) }], base));
  });

  r.get('/events/feeds/:slug', { schema: { ...hide, params: z.object({ slug: z.string().min(1).max(200) }) } }, async (req, reply) => {
    const org = await directory.getOrganisation(db.orm, req.params.slug.replace(/\.ics$/, ''));
    const ids = await withDescendants(db.orm, org.id);
    const [up, past] = await Promise.all([listEvents(db.orm, { when: 'upcoming', organisationIds: ids, pageSize: 100 }), listEvents(db.orm, { when: 'past', organisationIds: ids, pageSize: 50 })]);
    return reply
      .type('text/calendar; charset=utf-8')
      .send(renderEventsCalendar(et[org.lang].eventsOf(org.name), [...up.items, ...past.items].map((e) => ({ event: e, description: richTextToPlain(e.description) })), base));
  });
}

