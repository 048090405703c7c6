/**
 * Text extraction for the full-text search to come. Failure to extract is not
 * a reason to refuse a file: a scanned PDF simply has no text.
 */
export async function extractText(data: Uint8Array, mime: string): Promise<string | null> {
  try {
    if (mime === 'application/pdf') {
      const { extractText: pdfText, getDocumentProxy } = await import('unpdf');
      // pdf.js takes ownership of (detaches) the buffer it is given, so it gets a copy.
      const doc = await getDocumentProxy(new Uint8Array(data));
      const { text } = await pdfText(doc, { mergePages: true });
      return normalise(text);
    }
    if (mime === 'application/vnd.openxmlformats-officedocument.wordprocessingml.document') {
      const mammoth = (await import('mammoth')).default;
      const r = await mammoth.extractRawText({ buffer: Buffer.from(data) });
      return normalise(r.value);
    }
    if (mime === 'text/plain' || mime === 'text/csv') {
      return normalise(new TextDecoder().decode(data));
    }
  } catch {
    return null;
  }
  return null;
}

function normalise(s: string): string | null {
  const t = s.replace(/\u0000/g, '').replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
  return t.length ? t : null;
}
