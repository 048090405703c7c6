/**
 * iCalendar (RFC 5545) for events. Times in UTC (no VTIMEZONE needed); text escaped
 * and lines folded at 75 octets without splitting a UTF-8 sequence.
 */
import type { EventRow } from './schema.js';

import { escapeIcalText as text, foldLine as fold, icalUri as uri, icsDate } from '../../web/ical.js';

export function renderEventsCalendar(name: string, list: { event: EventRow; description: string }[], base: string, stamp = new Date()): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Samverka//Events//EN', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', `NAME:${text(name)}`, `X-WR-CALNAME:${text(name)}`];
  for (const { event: e, description } of list) {
    lines.push('BEGIN:VEVENT', `UID:${e.id}@samverka-events`, `DTSTAMP:${icsDate(stamp)}`, `DTSTART:${icsDate(e.startsAt)}`, `DTEND:${icsDate(e.endsAt)}`, `SUMMARY:${text(e.title)}`);
    if (description) lines.push(`DESCRIPTION:${text(description)}`);
    if (e.place) lines.push(`LOCATION:${text(e.place)}`);
    else if (e.onlineUrl) lines.push(`LOCATION:${text(e.onlineUrl)}`);
    lines.push(`URL:${uri(`${base}/events/${e.id}`)}`);
    if (e.onlineUrl) lines.push(`CONFERENCE;VALUE=URI;FEATURE=AUDIO,VIDEO:${uri(e.onlineUrl)}`);
    lines.push(`CATEGORIES:${text(e.kind)}`, 'STATUS:CONFIRMED', `LAST-MODIFIED:${icsDate(e.updatedAt)}`, `SEQUENCE:${e.sequence}`, 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}
