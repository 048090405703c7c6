/**
 * Compression, conditional requests and the anonymous page cache (src/web/freshness.ts),
 * over the demo data through HTTP, on PGlite or (with TEST_DATABASE_URL) PostgreSQL.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { Agent, createTestApp, TEST_SECRET, type TestApp } from './helpers.js';
import { buildApp } from '../src/app.js';
import { importObservations } from '../src/modules/indicators/index.js';
import { systemActor } from '../src/platform/audit.js';
import { freshnessClock, matchesIfNoneMatch, PageCache } from '../src/web/freshness.js';

let t: TestApp;
let anon: Agent;
const NET = 'kommunnatverket-for-hallbar-utveckling';
/** Only the demo's closed agenda item contains this word. */
const SECRET = 'Fortroligt';

// ETags of pages that move with the clock are compared across writes here: hold the clock still.
const realNow = freshnessClock.now;
const frozen = Date.now();
freshnessClock.now = () => frozen;

before(async () => {
  t = await createTestApp({ demo: true });
  await t.makeUser({ email: 'editor@example.org', name: 'Edda Editor', roles: { [NET]: 'editor', 'okonomi-og-erhvervsudvalget': 'member' } });
  anon = await t.agent();
  await anon.get('/healthz'); // a CSRF cookie, like a returning visitor
});
after(async () => {
  freshnessClock.now = realNow;
  await t?.close();
});

const etagOf = async (url: string, a: Agent = anon) => {
  const res = await a.get(url);
  assert.equal(res.statusCode, 200, `${url}: ${res.statusCode}`);
  return String(res.headers.etag);
};

/** One public read of each kind: pages, JSON API, exports, feeds, OParl. */
const PUBLIC = [
  '/',
  '/areas/se-0780',
  '/indicators',
  '/indicators/demo-ghg-per-capita',
  '/compare?indicator=demo-ghg-per-capita',
  '/api/indicators/demo-ghg-per-capita/observations',
  '/api/areas/se-0780/indicators',
  '/api/export/jsonstat/demo-ghg-per-capita',
  '/organisations',
  `/organisations/${NET}`,
  '/people',
  '/api/organisations',
  '/api/export/popolo',
  '/meetings',
  '/api/meetings',
  '/oparl/v1/bodies',
];

