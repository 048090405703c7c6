/**
 * Atom (RFC 4287) output, built with fast-xml-parser's XMLBuilder.
 */
import { XMLBuilder } from 'fast-xml-parser';

export type AtomEntry = {
  id: string;
  title: string;
  updated: Date;
  published?: Date;
  link: string;
  summary?: string;
  /** Plain text; written as type="text". */
  content?: string;
  categories?: string[];
  lang?: string;
};

export type AtomFeed = {
  id: string;
  title: string;
  subtitle?: string;
  selfUrl: string;
  alternateUrl: string;
  updated: Date;
  author: string;
  lang?: string;
  entries: AtomEntry[];
};

/** Characters XML 1.0 cannot carry at all (escaping does not help): removed from every text and attribute. */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
export const clean = (s: string) => s.replace(NOT_XML, '');

// The builder escapes &, <, >, " and ' in text and attributes; the document is assembled as data, never as strings.
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', textNodeName: '#text', format: true, indentBy: '  ', suppressEmptyNode: true });

export function renderAtom(f: AtomFeed): string {
  const x = clean;
  const lang = (l?: string) => (l ? { '@_xml:lang': x(l) } : {});
  const feed = {
    '@_xmlns': 'http://www.w3.org/2005/Atom',
    ...lang(f.lang),
    id: x(f.id),
    title: x(f.title),
    ...(f.subtitle ? { subtitle: x(f.subtitle) } : {}),
    updated: f.updated.toISOString(),
    link: [
      { '@_rel': 'self', '@_type': 'application/atom+xml', '@_href': x(f.selfUrl) },
      { '@_rel': 'alternate', '@_type': 'text/html', '@_href': x(f.alternateUrl) },
    ],
    author: { name: x(f.author) },
    generator: 'Samverka',
    entry: f.entries.map((e) => ({
      ...lang(e.lang),
      id: x(e.id),
      title: x(e.title),
      updated: e.updated.toISOString(),
      ...(e.published ? { published: e.published.toISOString() } : {}),
      link: { '@_rel': 'alternate', '@_type': 'text/html', '@_href': x(e.link) },
      ...(e.categories?.length ? { category: e.categories.map((c) => ({ '@_term': x(c) })) } : {}),
      ...(e.summary ? { summary: { '@_type': 'text', '#text': x(e.summary) } } : {}),
      ...(e.content ? { content: { '@_type': 'text', '#text': x(e.content) } } : {}),
    })),
  };
  return '<?xml version="1.0" encoding="utf-8"?>\n' + builder.build({ feed });
}
