export const LOCALES = ['sv', 'nb', 'da', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const isLocale = (s: unknown): s is Locale => typeof s === 'string' && (LOCALES as readonly string[]).includes(s);

/** Each locale's own name, shown in the language switcher. */
export const LOCALE_NAMES: Record<Locale, string> = { sv: 'Svenska', nb: 'Norsk bokmål', da: 'Dansk', en: 'English' };
/** BCP 47 tags for Intl formatting. */
export const INTL_TAG: Record<Locale, string> = { sv: 'sv-SE', nb: 'nb-NO', da: 'da-DK', en: 'en-GB' };

type Entry = string | ((...args: any[]) => string);
/** The shape other languages must fill: same keys, strings widened, same function signatures. */
export type Shape<T> = { [K in keyof T]: T[K] extends string ? string : T[K] };
export type Catalog<T> = Record<Locale, Shape<T>>;

/**
 * A typed catalogue: English defines the keys; the other three must supply every
 * one of them, or `tsc` fails. Modules define their own catalogues next to their pages.
 */
export function defineCatalog<const T extends Record<string, Entry>>(
  en: T,
  others: Record<Exclude<Locale, 'en'>, Shape<T>>,
): Catalog<T> {
  return { en: en as Shape<T>, ...others };
}

/** Picks the best supported language from an Accept-Language header. */
export function negotiateLocale(header: string | undefined, fallback: Locale = 'en'): Locale {
  if (!header) return fallback;
  const prefs = header
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: (tag ?? '').toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1, i };
    })
    .filter((p) => p.tag && p.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of prefs) {
    const primary = tag.split('-')[0];
    // Norwegian comes as nb, nn or plain no; bokmål is the written standard we ship.
    if (primary === 'nb' || primary === 'no' || primary === 'nn') return 'nb';
    if (isLocale(primary)) return primary;
  }
  return fallback;
}

/**
 * Formatters by locale and options. Building an Intl.NumberFormat costs tens of microseconds,
 * far more than formatting with it, and a table page formats hundreds of numbers with a handful
 * of option sets; the options come from code (and indicator decimals), so the set stays small.
 */
const numberFormats = new Map<string, Intl.NumberFormat>();

