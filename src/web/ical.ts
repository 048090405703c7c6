/**
 * The iCalendar (RFC 5545) primitives every calendar feed shares (meetings, events, project
 * deadlines): UTC date-times, TEXT escaping, URI values and line folding. One copy, so that the
 * control-character rule holds for every feed.
 */

export function icsDate(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** TEXT escaping (RFC 5545 3.3.11). */
export function escapeIcalText(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
    // RFC 5545 TEXT allows no control characters but tab; a raw one breaks the calendar for every client.
    .replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '');
}

/** A URI value may not contain control characters; anything else is passed through. */
export function icalUri(s: string): string {
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
