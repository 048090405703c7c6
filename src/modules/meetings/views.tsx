/**
 * The pieces the meeting pages are built of: the list, an item with its case, the meeting's facts,
 * files and small tags. Pure components on the views the queries return; no database.
 */
import type { FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { Csrf } from '../../web/form-fields.js';
import { formatNumber, dateTimeFormat, INTL_TAG, type Locale } from '../../web/i18n/index.js';
import { t } from './i18n.js';
import { req as rq } from './requests-i18n.js';
import type { FileView, ItemView, MeetingListEntry, MeetingView } from './queries.js';
import type { MeetingRow } from './schema.js';

export function formatWhen(locale: Locale, m: Pick<MeetingRow, 'startsAt' | 'endsAt' | 'timeZone'>): string {
  const tag = INTL_TAG[locale];
  const day = dateTimeFormat(tag, { dateStyle: 'full', timeZone: m.timeZone }).format(m.startsAt);
  const time = (d: Date) => dateTimeFormat(tag, { timeStyle: 'short', timeZone: m.timeZone }).format(d);
  if (!m.endsAt) return `${day} ${time(m.startsAt)}`;
  const sameDay = dateTimeFormat('en-CA', { timeZone: m.timeZone }).format(m.startsAt) === dateTimeFormat('en-CA', { timeZone: m.timeZone }).format(m.endsAt);
  // The end of a meeting over several days is in the meeting's zone too, like its start.
  const endDay = dateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short', timeZone: m.timeZone }).format(m.endsAt);
  return sameDay ? `${day} ${time(m.startsAt)}–${time(m.endsAt)}` : `${day} ${time(m.startsAt)} – ${endDay}`;
}

export const meetingHref = (id: string) => `/meetings/${id}`;
export const itemHref = (mid: string, iid: string) => `/meetings/${mid}/items/${iid}`;
export const fileHref = (f: FileView) => `/meetings/files/${f.id}/download`;

export function PrintCss() {
  return <link rel="stylesheet" href="/meetings/assets/print.css" />;
}

export function RichText({ html, lang }: { html: string | null; lang?: string }) {
  if (!html) return null;
  // Stored rich text was sanitised on save against a small allow-list.
  return <div class="rich-text ds-paragraph" lang={lang} dangerouslySetInnerHTML={{ __html: html }} />;
}

export function StateTag({ locale, state }: { locale: Locale; state: MeetingRow['state'] }) {
  const s = t[locale];
  const color = state === 'cancelled' ? 'danger' : state === 'held' ? 'success' : 'info';
  return (
    <span class="ds-tag" data-color={color}>
      {s[`state_${state}`]}
    </span>
  );
}

export function FileList({ req, files }: { req: FastifyRequest; files: FileView[] }) {
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

export function CaseDetails({ req, item }: { req: FastifyRequest; item: ItemView }) {
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
export function ItemBody({ req, v, it, heading = 'h3', showDecision = true, showContent = true }: { req: FastifyRequest; v: MeetingView; it: ItemView; heading?: 'h2' | 'h3'; showDecision?: boolean; showContent?: boolean }) {
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

export function ClosedTag({ locale }: { locale: Locale }) {
  return (
    <span class="ds-tag" data-color="warning">
      {t[locale].closed}
    </span>
  );
}

export function PostButton({ req, action, label, variant = 'secondary', fields = {} }: { req: FastifyRequest; action: string; label: ComponentChildren; variant?: 'primary' | 'secondary' | 'tertiary'; fields?: Record<string, string> }) {
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

export function MeetingMeta({ req, v }: { req: FastifyRequest; v: MeetingView }) {
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

export function itemLabel(it: { number: string | null; title: string }) {
  return `${it.number ? `${it.number}. ` : ''}${it.title}`;
}

// --- Form <-> service mapping --------------------------------------------------------