describe('conditional requests', () => {
  test('every public read sends an ETag and answers 304 to it, with no body, while nothing changed', async () => {
    for (const url of PUBLIC) {
      const first = await anon.get(url);
      assert.equal(first.statusCode, 200, url);
      const tag = first.headers.etag as string;
      assert.match(tag, /^W\/"[\w-]+"$/, `${url} has an ETag`);
      assert.match(String(first.headers['cache-control']), /public, no-cache/, url);
      const again = await anon.get(url, { 'if-none-match': tag });
      assert.equal(again.statusCode, 304, `${url} answers 304 to its own ETag`);
      assert.equal(again.body, '', url);
      assert.equal(again.headers.etag, tag, url);
      // Another tag, or another language, is a full answer.
      assert.equal((await anon.get(url, { 'if-none-match': 'W/"other"' })).statusCode, 200, url);
    }
  });

  test('the language is part of the ETag', async () => {
    const en = await anon.get('/areas/se-0780', { 'accept-language': 'en' });
    const sv = await anon.get('/areas/se-0780', { 'accept-language': 'sv' });
    assert.notEqual(en.headers.etag, sv.headers.etag);
    assert.equal((await anon.get('/areas/se-0780', { 'accept-language': 'sv', 'if-none-match': String(en.headers.etag) })).statusCode, 200);
  });

  test('signing in changes no public ETag', async () => {
    const before = await etagOf('/');
    const org = await etagOf(`/organisations/${NET}`);
    await t.agent('editor@example.org');
    assert.equal(await etagOf('/'), before);
    assert.equal(await etagOf(`/organisations/${NET}`), org);
  });

  test('pages that turn on dates move with the clock, once a minute', async () => {
    const before = await etagOf('/meetings');
    freshnessClock.now = () => frozen + 60_000;
    try {
      assert.notEqual(await etagOf('/meetings'), before);
    } finally {
      freshnessClock.now = () => frozen;
    }
    assert.equal(await etagOf('/meetings'), before);
  });

  test('an unknown page answers 404 without an ETag', async () => {
    const res = await anon.get('/areas/nowhere');
    assert.equal(res.statusCode, 404);
    assert.equal(res.headers.etag, undefined);
  });

  test('an import changes the ETag of the pages that show its data, and of nothing else', async () => {
    const shows = ['/areas/se-0780', '/api/areas/se-0780/indicators', '/indicators', '/compare?indicator=demo-ghg-per-capita', '/'];
    const others = [
      '/areas/no-1506',
      '/api/areas/no-1506/indicators',
      '/indicators/demo-ghg-per-capita',
      '/api/indicators/demo-ghg-per-capita/observations',
      '/organisations',
      '/people',
      '/api/organisations',
      '/meetings',
      '/api/meetings',
      '/oparl/v1/bodies',
    ];
    const before = new Map<string, string>();
    for (const url of [...shows, ...others]) before.set(url, await etagOf(url));
    const report = await importObservations(
      t.db,
      systemActor('test'),
      {
        rows: [2020, 2021, 2022].map((y, i) => ({ line: i + 1, indicator: 'speed-cycle-lanes', area: 'se-0780', period: String(y), breakdown: '', value: 10 + i, status: '', note: '' })),
        errors: [],
        indicators: [{ code: 'speed-cycle-lanes', name: 'Cycle lanes', unit: 'km', decimals: 0 }],
      },
      { format: 'long' },
    );
    assert.equal(report.ok, true);
    for (const url of shows) assert.notEqual(await etagOf(url), before.get(url), `${url} shows the imported data: its ETag changes`);
    for (const url of others) assert.equal(await etagOf(url), before.get(url), `${url} does not show it: its ETag stays`);
    // The stale copy is not served: the area page now lists the new indicator.
    assert.ok((await anon.get('/areas/se-0780')).body.includes('Cycle lanes'));

    // A second import of an indicator every area shows moves every one of those pages.
    const ghgBefore = await etagOf('/indicators/demo-ghg-per-capita');
    const molde = await etagOf('/areas/no-1506');
    const r2 = await importObservations(
      t.db,
      systemActor('test'),
      { rows: [{ line: 1, indicator: 'demo-ghg-per-capita', area: 'se-0780', period: '2024', breakdown: '', value: 3.3, status: '', note: '' }], errors: [], indicators: [] },
      { format: 'long' },
    );
    assert.equal(r2.ok, true);
    assert.notEqual(await etagOf('/indicators/demo-ghg-per-capita'), ghgBefore);
    assert.notEqual(await etagOf('/areas/no-1506'), molde);
  });

  test('a directory write changes the directory’s ETags, and the cached list is not served after it', async () => {
    const editor = await t.agent('editor@example.org');
    const org = await etagOf('/organisations');
    const res = await editor.postForm('/organisations', { name: 'Arbetsgrupp snabbhet', kind: 'working_group', parentId: (await t.db.query<{ id: string }>('SELECT id FROM organisations WHERE slug = $1', [NET]))[0]!.id, lang: 'sv', description: '' });
    assert.equal(res.statusCode, 303);
    assert.notEqual(await etagOf('/organisations'), org);
    assert.ok((await anon.get('/organisations')).body.includes('Arbetsgrupp snabbhet'), 'the cached list is not served after the write');
  });
});

