import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { createTestApp, snapshot, type Agent, type TestApp } from '../../../test/helpers.js';
import { systemActor } from '../../platform/audit.js';
import { ValidationError } from '../../platform/errors.js';
import { localStorageFor } from '../../platform/storage/index.js';
import { directory } from '../directory/index.js';
import { setNewsImage } from './news.js';

/** A valid 1×1 PNG. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** A real PNG of one colour (8-bit RGB), built here so its bytes are known. */
function png(width: number, height: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter method, no interlace
  const row = Buffer.from([0, ...Array.from({ length: width }, () => rgb).flat()]); // filter byte 0, then the pixels
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]);
}

let t: TestApp;
let editor: Agent; // editor of the network (and so of its working group)
let outsider: Agent; // editor of another organisation
let anon: Agent;
let netId: string;
let wgId: string;
let otherId: string;
const TABLES = ['knowledge_news', 'audit_events', 'search_documents'];

/** The stored files (under the test's data directory), to prove a refused upload left none behind. */
function filesOnDisk(): string[] {
  try {
    return readdirSync(path.join(t.config.dataDir, 'files'), { recursive: true }).map(String).sort();
  } catch {
    return [];
  }
}

before(async () => {
  t = await createTestApp();
  const sys = systemActor('test');
  netId = (await directory.createOrganisation(t.db, sys, { name: 'Hållbarhetsnätverket', slug: 'natverket', kind: 'network', lang: 'sv', description: '' })).id;
  wgId = (await directory.createOrganisation(t.db, sys, { name: 'Miljöstrategiska gruppen', slug: 'miljogruppen', kind: 'working_group', parentId: netId, lang: 'sv', description: '' })).id;
  otherId = (await directory.createOrganisation(t.db, sys, { name: 'Annan förening', slug: 'annan', kind: 'ngo', lang: 'sv', description: '' })).id;
  await t.makeUser({ email: 'editor@example.org', name: 'Eva Redaktör', roles: { natverket: 'editor' } });
  await t.makeUser({ email: 'outsider@example.org', roles: { annan: 'editor' } });
  editor = await t.agent('editor@example.org');
  outsider = await t.agent('outsider@example.org');
  anon = await t.agent();
});
after(() => t.close());

const article = (over: Record<string, unknown> = {}) => ({ organisationId: wgId, title: 'Nytt protokoll från miljögruppen', lead: 'Protokollet från mötet finns nu.', body: 'Gruppen diskuterade <script>alert(1)</script><b>cirkulär upphandling</b>.', lang: 'sv', sdgGoals: [12], topics: ['upphandling'], ...over });

