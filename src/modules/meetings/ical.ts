/**
 * iCalendar (RFC 5545) output. Times are written in UTC, so no VTIMEZONE is
 * needed and every client places the meeting correctly.
 */
export type CalendarEvent = {
  uid: string;
  start: Date;
  end: Date | null;
  summary: string;
  description?: string;
  location?: string;
  /** The meeting's page. */
  url?: string;
  /** Online join link, also given as an RFC 7986 CONFERENCE property. */
  joinUrl?: string;
  joinLabel?: string;
  status: 'TENTATIVE' | 'CONFIRMED' | 'CANCELLED';
  created?: Date;
  lastModified?: Date;
  /** Bumped on every change, so clients replace their copy. */
  sequence?: number;
  categories?: string[];
};

export type Calendar = { name: string; description?: string; events: CalendarEvent[]; dtstamp?: Date };

// The shared primitives (src/web/ical.ts); re-exported under the names this module's callers use.
export { icsDate, foldLine, escapeIcalText as escapeText } from '../../web/ical.js';
import { icsDate, foldLine, escapeIcalText as escapeText, icalUri as uriValue } from '../../web/ical.js';

export function renderCalendar(cal: Calendar): string {
  const stamp = icsDate(cal.dtstamp ?? new Date());
  const lines: string[] = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Samverka//Meetings//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `NAME:${escapeText(cal.name)}`,
    `X-WR-CALNAME:${escapeText(cal.name)}`,
  ];
  if (cal.description) lines.push(`X-WR-CALDESC:${escapeText(cal.description)}`);
  for (const e of cal.events) {
    lines.push('BEGIN:VEVENT', `UID:${escapeText(e.uid)}`, `DTSTAMP:${stamp}`, `DTSTART:${icsDate(e.start)}`);
    if (e.end && e.end > e.start) lines.push(`DTEND:${icsDate(e.end)}`);
    lines.push(`SUMMARY:${escapeText(e.summary)}`);
    if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
    if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
    if (e.url) lines.push(`URL:${uriValue(e.url)}`);
    if (e.joinUrl) {
      const label = e.joinLabel ? `;LABEL=${paramValue(e.joinLabel)}` : '';
      lines.push(`CONFERENCE;VALUE=URI;FEATURE=AUDIO,VIDEO${label}:${uriValue(e.joinUrl)}`);
    }
    if (e.categories?.length) lines.push(`CATEGORIES:${e.categories.map(escapeText).join(',')}`);
    lines.push(`STATUS:${e.status}`);
    if (e.created) lines.push(`CREATED:${icsDate(e.created)}`);
    if (e.lastModified) lines.push(`LAST-MODIFIED:${icsDate(e.lastModified)}`);
    lines.push(`SEQUENCE:${e.sequence ?? 0}`, 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

/** Parameter values containing : ; , are quoted; quotes themselves cannot appear. */
function paramValue(s: string): string {
  const clean = s.replace(/["\u0000-\u001f]/g, '');
  return /[:;,]/.test(clean) ? `"${clean}"` : clean;
}
