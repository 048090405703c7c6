import type { Database } from '../../platform/db/index.js';
import { requireUser } from '../../web/context.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.js';
import type { FileStorage } from '../../platform/storage/index.js';
import { Alert, ButtonLink, Csrf, emptyForm, ErrorSummary, Pager, TextArea, type FormState } from '../../web/components.js';
import { localiseFieldMessage } from '../../web/forms.js';
import { common } from '../../web/i18n/common.js';
import { formatDateTime, formatNumber, INTL_TAG, type Locale } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { directory } from '../directory/index.js';
import { Checkbox, ItemForm, LocalDateTime, MeetingForm, ParticipantForm, UploadForm, type OrgOption } from './forms.js';
import { t } from './i18n.js';
import { req as rq } from './requests-i18n.js';
import { canManageAny } from './policy.js';
import { listMeetings, meetingView, organisationMeetingsSummary, type FileView, type ItemView, type MeetingListEntry, type MeetingView } from './queries.js';
import type { MeetingRow } from './schema.js';
import * as svc from './service.js';
import { DEFAULT_TIME_ZONE, instantToLocal, localToInstant } from './time.js';
import { asUploadedFile } from '../../web/multipart.js';

const Id = z.object({ id: z.string().min(1).max(100) });
const ItemRef = z.object({ id: z.string().min(1).max(100), itemId: z.string().min(1).max(100) });
const Form = z.record(z.string(), z.unknown());
const hide = { hide: true } as const;

// --- Small helpers -----------------------------------------------------------

const str = (v: unknown) => (Array.isArray(v) ? String(v[0] ?? '') : v == null ? '' : String(v));
const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : v == null || v === '' ? [] : [String(v)]).filter(Boolean);

/** The user's input as strings, for re-rendering; multi-selects joined by commas. */
function valuesOf(body: unknown, multi: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (k === '_csrf' || k === 'file') continue;
    out[k] = multi.includes(k) ? list(v).join(',') : str(v);
  }
  return out;
}

/**
 * Runs a form: domain validation errors come back as per-field messages in the
 * user's language, keyed by form field (mapped from the service's field path).
 */
async function runForm<T>(req: FastifyRequest, values: Record<string, string>, run: () => Promise<T>, mapField: (f: string) => string = (f) => f.split('.')[0] || '_') {
  try {
    return { ok: true as const, result: await run() };
  } catch (err) {
    if (err instanceof ValidationError) {
      const errors: Record<string, string> = {};
      for (const f of err.fields) {
        const key = mapField(f.field);
        errors[key] ??= localiseFieldMessage(req.locale, f.message, values[key]);
      }
      return { ok: false as const, form: { values, errors } satisfies FormState };
    }
    if (err instanceof ConflictError) return { ok: false as const, form: { values, errors: { [err.field ?? '_']: err.message } } };
    throw err;
  }
}


function requireEdit(req: FastifyRequest, v: MeetingView) {
  requireUser(req);
  if (!v.access.edit) throw new ForbiddenError('Only admins and editors of the organising body can change this meeting.');
}

export function formatWhen(locale: Locale, m: Pick<MeetingRow, 'startsAt' | 'endsAt' | 'timeZone'>): string {
  const tag = INTL_TAG[locale];
  const day = new Intl.DateTimeFormat(tag, { dateStyle: 'full', timeZone: m.timeZone }).format(m.startsAt);
  const time = (d: Date) => new Intl.DateTimeFormat(tag, { timeStyle: 'short', timeZone: m.timeZone }).format(d);
  if (!m.endsAt) return `${day} ${time(m.startsAt)}`;
  const sameDay = new Intl.DateTimeFormat('en-CA', { timeZone: m.timeZone }).format(m.startsAt) === new Intl.DateTimeFormat('en-CA', { timeZone: m.timeZone }).format(m.endsAt);
  return sameDay ? `${day} ${time(m.startsAt)}–${time(m.endsAt)}` : `${day} ${time(m.startsAt)} – ${formatDateTime(locale, m.endsAt)}`;
}

const meetingHref = (id: string) => `/meetings/${id}`;
const itemHref = (mid: string, iid: string) => `/meetings/${mid}/items/${iid}`;
const fileHref = (f: FileView) => `/meetings/files/${f.id}/download`;

function PrintCss() {
  return <link rel="stylesheet" href="/meetings/assets/print.css" />;
}

