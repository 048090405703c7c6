import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, drainJobs, snapshot, type Agent, type TestApp } from '../../../test/helpers.js';
import { directory } from '../directory/index.js';

let t: TestApp;
let owner: Agent; // editor of Indre Østfold kommune
let company: Agent; // member of a company in the directory
let citizen: Agent; // signed in, no role anywhere
let outsider: Agent; // editor of Herning Kommune
let admin: Agent;
let anon: Agent;
let io: string;
let companyId: string;
let priorityId: string;

const TABLES = ['plan_priorities', 'plan_priority_actors', 'ch_challenges', 'ch_responses', 'search_documents', 'audit_events', 'organisations'];
const snap = () => snapshot(t.db, TABLES);

before(async () => {
  t = await createTestApp({ demo: true });
  await t.makeUser({ email: 'io@example.org', roles: { 'indre-ostfold-kommune': 'editor' } });
  await t.makeUser({ email: 'bedrift@example.org', roles: { 'ostfold-sirkular-as-demo': 'member' } });
  await t.makeUser({ email: 'innbygger@example.org' });
  await t.makeUser({ email: 'herning@example.org', roles: { 'herning-kommune': 'editor' } });
  await t.makeUser({ email: 'admin@example.org', admin: true });
  owner = await t.agent('io@example.org');
  company = await t.agent('bedrift@example.org');
  citizen = await t.agent('innbygger@example.org');
  outsider = await t.agent('herning@example.org');
  admin = await t.agent('admin@example.org');
  anon = await t.agent();
  io = (await directory.getOrganisation(t.db.orm, 'indre-ostfold-kommune')).id;
  companyId = (await directory.getOrganisation(t.db.orm, 'ostfold-sirkular-as-demo')).id;
  priorityId = (await anon.api('GET', '/api/priorities?organisation=indre-ostfold-kommune')).json().items[0].id;
});
after(() => t.close());

const challenge = (over: Record<string, unknown> = {}) => ({
  organisationId: io, priorityId, title: 'Gjenbruk av byggematerialer', lang: 'nb', problem: 'Byggeavfallet øker. Vi søker partnere som kan ta imot brukte materialer.',
  sdgTargets: ['12.5'], indicatorCode: 'demo-waste-recycled', indicatorTarget: 70, helpKinds: ['technology', 'partnership'], deadline: '2027-06-30',
  contactName: 'Lisbeth Skjeldrum', contactEmail: 'utfordring@indre-ostfold.example', state: 'draft', ...over,
});

