/** The events' HTML routes: list, editor, event page, files, registration and sign-off, calendars. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireUser } from '../../web/context.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ConflictError, ForbiddenError, ValidationError } from '../../platform/errors.js';
import type { AppDeps } from '../../platform/http.js';
import type { FileStorage } from '../../platform/storage/index.js';
import { Alert, ButtonLink, Pager, Table } from '../../web/components.js';
import { Csrf, emptyForm } from '../../web/form-fields.js';
import { formValues, handleForm } from '../../web/forms.js';
import { dateTimeFormat, INTL_TAG } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { directory } from '../directory/index.js';
import {
  addFile,
  addItem,
  deleteEvent,
  deleteFile,
  deleteItem,
  getEventRow,
  organiserIds,
  participants,
  publishEvent,
  register,
  registrationByToken,
  saveEvent,
  setRecording,
  signOff,
} from './events.js';
import { eventDraftsFor, eventForReader, fileForDownload, listEvents } from './event-reads.js';
import { renderEventsCalendar } from './ical.js';
import { et } from './i18n.js';
import { zonedInstant } from './inputs.js';
import { withDescendants } from './news-pages.js';
import { managesSomething } from './policy.js';
import { richTextToPlain } from '../../web/richtext.js';
import { asUploadedFile, textFields } from '../../web/multipart.js';
import { EventEditPage, eventFormValues, eventFromForm, writableOrgs } from './event-form.js';
import { EventList, EventPage } from './event-views.js';

const Id = z.object({ id: z.string().min(1).max(100) });
const Form = z.record(z.string(), z.unknown());

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
          {/* The shared pager: its links are named in words ("Next"), not arrows a screen reader cannot name. */}
          <Pager req={req} page={past.page} hasMore={past.hasMore} base={org ? `/events?org=${org.id}` : '/events'} />
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
    const current = await organiserIds(db.orm, view.event.id);
    return reply.html(<EventEditPage req={req} form={emptyForm(eventFormValues(view.event, current))} orgs={await writableOrgs(db.orm, req, current)} event={view.event} />);
  });

  r.post('/events/:id/edit', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) => {
    const res = await handleForm(req, () => saveEvent(db, req.actor, req.params.id, eventFromForm(req.body)));
    if (res.ok) return reply.redirect(`/events/${res.result.id}`, 303);
    const event = await getEventRow(db.orm, req.params.id);
    return reply.html(<EventEditPage req={req} form={{ ...res.form, values: rerender(req.body) }} orgs={await writableOrgs(db.orm, req, await organiserIds(db.orm, event.id))} event={event} />, 422);
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
      // The service's refusals are English sentences (for API clients); the page says them in the reader's language.
      if (!res.ok && err instanceof ConflictError && err.field) {
        const t = et[req.locale];
        const reasons: Record<string, string> = { already_registered: t.alreadyRegistered, registration_closed: t.reason_closed, registration_ended: t.reason_ended, registration_deadline: t.reason_deadline, registration_full: t.reason_full };
        res.form.errors[err.field] = reasons[err.code] ?? err.message;
      }
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
                <td>{dateTimeFormat(INTL_TAG[l], { dateStyle: 'medium', timeStyle: 'short', timeZone: event.timeZone }).format(p.createdAt)}</td>
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