function RichText({ html, lang }: { html: string | null; lang?: string }) {
  if (!html) return null;
  // Stored rich text was sanitised on save against a small allow-list.
  return <div class="rich-text ds-paragraph" lang={lang} dangerouslySetInnerHTML={{ __html: html }} />;
}

function StateTag({ locale, state }: { locale: Locale; state: MeetingRow['state'] }) {
  const s = t[locale];
  const color = state === 'cancelled' ? 'danger' : state === 'held' ? 'success' : 'info';
  return (
    <span class="ds-tag" data-color={color}>
      {s[`state_${state}`]}
    </span>
  );
}

function FileList({ req, files }: { req: FastifyRequest; files: FileView[] }) {
  const s = t[req.locale];
  if (!files.length) return null;
  return (
    <ul class="file-list">
      {files.map((f) => (
        <li>
          <a class="ds-link" href={fileHref(f)}>
            {f.title}
          </a>{' '}
          <span class="ds-paragraph" data-size="sm">
            ({s[`role_${f.role}`]}, {f.fileName}, {s.bytes(formatNumber(req.locale, f.sizeBytes))})
          </span>
        </li>
      ))}
    </ul>
  );
}

export function MeetingList({ req, entries }: { req: FastifyRequest; entries: MeetingListEntry[] }) {
  const s = t[req.locale];
  if (!entries.length) return <p class="ds-paragraph">{s.noMeetings}</p>;
  return (
    <ul class="entity-list">
      {entries.map(({ meeting: m, organisers }) => (
        <li>
          <a class="ds-link" href={meetingHref(m.id)} lang={m.lang}>
            {m.title}
          </a>{' '}
          <StateTag locale={req.locale} state={m.state} />
          <br />
          <span class="ds-paragraph" data-size="sm">
            {formatWhen(req.locale, m)} · {organisers.map((o) => o.name).join(', ')}
          </span>
        </li>
      ))}
    </ul>
  );
}

function CaseDetails({ req, item }: { req: FastifyRequest; item: ItemView }) {
  const s = t[req.locale];
  const c = item.case;
  if (!c) return null;
  return (
    <dl class="meeting-meta case-details">
      {c.reference && (
        <>
          <dt>{s.caseReference}</dt>
          <dd>{c.reference}</dd>
        </>
      )}
      {c.title !== item.title && (
        <>
          <dt>{s.caseTitle}</dt>
          <dd lang={c.lang}>{c.title}</dd>
        </>
      )}
      {c.caseType && (
        <>
          <dt>{s.caseType}</dt>
          <dd>{c.caseType}</dd>
        </>
      )}
      {c.caseDate && (
        <>
          <dt>{s.caseDate}</dt>
          <dd>{c.caseDate}</dd>
        </>
      )}
      {c.caseOfficer && (
        <>
          <dt>{s.caseOfficer}</dt>
          <dd>{c.caseOfficer}</dd>
        </>
      )}
      {c.otherOfficers.length > 0 && (
        <>
          <dt>{s.otherOfficers}</dt>
          <dd>{c.otherOfficers.join(', ')}</dd>
        </>
      )}
      {c.referrals.length > 0 && (
        <>
          <dt>{s.referrals}</dt>
          <dd>
            {c.referrals.map((o, i) => (
              <>
                {i > 0 && ', '}
                <a class="ds-link" href={`/organisations/${o.slug}`}>
                  {o.name}
                </a>
                {i === 0 && ` (${s.leadingBody})`}
              </>
            ))}
          </dd>
        </>
      )}
    </dl>
  );
}

/**
 * An item's body: what the viewer may see of it, or the closed notice. Each
 * part (summary, description, recommendation, decision) sits under its own
 * heading, so a reader finds the decision at a glance; the headings are in
 * the page's language and the text keeps the item's own.
 */
