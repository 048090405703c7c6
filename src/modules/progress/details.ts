/**
 * The stored form of a status's components (`prog_statuses.details`).
 *
 * A full recompute writes one row per indicator × area (317,000 at the benchmark's full scale),
 * and the database parses every `details` text it receives: as an object with its key names the
 * text was about 480 bytes a row and half the cost of the write. It is stored as a JSON array of
 * the values in the fixed order of DETAIL_KEYS instead (about 160 bytes), without the status and
 * method (they are columns of the row), and read back as the object every reader and the API see.
 * Rows written before this form (objects) are read as they are.
 */

export const DETAIL_KEYS = [
  'reason',
  'manualReason',
  'direction',
  'baseYear',
  'baseValue',
  'currentYear',
  'currentValue',
  'target',
  'targetYear',
  'limit',
  'observedRate',
  'requiredRate',
  'measure',
  'thresholds',
  'limitFactor',
  'level',
  'targetSource',
  'latestPeriod',
  'latestValue',
  'bound',
  'green',
  'red',
  'trendObserved',
  'trendNeeded',
  'trendFrom',
  'trendTo',
  'points',
  'rank',
  'groupSize',
  'percentile',
] as const;
export type DetailKey = (typeof DETAIL_KEYS)[number];

const THRESHOLDS = DETAIL_KEYS.indexOf('thresholds');
/** Computed rates keep 6 significant digits: more is noise the page never shows. Indexed by position: a Set lookup per value showed in the recompute's profile. */
const ROUNDED: readonly boolean[] = DETAIL_KEYS.map((k) => ['observedRate', 'requiredRate', 'measure', 'limitFactor', 'percentile', 'trendObserved', 'trendNeeded'].includes(k));

/**
 * String(Number(v.toPrecision(6))), without its second and third conversion where they change
 * nothing: in fixed notation, the shortest text of the double nearest a decimal of six digits is
 * that decimal without its trailing zeros. The exponent form (below 1e-6, from 1e6) goes the long
 * way. A double's shortest text is the costly step of the recompute's write, seven times a status.
 */
export function round6(v: number): string {
  const s = v.toPrecision(6);
  if (s.includes('e')) return String(Number(s));
  if (!s.includes('.')) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48 /* 0 */) end--;
  if (s.charCodeAt(end - 1) === 46 /* . */) end--;
  const out = s.slice(0, end);
  return out === '-0' ? '0' : out;
}

/** The components in DETAIL_KEYS' order, as the recompute builds them: an array literal, not an object looked up key by key. */
export type DetailValues = { readonly [I in keyof typeof DETAIL_KEYS]: unknown };

/**
 * The JSON text stored for one status's components, given in DETAIL_KEYS' order; absent (null or
 * undefined) components are null, trailing ones left out. Written by hand: it runs once per
 * indicator × area.
 */
export function encodeDetailValues(values: DetailValues): string {
  let text = '[';
  let keep = 1;
  for (let i = 0; i < DETAIL_KEYS.length; i++) {
    const v = values[i];
    if (i) text += ',';
    if (v === null || v === undefined) {
      text += 'null';
      continue;
    }
    if (typeof v === 'number') text += !Number.isFinite(v) ? 'null' : ROUNDED[i] ? round6(v) : String(v);
    else if (i === THRESHOLDS) {
      const t = v as { high: number; med: number; low: number };
      text += `[${JSON.stringify(t.high)},${JSON.stringify(t.med)},${JSON.stringify(t.low)}]`;
    } else text += JSON.stringify(v);
    keep = text.length;
  }
  return text.slice(0, keep) + ']';
}

/** The components as the readers and the API know them, with the row's status and method. */
export function decodeDetails(stored: unknown, status: string, method: string): Record<string, any> {
  if (!Array.isArray(stored)) return (stored ?? {}) as Record<string, any>;
  const out: Record<string, any> = { status, method };
  for (let i = 0; i < stored.length; i++) {
    const v = stored[i];
    if (v === null) continue;
    if (i === THRESHOLDS) {
      const [high, med, low] = v as number[];
      out.thresholds = { high, med, low };
    } else out[DETAIL_KEYS[i]!] = v;
  }
  return out;
}
