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

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => UUID_RE.test(s);