function ItemBody({ req, v, it, heading = 'h3', showDecision = true, showContent = true }: { req: FastifyRequest; v: MeetingView; it: ItemView; heading?: 'h2' | 'h3'; showDecision?: boolean; showContent?: boolean }) {
  const s = t[req.locale];
  // Sub-headings sit one level below the item's own heading.
  const Sub = heading === 'h2' ? 'h3' : 'h4';
  if (it.withheld) return <p class="ds-paragraph closed-notice">{s.closedNotice}</p>;
  const lang = it.lang !== req.locale ? it.lang : undefined;
  const Part = ({ kind, title, children }: { kind: string; title: string; children: ComponentChildren }) => (
    <div class={`item-part item-part--${kind}`}>
      <Sub class="ds-heading" data-size="xs">
        {title}
      </Sub>
      {children}
    </div>
  );
  return (
    <div>
      {!it.isPublic && <p class="ds-paragraph closed-notice">{s.closedVisibleNotice}</p>}
      <CaseDetails req={req} item={it} />
      {showContent && it.summary && (
        <Part kind="summary" title={s.summary}>
          <RichText html={it.summary} lang={lang} />
        </Part>
      )}
      {showContent && it.description && (
        <Part kind="description" title={s.itemDescription}>
          <RichText html={it.description} lang={lang} />
        </Part>
      )}
      {showContent && it.recommendation && (
        <Part kind="recommendation" title={s.recommendation}>
          <RichText html={it.recommendation} lang={lang} />
        </Part>
      )}
      {showDecision && v.minutesVisible && (
        <Part kind="decision" title={s.decision}>
          {it.decision ? <RichText html={it.decision} lang={lang} /> : <p class="ds-paragraph">{s.noDecision}</p>}
          {it.result && (
            <p class="ds-paragraph">
              <strong>{s.result}:</strong> <span lang={lang}>{it.result}</span>
            </p>
          )}
        </Part>
      )}
      <FileList req={req} files={it.files} />
    </div>
  );
}

function ClosedTag({ locale }: { locale: Locale }) {
  return (
    <span class="ds-tag" data-color="warning">
      {t[locale].closed}
    </span>
  );
}

function PostButton({ req, action, label, variant = 'secondary', fields = {} }: { req: FastifyRequest; action: string; label: ComponentChildren; variant?: 'primary' | 'secondary' | 'tertiary'; fields?: Record<string, string> }) {
  return (
    <form method="post" action={action}>
      <Csrf req={req} />
      {Object.entries(fields).map(([k, v]) => (
        <input type="hidden" name={k} value={v} />
      ))}
      <button class="ds-button" data-variant={variant} data-size="sm" type="submit">
        {label}
      </button>
    </form>
  );
}

function MeetingMeta({ req, v }: { req: FastifyRequest; v: MeetingView }) {
  const s = t[req.locale];
  const m = v.meeting;
  const place = [m.room, m.streetAddress, [m.postalCode, m.locality].filter(Boolean).join(' ')].filter((x) => x && x.trim()).join(', ');
  return (
    <dl class="meeting-meta">
      <dt>{s.when}</dt>
      <dd>{formatWhen(req.locale, m)}</dd>
      {(place || m.onlinePlatform || m.onlineUrl) && (
        <>
          <dt>{s.where}</dt>
          <dd>
            {place}
            {place && (m.onlinePlatform || m.onlineUrl) ? ' · ' : ''}
            {m.onlinePlatform}
            {m.onlineUrl && (
              <>
                {' '}
                <a class="ds-link" href={m.onlineUrl} rel="noopener noreferrer">
                  {s.joinMeeting}
                </a>
              </>
            )}
          </dd>
        </>
      )}
      <dt>{s.organisedBy}</dt>
      <dd>
        {v.organisers.map((o, i) => (
          <>
            {i > 0 && ', '}
            <a class="ds-link" href={`/meetings/bodies/${o.slug}`}>
              {o.name}
            </a>
          </>
        ))}
      </dd>
      {v.pendingOrganisers.length > 0 && (
        <>
          <dt>{rq[req.locale].pending}</dt>
          <dd>{v.pendingOrganisers.map((o) => o.name).join(', ')}</dd>
        </>
      )}
      <dt>{s.state}</dt>
      <dd>
        <StateTag locale={req.locale} state={m.state} />
      </dd>
    </dl>
  );
}

function itemLabel(it: { number: string | null; title: string }) {
  return `${it.number ? `${it.number}. ` : ''}${it.title}`;
}

// --- Form <-> service mapping --------------------------------------------------------

