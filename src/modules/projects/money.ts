/**
 * Money without floating point: amounts are integer minor units (öre, øre,
 * cent) with their currency. Totals are kept per currency; a figure in another
 * currency exists only where a network entered the rate, and is marked as converted.
 */
import { INTL_TAG, type Locale } from '../../web/i18n/index.js';
import { CURRENCIES, type Currency } from './schema.js';

/** SEK, NOK, DKK and EUR all have two minor digits. */
export const MINOR_DIGITS = 2;
const SCALE = 10n ** BigInt(MINOR_DIGITS);

export const isCurrency = (s: unknown): s is Currency => typeof s === 'string' && (CURRENCIES as readonly string[]).includes(s);

/** Major-unit decimal text ("1234.5", "1 234,50") to minor units; null when it is not a non-negative amount. */
export function parseAmount(raw: unknown): bigint | null {
  // Already parsed (the route's schema ran before the use case parses again).
  if (typeof raw === 'bigint') return raw >= 0n ? raw : null;
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw) || raw < 0) return null;
    // The shortest text that reads back as this number, checked like typed text: toFixed rounded
    // 1.005 or 0.001 quietly to two decimals, where an over-precise amount must be refused.
    raw = String(raw);
  }
  if (typeof raw !== 'string') return null;
  // Spaces (also non-breaking) group thousands in all four languages; a comma is the decimal sign in three.
  const s = raw.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  const m = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  return BigInt(m[1]!) * SCALE + BigInt((m[2] ?? '').padEnd(MINOR_DIGITS, '0'));
}

/** Minor units to a plain decimal string in major units: 123456n -> "1234.56". */
export function toDecimal(minor: bigint): string {
  const neg = minor < 0n;
  const abs = neg ? -minor : minor;
  return `${neg ? '-' : ''}${abs / SCALE}.${String(abs % SCALE).padStart(MINOR_DIGITS, '0')}`;
}

const formatters = new Map<string, Intl.NumberFormat>();
/** Shown in the reader's locale; whole amounts without decimals, since budgets are mostly round. */
export function formatMoney(locale: Locale, minor: bigint, currency: Currency): string {
  const whole = minor % SCALE === 0n;
  const key = `${locale}:${currency}:${whole}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(INTL_TAG[locale], { style: 'currency', currency, minimumFractionDigits: whole ? 0 : MINOR_DIGITS, maximumFractionDigits: MINOR_DIGITS });
    formatters.set(key, f);
  }
  // A decimal string keeps every digit exact (Intl formats strings without going through a double).
  return f.format(toDecimal(minor) as unknown as number);
}

/** A rate as decimal text ("11.2345") to millionths; null when not a positive number with at most 6 decimals. */
export function parseRate(raw: unknown): bigint | null {
  if (typeof raw === 'number') raw = String(raw);
  if (typeof raw !== 'string') return null;
  const m = /^(\d{1,9})(?:[.,](\d{1,6}))?$/.exec(raw.trim());
  if (!m) return null;
  const v = BigInt(m[1]!) * 1_000_000n + BigInt((m[2] ?? '').padEnd(6, '0'));
  return v > 0n ? v : null;
}
export const rateToDecimal = (micro: bigint) => `${micro / 1_000_000n}.${String(micro % 1_000_000n).padStart(6, '0')}`.replace(/\.?0+$/, '');

export type Amount = { year: number; currency: Currency; amountMinor: bigint };
export type SourceAmounts = { sourceId: string; amounts: Amount[] };
/** Per currency, never mixed. */
export type PerCurrency = Partial<Record<Currency, bigint>>;

function add(into: PerCurrency, c: Currency, v: bigint) {
  into[c] = (into[c] ?? 0n) + v;
}

export type Totals = {
  byYear: Map<number, PerCurrency>;
  bySource: Map<string, PerCurrency>;
  total: PerCurrency;
};

/** Totals per year, per source and overall, each kept per currency. */
export function computeTotals(sources: SourceAmounts[]): Totals {
  const byYear = new Map<number, PerCurrency>();
  const bySource = new Map<string, PerCurrency>();
  const total: PerCurrency = {};
  for (const s of sources) {
    const src = bySource.get(s.sourceId) ?? {};
    bySource.set(s.sourceId, src);
    for (const a of s.amounts) {
      const y = byYear.get(a.year) ?? {};
      byYear.set(a.year, y);
      add(y, a.currency, a.amountMinor);
      add(src, a.currency, a.amountMinor);
      add(total, a.currency, a.amountMinor);
    }
  }
  return { byYear: new Map([...byYear].sort((a, b) => a[0] - b[0])), bySource, total };
}

export type Rate = { year: number; from: Currency; to: Currency; rateMicro: bigint };
/** A converted figure: the sum in the target currency, and whatever could not be converted for want of a rate. */
export type Converted = { currency: Currency; amountMinor: bigint; converted: true; missing: { year: number; currency: Currency }[] };

/**
 * Converts amounts into one currency with the network's own rates for each
 * year, rounding half away from zero to a minor unit. Amounts with no rate
 * for their year are left out and listed, never guessed.
 */
export function convert(amounts: Amount[], to: Currency, rates: Rate[]): Converted {
  const byKey = new Map(rates.filter((r) => r.to === to).map((r) => [`${r.year}:${r.from}`, r.rateMicro]));
  let sum = 0n;
  const missing = new Map<string, { year: number; currency: Currency }>();
  for (const a of amounts) {
    if (a.currency === to) {
      sum += a.amountMinor;
      continue;
    }
    const rate = byKey.get(`${a.year}:${a.currency}`);
    if (rate === undefined) {
      missing.set(`${a.year}:${a.currency}`, { year: a.year, currency: a.currency });
      continue;
    }
    sum += (a.amountMinor * rate + 500_000n) / 1_000_000n;
  }
  return { currency: to, amountMinor: sum, converted: true, missing: [...missing.values()].sort((x, y) => x.year - y.year || x.currency.localeCompare(y.currency)) };
}

/** Plain JSON for a per-currency total: { SEK: "1234.00" } in major units, plus minor units. */
export const presentPerCurrency = (p: PerCurrency) =>
  (Object.entries(p) as [Currency, bigint][])
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([currency, v]) => ({ currency, amountMinor: Number(v), amount: toDecimal(v) }));
