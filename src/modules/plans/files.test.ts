import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, snapshot, type Agent, type TestApp } from '../../../test/helpers.js';
import { directory } from '../directory/index.js';

let t: TestApp;
let editor: Agent; // editor of Hurdal kommune
let outsider: Agent; // editor of Herning Kommune
let anon: Agent;
let hurdal: string;
let planId: string; // Hurdal's adopted (public) plan
const MISSING = '00000000-0000-4000-8000-000000000000';
const snap = () => snapshot(t.db, ['plan_files', 'plan_plans', 'audit_events', 'search_documents']);
const txt = (s: string) => [{ name: 'file', filename: 'vedlegg.txt', content: Buffer.from(s) }];

before(async () => {
  t = await createTestApp({ demo: true });
  await t.makeUser({ email: 'hurdal@example.org', roles: { 'hurdal-kommune': 'editor' } });
  await t.makeUser({ email: 'herning@example.org', roles: { 'herning-kommune': 'editor' } });
  editor = await t.agent('hurdal@example.org');
  outsider = await t.agent('herning@example.org');
  anon = await t.agent();
  hurdal = (await directory.getOrganisation(t.db.orm, 'hurdal-kommune')).id;
  planId = (await anon.api('GET', '/api/plans')).json().items.find((p: { organisationId: string; state: string }) => p.organisationId === hurdal && p.state === 'adopted').id;
});
after(() => t.close());

