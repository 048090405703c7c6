import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerErrorHandling } from './errors.js';
import { asUploadedFile, registerMultipart, textFields } from './multipart.js';

// The parser on its own: a bare Fastify app with the shared error handling, one plugin that
// accepts multipart (limit 1,000 bytes) and one that does not.
const boundary = 'xTestBoundary42';
function body(parts: { name: string; value?: string; filename?: string; data?: Uint8Array }[], end = `--${boundary}--\r\n`): Buffer {
  const out: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
    out.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.filename !== undefined ? 'Content-Type: application/octet-stream\r\n' : ''}\r\n`));
    out.push(p.data ? Buffer.from(p.data) : Buffer.from(p.value ?? ''), Buffer.from('\r\n'));
  }
  out.push(Buffer.from(end));
  return Buffer.concat(out);
}

let app: FastifyInstance;
// What route-level hooks (as the CSRF check is) saw of the body.
const seenByRouteHook: unknown[] = [];
before(async () => {
  app = Fastify({ logger: false });
  registerErrorHandling(app);
  app.addHook('onRoute', (r) => {
    r.preValidation = [...[r.preValidation ?? []].flat(), async (req: { body: unknown }) => void seenByRouteHook.push((req.body as Record<string, unknown> | undefined)?._csrf)] as typeof r.preValidation;
  });
  await app.register(async (scope) => {
    registerMultipart(scope, 1000);
    scope.post('/up', async (req) => {
      const b = req.body as Record<string, unknown>;
      const file = asUploadedFile(b.file);
      const other = asUploadedFile(b.other);
      return { fields: textFields(b), csrf: b._csrf, file: file && { name: file.fileName, size: file.data.byteLength, text: Buffer.from(file.data).toString() }, other: other?.fileName ?? null };
    });
  });
  await app.register(async (scope) => {
    registerMultipart(scope, 4 * 1024 * 1024);
    scope.post('/big', async (req) => ({ length: String((req.body as Record<string, unknown>).title ?? '').length }));
  });
  await app.register(async (scope) => {
    scope.post('/elsewhere', async () => ({ ok: true }));
  });
});
after(() => app.close());

const post = (url: string, payload: Buffer, contentType = `multipart/form-data; boundary=${boundary}`) =>
  app.inject({ method: 'POST', url, headers: { 'content-type': contentType, accept: 'application/json' }, payload });

test('text fields become strings (first value wins), the first non-empty file of a field an UploadedFile', async () => {
  seenByRouteHook.length = 0;
  const res = await post(
    '/up',
    body([
      { name: '_csrf', value: 'tok' },
      { name: 'title', value: 'Första' },
      { name: 'title', value: 'Andra' },
      { name: 'file', filename: '', data: new Uint8Array() },
      { name: 'file', filename: 'a.txt', data: new TextEncoder().encode('hej') },
      { name: 'file', filename: 'b.txt', data: new TextEncoder().encode('nej') },
      { name: 'other', filename: 'c.txt', data: new TextEncoder().encode('x') },
    ]),
  );
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { fields: { title: 'Första' }, csrf: 'tok', file: { name: 'a.txt', size: 3, text: 'hej' }, other: 'c.txt' });
  // Route-level hooks run after the scope's parser, so the CSRF check can read `_csrf` from the form.
  assert.deepEqual(seenByRouteHook, ['tok']);
});

test('a file over the limit (plus the slack for a friendly form error) is a 413 payload_too_large', async () => {
  // A little over the limit still arrives, so the use case can name the field.
  const near = await post('/up', body([{ name: 'file', filename: 'near.bin', data: new Uint8Array(1500).fill(65) }]));
  assert.equal(near.statusCode, 200);
  assert.equal(near.json().file.size, 1500);
  // Far over it: refused while reading, as Fastify's body limit answers.
  const huge = body([{ name: 'file', filename: 'huge.bin', data: new Uint8Array(300 * 1024).fill(65) }]);
  const streamed = await app.inject({ method: 'POST', url: '/up', headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, accept: 'application/json', 'transfer-encoding': 'chunked' }, payload: huge });
  assert.equal(streamed.statusCode, 413);
  assert.equal(streamed.json().code, 'payload_too_large');
  // With a Content-Length over the bound: refused before reading.
  const declared = await post('/up', Buffer.concat([huge, Buffer.alloc(300 * 1024)]));
  assert.equal(declared.statusCode, 413);
  assert.equal(declared.json().code, 'payload_too_large');
  // A text field longer than busboy's field limit is refused, never cut short.
  assert.equal((await post('/big', body([{ name: 'title', value: 'x'.repeat(1024 * 1024) }]))).json().length, 1024 * 1024);
  const longField = await post('/big', body([{ name: 'title', value: 'x'.repeat(1024 * 1024 + 10) }]));
  assert.equal(longField.statusCode, 413);
});

test('a malformed multipart body is a 400; other plugins still refuse multipart', async () => {
  const truncated = await post('/up', body([{ name: 'file', filename: 'a.txt', data: new TextEncoder().encode('hej') }], '').subarray(0, 60));
  assert.equal(truncated.statusCode, 400);
  assert.equal(truncated.json().code, 'bad_request');
  const noBoundary = await post('/up', body([{ name: 'title', value: 'x' }]), 'multipart/form-data');
  assert.equal(noBoundary.statusCode, 400);
  const elsewhere = await post('/elsewhere', body([{ name: 'title', value: 'x' }]));
  assert.equal(elsewhere.statusCode, 415);
});
