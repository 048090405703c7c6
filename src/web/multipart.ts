import fastifyMultipart from '@fastify/multipart';
import { errorCodes, type FastifyInstance, type FastifyRequest } from 'fastify';

/** A file field from a multipart body, held in memory (bounded by the upload limit). */
export type UploadedFile = { data: Uint8Array; fileName: string };

/**
 * Room above the upload limit: a file a little over it still arrives whole, so the use case can
 * answer with a form error naming the field ("the file is too large") instead of a bare 413.
 */
const SLACK_BYTES = 256 * 1024;
/** Our forms have one or two file fields and a dozen text fields; these bound a hostile body. */
const LIMITS = { files: 10, fields: 200, parts: 210, fieldSize: 1024 * 1024, fieldNameSize: 200 };

/**
 * multipart/form-data for the calling module's routes only, parsed by @fastify/multipart (busboy).
 * The plugin is registered into the caller's scope (it is fastify-plugin wrapped), so other
 * modules' routes keep refusing multipart with a 415.
 *
 * The body is read in this scope's preValidation hook into a plain object: text fields become
 * strings (the first value wins), the first non-empty file of each file field an UploadedFile.
 * The CSRF check and the text guard (src/web/context.ts) are route-level hooks, which Fastify runs
 * after every scope's hooks, so they see the `_csrf` field and the text fields; the sign-in check
 * runs before, so an anonymous caller is refused before anything is read.
 *
 * Too large (Content-Length, a file, a field, or too many parts) is a 413 `payload_too_large`,
 * as Fastify's own body limit gives; a body busboy cannot read is a 400.
 */
export function registerMultipart(app: FastifyInstance, uploadMaxBytes: number) {
  const fileSize = uploadMaxBytes + SLACK_BYTES;
  // The whole body, when the client says its length: refused before a byte is read.
  const bodyMax = fileSize + SLACK_BYTES;
  app.register(fastifyMultipart, { limits: { ...LIMITS, fileSize }, throwFileSizeLimit: true });
  app.addHook('preValidation', async (req) => {
    if (!req.isMultipart()) return;
    if (Number(req.headers['content-length'] ?? 0) > bodyMax) throw new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE();
    req.body = await readForm(req);
  });
}

async function readForm(req: FastifyRequest): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        // Every file is read to its end (bounded by fileSize), or busboy would stall on the next part.
        const data = await part.toBuffer();
        if (!(part.fieldname in out) && data.byteLength > 0) out[part.fieldname] = { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), fileName: part.filename } satisfies UploadedFile;
      } else {
        // busboy cuts an over-long value short rather than failing: refuse it, never store half a text.
        if (part.valueTruncated || part.fieldnameTruncated) throw new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE();
        if (!(part.fieldname in out)) out[part.fieldname] = typeof part.value === 'string' ? part.value : JSON.stringify(part.value);
      }
    }
  } catch (err) {
    // @fastify/multipart's limit errors are 413s with their own codes; one problem for all of them.
    if ((err as { statusCode?: number }).statusCode === 413) throw new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE();
    throw Object.assign(new Error('The multipart body could not be read.'), { statusCode: 400 });
  }
  return out;
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
