import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, snapshot, type Agent, type TestApp } from '../../../test/helpers.js';
import { directory } from '../directory/index.js';
import { upsertIndicators } from '../indicators/index.js';
import { systemActor } from '../../platform/audit.js';
import { reviewPractice, savePractice } from './practices.js';

let t: TestApp;
let author: Agent; // editor of Hurdal kommune
let reviewer: Agent; // editor of Bærekraftsløftet (the reviewing network)
let adopter: Agent; // editor of Molde kommune
let anon: Agent;
let hurdal: string;
let network: string;
let molde: string;
const TABLES = ['knowledge_practices', 'knowledge_practice_organisations', 'knowledge_practice_indicators', 'knowledge_practice_adoptions', 'audit_events', 'search_documents'];

before(async () => {
  t = await createTestApp({ demo: true });
  await t.makeUser({ email: 'author@example.org', roles: { 'hurdal-kommune': 'editor' } });
  await t.makeUser({ email: 'reviewer@example.org', roles: { baerekraftsloftet: 'editor' } });
  await t.makeUser({ email: 'adopter@example.org', roles: { 'molde-kommune': 'editor' } });
  author = await t.agent('author@example.org');
  reviewer = await t.agent('reviewer@example.org');
  adopter = await t.agent('adopter@example.org');
  anon = await t.agent();
  hurdal = (await directory.getOrganisation(t.db.orm, 'hurdal-kommune')).id;
  network = (await directory.getOrganisation(t.db.orm, 'baerekraftsloftet')).id;
  molde = (await directory.getOrganisation(t.db.orm, 'molde-kommune')).id;
});
after(() => t.close());

const form = (over: Record<string, string> = {}) => ({
  title: 'Fossilfri varme i Hurdal sentrum',
  lang: 'nb',
  organisationIds: hurdal,
  reviewerOrgId: network,
  themes: 'energi, klima',
  sdgTargets: '7.2, 13.2',
  startingPoint: 'Sentrum ble varmet opp med oljefyr.',
  whatWasDone: 'Kommunen bygde et nærvarmeanlegg med flis fra lokale skogeiere.',
  periodStart: '2017',
  periodEnd: '2021',
  resources: 'Investering 12 millioner kroner, delvis finansiert av Enova.',
  lessons: 'Tidlig dialog med skogeierne var avgjørende.',
  transfer: 'Krever lokal tilgang på flis.',
  indicators: 'demo-renewable-share\ndemo-ghg-per-capita demo-seed-municipalities',
  ...over,
});