describe('uploaded plan documents', () => {
  test('an editor uploads a document; the plan page lists it and anyone may download it; then it is deleted', async () => {
    const res = await editor.postMultipart(`/plans/${planId}/files`, { title: 'Vedtatt tiltaksplan' }, txt('Tiltaksplan for Hurdal\n'));
    assert.equal(res.statusCode, 303, res.body);
    const page = await anon.get(`/plans/${planId}`);
    const link = page.body.match(new RegExp(`href="(/plans/${planId}/files/[0-9a-f-]+)">Vedtatt tiltaksplan`))?.[1];
    assert.ok(link, 'the plan page links the document');
    const dl = await anon.get(link);
    assert.equal(dl.statusCode, 200);
    assert.equal(dl.body, 'Tiltaksplan for Hurdal\n');
    assert.match(String(dl.headers['content-disposition']), /attachment; filename="vedlegg.txt"/);
    const api = (await anon.api('GET', `/api/plans/${planId}/files`)).json();
    assert.deepEqual(api.items.map((f: { title: string }) => f.title), ['Vedtatt tiltaksplan']);
    assert.equal((await editor.postForm(`${link}/delete`)).statusCode, 303);
    assert.equal((await anon.get(link)).statusCode, 404);
    assert.deepEqual((await anon.api('GET', `/api/plans/${planId}/files`)).json().items, []);
  });

  test('a file whose content does not match its name, a missing file or title: 422 naming the field, nothing written', async () => {
    const before = await snap();
    const bad = await editor.postMultipart(`/plans/${planId}/files`, { title: 'Falsk PDF' }, [{ name: 'file', filename: 'plan.pdf', content: Buffer.from('not a pdf at all') }]);
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /href="#f-file"/);
    assert.match(bad.body, /value="Falsk PDF"/, 'the title typed is kept');
    const exe = await editor.postMultipart(`/api/plans/${planId}/files`, { title: 'Program' }, [{ name: 'file', filename: 'x.exe', content: Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0]) }]);
    assert.equal(exe.statusCode, 422);
    assert.deepEqual(exe.json().errors.map((e: { field: string }) => e.field), ['file']);
    const none = await editor.postMultipart(`/api/plans/${planId}/files`, { title: '' }, []);
    assert.equal(none.statusCode, 422);
    assert.deepEqual(none.json().errors.map((e: { field: string }) => e.field).sort(), ['file', 'title']);
    assert.deepEqual(await snap(), before);
  });

  test('a draft plan’s documents are seen by nobody else: pages, API, download, history, search', async () => {
    const draft = (await editor.api('POST', '/api/plans', { organisationId: hurdal, title: 'Utkast med vedlegg', state: 'draft' })).json().id as string;
    const up = await editor.postMultipart(`/api/plans/${draft}/files`, { title: 'Hemmelig vedlegg' }, txt('Hemmelig innhold\n'));
    assert.equal(up.statusCode, 201, up.body);
    const file = up.json();
    for (const who of [anon, outsider]) {
      for (const u of [`/plans/${draft}/files/${file.id}`, `/api/plans/${draft}/files`, `/plans/${draft}`]) assert.equal((await who.get(u)).statusCode, 404, u);
      for (const u of ['/plans', '/api/plans', '/organisations/hurdal-kommune', '/organisations/hurdal-kommune/history', `/api/organisations/${hurdal}/history`, '/search?q=Hemmelig', '/search?q=vedlegg']) {
        const body = (await who.get(u)).body;
        assert.ok(!body.includes('Hemmelig vedlegg') && !body.includes('Hemmelig innhold'), `${u} leaks a draft plan's document`);
      }
    }
    const own = await editor.get(`/plans/${draft}/files/${file.id}`);
    assert.equal(own.statusCode, 200);
    assert.equal(own.headers['cache-control'], 'private, no-store');
  });

  test('permission matrix of the upload and delete routes (form and API): 401, 403, CSRF, 404, nothing changes', async () => {
    const up = await editor.postMultipart(`/api/plans/${planId}/files`, { title: 'Til matrisen' }, txt('x\n'));
    assert.equal(up.statusCode, 201);
    const fileId = up.json().id as string;
    const before = await snap();
    const writes: [string, (a: Agent, csrf?: boolean) => Promise<{ statusCode: number }>][] = [
      ['POST /plans/:id/files', (a, csrf) => a.postMultipart(`/plans/${planId}/files`, { title: 'X' }, txt('y\n'), { csrf: csrf ?? true })],
      ['POST /api/plans/:id/files', (a, csrf) => a.postMultipart(`/api/plans/${planId}/files`, { title: 'X' }, txt('y\n'), { csrf: csrf ?? true })],
      ['POST /plans/:id/files/:fileId/delete', (a, csrf) => a.postForm(`/plans/${planId}/files/${fileId}/delete`, {}, { csrf: csrf ?? true })],
      ['DELETE /api/plans/:id/files/:fileId', (a, csrf) => a.api('DELETE', `/api/plans/${planId}/files/${fileId}`, undefined, { csrf: csrf ?? true })],
    ];
    for (const [route, call] of writes) {
      assert.equal((await call(anon)).statusCode, 401, `${route} anonymous`);
      assert.equal((await call(outsider)).statusCode, 403, `${route} outsider`);
      assert.equal((await call(editor, false)).statusCode, 403, `${route} without CSRF`);
    }
    assert.equal((await editor.postMultipart(`/plans/${MISSING}/files`, { title: 'X' }, txt('y\n'))).statusCode, 404);
    assert.equal((await editor.postMultipart(`/api/plans/${MISSING}/files`, { title: 'X' }, txt('y\n'))).statusCode, 404);
    assert.equal((await editor.postForm(`/plans/${planId}/files/${MISSING}/delete`)).statusCode, 404);
    assert.equal((await editor.api('DELETE', `/api/plans/${planId}/files/${MISSING}`)).statusCode, 404);
    assert.deepEqual(await snap(), before);
    assert.equal((await editor.api('DELETE', `/api/plans/${planId}/files/${fileId}`)).statusCode, 204);
    assert.notDeepEqual(await snap(), before);
    const routes = t.app.writeRoutes.filter((r) => /\/plans\/:id\/files/.test(r.url)).map((r) => `${r.method} ${r.url}`).sort();
    assert.deepEqual(routes, writes.map(([r]) => r).sort(), 'every plan file write route is in this matrix');
  });
});