function meetingInputFromForm(body: Record<string, unknown>) {
  const v = valuesOf(body, ['coOrganisationIds']);
  const zone = v.timeZone || DEFAULT_TIME_ZONE;
  const errors: { field: string; message: string }[] = [];
  const startsAt = v.startsAt ? localToInstant(v.startsAt, zone) : null;
  if (!startsAt) errors.push({ field: 'startsAt', message: v.startsAt ? 'Give a valid start date and time' : 'Too small: required' });
  const endsAt = v.endsAt ? localToInstant(v.endsAt, zone) : null;
  if (v.endsAt && !endsAt) errors.push({ field: 'endsAt', message: 'Give a valid end date and time' });
  if (errors.length) throw new ValidationError(errors);
  const organisationIds = [v.organisationId ?? '', ...list(body.coOrganisationIds).filter((id) => id !== v.organisationId)].filter(Boolean);
  return {
    title: v.title ?? '',
    lang: v.lang || 'en',
    startsAt,
    endsAt,
    timeZone: zone,
    state: v.state || 'planned',
    streetAddress: v.streetAddress,
    postalCode: v.postalCode,
    locality: v.locality,
    room: v.room,
    onlineUrl: v.onlineUrl,
    onlinePlatform: v.onlinePlatform,
    description: v.description,
    organisationIds,
  };
}

const meetingFieldMap = (f: string) => (f.startsWith('organisationIds.') && f !== 'organisationIds.0' ? 'coOrganisationIds' : f.startsWith('organisationIds') ? 'organisationId' : f.split('.')[0] || '_');

function meetingFormValues(v: MeetingView): Record<string, string> {
  const m = v.meeting;
  return {
    title: m.title,
    lang: m.lang,
    organisationId: v.organisers[0]?.id ?? '',
    // Organisers awaiting acceptance stay named when the form is saved again.
    coOrganisationIds: [...v.organisers.slice(1), ...v.pendingOrganisers].map((o) => o.id).join(','),
    startsAt: instantToLocal(m.startsAt, m.timeZone),
    endsAt: m.endsAt ? instantToLocal(m.endsAt, m.timeZone) : '',
    timeZone: m.timeZone,
    state: m.state,
    streetAddress: m.streetAddress ?? '',
    postalCode: m.postalCode ?? '',
    locality: m.locality ?? '',
    room: m.room ?? '',
    onlineUrl: m.onlineUrl ?? '',
    onlinePlatform: m.onlinePlatform ?? '',
    description: m.description,
  };
}

function itemInputFromForm(body: Record<string, unknown>) {
  const v = valuesOf(body, ['caseOtherBodyIds']);
  const lead = v.caseLeadBodyId ?? '';
  const referralOrganisationIds = [lead, ...list(body.caseOtherBodyIds).filter((id) => id !== lead)].filter(Boolean);
  return {
    number: v.number,
    title: v.title ?? '',
    isPublic: v.isPublic === 'on',
    lang: v.lang || 'en',
    summary: v.summary,
    description: v.description,
    recommendation: v.recommendation,
    decision: v.decision,
    result: v.result,
    case: {
      reference: v.caseReference,
      title: v.caseTitle,
      caseType: v.caseType,
      caseDate: v.caseDate,
      caseOfficer: v.caseOfficer,
      otherOfficers: (v.otherOfficers ?? '').split(/\r?\n/).map((x) => x.trim()).filter(Boolean),
      referralOrganisationIds,
    },
  };
}

const itemFieldMap = (f: string) => {
  const [head, sub, idx] = f.split('.');
  if (head !== 'case') return head || '_';
  if (sub === 'referralOrganisationIds') return idx === '0' || idx === undefined ? 'caseLeadBodyId' : 'caseOtherBodyIds';
  const names: Record<string, string> = { reference: 'caseReference', title: 'caseTitle', caseType: 'caseType', caseDate: 'caseDate', caseOfficer: 'caseOfficer', otherOfficers: 'otherOfficers' };
  return names[sub ?? ''] ?? 'caseReference';
};

function itemFormValues(it: ItemView): Record<string, string> {
  const c = it.case;
  return {
    number: it.number ?? '',
    title: it.title,
    isPublic: it.isPublic ? 'on' : '',
    lang: it.lang,
    summary: it.summary ?? '',
    description: it.description ?? '',
    recommendation: it.recommendation ?? '',
    decision: it.decision ?? '',
    result: it.result ?? '',
    caseReference: c?.reference ?? '',
    caseTitle: c && c.title !== it.title ? c.title : '',
    caseType: c?.caseType ?? '',
    caseDate: c?.caseDate ?? '',
    caseOfficer: c?.caseOfficer ?? '',
    otherOfficers: c?.otherOfficers.join('\n') ?? '',
    caseLeadBodyId: c?.referrals[0]?.id ?? '',
    caseOtherBodyIds: c?.referrals.slice(1).map((o) => o.id).join(',') ?? '',
  };
}

