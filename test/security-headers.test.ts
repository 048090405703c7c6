/**
 * The security headers every answer carries (set by @fastify/helmet in src/web/context.ts), the
 * looser policy of the API docs, and the sandbox a download keeps.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from './helpers.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(async () => t?.close());

describe('security headers', () => {
  test('pages and API answers forbid foreign scripts, framing and sniffing', async () => {
    for (const url of ['/', '/api/organisations', '/no-such-page']) {
      const res = await t.app.inject({ method: 'GET', url });
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /default-src 'self'/, url);
      assert.match(csp, /script-src 'self'(;|$)/, url);
      assert.match(csp, /frame-ancestors 'none'/, url);
      assert.match(csp, /object-src 'none'/, url);
      assert.equal(res.headers['x-frame-options'], 'DENY', url);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
      assert.equal(res.headers['referrer-policy'], 'same-origin', url);
      assert.equal(res.headers['strict-transport-security'], undefined, `${url}: no HSTS over plain HTTP`);
    }
  });

  test('the API docs go without the page policy, and the OpenAPI document is still served', async () => {
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    assert.equal(docs.statusCode, 200);
    assert.equal(docs.headers['content-security-policy'], undefined);
    // …while keeping the other headers, which proves the hooks reach the docs' routes at all.
    assert.equal(docs.headers['x-content-type-options'], 'nosniff');
    assert.equal(docs.headers['x-frame-options'], 'DENY');
    const spec = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(spec.statusCode, 200);
    assert.match(String(spec.headers['content-security-policy']), /default-src 'self'/);
  });

  test('a site published over HTTPS asks browsers to insist on it', async () => {
    const s = await createTestApp({ config: { PUBLIC_URL: 'https://samverka.example.org' } });
    try {
      const res = await s.app.inject({ method: 'GET', url: '/' });
      assert.match(String(res.headers['strict-transport-security']), /max-age=15552000/);
    } finally {
      await s.close();
    }
  });
});