describe('news', () => {
  test('a draft with an image is written through the form, published, and then found everywhere', async () => {
    const res = await editor.postMultipart('/news', { organisationId: wgId, title: 'Ny verksamhetschef på Hållbar utveckling Väst', lead: 'Anna börjar i augusti.', body: 'Hon kommer närmast från regionen.\n\nVälkommen!', lang: 'sv', sdgGoals: '11, 17', topics: 'organisation', imageAlt: 'Anna Andersson står framför kontoret' }, [{ name: 'image', filename: 'anna.png', content: PNG }]);
    assert.equal(res.statusCode, 303, res.body);
    const url = res.headers.location as string;
    const id = url.split('/').pop()!;
    // A draft: the editor sees it, nobody else does, and search does not know it.
    assert.equal((await editor.get(url)).statusCode, 200);
    assert.equal((await anon.get(url)).statusCode, 404);
    assert.equal((await anon.get(`${url}/image`)).statusCode, 404);
    assert.ok(!(await anon.get('/news')).body.includes('verksamhetschef'));
    assert.equal((await anon.api('GET', '/api/search?q=verksamhetschef')).json().total, 0);
    assert.equal((await editor.postForm(`${url}/publish`, { publish: 'true' })).statusCode, 303);
    const page = await anon.get(url);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /alt="Anna Andersson står framför kontoret"/);
    assert.match(page.body, /<p>Hon kommer närmast från regionen.<\/p>/);
    const img = await anon.get(`${url}/image`);
    assert.equal(img.statusCode, 200);
    assert.equal(img.headers['content-type'], 'image/png');
    assert.ok((await anon.get('/news')).body.includes('Ny verksamhetschef'));
    // The network's page shows its working group's news, and both feeds carry it.
    assert.ok((await anon.get('/organisations/natverket')).body.includes('Ny verksamhetschef'));
    const feed = await anon.get('/news/feeds/natverket');
    assert.match(String(feed.headers['content-type']), /application\/atom\+xml/);
    assert.ok(feed.body.includes(`/news/${id}</id>`));
    assert.ok((await anon.get('/news/feed.atom')).body.includes('Ny verksamhetschef'));
    // Search finds it by a stemmed word from the text.
    const s = (await anon.api('GET', '/api/search?q=verksamhetschefen')).json();
    assert.deepEqual(s.items.map((i: { id: string }) => i.id), [id]);
    // Withdrawn: gone from the index again.
    assert.equal((await editor.postForm(`${url}/publish`, { publish: 'false' })).statusCode, 303);
    assert.equal((await anon.api('GET', '/api/search?q=verksamhetschefen')).json().total, 0);
  });

  test('rich text is sanitised through the allow-list', async () => {
    const res = await editor.api('POST', '/api/news', article());
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().body, 'Gruppen diskuterade <strong>cirkulär upphandling</strong>.');
  });

  test('an image without alt text, or a file that is no image: a clear message and nothing written', async () => {
    const before = await snapshot(t.db, TABLES);
    const noAlt = await editor.postMultipart('/news', { organisationId: wgId, title: 'Bild utan text', lang: 'sv' }, [{ name: 'image', filename: 'x.png', content: PNG }]);
    assert.equal(noAlt.statusCode, 422);
    assert.match(noAlt.body, /Describe the image|alt/i);
    const notImage = await editor.postMultipart('/news', { organisationId: wgId, title: 'Ingen bild', lang: 'sv', imageAlt: 'text' }, [{ name: 'image', filename: 'x.txt', content: Buffer.from('hello') }]);
    assert.equal(notImage.statusCode, 422);
    const api = await editor.api('POST', '/api/news', article({ title: '' }));
    assert.equal(api.statusCode, 422);
    assert.equal(api.json().errors[0].field, 'title');
    assert.deepEqual(await snapshot(t.db, TABLES), before);
  });

  test('write permission matrix: 401, 403 without CSRF, 403 for outsiders, 422, 404; nothing changes', async () => {
    const id = (await editor.api('POST', '/api/news', article({ title: 'Matrisartikel' }))).json().id as string;
    // Published: outsiders are refused (403). A draft is not found by them at all (the next test).
    assert.equal((await editor.api('POST', `/api/news/${id}/publication`, { publish: true })).statusCode, 200);
    const missing = '00000000-0000-4000-8000-000000000000';
    // A multipart case's body is its text fields plus `file`, the one file it sends.
    type MultipartBody = { image: { filename: string; content: Buffer } } & Record<string, unknown>;
    const cases: { route: string; method: 'POST' | 'PUT' | 'DELETE'; url: string; body?: unknown; bad?: unknown; form?: boolean; multipart?: boolean }[] = [
      { route: 'POST /api/news', method: 'POST', url: '/api/news', body: article(), bad: article({ lang: 'xx' }) },
      { route: 'PUT /api/news/:id', method: 'PUT', url: `/api/news/${id}`, body: article(), bad: article({ sdgGoals: [99] }) },
      { route: 'POST /api/news/:id/publication', method: 'POST', url: `/api/news/${id}/publication`, body: { publish: true }, bad: { publish: true, publishedAt: '2999-01-01T00:00:00Z' } },
      { route: 'DELETE /api/news/:id', method: 'DELETE', url: `/api/news/${id}` },
      { route: 'PUT /api/news/:id/image', method: 'PUT', url: `/api/news/${id}/image`, body: { imageAlt: 'Ett foto', image: { filename: 'foto.png', content: PNG } }, bad: { imageAlt: 'Ett foto', image: { filename: 'foto.png', content: Buffer.from('not a picture') } }, multipart: true },
      { route: 'DELETE /api/news/:id/image', method: 'DELETE', url: `/api/news/${id}/image` },
      { route: 'POST /news', method: 'POST', url: '/news', body: article(), bad: article({ title: '' }), form: true },
      { route: 'POST /news/:id/edit', method: 'POST', url: `/news/${id}/edit`, body: article(), bad: article({ organisationId: 'nope' }), form: true },
      { route: 'POST /news/:id/publish', method: 'POST', url: `/news/${id}/publish`, body: { publish: 'true' }, bad: { publish: 'true', publishedAt: 'not a date' }, form: true },
      { route: 'POST /news/:id/delete', method: 'POST', url: `/news/${id}/delete`, body: {}, form: true },
    ];
    const send = (a: Agent, c: (typeof cases)[number], body: unknown, url = c.url, csrf = true) => {
      if (c.multipart) {
        const { image, ...fields } = body as MultipartBody;
        return a.apiMultipart(c.method as 'PUT', url, fields as Record<string, string>, [{ name: 'image', ...image }], { csrf });
      }
      return c.form
        ? a.postForm(url, Object.fromEntries(Object.entries((body ?? {}) as Record<string, unknown>).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v as string)])), { csrf })
        : a.api(c.method, url, c.body === undefined ? undefined : body, { csrf });
    };
    const before = await snapshot(t.db, TABLES);
    const files = filesOnDisk();
    for (const c of cases) {
      assert.equal((await send(anon, c, c.body)).statusCode, 401, `${c.route} anonymous`);
      assert.equal((await send(editor, c, c.body, c.url, false)).statusCode, 403, `${c.route} without CSRF`);
      if (c.url !== '/news' && c.url !== '/api/news') {
        assert.equal((await send(outsider, c, c.body)).statusCode, 403, `${c.route} outsider`);
        assert.equal((await send(editor, c, c.body, c.url.replace(id, missing))).statusCode, 404, `${c.route} unknown id`);
      } else {
        assert.equal((await send(outsider, c, c.body)).statusCode, c.form ? 403 : 403, `${c.route} outsider writing for another organisation`);
      }
      if (c.bad) assert.equal((await send(editor, c, c.bad)).statusCode, 422, `${c.route} bad input`);
    }
    assert.deepEqual(await snapshot(t.db, TABLES), before);
    assert.deepEqual(filesOnDisk(), files);
    const covered = new Set(cases.map((c) => c.route));
    const routes = t.app.writeRoutes.filter((r) => /^\/(api\/)?news(\/|$)/.test(r.url)).map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(routes.filter((r) => !covered.has(r)), []);
  });

  test('an integration sets, replaces and removes an article’s image through the API', async () => {
    const id = (await editor.api('POST', '/api/news', article({ title: 'Bild via API' }))).json().id as string;
    const url = `/api/news/${id}/image`;
    const photo = png(3, 2, [0x2a, 0x7a, 0xb0]);
    const set = await editor.apiMultipart('PUT', url, { imageAlt: 'Gruppen samlad vid kommunhuset' }, [{ name: 'image', filename: 'gruppen.png', content: photo }]);
    assert.equal(set.statusCode, 200, set.body);
    assert.equal(set.json().image.alt, 'Gruppen samlad vid kommunhuset');
    // The address carries the image's version, so a replaced image is never served from a cache.
    const firstUrl = set.json().image.url as string;
    assert.match(firstUrl, new RegExp(`^/news/${id}/image\\?v=[0-9a-f]{12}$`));
    assert.equal(set.json().title, 'Bild via API');
    const served = async () => {
      const img = await editor.get(firstUrl);
      return { status: img.statusCode, type: img.headers['content-type'], bytes: img.rawPayload };
    };
    assert.deepEqual(await served(), { status: 200, type: 'image/png', bytes: photo });
    assert.deepEqual((await editor.api('GET', `/api/news/${id}`)).json().image, set.json().image);
    // The article page shows it with its description.
    assert.match((await editor.get(`/news/${id}`)).body, /alt="Gruppen samlad vid kommunhuset"/);

    // Refused, naming the field, with nothing changed: a text file calling itself a PNG, no description, no file.
    const rows = await snapshot(t.db, TABLES);
    const files = filesOnDisk();
    const fake = await editor.apiMultipart('PUT', url, { imageAlt: 'Ett diagram' }, [{ name: 'image', filename: 'diagram.png', content: Buffer.from('this is not a picture\n') }]);
    assert.equal(fake.statusCode, 422, fake.body);
    assert.deepEqual(fake.json().errors.map((e: { field: string }) => e.field), ['image']);
    const noAlt = await editor.apiMultipart('PUT', url, { imageAlt: '  ' }, [{ name: 'image', filename: 'ny.png', content: png(1, 1, [0, 0, 0]) }]);
    assert.equal(noAlt.statusCode, 422, noAlt.body);
    assert.deepEqual(noAlt.json().errors.map((e: { field: string }) => e.field), ['imageAlt']);
    // No image at all, naming the same field.
    const noFile = await editor.apiMultipart('PUT', url, { imageAlt: 'Något' }, []);
    assert.equal(noFile.statusCode, 422, noFile.body);
    assert.deepEqual(noFile.json().errors.map((e: { field: string }) => e.field), ['image']);
    // Over the size limit (a small one here, rather than 20 MB over HTTP): the image field too.
    await assert.rejects(
      setNewsImage(t.db, localStorageFor(t.config.dataDir), systemActor('test'), id, { upload: { data: photo, fileName: 'stor.png' }, alt: 'Stor' }, photo.byteLength - 1),
      (e) => e instanceof ValidationError && e.fields[0]?.field === 'image' && /too large/.test(e.fields[0].message),
    );
    assert.deepEqual(await snapshot(t.db, TABLES), rows);
    assert.deepEqual(filesOnDisk(), files);
    assert.deepEqual(await served(), { status: 200, type: 'image/png', bytes: photo });

    // Replaced: a new address serves the new bytes and description, and the old bytes are gone from storage.
    const other = png(2, 2, [0xe0, 0x40, 0x20]);
    const replaced = await editor.apiMultipart('PUT', url, { imageAlt: 'Kommunhuset i kvällsljus' }, [{ name: 'image', filename: 'kvall.png', content: other }]);
    assert.equal(replaced.statusCode, 200, replaced.body);
    assert.equal(replaced.json().image.alt, 'Kommunhuset i kvällsljus');
    assert.notEqual(replaced.json().image.url, firstUrl);
    assert.deepEqual(await served(), { status: 200, type: 'image/png', bytes: other });
    assert.equal(filesOnDisk().length, files.length, 'the replaced image’s bytes were removed');

    // Removed: no image in the answer, and its address answers 404; removing again changes nothing.
    const del = await editor.api('DELETE', url);
    assert.equal(del.statusCode, 200, del.body);
    assert.equal(del.json().image, null);
    assert.equal((await editor.api('GET', `/api/news/${id}`)).json().image, null);
    assert.equal((await served()).status, 404);
    assert.equal(filesOnDisk().length, files.length - 1, 'the removed image’s bytes were removed');
    const afterDelete = await snapshot(t.db, TABLES);
    assert.equal((await editor.api('DELETE', url)).json().image, null);
    assert.deepEqual(await snapshot(t.db, TABLES), afterDelete);
    const audit = await t.db.query<{ action: string }>(`SELECT action FROM audit_events WHERE entity_id = $1 ORDER BY id`, [id]);
    assert.deepEqual(audit.map((a) => a.action), ['news.create', 'news.image.set', 'news.image.set', 'news.image.remove']);
  });

  test('the OpenAPI document describes the image routes', async () => {
    const doc = (await anon.get('/api/openapi.json')).json();
    const put = doc.paths['/api/news/{id}/image'].put;
    assert.deepEqual(Object.keys(put.requestBody.content), ['multipart/form-data']);
    assert.deepEqual(Object.keys(put.requestBody.content['multipart/form-data'].schema.properties).sort(), ['image', 'imageAlt']);
    assert.ok(put.responses['200'] && put.responses['413'] && put.responses['422']);
    assert.ok(doc.paths['/api/news/{id}/image'].delete.responses['200']);
  });

  test('the edit form: an outsider is refused a published article’s (403) and does not find a draft’s (404)', async () => {
    const draft = (await editor.api('POST', '/api/news', article({ title: 'Utkast för formuläret' }))).json().id as string;
    const published = (await editor.api('POST', '/api/news', article({ title: 'Publicerad för formuläret' }))).json().id as string;
    assert.equal((await editor.api('POST', `/api/news/${published}/publication`, { publish: true })).statusCode, 200);
    assert.equal((await editor.get(`/news/${draft}/edit`)).statusCode, 200);
    assert.equal((await editor.get(`/news/${published}/edit`)).statusCode, 200);
    assert.equal((await outsider.get(`/news/${published}/edit`)).statusCode, 403);
    assert.equal((await outsider.get(`/news/${draft}/edit`)).statusCode, 404);
    assert.equal((await outsider.get('/news/00000000-0000-4000-8000-000000000000/edit')).statusCode, 404);
    assert.equal((await anon.get(`/news/${published}/edit`)).statusCode, 401);
  });

  test('an editor of another organisation can neither take an article by naming their own nor find a draft to change', async () => {
    const draft = (await editor.api('POST', '/api/news', article({ title: 'Utkast som ingen annan ser' }))).json().id as string;
    const published = (await editor.api('POST', '/api/news', article({ title: 'Publicerad, inte deras' }))).json().id as string;
    assert.equal((await editor.api('POST', `/api/news/${published}/publication`, { publish: true })).statusCode, 200);
    const before = await snapshot(t.db, TABLES);
    // Naming their own organisation in the body gave them rights over the article before.
    const takeover = article({ organisationId: otherId, title: 'Nu vår' });
    assert.equal((await outsider.api('PUT', `/api/news/${published}`, takeover)).statusCode, 403);
    assert.equal((await outsider.postForm(`/news/${published}/edit`, { ...takeover, sdgGoals: '12', topics: 'upphandling' })).statusCode, 403);
    for (const res of [
      await outsider.api('PUT', `/api/news/${draft}`, takeover),
      await outsider.api('POST', `/api/news/${draft}/publication`, { publish: true }),
      await outsider.api('DELETE', `/api/news/${draft}`),
      await outsider.api('DELETE', `/api/news/${draft}/image`),
    ]) assert.equal(res.statusCode, 404, res.body);
    assert.deepEqual(await snapshot(t.db, TABLES), before);
  });

  test('the API lists published news and hides drafts', async () => {
    const id = (await editor.api('POST', '/api/news', article({ title: 'API-nyhet', organisationId: netId }))).json().id;
    assert.equal((await anon.api('GET', `/api/news/${id}`)).statusCode, 404);
    assert.equal((await editor.api('POST', `/api/news/${id}/publication`, { publish: true })).statusCode, 200);
    const list = (await anon.api('GET', `/api/news?org=${netId}`)).json();
    assert.ok(list.items.some((n: { id: string }) => n.id === id));
    assert.ok(!list.items.some((n: { organisationId: string }) => n.organisationId === otherId));
  });

  test('an article without an author name is signed with the editor’s name, never their email address', async () => {
    const id = (await editor.api('POST', '/api/news', article({ title: 'Osignerad nyhet', organisationId: netId }))).json().id;
    assert.equal((await editor.api('POST', `/api/news/${id}/publication`, { publish: true })).statusCode, 200);
    assert.equal((await anon.api('GET', `/api/news/${id}`)).json().authorName, 'Eva Redaktör');
    const page = (await anon.get(`/news/${id}`)).body;
    assert.ok(page.includes('Eva Redaktör'));
    for (const body of [page, (await anon.get('/news/feed.atom')).body]) assert.ok(!body.includes('editor@example.org'));
    assert.equal((await anon.api('GET', '/api/search?q=editor%40example.org')).json().total, 0);
    // A change that leaves the name out keeps it; an empty name (the form's field cleared) takes it off.
    assert.equal((await editor.api('PUT', `/api/news/${id}`, article({ title: 'Osignerad nyhet', organisationId: netId }))).json().authorName, 'Eva Redaktör');
    const cleared = await editor.api('PUT', `/api/news/${id}`, article({ title: 'Osignerad nyhet', organisationId: netId, authorName: '' }));
    assert.equal(cleared.json().authorName, '');
    assert.ok(!(await anon.get(`/news/${id}`)).body.includes('Eva Redaktör'));
  });

  test('migration 0880 takes the address out of articles signed before, and has the search index rebuilt', async () => {
    // The status updates it also mends: src/modules/plans/plans.test.ts.
    const sql = readFileSync(path.resolve(import.meta.dirname, '../../../migrations/0880_public_names_without_addresses.sql'), 'utf8');
    const id = (await editor.api('POST', '/api/news', article({ title: 'Signerad förr', organisationId: netId }))).json().id;
    assert.equal((await editor.api('POST', `/api/news/${id}/publication`, { publish: true })).statusCode, 200);
    await t.db.query(`UPDATE knowledge_news SET author_name = 'Eva Redaktör <editor@example.org>' WHERE id = $1`, [id]);
    const [doc] = await t.db.query(`UPDATE search_documents SET body = body || ' Eva Redaktör <editor@example.org>' WHERE doc_type = 'news' AND doc_id = $1 RETURNING doc_id`, [id]);
    assert.ok(doc, 'the published article is indexed');
    // Counted by what queued them, whatever the job worker has done with them since.
    const queued = async () => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE kind = 'search.reindex' AND payload->>'by' = 'migration 0880'`))[0]!.n;
    assert.equal(await queued(), 0);
    await t.db.exec(sql);
    assert.deepEqual(await t.db.query('SELECT author_name FROM knowledge_news WHERE id = $1', [id]), [{ author_name: 'Eva Redaktör' }]);
    assert.equal(await queued(), 1, 'a rebuild is queued');
    // Names without an address, and a second run, are left as they are.
    const before = await snapshot(t.db, ['knowledge_news']);
    await t.db.exec(sql);
    assert.deepEqual(await snapshot(t.db, ['knowledge_news']), before);
    assert.equal(await queued(), 1);
  });

  test('an editor sees all of their drafts on /news, however many drafts other organisations have', async () => {
    const res = await editor.api('POST', '/api/news', article({ title: 'Utkast bland många' }));
    assert.equal(res.statusCode, 201, res.body);
    // 201 newer drafts of another organisation: they came first among everyone's drafts.
    await t.db.query(`INSERT INTO knowledge_news (organisation_id, title, lang, updated_at) SELECT $1, 'Annans utkast ' || g, 'sv', now() + interval '1 day' FROM generate_series(1, 201) g`, [otherId]);
    const page = (await editor.get('/news')).body;
    assert.ok(page.includes('Utkast bland många'), 'the editor’s own draft is listed');
    assert.ok(!page.includes('Annans utkast'), 'another organisation’s drafts are not');
    assert.ok(!(await outsider.get('/news')).body.includes('Utkast bland många'));
  });
});