export function formatNumber(locale: Locale, n: number, opts?: Intl.NumberFormatOptions): string {
  const key = opts ? `${locale}${JSON.stringify(opts)}` : locale;
  let f = numberFormats.get(key);
  if (!f) {
    if (numberFormats.size >= 500) numberFormats.clear();
    f = new Intl.NumberFormat(INTL_TAG[locale], opts);
    numberFormats.set(key, f);
  }
  return f.format(n);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * An Intl.DateTimeFormat for a language tag ('sv-SE', or 'en-CA' for machine-readable parts) and
 * options, made once: building one costs tens of microseconds, far more than formatting with it,
 * and list pages format a date or two per row. The option sets come from code and the time zones
 * from a short list, so the set stays small.
 */
export function dateTimeFormat(tag: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${tag}${JSON.stringify(opts)}`;
  let f = dateFormats.get(key);
  if (!f) {
    if (dateFormats.size >= 500) dateFormats.clear();
    f = new Intl.DateTimeFormat(tag, opts);
    dateFormats.set(key, f);
  }
  return f;
}

const pluralRules = new Map<Locale, Intl.PluralRules>();

/**
 * A number with its noun in the right form: "1 indicator", "1 234 indikatorer". The four
 * languages have the same two forms (one, other), chosen by the locale's plural rules.
 */
export function formatCount(locale: Locale, n: number, one: string, other: string): string {
  let rules = pluralRules.get(locale);
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(INTL_TAG[locale])));
  return `${formatNumber(locale, n)} ${rules.select(n) === 'one' ? one : other}`;
}

/**
 * Formats a calendar date without shifting it through a time zone. Partial
 * dates keep their precision: "2008" stays a year, "2014-08" becomes a month.
 */
export function formatDate(locale: Locale, d: string | Date | null | undefined, style: 'long' | 'medium' | 'short' = 'long'): string {
  if (!d) return '';
  if (typeof d === 'string' && /^\d{4}$/.test(d)) return d;
  if (typeof d === 'string' && /^\d{4}-\d{2}$/.test(d)) {
    return dateTimeFormat(INTL_TAG[locale], { year: 'numeric', month: style === 'long' ? 'long' : 'short', timeZone: 'UTC' }).format(new Date(`${d}-01T00:00:00Z`));
  }
  const date = typeof d === 'string' ? new Date(`${d.slice(0, 10)}T00:00:00Z`) : d;
  if (Number.isNaN(date.getTime())) return String(d);
  return dateTimeFormat(INTL_TAG[locale], { dateStyle: style, timeZone: typeof d === 'string' ? 'UTC' : 'Europe/Stockholm' }).format(date);
}

/**
 * A span of calendar days, "1 January 2024 – 31 December 2026": an open end is "…", and a span
 * with neither start nor end is '' (the caller says what stands in its place).
 */
export function formatPeriod(locale: Locale, start: string | null | undefined, end: string | null | undefined, style: 'long' | 'medium' = 'long'): string {
  if (!start && !end) return '';
  return `${start ? formatDate(locale, start, style) : '…'} – ${end ? formatDate(locale, end, style) : '…'}`;
}

export function formatDateTime(locale: Locale, d: Date | string | null | undefined): string {
  if (!d) return '';
  const date = typeof d === 'string' ? new Date(d) : d;
  return dateTimeFormat(INTL_TAG[locale], { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Stockholm' }).format(date);
}

const collators = new Map<Locale, Intl.Collator>();
/**
 * The page language's collation: Swedish puts Å Ä Ö after Z, Danish and
 * Norwegian Æ Ø Å after Z, and every language ignores case and treats digits
 * as numbers ("Område 2" before "Område 10").
 */
export function collator(locale: Locale): Intl.Collator {
  let c = collators.get(locale);
  if (!c) {
    c = new Intl.Collator(INTL_TAG[locale], { sensitivity: 'base', numeric: true });
    collators.set(locale, c);
  }
  return c;
}

/** A sorted copy, compared by the text `key` returns, in the page language's alphabetical order. */
export function sortByText<T>(locale: Locale, items: readonly T[], key: (item: T) => string): T[] {
  const c = collator(locale);
  return [...items].sort((a, b) => c.compare(key(a), key(b)));
}

/**
 * Content with names in several languages ({"en": …, "nb": …}): the reader's language if the
 * content has it, else English, else any; with the language the text is really in, so the page
 * can mark it (`lang`) and say so (see `InLanguage` in src/web/components.tsx).
 */
export function pickText(names: Record<string, string> | null | undefined, locale: Locale): { text: string; lang: string } {
  if (!names) return { text: '', lang: locale };
  for (const l of [locale, 'en', ...LOCALES]) {
    const v = names[l];
    if (v) return { text: v, lang: l };
  }
  const [l, v] = Object.entries(names).find((e) => e[1]) ?? [locale, ''];
  return { text: v, lang: l };
}

const languageNames = new Map<Locale, Intl.DisplayNames>();
/** A language's name in the reader's language ("engelsk" for a Danish reader), from Intl. */
export function languageName(locale: Locale, lang: string): string {
  let d = languageNames.get(locale);
  if (!d) languageNames.set(locale, (d = new Intl.DisplayNames([INTL_TAG[locale]], { type: 'language' })));
  try {
    return d.of(lang) ?? lang;
  } catch {
    return lang;
  }
}

const SORT_LETTERS: Record<Locale, Record<string, string>> = {
  // After z in C byte order: '{' < '|' < '}'. Swedish: Å Ä Ö, with Æ as Ä, Ø as Ö and Ü as Y.
  sv: { å: '{', ä: '|', æ: '|', ö: '}', ø: '}', ü: 'y' },
  // Danish and Norwegian: Æ Ø Å, with Ä as Æ, Ö as Ø, Ü as Y, and "aa" as Å (Aarhus after Åre).
  da: { æ: '{', ä: '{', ø: '|', ö: '|', å: '}', aa: '}', ü: 'y' },
  nb: { æ: '{', ä: '{', ø: '|', ö: '|', å: '}', aa: '}', ü: 'y' },
  en: { æ: 'ae', œ: 'oe', ø: 'o' },
};
const SORT_PATTERN: Record<Locale, RegExp> = { sv: /[åäæöøü]/g, da: /aa|[æäøöåü]/g, nb: /aa|[æäøöåü]/g, en: /[æœø]/g };
const SORT_EXTRA: Record<string, string> = { ß: 'ss', đ: 'd', ł: 'l', þ: 'th', ð: 'd', ı: 'i' };

/**
 * A sort key whose plain byte order (COLLATE "C", the same on PostgreSQL and PGlite) follows
 * `collator(locale)` for names: case and accents ignored, the language's own letters after Z,
 * digits compared as numbers. Stored per language beside a name, it lets the database page
 * through a list in the reader's alphabetical order: PGlite has no ICU collations to do it
 * (a CREATE COLLATION with provider icu is accepted there, but sorts by the root locale).
 */
export function sortKey(locale: Locale, s: string): string {
  const letters = SORT_LETTERS[locale];
  return s
    .toLowerCase()
    .normalize('NFC')
    .replace(SORT_PATTERN[locale], (c) => letters[c] ?? c)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[ßđłþðı]/g, (c) => SORT_EXTRA[c] ?? c)
    .replace(/\d+/g, (d) => d.replace(/^0+(?=\d)/, '').padStart(12, '0'))
    .replace(/[^a-z0-9{|}]+/g, ' ')
    .trim();
}

/** The four sort keys of a name, as the directory stores them (columns sort_sv, sort_nb, sort_da, sort_en). */
export function sortKeys(s: string): { sortSv: string; sortNb: string; sortDa: string; sortEn: string } {
  return { sortSv: sortKey('sv', s), sortNb: sortKey('nb', s), sortDa: sortKey('da', s), sortEn: sortKey('en', s) };
}
