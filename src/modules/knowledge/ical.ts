/**
 * iCalendar (RFC 5545) for events. Times in UTC (no VTIMEZONE needed); text escaped
 * and lines folded at 75 octets without splitting a UTF-8 sequence.
 */
import type { EventRow } from './schema.js';

const icsDate = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const text = (s: string) => s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
const uri = (s: string) => s.replace(/[\u0000-\u001f\u007f]/g, '');

function fold(line: string): string {
  const out: string[] = [];
  let cur = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (octets + n > limit) {
      out.push(cur);
      cur = '';
      octets = 0;
      limit = 74;
    }
    cur += ch;
    octets += n;
  }
  out.push(cur);
  return out.join('\r\n ');
}

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
