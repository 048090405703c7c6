import sanitizeHtml from 'sanitize-html';

/**
 * Rich text (meetings' items, news, events) is stored as sanitised HTML from a small allow-list. Input without
 * any markup is treated as plain text: blank lines separate paragraphs, single
 * line breaks are kept.
 */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'em', 'b', 'i', 'u', 'ul', 'ol', 'li', 'a', 'h3', 'h4', 'blockquote'],
  allowedAttributes: { a: ['href'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    // Links get rel set by us; an href with another scheme is dropped later by allowedSchemes.
    a: (tagName, attribs) => ({ tagName, attribs: { ...(attribs.href ? { href: attribs.href } : {}), rel: 'noopener noreferrer' } }),
    b: 'strong',
    i: 'em',
  },
};
// `rel` is set by us, never taken from input.
OPTIONS.allowedAttributes = { a: ['href', 'rel'] };

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function looksLikeHtml(s: string): boolean {
  return /<\/?[a-z][a-z0-9]*[\s>/]/i.test(s);
}

export function sanitizeRichText(input: string | null | undefined): string {
  const s = (input ?? '').replace(/\r\n?/g, '\n').trim();
  if (!s) return '';
  const html = looksLikeHtml(s)
    ? s
    : s
        .split(/\n{2,}/)
        .map((para) => `<p>${escapeText(para.trim()).replace(/\n/g, '<br />')}</p>`)
        .join('');
  return sanitizeHtml(html, OPTIONS).trim();
}

/** Plain text of stored rich text, for feeds, iCal and search. */
export function richTextToPlain(html: string): string {
  return sanitizeHtml(html.replace(/<\/(p|li|h3|h4|blockquote)>|<br\s*\/?>/gi, '\n'), { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
