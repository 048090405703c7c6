/**
 * A minimal PDF writer: one or more pages of plain Helvetica text. Enough for
 * the demo's follow-up document and for test fixtures, so neither depends on a
 * binary checked into the repository.
 */
export function simplePdf(pages: string[][], title = ''): Uint8Array {
  const objects: string[] = [];
  const add = (body: string) => {
    objects.push(body);
    return objects.length;
  };
  // Latin-1 via WinAnsiEncoding covers Swedish, Danish and Norwegian letters.
  const lit = (s: string) =>
    '(' +
    Array.from(s)
      .map((ch) => {
        const c = ch.charCodeAt(0);
        if (ch === '\\' || ch === '(' || ch === ')') return `\\${ch}`;
        if (c < 32 || c > 255) return c === 0x2013 || c === 0x2014 ? '-' : '?';
        if (c > 126) return `\\${c.toString(8).padStart(3, '0')}`;
        return ch;
      })
      .join('') +
    ')';
  const catalog = add('');
  const pagesObj = add('');
  const font = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const pageIds: number[] = [];
  for (const lines of pages) {
    const ops = ['BT', '/F1 11 Tf', '14 TL', '56 780 Td', ...lines.map((l) => `${lit(l)} '`), 'ET'].join('\n');
    const content = add(`<< /Length ${Buffer.byteLength(ops, 'latin1')} >>\nstream\n${ops}\nendstream`);
    pageIds.push(
      add(`<< /Type /Page /Parent ${pagesObj} 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${content} 0 R >>`),
    );
  }
  objects[catalog - 1] = `<< /Type /Catalog /Pages ${pagesObj} 0 R >>`;
  objects[pagesObj - 1] = `<< /Type /Pages /Kids [${pageIds.map((i) => `${i} 0 R`).join(' ')}] /Count ${pageIds.length} >>`;
  const info = add(`<< /Title ${lit(title)} /Producer (Samverka) >>`);

  let out = '%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R /Info ${info} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}