describe('good practices', () => {
  let id: string;

  test('submitted by the organisation behind it, invisible until the network publishes it', async () => {
    const res = await author.postForm('/practices', form());
    assert.equal(res.statusCode, 303, res.body);
    id = String(res.headers.location).split('/').pop()!;
    assert.equal((await anon.get(`/practices/${id}`)).statusCode, 404);
    assert.equal((await anon.api('GET', '/api/search?q=nærvarmeanlegg')).json().total, 0);
    assert.ok((await reviewer.get('/practices')).body.includes('Fossilfri varme'), 'waiting for the reviewer');
    // Returning needs a note; nothing changes without one.
    const before = await snapshot(t.db, TABLES);
    assert.equal((await reviewer.postForm(`/practices/${id}/review`, { decision: 'return', note: '' })).statusCode, 422);
    assert.equal((await author.postForm(`/practices/${id}/review`, { decision: 'publish' })).statusCode, 403, 'authors do not publish their own');
    assert.deepEqual(await snapshot(t.db, TABLES), before);
    assert.equal((await reviewer.postForm(`/practices/${id}/review`, { decision: 'publish', note: '' })).statusCode, 303);
    const page = await anon.get(`/practices/${id}`);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes('Kommunen bygde et nærvarmeanlegg'));
    assert.deepEqual((await anon.api('GET', '/api/search?q=nærvarmeanlegget')).json().items.map((i: { id: string }) => i.id), [id]);
    assert.ok((await anon.get('/practices?country=NO&sdg=7')).body.includes('Fossilfri varme'));
    assert.ok(!(await anon.get('/practices?country=SE')).body.includes('Fossilfri varme'));
  });

  test('the evidence panel: change since the start next to the comparison group’s median over the same years', async () => {
    const p = (await anon.api('GET', `/api/practices/${id}`)).json();
    const renewable = p.evidence.find((e: { indicator: string }) => e.indicator === 'demo-renewable-share');
    assert.equal(renewable.from, '2017');
    assert.equal(renewable.to, '2023');
    const q = async (area: string, period: string) =>
      Number((await t.db.query<{ value: number }>(`SELECT o.value FROM ind_observations o JOIN ind_indicators i ON i.id = o.indicator_id JOIN areas a ON a.id = o.area_id WHERE i.code = 'demo-renewable-share' AND a.key = $1 AND o.period = $2 AND o.breakdown = ''`, [area, period]))[0]!.value);
    assert.ok(Math.abs(renewable.change - ((await q('no-3242', '2023')) - (await q('no-3242', '2017')))) < 1e-9);
    // The comparison group: Norway's other demo municipalities (Molde, Kristiansund, Ålesund, Eidsvoll).
    const others = await Promise.all(['no-1506', 'no-1505', 'no-1508', 'no-3240'].map(async (k) => (await q(k, '2023')) - (await q(k, '2017'))));
    others.sort((a, b) => a - b);
    assert.equal(renewable.comparisonAreas, 4);
    assert.ok(Math.abs(renewable.comparisonMedianChange - (others[1]! + others[2]!) / 2) < 1e-9);
    const ghg = p.evidence.find((e: { indicator: string }) => e.indicator === 'demo-ghg-per-capita');
    assert.equal(ghg.comparisonAreas, 4, 'the seed group minus Hurdal itself');
    const page = await anon.get(`/practices/${id}`);
    assert.match(page.body, /Hva dataene viser|Evidence from the data/);
  });

  test('another municipality records that it adopted it; twice is refused', async () => {
    assert.equal((await adopter.postForm(`/practices/${id}/adoptions`, { organisationId: molde, adoptedOn: '2024-05', note: 'Nærvarme i Molde sentrum' })).statusCode, 303);
    assert.ok((await anon.get(`/practices/${id}`)).body.includes('Molde kommune'));
    const before = await snapshot(t.db, TABLES);
    assert.equal((await adopter.postForm(`/practices/${id}/adoptions`, { organisationId: molde })).statusCode, 409);
    assert.equal((await adopter.postForm(`/practices/${id}/adoptions`, { organisationId: hurdal })).statusCode, 403, 'only for an organisation one manages');
    assert.equal((await adopter.postForm(`/practices/${id}/adoptions`, { organisationId: molde, adoptedOn: 'last spring' })).statusCode, 422);
    assert.deepEqual(await snapshot(t.db, TABLES), before);
  });

  test('attachments: uploaded by the authors, content-checked, downloadable, their text searchable', async () => {
    const up = await author.postMultipart(`/practices/${id}/files`, { title: 'Kostnadskalkyl' }, [{ name: 'file', filename: 'kalkyl.txt', content: Buffer.from('Kalkylen viser flisfyringens driftskostnader per år.') }]);
    assert.equal(up.statusCode, 303, up.body);
    const page = await anon.get(`/practices/${id}`);
    const href = /href="(\/practices\/[^"]+\/files\/[^"]+)"/.exec(page.body)![1]!;
    assert.equal((await anon.get(href)).statusCode, 200);
    assert.deepEqual((await anon.api('GET', '/api/search?q=driftskostnadene')).json().items.map((i: { id: string }) => i.id), [id]);
    const before = await snapshot(t.db, [...TABLES, 'knowledge_practice_files']);
    const exe = await author.postMultipart(`/practices/${id}/files`, {}, [{ name: 'file', filename: 'x.pdf', content: Buffer.from('MZ not a pdf') }]);
    assert.equal(exe.statusCode, 422);
    assert.deepEqual(await snapshot(t.db, [...TABLES, 'knowledge_practice_files']), before);
  });

  test('the JSON API: submit, review, publish, adopt, attach; the same workflow as the pages', async () => {
    const body = { title: 'Matavfall til biogass i Hurdal', lang: 'nb', organisationIds: [hurdal], reviewerOrgId: network, themes: ['avfall'], sdgTargets: ['12.5'], whatWasDone: 'Kommunen samler matavfall og leverer det til biogassanlegget i regionen.', periodStart: 2019, periodEnd: 2023, indicators: [{ code: 'demo-waste-recycled', group: null }] };
    const bad = await author.api('POST', '/api/practices', { ...body, periodStart: 2023, periodEnd: 2019 });
    assert.equal(bad.statusCode, 422);
    assert.ok(bad.json().errors.some((e: { field: string }) => e.field === 'periodEnd'));
    const res = await author.api('POST', '/api/practices', body);
    assert.equal(res.statusCode, 201, res.body);
    const p = res.json();
    assert.equal(p.status, 'submitted');
    assert.equal((await anon.api('GET', `/api/practices/${p.id}`)).statusCode, 404);
    assert.equal((await author.api('POST', `/api/practices/${p.id}/review`, { decision: 'publish' })).statusCode, 403);
    const returned = await reviewer.api('POST', `/api/practices/${p.id}/review`, { decision: 'return', note: 'Legg til tall for mengde matavfall.' });
    assert.equal(returned.statusCode, 200, returned.body);
    assert.equal(returned.json().status, 'returned');
    const edited = await author.api('PUT', `/api/practices/${p.id}`, { ...body, keyFigures: '420 tonn matavfall i 2023.' });
    assert.equal(edited.statusCode, 200, edited.body);
    assert.equal(edited.json().status, 'submitted', 'an edit by the authors goes back to review');
    assert.equal((await reviewer.api('POST', `/api/practices/${p.id}/review`, { decision: 'publish' })).json().status, 'published');
    assert.equal((await anon.api('GET', `/api/practices/${p.id}`)).json().reviewNote, '', 'the review note is for authors and reviewers');
    const up = await author.postMultipart(`/api/practices/${p.id}/files`, { title: 'Avtale' }, [{ name: 'file', filename: 'avtale.txt', content: Buffer.from('Avtalen med biogassanlegget gjelder i ti år.') }]);
    assert.equal(up.statusCode, 201, up.body);
    assert.equal((await anon.get(up.json().url)).statusCode, 200);
    assert.deepEqual((await anon.api('GET', '/api/search?q=biogassanlegget&type=practice')).json().items.map((i: { id: string }) => i.id), [p.id]);
    assert.equal((await adopter.api('POST', `/api/practices/${p.id}/adoptions`, { organisationId: molde, adoptedOn: '2025' })).statusCode, 201);
    assert.equal((await adopter.api('POST', `/api/practices/${p.id}/adoptions`, { organisationId: molde })).statusCode, 409);
    assert.deepEqual((await anon.api('GET', `/api/practices/${p.id}`)).json().adoptedBy.map((a: { organisationId: string }) => a.organisationId), [molde]);
    assert.equal((await author.api('DELETE', `/api/practices/${p.id}/files/${up.json().id}`)).statusCode, 204);
    assert.deepEqual((await anon.api('GET', `/api/practices/${p.id}`)).json().files, []);
  });

  test('filter by size of municipality: bands from the latest imported population', async () => {
    await t.makeUser({ email: 'admin@example.org', admin: true });
    const admin = await t.agent('admin@example.org');
    // Hurdal (no-3242) is small; the generic `population` code serves countries without Kolada.
    await t.db.orm.transaction((tx) => upsertIndicators(tx, [{ code: 'population', name: 'Population', unit: 'inhabitants' }]));
    const csv = 'indicator,area,period,value\npopulation,no-3242,2022,2600\npopulation,no-3242,2024,2780\n';
    const imp = await admin.api('POST', '/api/imports', { format: 'long', filename: 'population.csv', content: csv });
    assert.ok(imp.statusCode < 300, imp.body);
    const listed = async (size: string) => (await anon.api('GET', `/api/practices?size=${size}`)).json().items.map((i: { title: string }) => i.title);
    assert.ok((await listed('small')).includes('Fossilfri varme i Hurdal sentrum'));
    assert.ok(!(await listed('medium')).includes('Fossilfri varme i Hurdal sentrum'));
    assert.ok((await anon.get('/practices?size=small&country=NO')).body.includes('Fossilfri varme'));
    assert.ok(!(await anon.get('/practices?size=city')).body.includes('Fossilfri varme'));
    // The latest value decides: Hurdal grows past the band's edge in a later year.
    assert.ok((await admin.api('POST', '/api/imports', { format: 'long', filename: 'p2.csv', content: 'indicator,area,period,value\npopulation,no-3242,2030,10000\n' })).statusCode < 300);
    assert.ok((await listed('medium')).includes('Fossilfri varme i Hurdal sentrum'));
    assert.ok(!(await listed('small')).includes('Fossilfri varme i Hurdal sentrum'));
    assert.equal((await anon.api('GET', '/api/practices?size=huge')).statusCode, 400 + 22);
  });

  test('bad input: a period that ends before it starts, an unknown SDG target: 422, nothing written', async () => {
    const before = await snapshot(t.db, TABLES);
    const r1 = await author.postForm('/practices', form({ periodStart: '2021', periodEnd: '2017' }));
    assert.equal(r1.statusCode, 422);
    const r2 = await author.postForm('/practices', form({ sdgTargets: '19.1' }));
    assert.equal(r2.statusCode, 422);
    assert.deepEqual(await snapshot(t.db, TABLES), before);
  });

  test('the list’s pager names its links in words', async () => {
    const sys = systemActor('test');
    for (let i = 1; i <= 21; i++) {
      const p = await savePractice(t.db, sys, null, { title: `Eksempel ${i}`, lang: 'nb', organisationIds: [molde], reviewerOrgId: network, themes: 'sidetest' });
      await reviewPractice(t.db, sys, p.id, { decision: 'publish' });
    }
    assert.match((await anon.get('/practices?theme=sidetest')).body, /<a class="ds-link" rel="next" href="\/practices\?theme=sidetest&amp;page=2">Next<\/a>/);
  });

  test('the reviewer is a network: authors cannot name their own municipality and publish unreviewed', async () => {
    const before = await snapshot(t.db, TABLES);
    const api = await author.api('POST', '/api/practices', { title: 'Egen granskning', lang: 'nb', organisationIds: [hurdal], reviewerOrgId: hurdal });
    assert.equal(api.statusCode, 422, api.body);
    assert.ok(api.json().errors.some((e: { field: string }) => e.field === 'reviewerOrgId'));
    assert.equal((await author.postForm('/practices', form({ reviewerOrgId: hurdal }))).statusCode, 422);
    assert.deepEqual(await snapshot(t.db, TABLES), before);
    // Nor by moving a submitted practice to themselves.
    const id = String((await author.postForm('/practices', form({ title: 'Flyttet til egen granskning' }))).headers.location).split('/').pop()!;
    const moved = await author.api('PUT', `/api/practices/${id}`, { title: 'Flyttet til egen granskning', lang: 'nb', organisationIds: [hurdal], reviewerOrgId: hurdal });
    assert.equal(moved.statusCode, 422, moved.body);
    assert.equal((await author.api('POST', `/api/practices/${id}/review`, { decision: 'publish' })).statusCode, 403);
    assert.equal((await anon.get(`/practices/${id}`)).statusCode, 404);
  });

  test('write permission matrix: 401, 403 without CSRF, 403 for outsiders, 404; nothing changes; every write route covered', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const fileHref = /href="\/practices\/[^"]+\/files\/([^"]+)"/.exec((await anon.get(`/practices/${id}`)).body)![1]!;
    const api = (o: Record<string, string>) => ({ ...o, organisationIds: [hurdal], themes: ['energi'], sdgTargets: ['7.2'], periodStart: 2017, periodEnd: 2021, indicators: [] });
    const cases: { route: string; url: string; body: Record<string, unknown>; multipart?: boolean; method?: 'POST' | 'PUT' | 'DELETE' }[] = [
      { route: 'POST /api/practices', url: '/api/practices', body: api(form()), method: 'POST' },
      { route: 'PUT /api/practices/:id', url: `/api/practices/${id}`, body: api(form()), method: 'PUT' },
      { route: 'POST /api/practices/:id/review', url: `/api/practices/${id}/review`, body: { decision: 'in_review' }, method: 'POST' },
      { route: 'POST /api/practices/:id/adoptions', url: `/api/practices/${id}/adoptions`, body: { organisationId: hurdal }, method: 'POST' },
      { route: 'POST /api/practices/:id/files', url: `/api/practices/${id}/files`, body: {}, multipart: true },
      { route: 'DELETE /api/practices/:id/files/:fileId', url: `/api/practices/${id}/files/${fileHref}`, body: {}, method: 'DELETE' },
      { route: 'POST /practices/:id/files', url: `/practices/${id}/files`, body: {}, multipart: true },
      { route: 'POST /practices/:id/files/:fileId/delete', url: `/practices/${id}/files/${fileHref}/delete`, body: {} },
      { route: 'POST /practices', url: '/practices', body: form() },
      { route: 'POST /practices/:id/edit', url: `/practices/${id}/edit`, body: form() },
      { route: 'POST /practices/:id/review', url: `/practices/${id}/review`, body: { decision: 'in_review' } },
      { route: 'POST /practices/:id/adoptions', url: `/practices/${id}/adoptions`, body: { organisationId: hurdal } },
    ];
    const send = (a: Agent, c: (typeof cases)[number], url = c.url, csrf = true) =>
      c.multipart
        ? a.postMultipart(url, c.body as Record<string, string>, [{ name: 'file', filename: 'n.txt', content: Buffer.from('ny') }], { csrf })
        : c.method
          ? a.api(c.method, url, c.method === 'DELETE' ? undefined : c.body, { csrf })
          : a.postForm(url, c.body as Record<string, string>, { csrf });
    const before = await snapshot(t.db, [...TABLES, 'knowledge_practice_files']);
    for (const c of cases) {
      assert.equal((await send(anon, c)).statusCode, 401, `${c.route} anonymous`);
      assert.equal((await send(author, c, c.url, false)).statusCode, 403, `${c.route} without CSRF`);
      // Molde's editor is behind none of it, reviews nothing, and adopts only for Molde.
      assert.equal((await send(adopter, c)).statusCode, 403, `${c.route} outsider`);
      if (c.url.includes(id)) assert.equal((await send(reviewer, c, c.url.replace(id, missing))).statusCode, 404, `${c.route} unknown id`);
    }
    assert.deepEqual(await snapshot(t.db, [...TABLES, 'knowledge_practice_files']), before);
    const covered = new Set(cases.map((c) => c.route));
    const routes = t.app.writeRoutes.filter((r) => /^\/(api\/)?practices(\/|$)/.test(r.url)).map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(routes.filter((r) => !covered.has(r)), []);
  });

  test('authors and reviewers see all the practices waiting for them, however many wait for others', async () => {
    const res = await author.postForm('/practices', form({ title: 'Väntar bland många' }));
    assert.equal(res.statusCode, 303, res.body);
    const id = String(res.headers.location).split('/').pop()!;
    // 201 older practices waiting for another reviewer: they came first among everyone's.
    await t.db.query(`INSERT INTO knowledge_practices (title, lang, reviewer_org_id, status, updated_at) SELECT 'Annans praksis ' || g, 'nb', $1, 'submitted', now() - interval '1 day' FROM generate_series(1, 201) g`, [molde]);
    for (const who of [author, reviewer]) {
      const page = (await who.get('/practices')).body;
      assert.ok(page.includes(`href="/practices/${id}"`), 'the practice waiting for them is listed');
      assert.ok(!page.includes('Annans praksis'), 'the others are not');
    }
    assert.ok((await adopter.get('/practices')).body.includes('Annans praksis'), 'they wait for Molde’s editor');
  });
});