// --- Pages ---------------------------------------------------------------------

export async function meetingsPages(app: FastifyInstance, deps: AppDeps & { storage: FileStorage }) {
  const { db, config, storage } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

  const allOrgs = async (): Promise<OrgOption[]> => (await directory.organisationOptions(db.orm)).map((o) => ({ id: o.id, name: o.name }));
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
    const values = valuesOf(req.body, ['coOrganisationIds']);
    const res = await runForm(req, values, async () => svc.createMeeting(db, req.actor, meetingInputFromForm(req.body)), meetingFieldMap);
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
    const pubDate = (d: Date) => new Intl.DateTimeFormat(INTL_TAG[req.locale], { dateStyle: 'long', timeZone: tz }).format(d);
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
        {edit && <ParticipantForm req={req} action={`/meetings/${m.id}/participants`} people={await directory.personOptions(db.orm)} form={forms.participant ?? emptyForm({ role: 'member', attendance: 'invited' })} />}
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
    const values = valuesOf(req.body, ['coOrganisationIds']);
    const res = await runForm(req, values, async () => svc.updateMeeting(db, req.actor, req.params.id, meetingInputFromForm(req.body)), meetingFieldMap);
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
    const values = valuesOf(req.body);
    const res = await runForm(req, values, async () => svc.copyMeeting(db, req.actor, req.params.id, { startsAt: localToInstant(values.startsAt ?? '', v.meeting.timeZone) }));
    if (res.ok) return reply.redirect(meetingHref(res.result.id), 303);
    return reply.html(renderCopy(req, v, res.form), 422);
  });

  r.post('/meetings/:id/publish', { schema: { ...hide, params: Id, body: z.object({ _csrf: z.string().optional(), what: z.enum(['agenda', 'minutes']), publish: z.enum(['0', '1']) }) } }, async (req, reply) => {
    requireUser(req);
    await svc.setPublication(db, req.actor, req.params.id, req.body.what, req.body.publish === '1');
    return reply.redirect(meetingHref(req.params.id), 303);
  });

  // Items --------------------------------------------------------------------------------------------------
  const renderItemForm = async (req: FastifyRequest, v: MeetingView, form: FormState, itemId?: string) => {
    const s = t[req.locale];
    const title = itemId ? s.editItem : s.addItem;
    return (
      <Layout req={req} title={title} crumbs={[{ href: '/meetings', label: s.meetings }, { href: meetingHref(v.meeting.id), label: v.meeting.title }]}>
        <h1 class="ds-heading" data-size="lg">
          {title}
        </h1>
        <ItemForm req={req} form={form} action={itemId ? `/meetings/${v.meeting.id}/items/${itemId}/edit` : `/meetings/${v.meeting.id}/items`} orgs={await allOrgs()} submit={itemId ? common[req.locale].save : common[req.locale].create} />
        {itemId && (
          <div class="editor-panel">
            <PostButton req={req} action={`/meetings/${v.meeting.id}/items/${itemId}/delete`} label={s.deleteItem} variant="secondary" />
          </div>
        )}
      </Layout>
    );
  };

  r.get('/meetings/:id/items/new', { schema: { ...hide, params: Id } }, async (req, reply) => {
    const v = await meetingView(db.orm, req.actor, req.params.id);
    requireEdit(req, v);
    const next = v.items.length ? '' : '1';
    return reply.html(await renderItemForm(req, v, emptyForm({ isPublic: 'on', lang: v.meeting.lang, number: next, caseLeadBodyId: '' })));
  });

  r.post('/meetings/:id/items', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) => {
    const v = await meetingView(db.orm, req.actor, req.params.id);
    requireEdit(req, v);
    const values = valuesOf(req.body, ['caseOtherBodyIds']);
    const res = await runForm(req, values, async () => svc.addItem(db, req.actor, req.params.id, itemInputFromForm(req.body)), itemFieldMap);
    if (res.ok) return reply.redirect(`${meetingHref(req.params.id)}#item-${res.result.id}`, 303);
    return reply.html(await renderItemForm(req, v, res.form), 422);
  });

  r.get('/meetings/:id/items/:itemId', { schema: { ...hide, params: ItemRef } }, async (req, reply) => {
    const s = t[req.locale];
    const v = await meetingView(db.orm, req.actor, req.params.id);
    const it = v.items.find((i) => i.id === req.params.itemId);
    if (!it) throw new NotFoundError('agenda item', req.params.itemId);
    return reply.html(
      <Layout req={req} title={itemLabel(it)} crumbs={[{ href: '/meetings', label: s.meetings }, { href: meetingHref(v.meeting.id), label: v.meeting.title }]}>
        <PrintCss />
        <p class="ds-paragraph" data-size="sm">
          {s.item} {it.number ?? ''} · {formatWhen(req.locale, v.meeting)}
        </p>
        <h1 class="ds-heading" data-size="lg" lang={it.lang}>
          {itemLabel(it)} {!it.isPublic && <ClosedTag locale={req.locale} />}
        </h1>
        <ItemBody req={req} v={v} it={it} heading="h2" />
        {v.access.edit && <ButtonLink href={`/meetings/${v.meeting.id}/items/${it.id}/edit`}>{s.editItem}</ButtonLink>}
        <p class="ds-paragraph">
          <a class="ds-link" href={meetingHref(v.meeting.id)}>
            {s.backToMeeting}
          </a>
        </p>
      </Layout>,
    );
  });

  r.get('/meetings/:id/items/:itemId/edit', { schema: { ...hide, params: ItemRef } }, async (req, reply) => {
    const v = await meetingView(db.orm, req.actor, req.params.id);
    requireEdit(req, v);
    const it = v.items.find((i) => i.id === req.params.itemId);
    if (!it) await svc.getItemRow(db.orm, v.meeting.id, req.params.itemId);
    return reply.html(await renderItemForm(req, v, emptyForm(itemFormValues(it!)), it!.id));
  });

  r.post('/meetings/:id/items/:itemId/edit', { schema: { ...hide, params: ItemRef, body: Form } }, async (req, reply) => {
    const v = await meetingView(db.orm, req.actor, req.params.id);
    requireEdit(req, v);
    await svc.getItemRow(db.orm, v.meeting.id, req.params.itemId);
    const values = valuesOf(req.body, ['caseOtherBodyIds']);
    const res = await runForm(req, values, async () => svc.updateItem(db, req.actor, req.params.id, req.params.itemId, itemInputFromForm(req.body)), itemFieldMap);
    if (res.ok) return reply.redirect(itemHref(req.params.id, req.params.itemId), 303);
    return reply.html(await renderItemForm(req, v, res.form, req.params.itemId), 422);
  });

  r.post('/meetings/:id/items/:itemId/move', { schema: { ...hide, params: ItemRef, body: z.object({ _csrf: z.string().optional(), to: z.enum(['up', 'down']) }) } }, async (req, reply) => {
    requireUser(req);
    await svc.moveItem(db, req.actor, req.params.id, req.params.itemId, req.body.to);
    return reply.redirect(`${meetingHref(req.params.id)}#item-${req.params.itemId}`, 303);
  });

  r.post('/meetings/:id/items/:itemId/delete', { schema: { ...hide, params: ItemRef, body: Form } }, async (req, reply) => {
    requireUser(req);
    await svc.deleteItem(db, req.actor, req.params.id, req.params.itemId);
    return reply.redirect(meetingHref(req.params.id), 303);
  });

  // Minutes: record decisions --------------------------------------------------------------------------------
  const renderDecisions = (req: FastifyRequest, v: MeetingView, form: FormState) => {
    const s = t[req.locale];
    const labels: Record<string, string> = { minutesNotes: s.minutesNotes };
    for (const it of v.items) {
      labels[`decision_${it.id}`] = `${s.decision} – ${itemLabel(it)}`;
      labels[`result_${it.id}`] = `${s.result} – ${itemLabel(it)}`;
    }
    return (
      <Layout req={req} title={s.recordDecisions} crumbs={[{ href: '/meetings', label: s.meetings }, { href: meetingHref(v.meeting.id), label: v.meeting.title }]}>
        <h1 class="ds-heading" data-size="lg">
          {s.recordDecisions}
        </h1>
        <ErrorSummary req={req} form={form} labels={labels} />
        <form method="post" action={`/meetings/${v.meeting.id}/decisions`} novalidate>
          <Csrf req={req} />
          {v.items.map((it) => (
            <fieldset class="ds-fieldset agenda-item">
              <legend class="ds-heading" data-size="xs" lang={it.lang}>
                {itemLabel(it)} {!it.isPublic && `(${s.closed})`}
              </legend>
              {it.recommendation && (
                <>
                  <p class="ds-paragraph" data-size="sm">
                    <strong>{s.recommendation}:</strong>
                  </p>
                  <RichText html={it.recommendation} lang={it.lang} />
                </>
              )}
              <TextArea name={`decision_${it.id}`} label={`${s.decision} – ${itemLabel(it)}`} form={form} rows={3} lang={it.lang} />
              <div class="ds-field">
                <label class="ds-label" for={`f-result_${it.id}`}>
                  {`${s.result} – ${itemLabel(it)}`}
                </label>
                <input class="ds-input" id={`f-result_${it.id}`} name={`result_${it.id}`} value={form.values[`result_${it.id}`] ?? ''} lang={it.lang} />
              </div>
            </fieldset>
          ))}
          <TextArea name="minutesNotes" label={s.minutesNotes} form={form} rows={4} lang={v.meeting.lang} description={s.richTextHelp} />
          <Checkbox name="markHeld" label={s.markHeld} form={form} />
          <button class="ds-button" data-variant="primary" type="submit">
            {common[req.locale].save}
          </button>
        </form>
      </Layout>
    );
  };

  r.get('/meetings/:id/decisions', { schema: { ...hide, params: Id } }, async (req, reply) => {
    const v = await meetingView(db.orm, req.actor, req.params.id);
    requireEdit(req, v);
    const values: Record<string, string> = { minutesNotes: v.meeting.minutesNotes, markHeld: v.meeting.state === 'held' || v.meeting.startsAt < new Date() ? 'on' : '' };
    for (const it of v.items) {
      values[`decision_${it.id}`] = it.decision ?? '';
      values[`result_${it.id}`] = it.result ?? '';
    }
    return reply.html(renderDecisions(req, v, emptyForm(values)));
  });

  r.post('/meetings/:id/decisions', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) => {
    const v = await meetingView(db.orm, req.actor, req.params.id);
    requireEdit(req, v);
    const values = valuesOf(req.body);
    const items = v.items.filter((it) => `decision_${it.id}` in values).map((it) => ({ id: it.id, decision: values[`decision_${it.id}`] ?? '', result: values[`result_${it.id}`] ?? '' }));
    const res = await runForm(
      req,
      values,
      () => svc.recordDecisions(db, req.actor, req.params.id, { minutesNotes: values.minutesNotes ?? '', markHeld: values.markHeld === 'on', items }),
      (f) => {
        const [head, idx, sub] = f.split('.');
        if (head === 'items' && idx !== undefined) return `${sub === 'result' ? 'result' : 'decision'}_${items[Number(idx)]?.id ?? ''}`;
        return head || '_';
      },
    );
    if (res.ok) return reply.redirect(`${meetingHref(req.params.id)}`, 303);
    return reply.html(renderDecisions(req, v, res.form), 422);
  });

  // Printable agenda and minutes ---------------------------------------------------------------------------------------
  const renderPrint = async (req: FastifyRequest, reply: FastifyReply, id: string, kind: 'agenda' | 'minutes') => {
    const s = t[req.locale];
    const v = await meetingView(db.orm, req.actor, id);
    if (kind === 'agenda' ? !v.agendaVisible : !v.minutesVisible) throw new NotFoundError(kind, id);
    const m = v.meeting;
    const heading = kind === 'agenda' ? s.agenda : s.minutes;
    const published = kind === 'agenda' ? m.agendaPublishedAt : m.minutesPublishedAt;
    return reply.html(
      <Layout req={req} title={`${heading}: ${m.title}`} crumbs={[{ href: meetingHref(m.id), label: m.title }]}>
        <PrintCss />
        <article class="print-doc">
          <p class="ds-paragraph no-print">
            <button type="button" class="ds-button" data-variant="primary" data-print hidden>
              {s.print}
            </button>
            <noscript>{s.print}: Ctrl+P / ⌘P</noscript>
          </p>
          <script src="/meetings/assets/print.js" defer></script>
          <p class="ds-paragraph" data-size="sm">
            {heading}
            {published && ` · ${(kind === 'agenda' ? s.agendaPublishedOn : s.minutesPublishedOn)(new Intl.DateTimeFormat(INTL_TAG[req.locale], { dateStyle: 'long', timeZone: m.timeZone }).format(published))}`}
          </p>
          <h1 class="ds-heading" data-size="lg" lang={m.lang}>
            {m.title}
          </h1>
          <MeetingMeta req={req} v={v} />
          {kind === 'minutes' && v.participants.length > 0 && (
            <>
              <h2 class="ds-heading" data-size="sm">
                {s.participants}
              </h2>
              <ul>
                {v.participants.map((p) => (
                  <li>
                    {p.person?.name} – {s[`role_${p.role}`]}, {s[`att_${p.attendance}`]}
                  </li>
                ))}
              </ul>
            </>
          )}
          {v.items.map((it) => (
            <section class="agenda-item" aria-labelledby={`p-${it.id}`}>
              <h2 class="ds-heading" data-size="sm" id={`p-${it.id}`} lang={it.lang}>
                {itemLabel(it)} {!it.isPublic && <ClosedTag locale={req.locale} />}
              </h2>
              <ItemBody req={req} v={v} it={it} heading="h2" showDecision={kind === 'minutes'} showContent={kind === 'agenda' || !it.decision} />
            </section>
          ))}
          {kind === 'minutes' && v.minutesNotes && (
            <>
              <h2 class="ds-heading" data-size="sm">
                {s.minutesNotes}
              </h2>
              <RichText html={v.minutesNotes} lang={m.lang} />
            </>
          )}
          {kind === 'minutes' && v.files.filter((f) => f.role === 'minutes').length > 0 && <FileList req={req} files={v.files.filter((f) => f.role === 'minutes')} />}
        </article>
      </Layout>,
    );
  };
  r.get('/meetings/:id/agenda', { schema: { ...hide, params: Id } }, async (req, reply) => renderPrint(req, reply, req.params.id, 'agenda'));
  r.get('/meetings/:id/minutes', { schema: { ...hide, params: Id } }, async (req, reply) => renderPrint(req, reply, req.params.id, 'minutes'));

  // Participants -------------------------------------------------------------------------------------------------------------
  r.post('/meetings/:id/participants', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) => {
    requireUser(req);
    const values = valuesOf(req.body);
    const res = await runForm(req, values, () => svc.addParticipant(db, req.actor, req.params.id, { personId: values.personId, role: values.role || undefined, attendance: values.attendance || undefined }));
    if (res.ok) return reply.redirect(meetingHref(req.params.id), 303);
    return renderMeeting(req, reply, req.params.id, { participant: res.form }, 422);
  });

  r.post('/meetings/:id/participants/:pid/delete', { schema: { ...hide, params: z.object({ id: z.string().max(100), pid: z.string().max(100) }), body: Form } }, async (req, reply) => {
    requireUser(req);
    await svc.removeParticipant(db, req.actor, req.params.id, req.params.pid);
    return reply.redirect(meetingHref(req.params.id), 303);
  });

  // Files ------------------------------------------------------------------------------------------------------------------------
  r.post('/meetings/:id/files', { schema: { ...hide, params: Id } }, async (req, reply) => {
    requireUser(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = valuesOf(body);
    const res = await runForm(req, values, () =>
      svc.addFile(db, storage, req.actor, req.params.id, asUploadedFile(body.file), { role: values.role || undefined, title: values.title, agendaItemId: values.agendaItemId }, config.uploadMaxBytes),
    );
    if (res.ok) return reply.redirect(`${meetingHref(req.params.id)}#upload`, 303);
    return renderMeeting(req, reply, req.params.id, { upload: res.form }, 422);
  });

  r.post('/meetings/:id/files/:fileId/delete', { schema: { ...hide, params: z.object({ id: z.string().max(100), fileId: z.string().max(100) }), body: Form } }, async (req, reply) => {
    requireUser(req);
    await svc.deleteFile(db, storage, req.actor, req.params.id, req.params.fileId);
    return reply.redirect(meetingHref(req.params.id), 303);
  });
}

/** The meetings section of an organisation's directory page: what is coming, the latest minutes, and a way in. */
export function organisationMeetingsSection(db: Database) {
  return async (req: FastifyRequest, org: { id: string; slug: string; name: string }) => {
    const s = t[req.locale];
    const sum = await organisationMeetingsSummary(db.orm, org.id);
    if (!sum.upcoming.length && !sum.past.length) return null;
    const latest = sum.latestMinutes;
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
