import type { Executor } from '../../platform/db/index.js';
import { dateTimeFormat, INTL_TAG, type Locale } from '../../web/i18n/index.js';
import { renderAtom, type AtomEntry } from './atom.js';
import { renderCalendar, type CalendarEvent } from './ical.js';
import { t } from './i18n.js';
import { listMeetings, publicMeetingView, withDescendants, type MeetingView } from './queries.js';
import { richTextToPlain } from '../../web/richtext.js';
import type { MeetingRow } from './schema.js';

/*
 * Calendars and feeds are public documents: they are built only from the
 * public view of each meeting, so closed items appear by title at most.
 */

export function placeText(m: MeetingRow): string {
  const place = [m.room, m.streetAddress, [m.postalCode, m.locality].filter(Boolean).join(' ')].filter((x) => x && x.trim()).join(', ');
  const online = m.onlineUrl ? `${m.onlinePlatform ? `${m.onlinePlatform}: ` : ''}${m.onlineUrl}` : (m.onlinePlatform ?? '');
  return [place, online].filter(Boolean).join(' · ');
}

function meetingDate(m: MeetingRow, locale: Locale): string {
  return dateTimeFormat(INTL_TAG[locale], { dateStyle: 'long', timeZone: m.timeZone }).format(m.startsAt);
}

export function calendarEvent(v: MeetingView, publicUrl: string): CalendarEvent {
  const m = v.meeting;
  const page = `${publicUrl}/meetings/${m.id}`;
  const agenda = v.items.map((it) => `${it.number ? `${it.number}. ` : ''}${it.title}`);
  const description = [
    v.organisers.map((o) => o.name).join(', '),
    m.onlineUrl ? `${m.onlinePlatform ?? 'Online'}: ${m.onlineUrl}` : '',
    agenda.length ? agenda.join('\n') : '',
    m.description ? richTextToPlain(m.description) : '',
    page,
  ]
    .filter(Boolean)
    .join('\n\n');
  const host = new URL(publicUrl).host;
  return {
    uid: `meeting-${m.id}@${host}`,
    start: m.startsAt,
    end: m.endsAt,
    summary: m.title,
    description,
    ...(placeText(m) ? { location: placeText(m) } : {}),
    url: page,
    ...(m.onlineUrl ? { joinUrl: m.onlineUrl, joinLabel: m.onlinePlatform ?? 'Online' } : {}),
    status: m.state === 'cancelled' ? 'CANCELLED' : m.state === 'planned' ? 'TENTATIVE' : 'CONFIRMED',
    created: m.createdAt,
    lastModified: m.updatedAt,
    sequence: m.sequence,
    categories: v.organisers.map((o) => o.name),
  };
}

export async function meetingIcs(db: Executor, meeting: MeetingRow, publicUrl: string): Promise<string> {
  const v = await publicMeetingView(db, meeting);
  return renderCalendar({ name: meeting.title, events: [calendarEvent(v, publicUrl)] });
}

async function organisationMeetings(db: Executor, orgId: string): Promise<MeetingRow[]> {
  const ids = await withDescendants(db, orgId);
  const out: MeetingRow[] = [];
  for (let page = 1; page < 50; page++) {
    const r = await listMeetings(db, { organisationIds: ids, when: 'all', page, pageSize: 200 });
    out.push(...r.items.map((i) => i.meeting));
    if (!r.hasMore) break;
  }
  return out;
}

/** An organisation's calendar: its own meetings and those of groups nested under it. */
export async function organisationIcs(db: Executor, org: { id: string; name: string }, publicUrl: string): Promise<string> {
  const events: CalendarEvent[] = [];
  for (const m of await organisationMeetings(db, org.id)) events.push(calendarEvent(await publicMeetingView(db, m), publicUrl));
  return renderCalendar({ name: org.name, events });
}

function itemsText(v: MeetingView, withDecisions: boolean): string {
  return v.items
    .map((it) => {
      const head = `${it.number ? `${it.number}. ` : ''}${it.title}`;
      if (it.withheld || !withDecisions || !it.decision) return head;
      return `${head}\n${richTextToPlain(it.decision)}`;
    })
    .join('\n\n');
}

/** Published agendas and minutes, newest first. */
export async function organisationAtom(db: Executor, org: { id: string; slug: string; name: string }, publicUrl: string, locale: Locale): Promise<string> {
  const s = t[locale];
  const entries: AtomEntry[] = [];
  for (const m of await organisationMeetings(db, org.id)) {
    const v = await publicMeetingView(db, m);
    const date = meetingDate(m, locale);
    if (m.agendaPublishedAt) {
      entries.push({
        id: `${publicUrl}/meetings/${m.id}#agenda`,
        title: s.feedAgenda(m.title, date),
        updated: m.agendaPublishedAt,
        published: m.agendaPublishedAt,
        link: `${publicUrl}/meetings/${m.id}/agenda`,
        content: itemsText(v, false),
        categories: ['agenda'],
        lang: m.lang,
      });
    }
    if (m.minutesPublishedAt) {
      entries.push({
        id: `${publicUrl}/meetings/${m.id}#minutes`,
        title: s.feedMinutes(m.title, date),
        updated: m.minutesPublishedAt,
        published: m.minutesPublishedAt,
        link: `${publicUrl}/meetings/${m.id}/minutes`,
        content: itemsText(v, true),
        categories: ['minutes'],
        lang: m.lang,
      });
    }
  }
  entries.sort((a, b) => b.updated.getTime() - a.updated.getTime());
  return renderAtom({
    id: `${publicUrl}/meetings/bodies/${org.slug}/feed.atom`,
    title: s.meetingsOf(org.name),
    selfUrl: `${publicUrl}/meetings/bodies/${org.slug}/feed.atom`,
    alternateUrl: `${publicUrl}/meetings/bodies/${org.slug}`,
    updated: entries[0]?.updated ?? new Date(0),
    author: org.name,
    lang: locale,
    entries,
  });
}


