/** Atom (RFC 4287) written as a string with strict XML escaping; content as plain text only. */
export type AtomEntry = { id: string; title: string; updated: Date; published?: Date; link: string; summary?: string; content?: string; categories?: string[]; lang?: string; author?: string };
export type AtomFeed = { id: string; title: string; selfUrl: string; alternateUrl: string; updated: Date; author: string; lang?: string; entries: AtomEntry[] };

export const xmlEscape = (s: string) =>
  s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

export function renderAtom(f: AtomFeed): string {
  const x = xmlEscape;
  const out = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom"${f.lang ? ` xml:lang="${x(f.lang)}"` : ''}>`,
    `  <id>${x(f.id)}</id>`,
    `  <title>${x(f.title)}</title>`,
    `  <updated>${f.updated.toISOString()}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${x(f.selfUrl)}"/>`,
    `  <link rel="alternate" type="text/html" href="${x(f.alternateUrl)}"/>`,
    `  <author><name>${x(f.author)}</name></author>`,
    '  <generator>Samverka</generator>',
  ];
  for (const e of f.entries) {
    out.push(`  <entry${e.lang ? ` xml:lang="${x(e.lang)}"` : ''}>`, `    <id>${x(e.id)}</id>`, `    <title>${x(e.title)}</title>`, `    <updated>${e.updated.toISOString()}</updated>`);
    if (e.published) out.push(`    <published>${e.published.toISOString()}</published>`);
    if (e.author) out.push(`    <author><name>${x(e.author)}</name></author>`);
    out.push(`    <link rel="alternate" type="text/html" href="${x(e.link)}"/>`);
    for (const c of e.categories ?? []) out.push(`    <category term="${x(c)}"/>`);
    if (e.summary) out.push(`    <summary type="text">${x(e.summary)}</summary>`);
    if (e.content) out.push(`    <content type="text">${x(e.content)}</content>`);
    out.push('  </entry>');
  }
  out.push('</feed>', '');
  return out.join('\n');
}