describe('anonymous page cache', () => {
  test('a repeat anonymous request is served from the cache, with the same bytes', async () => {
    const a = await anon.get('/areas/se-0765');
    const b = await anon.get('/areas/se-0765');
    assert.equal(a.statusCode, 200);
    assert.equal(b.headers['x-page-cache'], 'hit');
    assert.equal(b.body, a.body);
    assert.ok(!a.body.includes(anon.csrf), 'the shared answer carries no visitor’s CSRF token');
  });

  test('another visitor gets the cached page, never the first visitor’s token', async () => {
    const other = await t.agent();
    await other.get('/healthz');
    const res = await other.get('/areas/se-0765');
    assert.equal(res.headers['x-page-cache'], 'hit');
    assert.ok(!res.body.includes(anon.csrf) && !res.body.includes(other.csrf));
  });

  test('a signed-in page is never served from the anonymous cache, nor stored in it', async () => {
    const url = `/organisations/${NET}`;
    await anon.get(url);
    assert.equal((await anon.get(url)).headers['x-page-cache'], 'hit');
    const editor = await t.agent('editor@example.org');
    const res = await editor.get(url);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['x-page-cache'], undefined);
    assert.equal(res.headers.etag, undefined);
    assert.match(String(res.headers['cache-control']), /private/);
    assert.ok(res.body.includes('Edda Editor') || res.body.includes('/account'), 'the page is the editor’s own');
    assert.ok(res.body.includes(`/organisations/${NET}/edit`), 'with its edit links');
    assert.ok(res.body.includes(editor.csrf), 'and its own CSRF token');
    // And the anonymous answer after it is still the anonymous one.
    const back = await anon.get(url);
    assert.ok(!back.body.includes(`/organisations/${NET}/edit`));
    assert.ok(!back.body.includes('Edda Editor'));
  });

  test('closed content is never cached into a public answer', async () => {
    const list = (await anon.get('/api/meetings?organisation=herning-kommune')).json();
    const meetingId = list.items[0].id as string;
    const detail = (await anon.get(`/api/meetings/${meetingId}`)).json();
    const closed = detail.items.find((i: { public: boolean }) => !i.public).id as string;
    const member = await t.agent('editor@example.org');
    for (const url of [`/meetings/${meetingId}`, `/meetings/${meetingId}/items/${closed}`, `/api/meetings/${meetingId}`, `/meetings/${meetingId}/agenda`]) {
      // The member reads first (the closed content is theirs to see), then anonymous readers, twice.
      const seen = await member.get(url);
      assert.equal(seen.statusCode, 200, url);
      for (let i = 0; i < 2; i++) {
        const res = await anon.get(url);
        assert.ok(!res.body.includes(SECRET), `${url}: no closed content for the public (${String(res.headers['x-page-cache'])})`);
      }
    }
    assert.ok((await member.get(`/meetings/${meetingId}/items/${closed}`)).body.includes(SECRET), 'the member does see it');
  });

  test('a write through a second app server on the same database retires this server’s cached pages', async () => {
    const second = await buildApp({ config: t.config, db: t.db, secret: TEST_SECRET, logger: false });
    await second.ready();
    try {
      const url = '/people?q=Snabba';
      await anon.get(url);
      const cached = await anon.get(url);
      assert.equal(cached.headers['x-page-cache'], 'hit');
      const editor = new Agent(second);
      await editor.signIn('editor@example.org');
      const res = await editor.postForm('/people', { name: 'Snabba Sara', lang: 'sv' });
      assert.equal(res.statusCode, 303, res.body.slice(0, 300));
      const after = await anon.get(url);
      assert.equal(after.headers['x-page-cache'], 'miss');
      assert.notEqual(after.headers.etag, cached.headers.etag);
      assert.ok(after.body.includes('Snabba Sara'));
    } finally {
      await second.close();
    }
  });

  test('the cache is bounded by bytes', () => {
    const c = new PageCache(1000);
    for (let i = 0; i < 50; i++) c.set({ key: `k${i}`, tag: 't', type: 'text/html', body: Buffer.alloc(100), size: 100 });
    assert.ok(c.totalBytes <= 1000);
    assert.equal(c.get('k0', 't'), undefined, 'the oldest went first');
    assert.ok(c.get('k49', 't'));
    assert.equal(c.get('k49', 'other'), undefined, 'another version is a miss');
  });

  test('If-None-Match comparison is weak and takes lists', () => {
    assert.ok(matchesIfNoneMatch('W/"a", W/"b"', 'W/"b"'));
    assert.ok(matchesIfNoneMatch('"b"', 'W/"b"'));
    assert.ok(matchesIfNoneMatch('*', 'W/"b"'));
    assert.ok(!matchesIfNoneMatch('W/"c"', 'W/"b"'));
    assert.ok(!matchesIfNoneMatch(undefined, 'W/"b"'));
  });
});

describe('compression', () => {
  const decode = (enc: string | undefined, raw: Buffer) => (enc === 'br' ? zlib.brotliDecompressSync(raw) : enc === 'gzip' ? zlib.gunzipSync(raw) : raw).toString('utf8');

  for (const url of ['/areas/se-0780', '/api/areas/se-0780/indicators', '/assets/app.css', '/indicators/assets/echarts.min.js', '/assets/favicon.svg', '/api/openapi.json']) {
    test(`${url}: Brotli, gzip or identity as the client asks, with the same content`, async () => {
      const get = (ae?: string) => t.app.inject({ method: 'GET', url, headers: { cookie: `samverka_csrf=${'x'.repeat(32)}`, ...(ae ? { 'accept-encoding': ae } : {}) } });
      const plain = await get();
      assert.equal(plain.statusCode, 200);
      assert.equal(plain.headers['content-encoding'], undefined);
      for (const [ae, want] of [['br, gzip', 'br'], ['gzip, deflate', 'gzip'], ['br;q=0, gzip', 'gzip'], ['identity', undefined]] as const) {
        // Twice: the second may come from the page cache's own compressed copies.
        for (let i = 0; i < 2; i++) {
          const res = await get(ae);
          assert.equal(res.headers['content-encoding'], want, `${url} with ${ae}`);
          assert.equal(decode(want, res.rawPayload), plain.body, `${url} with ${ae}: same content`);
        }
      }
    });
  }

  test('answers that vary by encoding say so', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/organisations', headers: { 'accept-encoding': 'gzip' } });
    assert.match(String(res.headers.vary), /accept-encoding/i);
  });
});
