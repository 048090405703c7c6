/** How events look: the list, the event page with its registration, and the organisation page's events section. */
import type { FastifyRequest } from 'fastify';
import type { Database } from '../../platform/db/index.js';
import type { OrganisationRef } from '../../platform/http.js';
import { Alert, ButtonLink, InlineLinks } from '../../web/components.js';
import { Csrf, emptyForm, ErrorSummary, FileField, PostButton, SelectField, TextField, type FormState } from '../../web/form-fields.js';
import { dateTimeFormat, INTL_TAG, type Locale } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { listEvents, type EventView } from './event-reads.js';
import { et } from './i18n.js';
import { withDescendants } from './news-pages.js';
import { type EventRow } from './schema.js';

/** A wall-clock value for a datetime-local input, in the event's zone. */
export function localValue(d: Date | null, zone: string): string {
  if (!d) return '';
  const p = Object.fromEntries(dateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

export const kindLabel = (l: Locale, k: EventRow['kind']) => et[l][`kind_${k}`];

/** Date and time in the event's own zone, with the zone named. */
export function formatWhen(l: Locale, e: Pick<EventRow, 'startsAt' | 'endsAt' | 'timeZone'>): string {
  const day = dateTimeFormat(INTL_TAG[l], { dateStyle: 'full', timeZone: e.timeZone });
  const time = dateTimeFormat(INTL_TAG[l], { timeStyle: 'short', timeZone: e.timeZone });
  const sameDay = day.format(e.startsAt) === day.format(e.endsAt);
  const zone = e.timeZone.replace(/^Europe\//, '').replace(/_/g, ' ');
  return sameDay
    ? `${day.format(e.startsAt)}, ${time.format(e.startsAt)}–${time.format(e.endsAt)} (${zone})`
    : `${day.format(e.startsAt)} ${time.format(e.startsAt)} – ${day.format(e.endsAt)} ${time.format(e.endsAt)} (${zone})`;
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
          {e.registrationDeadline && <p class="ds-paragraph">{t.deadline(dateTimeFormat(INTL_TAG[l], { dateStyle: 'long', timeStyle: 'short', timeZone: e.timeZone }).format(e.registrationDeadline))}</p>}
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
        // No form here, so a refusal is said without links to fields that are not on the page.
        Object.keys(form.errors).length ? (
          <Alert color="danger">{[...new Set(Object.values(form.errors))].join(' ')}</Alert>
        ) : (
          <p class="ds-paragraph">{t[`reason_${r.reason!}`]}</p>
        )
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

export function EventPage({ req, view, regForm = emptyForm(), registered = false, allOrgs = [] }: { req: FastifyRequest; view: EventView; regForm?: FormState; registered?: boolean; allOrgs?: { id: string; name: string }[] }) {
  const l = req.locale;
  const t = et[l];
  const e = view.event;
  const fileLink = (f: { id: string; title: string; fileName: string }) => (
    <a class="ds-link" href={`/events/${e.id}/files/${f.id}`}>
      {f.title || f.fileName}
    </a>
  );
  // Editors remove an uploaded file where it is shown, with the same form for every role.
  const removeFile = (f: { id: string }) =>
    view.canEdit && (
      <PostButton req={req} action={`/events/${e.id}/files/${f.id}/delete`}>
        {t.removeFile}
      </PostButton>
    );
  const recordings = view.files.filter((f) => f.role === 'recording');
  const materials = view.files.filter((f) => f.role === 'material');
  // A presentation uploaded without a programme item (the upload form's default role) belongs to
  // the event as a whole: shown under the programme rather than nowhere.
  const loosePresentations = view.files.filter((f) => f.role === 'presentation' && !f.itemId);
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
                    {it.startsAt && <span class="muted">{dateTimeFormat(INTL_TAG[l], { timeStyle: 'short', timeZone: e.timeZone }).format(it.startsAt)} </span>}
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
          {loosePresentations.length > 0 && (
            <ul class="entity-list" lang={l}>
              {loosePresentations.map((f) => (
                <li>
                  {t.presentation}: {fileLink(f)}
                  {removeFile(f)}
                </li>
              ))}
            </ul>
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
                    <li>
                      {fileLink(f)}
                      {removeFile(f)}
                    </li>
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
                      {removeFile(f)}
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
