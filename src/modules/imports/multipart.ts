/**
 * A small multipart/form-data reader for the import upload form (the project
 * ships no multipart plugin). It handles what browsers send: CRLF-delimited
 * parts with Content-Disposition names and optional filenames.
 */
export type Multipart = { fields: Record<string, string>; files: Record<string, { filename: string; data: Buffer }> };

export function boundaryOf(contentType: string | undefined): string | null {
  const m = contentType?.match(/boundary=(?:"([^"]+)"|([^;]+))/i);
  return m ? (m[1] ?? m[2] ?? '').trim() : null;
}

export function parseMultipart(body: Buffer, boundary: string): Multipart {
  const out: Multipart = { fields: {}, files: {} };
  const delim = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delim);
  if (pos < 0) throw new Error('multipart body has no boundary');
  for (;;) {
    pos += delim.length;
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break; // closing "--"
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    const headEnd = body.indexOf('\r\n\r\n', pos);
    if (headEnd < 0) throw new Error('multipart part has no header end');
    const head = body.subarray(pos, headEnd).toString('utf8');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delim]), headEnd + 4);
    if (next < 0) throw new Error('multipart part is not terminated');
    const data = body.subarray(headEnd + 4, next);
    const disp = head.match(/content-disposition:[^\r\n]*/i)?.[0] ?? '';
    const name = disp.match(/\bname="([^"]*)"/i)?.[1];
    const filename = disp.match(/\bfilename="([^"]*)"/i)?.[1];
    if (name !== undefined) {
      if (filename !== undefined) {
        if (filename !== '' || data.length > 0) out.files[name] = { filename: filename.split(/[\\/]/).pop() ?? filename, data: Buffer.from(data) };
      } else out.fields[name] = data.toString('utf8');
    }
    pos = next + 2;
  }
  return out;
}