describe('the life cycle of a challenge', () => {
  let id: string;
  let responseId: string;
  let newOrgResponseId: string;

  test('a draft is seen only by its owner', async () => {
    const res = await owner.api('POST', '/api/challenges', challenge());
    assert.equal(res.statusCode, 201, res.body);
    id = res.json().id;
    assert.equal((await anon.api('GET', `/api/challenges/${id}`)).statusCode, 404);
    assert.equal((await outsider.get(`/challenges/${id}`)).statusCode, 404);
    assert.ok(!(await anon.get('/challenges')).body.includes('Gjenbruk av byggematerialer'));
    assert.ok((await owner.get('/challenges')).body.includes('Gjenbruk av byggematerialer'), 'the owner finds the draft');
    const idx = await t.db.query('SELECT 1 FROM search_documents WHERE doc_id = $1', [id]);
    assert.equal(idx.length, 0);
  });

  test('published, it is listed with filters by SDG, municipality, country and kind of help, and searchable', async () => {
    assert.equal((await owner.api('PUT', `/api/challenges/${id}`, challenge({ state: 'open' }))).statusCode, 200);
    const titles = async (qs: string) => (await anon.api('GET', `/api/challenges${qs}`)).json().items.map((c: any) => c.title) as string[];
    assert.ok((await titles('')).includes('Gjenbruk av byggematerialer'));
    assert.ok((await titles('?sdg=12')).includes('Gjenbruk av byggematerialer'));
    assert.ok(!(await titles('?sdg=3')).includes('Gjenbruk av byggematerialer'));
    assert.ok((await titles('?country=NO')).includes('Gjenbruk av byggematerialer'));
    assert.deepEqual(await titles('?country=SE'), []);
    assert.ok((await titles('?help=technology')).includes('Gjenbruk av byggematerialer'));
    assert.ok(!(await titles('?help=funding')).includes('Gjenbruk av byggematerialer'));
    assert.ok((await titles('?organisation=indre-ostfold-kommune')).includes('Gjenbruk av byggematerialer'));
    assert.deepEqual(await titles('?organisation=hurdal-kommune'), []);
    const page = await anon.get('/challenges?sdg=12&country=NO&help=technology');
    assert.ok(page.body.includes('Gjenbruk av byggematerialer'));
    const idx = await t.db.query<{ doc_type: string }>('SELECT doc_type FROM search_documents WHERE doc_id = $1', [id]);
    assert.deepEqual(idx.map((r) => r.doc_type), ['challenge']);
    // The indicator gap is drawn live; Indre Østfold has no demo values, and the page says so.
    const d = (await anon.api('GET', `/api/challenges/${id}`)).json();
    assert.equal(d.gap.code, 'demo-waste-recycled');
    assert.equal(d.gap.target, 70);
    assert.equal(d.gap.current, null);
    assert.match((await anon.get(`/challenges/${id}`)).body, /No value yet for this area/);
  });

  test('a company responds; the owner is emailed; the response stays private', async () => {
    await drainJobs(t);
    const before = t.mailer.sent.length;
    const res = await company.api('POST', `/api/challenges/${id}/responses`, { responderOrgId: companyId, offer: 'Vi tar imot brukte materialer fra tre byggeplasser.', contactName: 'Kari', contactEmail: 'kari@bedrift.example' });
    assert.equal(res.statusCode, 201, res.body);
    responseId = res.json().id;
    await drainJobs(t);
    const mail = t.mailer.sent.slice(before);
    assert.equal(mail.length, 1);
    assert.equal(mail[0]!.to, 'utfordring@indre-ostfold.example');
    assert.match(mail[0]!.subject, /Gjenbruk av byggematerialer/);
    assert.match(mail[0]!.text, /Østfold Sirkulær AS \(demo\) har svart/);
    const nw = await citizen.postForm(`/challenges/${id}/responses`, { newOrgName: 'Ny Bedrift AS', newOrgKind: 'company', offer: 'Vi kan hente materialene.', contactEmail: 'post@nybedrift.example' });
    assert.equal(nw.statusCode, 303);
    for (const who of [anon, outsider]) {
      const api = (await who.api('GET', `/api/challenges/${id}`)).json();
      assert.deepEqual(api.responses, []);
      const page = await who.get(`/challenges/${id}`);
      assert.ok(!page.body.includes('tre byggeplasser') && !page.body.includes('Ny Bedrift AS'));
    }
    const mine = (await company.api('GET', `/api/challenges/${id}/responses`)).json().items;
    assert.deepEqual(mine.map((r: any) => r.offer), ['Vi tar imot brukte materialer fra tre byggeplasser.'], 'the author sees their own, not others');
    const all = (await owner.api('GET', `/api/challenges/${id}/responses`)).json().items;
    assert.equal(all.length, 2);
    newOrgResponseId = all.find((r: any) => r.newOrgName === 'Ny Bedrift AS').id;
    assert.equal(all[0].contact.email, 'kari@bedrift.example');
    assert.equal((await admin.api('GET', `/api/challenges/${id}/responses`)).json().items.length, 2);
  });

  test('nobody responds for an organisation they do not belong to', async () => {
    const before = await snap();
    const res = await company.api('POST', `/api/challenges/${id}/responses`, { responderOrgId: io, offer: 'x', contactEmail: 'x@example.org' });
    assert.equal(res.statusCode, 403);
    assert.deepEqual(await snap(), before);
  });

  test('the owner accepts: the responder becomes a partner in the priority’s actor mapping, and the challenge is matched', async () => {
    const res = await owner.postForm(`/challenges/${id}/responses/${responseId}/accept`, {});
    assert.equal(res.statusCode, 303);
    const d = (await anon.api('GET', `/api/challenges/${id}`)).json();
    assert.equal(d.state, 'matched');
    assert.deepEqual(d.responses.map((r: any) => [r.responder.slug, r.state, r.contact]), [['ostfold-sirkular-as-demo', 'accepted', null]], 'public now, without contact details');
    const prio = (await anon.api('GET', `/api/priorities/${priorityId}`)).json();
    assert.ok(prio.actors.some((a: any) => a.organisationId === companyId && a.role === 'partner' && a.challengeId === id));
    const page = await anon.get('/organisations/indre-ostfold-kommune/priorities');
    assert.match(page.body, /Østfold Sirkulær AS \(demo\): Partner/);
    // The arrow to the challenge is hidden from screen readers, which hear what the link leads to instead.
    const link = new RegExp(`<a class="ds-link" href="/challenges/${id}"><span aria-hidden="true">→</span><span class="visually-hidden">([^<]+)</span></a>`);
    assert.equal(link.exec(page.body)?.[1], 'The challenge Østfold Sirkulær AS (demo) answered');
    const nb = await anon.get('/organisations/indre-ostfold-kommune/priorities', { cookie: 'samverka_lang=nb' });
    assert.equal(link.exec(nb.body)?.[1], 'Utfordringen som Østfold Sirkulær AS (demo) svarte på');
    // The promise panel on the signatory's page counts it.
    const org = await anon.get('/organisations/indre-ostfold-kommune');
    assert.match(org.body, /The four promises of the Stavanger declaration/);
    assert.match(org.body, /2 challenges published, 1 partner engaged\./);
    // The accepted response can start an action in one of the owner's plans, prefilled with the partner.
    const mine = await owner.get(`/challenges/${id}`);
    const m = mine.body.match(/<form method="get" action="(\/plans\/[0-9a-f-]+\/actions\/new)"/);
    assert.ok(m, 'a start-an-action form');
    const form = await owner.get(`${m![1]}?title=${encodeURIComponent('Gjenbruk av byggematerialer')}&sdgTargets=12.5&indicator=demo-waste-recycled&collaboratorIds=${companyId}`);
    assert.equal(form.statusCode, 200);
    assert.ok(form.body.includes('value="Gjenbruk av byggematerialer"'));
    assert.match(form.body, new RegExp(`<option value="${companyId}" selected>`));
    assert.ok(!(await anon.get(`/challenges/${id}`)).body.includes('/actions/new'), 'only the owner is offered it');
    // A matched challenge takes no more responses.
    assert.equal((await company.api('POST', `/api/challenges/${id}/responses`, { responderOrgId: companyId, offer: 'Mer', contactEmail: 'k@b.example' })).statusCode, 409);
  });

  test('accepting a response from a new organisation brings it into the directory', async () => {
    assert.equal((await directory.searchNames(t.db.orm, 'Ny Bedrift AS')).organisations.length, 0);
    const res = await owner.api('POST', `/api/challenges/${id}/responses/${newOrgResponseId}/accept`, {});
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().responder.name, 'Ny Bedrift AS');
    const org = await directory.getOrganisation(t.db.orm, res.json().responder.id);
    assert.equal(org.kind, 'company');
    assert.equal((await owner.api('POST', `/api/challenges/${id}/responses/${newOrgResponseId}/accept`, {})).statusCode, 409, 'decided once');
  });

  test('a challenge taken back to draft, or closed, accepts no response until it is open again (accepting would publish it)', async () => {
    const c = (await owner.api('POST', '/api/challenges', challenge({ title: 'Tilbake til utkast', state: 'open' }))).json().id;
    const r = await company.api('POST', `/api/challenges/${c}/responses`, { responderOrgId: companyId, offer: 'Vi kan hjelpe.', contactEmail: 'k@b.example' });
    assert.equal(r.statusCode, 201, r.body);
    for (const state of ['draft', 'closed']) {
      assert.equal((await owner.api('PUT', `/api/challenges/${c}`, challenge({ title: 'Tilbake til utkast', state }))).statusCode, 200);
      const before = await snap();
      const res = await owner.api('POST', `/api/challenges/${c}/responses/${r.json().id}/accept`, {});
      assert.equal(res.statusCode, 409, `${state}: ${res.body}`);
      assert.equal(res.json().code, 'challenge_not_open');
      assert.deepEqual(await snap(), before, `${state}: nothing changed`);
      if (state === 'draft') assert.equal((await anon.api('GET', `/api/challenges/${c}`)).statusCode, 404, 'still a draft');
      // The page offers no button that would be refused; declining stays.
      const page = (await owner.get(`/challenges/${c}`)).body;
      assert.ok(!page.includes(`/responses/${r.json().id}/accept`), `${state}: no accept button`);
      assert.ok(page.includes(`/responses/${r.json().id}/decline`), `${state}: decline stays`);
    }
    assert.equal((await owner.api('PUT', `/api/challenges/${c}`, challenge({ title: 'Tilbake til utkast', state: 'open' }))).statusCode, 200);
    assert.ok((await owner.get(`/challenges/${c}`)).body.includes(`/responses/${r.json().id}/accept`), 'open again: the accept button is back');
    const ok = await owner.api('POST', `/api/challenges/${c}/responses/${r.json().id}/accept`, {});
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal((await anon.api('GET', `/api/challenges/${c}`)).json().state, 'matched');
  });
});

