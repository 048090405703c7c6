import type { FastifyInstance } from 'fastify';

/** A file field from a multipart body, held in memory (bounded by the body limit). */
export type UploadedFile = { data: Uint8Array; fileName: string };

/**
 * multipart/form-data for the calling module's routes only (Fastify scopes the parser to the
 * plugin). Parsed with the platform's FormData (undici): text fields become strings,
 * the first non-empty file of each file field becomes an UploadedFile.
 */
export function registerMultipart(app: FastifyInstance, uploadMaxBytes: number) {
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: uploadMaxBytes + 256 * 1024 }, async (req: { headers: Record<string, unknown> }, body: Buffer) => {
    type Entry = [string, string | { name: string; size: number; arrayBuffer(): Promise<ArrayBuffer> }];
    let entries: Entry[];
    try {
      const form = await new Request('http://multipart.local/', { method: 'POST', headers: { 'content-type': String(req.headers['content-type'] ?? '') }, body: new Uint8Array(body) }).formData();
      entries = [...(form as unknown as Iterable<Entry>)];
    } catch {
      throw Object.assign(new Error('The multipart body could not be read.'), { statusCode: 400 });
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of entries) {
      if (typeof value === 'string') {
        if (!(key in out)) out[key] = value;
      } else if (!(key in out) && value.size > 0) {
        out[key] = { data: new Uint8Array(await value.arrayBuffer()), fileName: value.name } satisfies UploadedFile;
      }
    }
    return out;
  });
}

export function asUploadedFile(v: unknown): UploadedFile | null {
  if (v && typeof v === 'object' && 'data' in v && 'fileName' in v && (v as UploadedFile).data instanceof Uint8Array) return v as UploadedFile;
  return null;
}

/** The text fields of a form body (files left out), as the shared input schemas expect. */
export function textFields(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (body && typeof body === 'object') for (const [k, v] of Object.entries(body as Record<string, unknown>)) if (typeof v === 'string' && k !== '_csrf') out[k] = v;
  return out;
}
