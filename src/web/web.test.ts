import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../test/helpers.js';
import { loadConfig, ConfigError } from '../config.js';

let t: TestApp;
before(async () => {
  t = await createTestApp({ demo: true });
});
after(() => t.close());

test('the language follows Accept-Language, can be switched, and is remembered', async () => {
  const a = await t.agent();
  const nb = await a.get('/', { 'accept-language': 'nb-NO,nb;q=0.9' });
  assert.match(nb.body, /<html lang="nb"/);
  assert.ok(nb.body.includes('Hopp til hovedinnholdet'));
  const sw = await a.get('/lang/da?next=%2Forganisations%2Fherning-kommune');
  assert.equal(sw.statusCode, 303);
  assert.equal(sw.headers.location, '/organisations/herning-kommune');
  const da = await a.get('/organisations/herning-kommune', { 'accept-language': 'sv' });
  assert.match(da.body, /<html lang="da"/);
  assert.ok(da.body.includes('Gå til hovedindholdet'));
  assert.ok(da.body.includes('Økonomi- og Erhvervsudvalget'));
});

test('every page has a skip link, a main landmark and a language switcher', async () => {
  const a = await t.agent();
  for (const url of ['/', '/organisations', '/people', '/commitments', '/search?q=molde', '/signin', '/organisations/baerekraftsnettverket', '/people/andreas-stangenes']) {
    const res = await a.get(url);
    assert.equal(res.statusCode, 200, url);
    assert.ok(res.body.includes('class="ds-skiplink" href="#main"'), url);
    assert.ok(res.body.includes('<main id="main"'), url);
    for (const l of ['sv', 'nb', 'da', 'en']) assert.ok(res.body.includes(`href="/lang/${l}?next=`), `${url} ${l}`);
  }
});

test('output is escaped', async () => {
  const admin = await t.makeUser({ email: 'xss@example.org', admin: true });
  assert.ok(admin.id);
  const a = await t.agent('xss@example.org');
  const res = await a.api('POST', '/api/people', { name: '<script>alert(1)</script>', lang: 'en' });
  assert.equal(res.statusCode, 201);
  const page = await a.get(`/people/${res.json().slug}`);
  assert.ok(!page.body.includes('<script>alert(1)</script>'));
  assert.ok(page.body.includes('&lt;script>alert(1)&lt;/script>'));
});

test('the OpenAPI 3.1 document describes the API and the docs are browsable', async () => {
  const a = await t.agent();
  const res = await a.get('/api/openapi.json');
  const doc = res.json();
  assert.equal(doc.openapi, '3.1.0');
  for (const p of ['/api/organisations', '/api/organisations/{id}', '/api/memberships', '/api/people', '/api/commitments', '/api/export/popolo', '/api/tokens']) assert.ok(doc.paths[p], p);
  assert.ok(doc.paths['/api/organisations'].post.requestBody);
  assert.ok(doc.paths['/api/organisations'].post.responses['422']);
  assert.equal((await a.get('/api/docs/')).statusCode, 200);
});

test('static assets are served locally (no outside hosts)', async () => {
  const a = await t.agent();
  const page = await a.get('/');
  const refs = [...page.body.matchAll(/(?:href|src)="([^"]+\.(?:css|js))"/g)].map((m) => m[1]!);
  assert.ok(refs.length >= 4);
  for (const r of refs) {
    assert.ok(r.startsWith('/'), r);
    assert.equal((await a.get(r)).statusCode, 200, r);
  }
  const css = await a.get('/assets/inter/400.css');
  const font = css.body.match(/url\(\.\/files\/([^)]+\.woff2)\)/)![1];
  assert.equal((await a.get(`/assets/inter/files/${font}`)).statusCode, 200);
});

test('the fonts a page preloads are the Latin files its font stylesheets name, and are served', async () => {
  // A preload the stylesheets do not use is fetched twice (or in the wrong CORS mode, wasted), and the
  // page is laid out again when the real file arrives: check the pair against the CSS, not a copy of it.
  const a = await t.agent();
  const page = await a.get('/');
  const preloads = [...page.body.matchAll(/<link rel="preload" href="([^"]+)" as="font" type="font\/woff2" crossorigin="anonymous"\/>/g)].map((m) => m[1]!);
  assert.equal(preloads.length, 2, 'one preload per Inter weight');
  for (const weight of ['400', '600']) {
    const css = (await a.get(`/assets/inter/${weight}.css`)).body;
    const latin = css.match(/\/\* inter-latin-\d+-normal \*\/[^}]*?url\(\.\/files\/([^)]+\.woff2)\)/)![1]!;
    assert.ok(preloads.includes(`/assets/inter/files/${latin}`), `${latin} preloaded`);
    const font = await a.get(`/assets/inter/files/${latin}`);
    assert.equal(font.statusCode, 200, latin);
  }
});

test('htmx is loaded only by pages that use it', async () => {
  const a = await t.agent();
  const htmx = '<script src="/assets/htmx/htmx.min.js" defer></script>';
  for (const url of ['/', '/organisations', '/indicators', '/areas/se-0780', '/compare']) {
    const res = await a.get(url);
    assert.equal(res.statusCode, 200, url);
    assert.ok(!res.body.includes('htmx.min.js'), `${url} loads htmx`);
  }
  // The search page's live results use it: the script comes once, at the end of the body.
  const search = await a.get('/search?q=molde');
  assert.match(search.body, /\shx-get="\/search"/);
  assert.equal(search.body.split(htmx).length - 1, 1);
  assert.ok(search.body.indexOf(htmx) > search.body.indexOf('hx-get='));
  assert.ok(search.body.trimEnd().endsWith(`${htmx}</body></html>`));
  assert.equal((await a.get('/assets/htmx/htmx.min.js')).statusCode, 200);
});

test('configuration is validated once, with clear messages', () => {
  assert.throws(() => loadConfig({ PORT: 'abc' }), (e: unknown) => e instanceof ConfigError && /PORT/.test(e.message));
  assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL/);
  assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /SESSION_SECRET/);
  const c = loadConfig({ PORT: '8080', HOST: '0.0.0.0' });
  assert.equal(c.port, 8080);
  assert.equal(c.publicUrl, 'http://localhost:8080');
  assert.equal(c.demoData, true);
  assert.equal(loadConfig({ DATABASE_URL: 'postgres://x/y' }).demoData, false);
  assert.equal(loadConfig({ DATABASE_URL: 'postgres://x/y', DEMO_DATA: 'true' }).demoData, true);
});
