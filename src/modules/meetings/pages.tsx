/**
 * The meeting pages: the list, an organisation's meetings, creating a meeting, the meeting page
 * with its participant and file forms, editing, copying and publishing. Items, decisions and the
 * printable agenda and minutes are in item-pages.tsx; the components in views.tsx; the form
 * mapping in form-input.ts.
 * Why this file is long: the meeting page (about 180 lines of view) is rendered here by its own
 * route and again, with a form's errors, by the participant and file posts.
 */
import type { Database } from '../../platform/db/index.js';
import { requireUser } from '../../web/context.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { ForbiddenError } from '../../platform/errors.js';
import type { FileStorage } from '../../platform/storage/index.js';
import { Alert, ButtonLink, Pager } from '../../web/components.js';
import { Csrf, emptyForm, type FormState } from '../../web/form-fields.js';
import { handleForm } from '../../web/forms.js';
import { common } from '../../web/i18n/common.js';
import { dateTimeFormat, INTL_TAG } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { directory } from '../directory/index.js';
import { LocalDateTime, MeetingForm, ParticipantForm, UploadForm, type OrgOption } from './forms.js';
import { t } from './i18n.js';
import { req as rq } from './requests-i18n.js';
import { canManageAny } from './policy.js';
import { listMeetings, meetingView, organisationMeetingsGlance, organisationMeetingsSummary, type MeetingView } from './queries.js';
import * as svc from './service.js';
import * as fileSvc from './files.js';
import * as participantSvc from './participants.js';
import { DEFAULT_TIME_ZONE, instantToLocal, localToInstant } from './time.js';
import { asUploadedFile } from '../../web/multipart.js';
import { ClosedTag, FileList, fileHref, formatWhen, itemHref, itemLabel, meetingHref, MeetingList, MeetingMeta, PostButton, PrintCss, RichText } from './views.js';
import { Form, hide, Id, organisationChoices, requireEdit, meetingFieldMap, meetingFormValues, meetingInputFromForm } from './form-input.js';

