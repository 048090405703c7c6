import { dateTimeFormat } from '../../web/i18n/index.js';

/**
 * Meetings are entered in the wall-clock time of their place (Nordic municipalities
 * share CET/CEST, but the zone is stored per meeting) and stored as instants.
 */
export const DEFAULT_TIME_ZONE = 'Europe/Stockholm';

function partsIn(zone: string, d: Date) {
  const f = dateTimeFormat('en-GB', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
  return { y: +p.year!, mo: +p.month!, d: +p.day!, h: +p.hour!, mi: +p.minute!, s: +p.second! };
}

/** Offset of the zone from UTC at an instant, in minutes. */
function offsetAt(zone: string, d: Date): number {
  const p = partsIn(zone, d);
  return (Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s) - Math.floor(d.getTime() / 1000) * 1000) / 60000;
}

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** "2020-04-27T15:00" in Europe/Copenhagen -> the instant. Returns null when malformed. */
export function localToInstant(local: string, zone = DEFAULT_TIME_ZONE): Date | null {
  const m = LOCAL_RE.exec(local.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  // Two passes settle the offset also next to a daylight-saving change.
  let t = guess - offsetAt(zone, new Date(guess)) * 60000;
  t = guess - offsetAt(zone, new Date(t)) * 60000;
  const back = partsIn(zone, new Date(t));
  if (back.d !== d || back.mo !== mo) return null; // e.g. 31 February
  return new Date(t);
}

/** The instant as "YYYY-MM-DDTHH:MM" in the zone, for datetime-local inputs. */
export function instantToLocal(d: Date, zone = DEFAULT_TIME_ZONE): string {
  const p = partsIn(zone, d);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.y}-${two(p.mo)}-${two(p.d)}T${two(p.h)}:${two(p.mi)}`;
}

export function isTimeZone(z: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: z });
    return true;
  } catch {
    return false;
  }
}
