/**
 * Folds a string for accent- and case-insensitive matching: "Växjö" and
 * "VAXJO" both become "vaxjo", "Tromsø" becomes "tromso". Letters that Unicode
 * does not decompose (ø, æ, ß, đ, ł) are mapped by hand.
 */
const EXTRA: Record<string, string> = { ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', đ: 'd', ł: 'l', þ: 'th', ð: 'd', ı: 'i' };

export function fold(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[øæœßđłþðı]/g, (c) => EXTRA[c] ?? c)
    .replace(/\s+/g, ' ')
    .trim();
}

export function slugify(s: string): string {
  const slug = fold(s)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/g, '');
  return slug || 'item';
}

/** Escapes LIKE wildcards so user input matches literally. */
export function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Whether "YYYY-MM-DD" names a day of the calendar that PostgreSQL's date type takes: Date would
 * roll an impossible day over ("2020-02-31" is 2 March), and there is no year 0000 (the calendar
 * goes from 1 BC to AD 1), which PostgreSQL refuses, so a check on the shape alone lets a 500 through.
 */
export function isCalendarDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || s.startsWith('0000')) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => UUID_RE.test(s);

// ---------------------------------------------------------------------------
// The one input guard (issue #8): text that no form can type and no database column should hold.

/** C0 control characters other than tab, LF and CR. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
/** Every C0 control character: for one-line text such as paths and query parameters. */
const CONTROL_ONE_LINE = /[\u0000-\u001F]/;
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a string is not acceptable text, or null. NUL and the other C0 control characters are
 * refused (tab, LF and CR only where the text may span lines); so are lone UTF-16 surrogates,
 * which are not Unicode and which PostgreSQL cannot store.
 */
export function textProblem(s: string, opts: { multiline?: boolean } = {}): string | null {
  const m = (opts.multiline === false ? CONTROL_ONE_LINE : CONTROL).exec(s);
  if (m) return `contains a control character (U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})`;
  if (UNPAIRED_SURROGATE.test(s)) return 'contains an unpaired surrogate (not valid Unicode)';
  return null;
}

/**
 * The first string in a parsed request part (or any JSON value) that `textProblem` refuses, with
 * its path in the dotted form validation errors use. Keys are checked too. Uploaded files (Buffers)
 * are content-checked elsewhere.
 */
export function findTextProblem(value: unknown, opts: { multiline?: boolean; prefix?: string } = {}): { field: string; message: string } | null {
  const stack: [unknown, string][] = [[value, opts.prefix ?? '']];
  const join = (p: string, k: string) => (p ? `${p}.${k}` : k);
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      const problem = textProblem(v, opts);
      if (problem) return { field: path || '_', message: `The text ${problem}` };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], join(path, String(i))]);
    } else if (v && typeof v === 'object') {
      // Binary data (uploaded files) and streams are not text; route params and query objects
      // may have their own prototypes, so anything else is walked by its own keys.
      if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer || v instanceof Date || typeof (v as { pipe?: unknown }).pipe === 'function') continue;
      for (const [k, child] of Object.entries(v)) {
        const problem = textProblem(k, { multiline: false });
        if (problem) return { field: join(path, k.replace(/[\u0000-\u001F]/g, '?')), message: `The field name ${problem}` };
        stack.push([child, join(path, k)]);
      }
    }
  }
  return null;
}

/**
 * A text cell for CSV or XLSX exports, safe to open in a spreadsheet: a cell starting with
 * =, +, -, @, tab or carriage return would run as a formula (=HYPERLINK(…), +SUM, @SUM), so it
 * gets a leading single quote, as OWASP recommends. Numbers are written as numbers, not through here.
 */
export const spreadsheetText = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
/** The reverse, for importers reading a file this software exported. */
export const unSpreadsheetText = (s: string) => (/^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s);