export async function meetingsPages(app: FastifyInstance, deps: AppDeps & { storage: FileStorage }) {
  const { db, config, storage } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

  const allOrgs = () => organisationChoices(db);
  /** Organisations the user may organise meetings for. */
  const manageable = async (req: FastifyRequest): Promise<OrgOption[]> => {
    const out: OrgOption[] = [];
    for (const o of await allOrgs()) if (await canManageAny(db.orm, req.actor, [o.id])) out.push(o);
    return out;
  };

  // List ------------------------------------------------------------------------
  r.get('/meetings', { schema: { ...hide, querystring: z.object({ page: z.coerce.number().int().min(1).max(100_000).optional(), when: z.enum(['upcoming', 'past']).optional() }) } }, async (req, reply) => {
    const s = t[req.locale];
    const page = req.query.page ?? 1;
    const upcoming = await listMeetings(db.orm, { when: 'upcoming', pageSize: 20 });
    const past = await listMeetings(db.orm, { when: 'past', page, pageSize: 20 });
    const canCreate = !!req.user && (req.actor.isPlatformAdmin || [...req.actor.orgRoles.values()].some((x) => x !== 'member'));
    return reply.html(
      <Layout req={req} title={s.meetings}>
        <PrintCss />
        <h1 class="ds-heading" data-size="lg">
          {s.meetings}
        </h1>
        {canCreate && <ButtonLink href="/meetings/new">{s.newMeeting}</ButtonLink>}
        {canCreate && (
          <p class="ds-paragraph">
            <a class="ds-link" href="/meetings/requests">
              {rq[req.locale].link}
            </a>
          </p>
        )}
        <h2 class="ds-heading" data-size="md">
          {s.upcoming}
        </h2>
        <MeetingList req={req} entries={upcoming.items} />
        <h2 class="ds-heading" data-size="md">
          {s.past}
        </h2>
        <MeetingList req={req} entries={past.items} />
        <Pager req={req} page={page} hasMore={past.hasMore} base="/meetings" />
      </Layout>,
    );
  });

  // An organisation's meetings: the working group page's meeting section -------------------
  r.get('/meetings/bodies/:slug', { schema: { ...hide, params: z.object({ slug: z.string().min(1).max(200) }) } }, async (req, reply) => {
    const s = t[req.locale];
    const org = await directory.getOrganisation(db.orm, req.params.slug);
    const sum = await organisationMeetingsSummary(db.orm, org.id);
    const canCreate = await canManageAny(db.orm, req.actor, [org.id]);
    const latest = sum.latestMinutes;
    return reply.html(
      <Layout req={req} title={s.meetingsOf(org.name)} crumbs={[{ href: `/organisations/${org.slug}`, label: org.name }]}>
        <PrintCss />
        <h1 class="ds-heading" data-size="lg">
          {s.meetingsOf(org.name)}
        </h1>
        <div class="inline-actions">
          {canCreate && <ButtonLink href={`/meetings/new?organisation=${encodeURIComponent(org.slug)}`}>{s.newMeeting}</ButtonLink>}
          <a class="ds-link" href={`/meetings/bodies/${org.slug}/calendar.ics`}>
            {s.calendarFeed}
          </a>
          <a class="ds-link" href={`/meetings/bodies/${org.slug}/feed.atom`}>
            {s.atomFeed}
          </a>
        </div>
        {latest && (
          <section aria-labelledby="latest-minutes">
            <h2 class="ds-heading" data-size="md" id="latest-minutes">
              {s.latestMinutes}
            </h2>
            <p class="ds-paragraph">
              <a class="ds-link" href={`/meetings/${latest.meeting.id}/minutes`} lang={latest.meeting.lang}>
                {latest.meeting.title}
              </a>{' '}
              ({formatWhen(req.locale, latest.meeting)})
            </p>
            <ul class="entity-list">
              {latest.items.map((it) => (
                <li lang={it.lang}>
                  <a class="ds-link" href={itemHref(latest.meeting.id, it.id)}>
                    {itemLabel(it)}
                  </a>{' '}
                  {!it.isPublic && <ClosedTag locale={req.locale} />}
                </li>
              ))}
            </ul>
          </section>
        )}
        <h2 class="ds-heading" data-size="md">
          {s.upcoming}
        </h2>
        <MeetingList req={req} entries={sum.upcoming} />
        <h2 class="ds-heading" data-size="md">
          {s.past}
        </h2>
        <MeetingList req={req} entries={sum.past} />
        <h2 class="ds-heading" data-size="md">
          {s.followUpDocuments}
        </h2>
        {sum.documents.length ? (
          <ul class="file-list">
            {sum.documents.map((d) => (
              <li>
                <a class="ds-link" href={fileHref(d.file)}>
                  {d.file.title}
                </a>{' '}
                <span class="ds-paragraph" data-size="sm">
                  ({t[req.locale][`role_${d.file.role}`]} ·{' '}
                  <a class="ds-link" href={meetingHref(d.meeting.id)}>
                    {d.meeting.title}
                  </a>
                  )
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p class="ds-paragraph">{s.noFiles}</p>
        )}
      </Layout>,
    );
  });

  // Create -------------------------------------------------------------------------------
  const renderNew = async (req: FastifyRequest, form: FormState) => {
    const s = t[req.locale];
    return (
      <Layout req={req} title={s.newMeeting} crumbs={[{ href: '/meetings', label: s.meetings }]}>
        <h1 class="ds-heading" data-size="lg">
          {s.newMeeting}
        </h1>
        <MeetingForm req={req} form={form} action="/meetings" leadOptions={await manageable(req)} allOrgs={await allOrgs()} submit={common[req.locale].create} />
      </Layout>
    );
  };

  r.get('/meetings/new', { schema: { ...hide, querystring: z.object({ organisation: z.string().max(200).optional() }) } }, async (req, reply) => {
    requireUser(req);
    let orgId = '';
    if (req.query.organisation) {
      const o = await directory.getOrganisation(db.orm, req.query.organisation);
      if (!(await canManageAny(db.orm, req.actor, [o.id]))) throw new ForbiddenError();
      orgId = o.id;
    } else if (!(await manageable(req)).length) throw new ForbiddenError();
    return reply.html(await renderNew(req, emptyForm({ organisationId: orgId, lang: req.locale, timeZone: DEFAULT_TIME_ZONE, state: 'planned' })));
  });

  r.post('/meetings', { schema: { ...hide, body: Form } }, async (req, reply) => {
    requireUser(req);
    const res = await handleForm(req, async () => svc.createMeeting(db, req.actor, meetingInputFromForm(req.body)), { multi: ['coOrganisationIds'], mapField: meetingFieldMap });
    if (res.ok) return reply.redirect(meetingHref(res.result.id), 303);
    return reply.html(await renderNew(req, res.form), 422);
  });

  // Meeting page ------------------------------------------------------------------------------
  const renderMeeting = async (req: FastifyRequest, reply: FastifyReply, id: string, forms: { upload?: FormState; participant?: FormState } = {}, status = 200) => {
    const s = t[req.locale];
    const v = await meetingView(db.orm, req.actor, id);
    const m = v.meeting;
    const edit = v.access.edit;
    const tz = m.timeZone;
    const pubDate = (d: Date) => dateTimeFormat(INTL_TAG[req.locale], { dateStyle: 'long', timeZone: tz }).format(d);
    return reply.html(
      <Layout req={req} title={m.title} crumbs={[{ href: '/meetings', label: s.meetings }, ...v.organisers.slice(0, 1).map((o) => ({ href: `/meetings/bodies/${o.slug}`, label: o.name }))]}>
        <PrintCss />
        <h1 class="ds-heading" data-size="lg" lang={m.lang}>
          {m.title}
        </h1>
        <MeetingMeta req={req} v={v} />
        <div class="inline-actions no-print">
          {v.agendaVisible && (
            <a class="ds-link" href={`/meetings/${m.id}/agenda`}>
              {s.printAgenda}
            </a>
          )}
          {v.minutesVisible && (
            <a class="ds-link" href={`/meetings/${m.id}/minutes`}>
              {s.printMinutes}
            </a>
          )}
          <a class="ds-link" href={`/meetings/${m.id}/calendar.ics`}>
            {s.calendar}
          </a>
        </div>
        {m.description && <RichText html={m.description} lang={m.lang} />}

        <section aria-labelledby="pub-h" class={edit ? 'editor-panel' : ''}>
          <h2 class="ds-heading" data-size="sm" id="pub-h">
            {s.agenda} · {s.minutes}
          </h2>
          <p class="ds-paragraph">{m.agendaPublishedAt ? s.agendaPublishedOn(pubDate(m.agendaPublishedAt)) : s.agendaNotPublished}</p>
          <p class="ds-paragraph">{m.minutesPublishedAt ? s.minutesPublishedOn(pubDate(m.minutesPublishedAt)) : s.minutesNotPublished}</p>
          {edit && (
            <div class="inline-actions">
              <PostButton req={req} action={`/meetings/${m.id}/publish`} label={m.agendaPublishedAt ? s.withdrawAgenda : s.publishAgenda} variant={m.agendaPublishedAt ? 'tertiary' : 'primary'} fields={{ what: 'agenda', publish: m.agendaPublishedAt ? '0' : '1' }} />
              {m.agendaPublishedAt && (
                <PostButton req={req} action={`/meetings/${m.id}/publish`} label={m.minutesPublishedAt ? s.withdrawMinutes : s.publishMinutes} variant={m.minutesPublishedAt ? 'tertiary' : 'primary'} fields={{ what: 'minutes', publish: m.minutesPublishedAt ? '0' : '1' }} />
              )}
              <ButtonLink href={`/meetings/${m.id}/decisions`}>{s.recordDecisions}</ButtonLink>
              <ButtonLink href={`/meetings/${m.id}/edit`}>{s.editMeeting}</ButtonLink>
              <ButtonLink href={`/meetings/${m.id}/copy`}>{s.copyMeeting}</ButtonLink>
            </div>
          )}
          {edit && (!m.agendaPublishedAt || !m.minutesPublishedAt) && <Alert color="info">{s.draftNotice}</Alert>}
        </section>

        <h2 class="ds-heading" data-size="md">
          {s.agenda}
        </h2>
        {!v.agendaVisible ? (
          <p class="ds-paragraph">{s.agendaNotPublished}</p>
        ) : v.items.length === 0 ? (
          <p class="ds-paragraph">{s.noItems}</p>
        ) : (
          <ol class="agenda-list">
            {v.items.map((it, i) => (
              <li class="agenda-item" id={`item-${it.id}`}>
                <div class="agenda-item__head">
                  <span class="agenda-item__number">{it.number ?? ''}</span>
                  <h3 class="ds-heading" data-size="xs" lang={it.lang}>
                    <a class="ds-link" href={itemHref(m.id, it.id)}>
                      {it.title}
                    </a>
                  </h3>
                  {!it.isPublic && <ClosedTag locale={req.locale} />}
                </div>
                {it.withheld ? (
                  <p class="ds-paragraph closed-notice">{s.closedNotice}</p>
                ) : (
                  <div lang={it.lang}>
                    {it.case?.reference && (
                      <p class="ds-paragraph" data-size="sm">
                        {s.caseReference}: {it.case.reference}
                      </p>
                    )}
                    <RichText html={it.summary} />
                    {v.minutesVisible && it.decision && (
                      <div class="item-part item-part--decision">
                        <h4 class="ds-heading" data-size="xs" lang={req.locale}>
                          {s.decision}
                        </h4>
                        <RichText html={it.decision} />
                      </div>
                    )}
                    <FileList req={req} files={it.files} />
                  </div>
                )}
                {edit && (
                  <div class="inline-actions no-print">
                    {i > 0 && <PostButton req={req} action={`/meetings/${m.id}/items/${it.id}/move`} label={s.moveUp} variant="tertiary" fields={{ to: 'up' }} />}
                    {i < v.items.length - 1 && <PostButton req={req} action={`/meetings/${m.id}/items/${it.id}/move`} label={s.moveDown} variant="tertiary" fields={{ to: 'down' }} />}
                    <a class="ds-link" href={`/meetings/${m.id}/items/${it.id}/edit`}>
                      {s.editItem}: {itemLabel(it)}
                    </a>
                  </div>
                )}
              </li>
            ))}
          </ol>
        )}
        {edit && <ButtonLink href={`/meetings/${m.id}/items/new`}>{s.addItem}</ButtonLink>}
        {v.minutesVisible && v.minutesNotes && (
          <>
            <h2 class="ds-heading" data-size="md">
              {s.minutesNotes}
            </h2>
            <RichText html={v.minutesNotes} lang={m.lang} />
          </>
        )}

        <h2 class="ds-heading" data-size="md">
          {s.documents}
        </h2>
        {v.files.length ? <FileList req={req} files={v.files} /> : <p class="ds-paragraph">{s.noFiles}</p>}
        {edit && (
          <>
            <UploadForm req={req} action={`/meetings/${m.id}/files`} items={v.items.map((it) => ({ id: it.id, label: itemLabel(it) }))} form={forms.upload ?? emptyForm({ role: 'attachment' })} maxBytes={config.uploadMaxBytes} />
            {[...v.files, ...v.items.flatMap((it) => it.files)].length > 0 && (
              <ul class="file-list no-print">
                {[...v.files, ...v.items.flatMap((it) => it.files)].map((f) => (
                  <li class="inline-actions">
                    <PostButton req={req} action={`/meetings/${m.id}/files/${f.id}/delete`} label={`${s.deleteFile}: ${f.title}`} variant="tertiary" />
                  </li>
                ))}
              </ul>
            )}
          </>
        )}

        {/* Other modules' sections (plans: follow-up items), given only the items this reader may see. */}
        {await Promise.all(
          (deps.extensions?.meetingSections ?? []).map((section) =>
            section(req, { id: m.id, title: m.title, organiserIds: v.organisers.map((o) => o.id), items: v.agendaVisible ? v.items.filter((it) => !it.withheld).map((it) => ({ id: it.id, label: itemLabel(it) })) : [] }),
          ),
        )}

        <h2 class="ds-heading" data-size="md">
          {s.participants}
        </h2>
        {v.participants.length ? (
          <table class="ds-table" data-size="sm">
            <thead>
              <tr>
                <th scope="col">{s.person}</th>
                <th scope="col">{s.role}</th>
                <th scope="col">{s.attendance}</th>
                {edit && <th scope="col"><span class="visually-hidden">{s.remove}</span></th>}
              </tr>
            </thead>
            <tbody>
              {v.participants.map((p) => (
                <tr>
                  <td>{p.person ? <a class="ds-link" href={`/people/${p.person.slug}`}>{p.person.name}</a> : '—'}</td>
                  <td>{s[`role_${p.role}`]}</td>
                  <td>{s[`att_${p.attendance}`]}</td>
                  {edit && (
                    <td>
                      <PostButton req={req} action={`/meetings/${m.id}/participants/${p.id}/delete`} label={`${s.remove}: ${p.person?.name ?? ''}`} variant="tertiary" />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p class="ds-paragraph">{s.noParticipants}</p>
        )}
        {edit && <ParticipantForm req={req} action={`/meetings/${m.id}/participants`} people={await directory.personOptions(db.orm)} form={forms.participant ?? emptyForm({ participantRole: 'member', attendance: 'invited' })} />}
      </Layout>,
      status,
    );
  };

  r.get('/meetings/:id', { schema: { ...hide, params: Id } }, async (req, reply) => renderMeeting(req, reply, req.params.id));

  // Edit, delete, copy, publish ----------------------------------------------------------------------
  const renderEdit = async (req: FastifyRequest, v: MeetingView, form: FormState) => {
    const s = t[req.locale];
    const lead = await manageable(req);
    // Keep the current organisers selectable even if the editor manages one of them only through a parent.
    for (const o of v.organisers) if (!lead.some((x) => x.id === o.id)) lead.push({ id: o.id, name: o.name });
    return (
      <Layout req={req} title={s.editMeeting} crumbs={[{ href: '/meetings', label: s.meetings }, { href: meetingHref(v.meeting.id), label: v.meeting.title }]}>
        <h1 class="ds-heading" data-size="lg">
          {s.editMeeting}
        </h1>
        <MeetingForm req={req} form={form} action={`/meetings/${v.meeting.id}/edit`} leadOptions={lead} allOrgs={await allOrgs()} submit={common[req.locale].save} />
        <div class="editor-panel">
          <p class="ds-paragraph">{s.deleteConfirm}</p>
          <PostButton req={req} action={`/meetings/${v.meeting.id}/delete`} label={s.deleteMeeting} variant="secondary" />
        </div>
      </Layout>
    );
  };

  r.get('/meetings/:id/edit', { schema: { ...hide, params: Id } }, async (req, reply) => {
    const v = await meetingView(db.orm, req.actor, req.params.id);
    requireEdit(req, v);
    return reply.html(await renderEdit(req, v, emptyForm(meetingFormValues(v))));
  });

  r.post('/meetings/:id/edit', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) => {
    const v = await meetingView(db.orm, req.actor, req.params.id);
    requireEdit(req, v);
    const res = await handleForm(req, async () => svc.updateMeeting(db, req.actor, req.params.id, meetingInputFromForm(req.body)), { multi: ['coOrganisationIds'], mapField: meetingFieldMap });
    if (res.ok) return reply.redirect(meetingHref(req.params.id), 303);
    return reply.html(await renderEdit(req, v, res.form), 422);
  });

  r.post('/meetings/:id/delete', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) => {
    requireUser(req);
    const v = await meetingView(db.orm, req.actor, req.params.id);
    await svc.deleteMeeting(db, req.actor, req.params.id);
    return reply.redirect(v.organisers[0] ? `/meetings/bodies/${v.organisers[0].slug}` : '/meetings', 303);
  });

  const renderCopy = (req: FastifyRequest, v: MeetingView, form: FormState) => {
    const s = t[req.locale];
    return (
      <Layout req={req} title={s.copyMeeting} crumbs={[{ href: '/meetings', label: s.meetings }, { href: meetingHref(v.meeting.id), label: v.meeting.title }]}>
        <h1 class="ds-heading" data-size="lg">
          {s.copyMeeting}
        </h1>
        <p class="ds-paragraph">{s.copyHelp}</p>
        <form method="post" action={`/meetings/${v.meeting.id}/copy`} novalidate>
          <Csrf req={req} />
          <LocalDateTime name="startsAt" label={s.newStart} form={form} required help={`${s.timeHelp} (${v.meeting.timeZone})`} />
          <button class="ds-button" data-variant="primary" type="submit">
            {s.copyOf}
          </button>
        </form>
      </Layout>
    );
  };

  r.get('/meetings/:id/copy', { schema: { ...hide, params: Id } }, async (req, reply) => {
    const v = await meetingView(db.orm, req.actor, req.params.id);
    requireEdit(req, v);
    return reply.html(renderCopy(req, v, emptyForm({ startsAt: instantToLocal(new Date(v.meeting.startsAt.getTime() + 7 * 86400_000), v.meeting.timeZone) })));
  });

  r.post('/meetings/:id/copy', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) => {
    const v = await meetingView(db.orm, req.actor, req.params.id);
    requireEdit(req, v);
    const res = await handleForm(req, async (values) => svc.copyMeeting(db, req.actor, req.params.id, { startsAt: localToInstant(values.startsAt ?? '', v.meeting.timeZone) }));
    if (res.ok) return reply.redirect(meetingHref(res.result.id), 303);
    return reply.html(renderCopy(req, v, res.form), 422);
  });

  r.post('/meetings/:id/publish', { schema: { ...hide, params: Id, body: z.object({ _csrf: z.string().optional(), what: z.enum(['agenda', 'minutes']), publish: z.enum(['0', '1']) }) } }, async (req, reply) => {
    requireUser(req);
    await svc.setPublication(db, req.actor, req.params.id, req.body.what, req.body.publish === '1');
    return reply.redirect(meetingHref(req.params.id), 303);
  });

  // Participants -------------------------------------------------------------------------------------------------------------
  r.post('/meetings/:id/participants', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) => {
    requireUser(req);
    const res = await handleForm(
      req,
      (values) => participantSvc.addParticipant(db, req.actor, req.params.id, { personId: values.personId, role: (values.participantRole ?? values.role) || undefined, attendance: values.attendance || undefined }),
      { mapField: (f) => (f === 'role' ? 'participantRole' : f.split('.')[0] || '_') },
    );
    if (res.ok) return reply.redirect(meetingHref(req.params.id), 303);
    return renderMeeting(req, reply, req.params.id, { participant: res.form }, 422);
  });

  r.post('/meetings/:id/participants/:pid/delete', { schema: { ...hide, params: z.object({ id: z.string().max(100), pid: z.string().max(100) }), body: Form } }, async (req, reply) => {
    requireUser(req);
    await participantSvc.removeParticipant(db, req.actor, req.params.id, req.params.pid);
    return reply.redirect(meetingHref(req.params.id), 303);
  });

  // Files ------------------------------------------------------------------------------------------------------------------------
  r.post('/meetings/:id/files', { schema: { ...hide, params: Id } }, async (req, reply) => {
    requireUser(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const res = await handleForm(
      req,
      (values) =>
        fileSvc.addFile(db, storage, req.actor, req.params.id, asUploadedFile(body.file), { role: values.role || undefined, title: values.title, agendaItemId: values.agendaItemId }, config.uploadMaxBytes),
      { body },
    );
    if (res.ok) return reply.redirect(`${meetingHref(req.params.id)}#upload`, 303);
    return renderMeeting(req, reply, req.params.id, { upload: res.form }, 422);
  });

  r.post('/meetings/:id/files/:fileId/delete', { schema: { ...hide, params: z.object({ id: z.string().max(100), fileId: z.string().max(100) }), body: Form } }, async (req, reply) => {
    requireUser(req);
    await fileSvc.deleteFile(db, storage, req.actor, req.params.id, req.params.fileId);
    return reply.redirect(meetingHref(req.params.id), 303);
  });
}

/** The meetings section of an organisation's directory page: what is coming, the latest minutes, and a way in. */
export function organisationMeetingsSection(db: Database) {
  return async (req: FastifyRequest, org: { id: string; slug: string; name: string }) => {
    const s = t[req.locale];
    const sum = await organisationMeetingsGlance(db.orm, org.id);
    if (!sum.upcoming.length && !sum.hasPast) return null;
    const latest = sum.latestMinutes && { meeting: sum.latestMinutes };
    return (
      <section aria-labelledby="org-meetings" class="section">
        <h2 class="ds-heading" data-size="sm" id="org-meetings">
          {s.meetings}
        </h2>
        {sum.upcoming.length > 0 && <MeetingList req={req} entries={sum.upcoming.slice(0, 3)} />}
        {latest && (
          <p class="ds-paragraph">
            {s.latestMinutes}:{' '}
            <a class="ds-link" href={`/meetings/${latest.meeting.id}/minutes`} lang={latest.meeting.lang}>
              {latest.meeting.title}
            </a>{' '}
            ({formatWhen(req.locale, latest.meeting)})
          </p>
        )}
        <p class="ds-paragraph">
          <a class="ds-link" href={`/meetings/bodies/${org.slug}`}>
            {s.meetingsOf(org.name)}
          </a>
        </p>
      </section>
    );
  };
}