describe('leak test: drafts and unaccepted responses appear nowhere for anyone else', () => {
  test('no page, API answer, list or search shows them to anonymous visitors, outsiders or a company that did not write them', async () => {
    const draft = (await owner.api('POST', '/api/challenges', challenge({ title: 'Hemmelig utfordring', problem: 'Hemmelig problem' }))).json();
    const open = (await owner.api('POST', '/api/challenges', challenge({ title: 'Åpen utfordring', state: 'open' }))).json();
    const resp = await citizen.api('POST', `/api/challenges/${open.id}/responses`, { newOrgName: 'Hemmelig Svar AS', newOrgKind: 'company', offer: 'Hemmelig tilbud', contactEmail: 'hemmelig@example.org' });
    assert.equal(resp.statusCode, 201);
    const urls = ['/challenges', '/challenges?sdg=12', `/challenges/${draft.id}`, `/challenges/${open.id}`, '/api/challenges', '/api/challenges?state=draft', `/api/challenges/${draft.id}`,
      `/api/challenges/${open.id}`, `/api/challenges/${open.id}/responses`, `/api/challenges/${draft.id}/responses`, '/organisations/indre-ostfold-kommune',
      '/organisations/indre-ostfold-kommune/priorities', `/api/priorities/${priorityId}`, '/organisations/indre-ostfold-kommune/history', `/api/organisations/${io}/history`, '/search?q=utfordring', '/api/search/names?q=Hemmelig+Svar'];
    for (const who of [anon, outsider, company]) {
      for (const u of urls) {
        const res = await who.get(u);
        assert.ok(!/Hemmelig/.test(res.body), `${u} leaks to ${who === anon ? 'anonymous' : who === outsider ? 'outsider' : 'company'}`);
      }
    }
    const idx = await t.db.query(`SELECT 1 FROM search_documents WHERE title LIKE '%Hemmelig%' OR body LIKE '%Hemmelig%'`);
    assert.equal(idx.length, 0);
    assert.ok((await owner.get(`/challenges/${open.id}`)).body.includes('Hemmelig tilbud'), 'the owner sees the response');
  });
});

