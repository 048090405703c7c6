import type { FastifyInstance } from 'fastify';

/** A file field from a multipart body, held in memory (bounded by the body limit). */
export type UploadedFile = { data: Uint8Array; fileName: string };

/**
 * multipart/form-data for this module's routes only (the parser is scoped to
 * the plugin that calls this). The body limit is the configured upload limit
 * plus room for the other fields. Parsing uses the platform's FormData (undici).
 * Text fields become strings and the first non-empty `file` becomes `file`.
 */
export function registerMultipart(app: FastifyInstance, uploadMaxBytes: number) {
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: uploadMaxBytes + 256 * 1024 }, async (req: { headers: Record<string, unknown> }, body: Buffer) => {
    const contentType = String(req.headers['content-type'] ?? '');
    type Entry = [string, string | { name: string; size: number; arrayBuffer(): Promise<ArrayBuffer> }];
    let entries: Entry[];
    try {
      const form = await new Request('http://multipart.local/', { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(body) }).formData();
      entries = [...(form as unknown as Iterable<Entry>)];
    } catch {
      throw Object.assign(new Error('The multipart body could not be read.'), { statusCode: 400 });
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of entries) {
      if (typeof value === 'string') {
        if (!(key in out)) out[key] = value;
      } else if (!out.file && key === 'file' && value.size > 0) {
        out.file = { data: new Uint8Array(await value.arrayBuffer()), fileName: value.name } satisfies UploadedFile;
      }
    }
    return out;
  });
}

export function asUploadedFile(v: unknown): UploadedFile | null {
  if (v && typeof v === 'object' && 'data' in v && 'fileName' in v && (v as UploadedFile).data instanceof Uint8Array) return v as UploadedFile;
  return null;
}
