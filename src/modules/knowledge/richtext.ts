import sanitizeHtml from 'sanitize-html';

/**
 * Rich text of news and events: a strict allow-list (paragraphs, emphasis, lists,
 * sub-headings, quotes, http/https/mailto links). Text without markup becomes
 * paragraphs. Stored sanitised, so every reader (page, feed, search) gets the same.
 */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'em', 'ul', 'ol', 'li', 'a', 'h3', 'h4', 'blockquote'],
  allowedAttributes: { a: ['href', 'rel'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...(attribs.href ? { href: attribs.href } : {}), rel: 'noopener noreferrer' } }),
    b: 'strong',
    i: 'em',
  },
};

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function sanitizeRichText(input: string | null | undefined): string {
  const s = (input ?? '').replace(/\r\n?/g, '\n').trim();
  if (!s) return '';
  const html = /<\/?[a-z][a-z0-9]*[\s>/]/i.test(s)
    ? s
    : s
        .split(/\n{2,}/)
        .map((p) => `<p>${escapeText(p.trim()).replace(/\n/g, '<br />')}</p>`)
        .join('');
  return sanitizeHtml(html, OPTIONS).trim();
}

/** Plain text of stored rich text, for feeds, calendars and search. */
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