describe('every write route rejects bad requests and changes nothing', () => {
  type Case = { route: string; url: () => Promise<string>; method: 'POST' | 'PUT'; body: () => unknown; bad?: unknown; missing?: string; as: () => Agent; out: () => Agent };
  let openId = '';
  const pendingResponse = async () => {
    const r = await citizen.api('POST', `/api/challenges/${openId}/responses`, { newOrgName: `Bedrift ${Math.random()}`, newOrgKind: 'company', offer: 'Tilbud', contactEmail: 'b@example.org' });
    assert.equal(r.statusCode, 201, r.body);
    return r.json().id as string;
  };
  const MISSING = '00000000-0000-4000-8000-000000000000';
  const cases: Case[] = [
    { route: 'POST /api/challenges', method: 'POST', url: async () => '/api/challenges', body: () => challenge({ title: 'Matrise', state: 'open' }), bad: challenge({ deadline: '2027-02-30', indicatorTarget: 'high' }), as: () => owner, out: () => outsider },
    { route: 'PUT /api/challenges/:id', method: 'PUT', url: async () => `/api/challenges/${openId}`, body: () => challenge({ title: 'Matrise endret', state: 'open' }), bad: challenge({ sdgTargets: ['99.1'], contactEmail: 'nope' }), missing: `/api/challenges/${MISSING}`, as: () => owner, out: () => outsider },
    { route: 'POST /api/challenges/:id/responses', method: 'POST', url: async () => `/api/challenges/${openId}/responses`, body: () => ({ responderOrgId: companyId, offer: 'Tilbud', contactEmail: 'k@b.example' }), bad: { offer: '', contactEmail: 'x' }, missing: `/api/challenges/${MISSING}/responses`, as: () => company, out: () => outsider },
    { route: 'POST /api/challenges/:id/responses/:rid/accept', method: 'POST', url: async () => `/api/challenges/${openId}/responses/${await pendingResponse()}/accept`, body: () => ({}), missing: `/api/challenges/${MISSING}/responses/${MISSING}/accept`, as: () => owner, out: () => company },
    { route: 'POST /api/challenges/:id/responses/:rid/decline', method: 'POST', url: async () => `/api/challenges/${openId}/responses/${await pendingResponse()}/decline`, body: () => ({}), missing: `/api/challenges/${MISSING}/responses/${MISSING}/decline`, as: () => owner, out: () => outsider },
  ];
  before(async () => {
    openId = (await owner.api('POST', '/api/challenges', challenge({ title: 'Matriseutfordring', state: 'open' }))).json().id;
  });
  for (const c of cases) {
    test(c.route, async () => {
      const url = await c.url();
      const body = c.body();
      const before = await snap();
      assert.equal((await anon.api(c.method, url, body)).statusCode, 401);
      const noCsrf = await c.as().api(c.method, url, body, { csrf: false });
      assert.equal(noCsrf.statusCode, 403);
      assert.equal(noCsrf.json().code, 'csrf_invalid');
      const o = await c.out().api(c.method, url, c.route.endsWith('/responses') ? body : body);
      assert.equal(o.statusCode, 403, `outsider: ${o.body}`);
      if (c.bad) {
        const bad = await c.as().api(c.method, url, c.bad);
        assert.equal(bad.statusCode, 422, bad.body);
        assert.ok(bad.json().errors.every((e: any) => e.field));
      }
      if (c.missing) assert.equal((await c.as().api(c.method, c.missing, body)).statusCode, 404);
      assert.deepEqual(await snap(), before, 'nothing changed');
      const ok = await c.as().api(c.method, url, body);
      assert.ok(ok.statusCode === 200 || ok.statusCode === 201, `${ok.statusCode} ${ok.body}`);
      assert.notDeepEqual(await snap(), before);
      if (c.route.includes(':rid')) {
        // Reopen for the next case: accepting matched the challenge.
        await owner.api('PUT', `/api/challenges/${openId}`, challenge({ title: 'Matrise endret', state: 'open' }));
      }
    });
  }
  test('the matrix covers every challenges API write route', () => {
    const covered = new Set(cases.map((c) => c.route));
    const routes = t.app.writeRoutes.filter((r) => r.url.startsWith('/api/challenges')).map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(routes.filter((r) => !covered.has(r)), []);
  });
  test('HTML forms: anonymous 401, outsider 403, no token 403, and nothing changes', async () => {
    const rid = await pendingResponse();
    const before = await snap();
    const forms: [string, Record<string, string>][] = [
      ['/challenges', { organisationId: io, title: 'X', problem: 'Y', contactEmail: 'a@b.example' }],
      [`/challenges/${openId}/edit`, { organisationId: io, title: 'X', problem: 'Y', contactEmail: 'a@b.example' }],
      [`/challenges/${openId}/responses/${rid}/accept`, {}],
      [`/challenges/${openId}/responses/${rid}/decline`, {}],
    ];
    for (const [url, f] of forms) {
      assert.equal((await anon.postForm(url, f)).statusCode, 401, url);
      assert.equal((await outsider.postForm(url, f)).statusCode, 403, url);
      assert.equal((await owner.postForm(url, f, { csrf: false })).statusCode, 403, url);
    }
    assert.equal((await anon.postForm(`/challenges/${openId}/responses`, { responderOrgId: companyId, offer: 'x', contactEmail: 'a@b.example' })).statusCode, 401);
    assert.equal((await outsider.postForm(`/challenges/${openId}/responses`, { responderOrgId: companyId, offer: 'x', contactEmail: 'a@b.example' })).statusCode, 403);
    assert.equal((await owner.postForm(`/challenges/${MISSING}/edit`, { organisationId: io, title: 'X', problem: 'Y', contactEmail: 'a@b.example' })).statusCode, 404);
    assert.deepEqual(await snap(), before);
    const html = t.app.writeRoutes.filter((r) => r.url.startsWith('/challenges'));
    assert.equal(html.length, 5);
  });
});

describe('dates', () => {
  test('a deadline in the year 0000 is refused with the field named, not a server error', async () => {
    const before = await snap();
    const res = await owner.api('POST', '/api/challenges', challenge({ deadline: '0000-01-01' }));
    assert.equal(res.statusCode, 422, res.body);
    assert.equal(res.json().errors[0].field, 'deadline');
    assert.deepEqual(await snap(), before);
  });
});

describe('forms', () => {
  // The problem and the offer are required by the input schemas, so their fields say so to assistive technology.
  test('the challenge’s problem and a response’s offer are marked required', async () => {
    const textarea = (html: string, name: string) => new RegExp(`<textarea[^>]*\\sname="${name}"[^>]*>`).exec(html)?.[0] ?? '';
    const form = await owner.get('/challenges/new');
    assert.equal(form.statusCode, 200);
    assert.match(textarea(form.body, 'problem'), /\srequired[\s=>]/);
    const open = (await anon.api('GET', '/api/challenges')).json().items.find((c: any) => c.state === 'open');
    assert.ok(open, 'an open challenge');
    const page = await citizen.get(`/challenges/${open.id}`);
    assert.match(textarea(page.body, 'offer'), /\srequired[\s=>]/);
  });
});
