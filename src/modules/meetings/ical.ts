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

export function icsDate(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** TEXT escaping (RFC 5545 3.3.11). */
export function escapeText(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
    // RFC 5545 TEXT allows no control characters but tab; a raw one breaks the calendar for every client.
    .replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '');
}

/** A URI value may not contain control characters; anything else is passed through. */
function uriValue(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f]/g, '');
}

/** Folds a content line at 75 octets without splitting a UTF-8 sequence (RFC 5545 3.1). */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (octets + n > limit) {
      out.push(current);
      current = '';
      octets = 0;
      limit = 74; // continuation lines start with a space, which counts
    }
    current += ch;
    octets += n;
  }
  out.push(current);
  return out.join('\r\n ');
}

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
