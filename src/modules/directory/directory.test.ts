import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, snapshot, type Agent, type TestApp } from '../../../test/helpers.js';
import { directory } from './index.js';

let t: TestApp;
let editor: Agent; // editor of the Swedish network
let outsider: Agent; // signed in, but no role anywhere relevant
let admin: Agent;
let anon: Agent;
const NET = 'kommunnatverket-for-hallbar-utveckling';

before(async () => {
  t = await createTestApp({ demo: true });
  await t.makeUser({ email: 'editor@example.org', roles: { [NET]: 'editor' } });
  await t.makeUser({ email: 'outsider@example.org', roles: { 'herning-kommune': 'editor' } });
  await t.makeUser({ email: 'admin@example.org', admin: true });
  editor = await t.agent('editor@example.org');
  outsider = await t.agent('outsider@example.org');
  admin = await t.agent('admin@example.org');
  anon = await t.agent();
  // Two people with roles in the Swedish network's working group, for the person write tests.
  const wg = await id('miljostrategisk-arbetsgrupp');
  const c = await admin.api('POST', '/api/commitments', { title: 'Testdeklaration', lang: 'sv', body: 'Text.' });
  assert.equal((await admin.api('POST', `/api/commitments/${c.json().id}/signatures`, { organisationId: wg, signedOn: '2025' })).statusCode, 201);
  const c2 = await admin.api('POST', '/api/commitments', { title: 'Testdeklaration två', lang: 'sv', body: 'Text.' });
  assert.equal((await admin.api('POST', `/api/commitments/${c2.json().id}/signatures`, { organisationId: wg })).statusCode, 201);
  for (const name of ['Sven Testsson', 'Eva Testsson']) {
    assert.equal((await admin.api('POST', '/api/memberships', { organisationId: wg, personId: (await admin.api('POST', '/api/people', { name, lang: 'sv' })).json().id, role: 'member' })).statusCode, 201);
  }
});
after(() => t.close());

const id = async (slug: string) => (await directory.getOrganisation(t.db.orm, slug)).id;

describe('reading the directory', () => {
  test('the municipality page answers which networks Växjö is in, who represents it, and since when', async () => {
    const res = await anon.get('/organisations/vaxjo-kommun');
    assert.equal(res.statusCode, 200);
    const html = res.body;
    for (const s of ['ICLEI – Local Governments for Sustainability', 'Energy Cities', 'Organic Cities Network Europe', 'Union of the Baltic Cities', 'REVES']) assert.ok(html.includes(s), s);
    assert.ok(html.includes('Cheryl Jones Fur (MP)'));
    assert.ok(html.includes('Bo Frank (M)'));
    assert.ok(html.includes('Vice president'));
    assert.ok(html.includes('Feb 2019'), 'ICLEI board seat since February 2019');
    // UBC board 2017–2019 is past, and shown apart from current roles.
    const past = html.indexOf('Member of: Past');
    assert.ok(past > 0 && html.indexOf('Representerad i styrelsen') > past);
    assert.ok(html.includes('Covenant of Mayors'));
  });

  test('the API gives the same profile, with current and past marked', async () => {
    const res = await anon.api('GET', '/api/organisations/vaxjo-kommun');
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.area.key, 'se-0780');
    const ubc = body.membershipsElsewhere.filter((e: any) => e.organisation.slug === 'union-of-the-baltic-cities');
    assert.deepEqual(ubc.map((e: any) => e.membership.current).sort(), [false, true]);
    assert.ok(body.representatives.some((e: any) => e.person.slug === 'cheryl-jones-fur' && e.membership.startDate === '2019-02'));
  });

  test('name search is accent- and case-insensitive', async () => {
    for (const q of ['vaxjo', 'VÄXJÖ', 'tromso', 'baerum', 'okonomi']) {
      const res = await anon.api('GET', `/api/search/names?q=${encodeURIComponent(q)}`);
      assert.equal(res.statusCode, 200);
      assert.ok(res.json().organisations.length > 0, q);
    }
    const res = await anon.api('GET', '/api/search/names?q=stokkereit');
    assert.equal(res.json().people[0].slug, 'marianne-stokkereit-aasen');
    const page = await anon.get('/search?q=v%C3%A4nersborg');
    assert.ok(page.body.includes('Vänersborgs kommun'));
  });

  test('lists paginate with links', async () => {
    const res = await anon.api('GET', '/api/organisations?pageSize=5');
    const body = res.json();
    assert.equal(body.items.length, 5);
    assert.ok(body.total > 5);
    assert.match(body.links.next, /page=2/);
    const p2 = await anon.api('GET', body.links.next);
    assert.notEqual(p2.json().items[0].id, body.items[0].id);
  });

  test('unknown and malformed ids give 404, as problem+json for the API and a page for people', async () => {
    for (const url of ['/api/organisations/no-such-org', '/api/organisations/00000000-0000-4000-8000-000000000000', '/api/people/nobody', '/api/memberships/not-a-uuid', '/api/commitments/nothing']) {
      const res = await anon.api('GET', url);
      assert.equal(res.statusCode, 404, url);
      assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
      assert.equal(res.json().code, 'not_found');
    }
    const page = await anon.get('/organisations/no-such-org');
    assert.equal(page.statusCode, 404);
    assert.match(page.headers['content-type'] as string, /text\/html/);
    assert.ok(page.body.includes('Page not found'));
  });

  test('the commitment page lists every signatory', async () => {
    const res = await anon.api('GET', '/api/commitments/covenant-of-mayors');
    assert.deepEqual(res.json().signatories.map((s: any) => s.organisation.slug), ['vaxjo-kommun']);
  });

  test('a network’s current member areas in one query: what its page lists as current, with an area, each once', async () => {
    // The page's reading (organisationProfile) is the oracle, for every network in the demo.
    const fromProfile = async (netId: string) => {
      const p = await directory.organisationProfile(t.db.orm, netId);
      const out: string[] = [];
      for (const m of p.members) {
        if (!m.current || !m.memberOrganisation) continue;
        const o = await directory.getOrganisation(t.db.orm, m.memberOrganisation.id);
        if (o.areaId && !out.includes(o.slug)) out.push(o.slug);
      }
      return out;
    };
    const nets = (await directory.listOrganisations(t.db.orm, { kind: 'network', pageSize: 100 })).items.map((o) => o.id);
    assert.ok(nets.length >= 2);
    const all = await directory.currentMemberAreas(t.db.orm, nets);
    let compared = 0;
    for (const n of nets) {
      const expected = await fromProfile(n);
      compared += expected.length;
      assert.deepEqual(all.filter((m) => m.networkId === n).map((m) => m.organisation.slug), expected, n);
    }
    assert.ok(compared > 5, `${compared} member areas compared`);

    // Partial dates at their widest: ended last year or last month, starting next year, ending this
    // year; a second role of the same member; a member without an area.
    const net = (await admin.api('POST', '/api/organisations', { name: 'Testnätverk för medlemsområden', kind: 'network', lang: 'sv' })).json().id;
    const now = new Date();
    const year = now.getUTCFullYear();
    const lastMonth = new Date(Date.UTC(year, now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
    const add = async (slug: string, dates: { startDate?: string; endDate?: string }, role = 'member') =>
      assert.equal((await admin.api('POST', '/api/memberships', { organisationId: net, memberOrganisationId: await id(slug), role, ...dates })).statusCode, 201, slug);
    await add('vaxjo-kommun', { startDate: '2019', endDate: String(year) });
    await add('vaxjo-kommun', { startDate: '2020-03' }, 'board_member');
    await add('asker-kommune', { startDate: `${year}-01`, endDate: String(year) });
    await add('molde-kommune', { startDate: '2018', endDate: String(year - 1) });
    await add('herning-kommune', { startDate: '2018', endDate: lastMonth });
    await add('vanersborgs-kommun', { startDate: String(year + 1) });
    await add('miljostrategisk-arbetsgrupp', {});
    const got = await directory.currentMemberAreas(t.db.orm, [net]);
    // The board member first (the page's order), then the plain member.
    assert.deepEqual(got.map((m) => m.organisation.slug), ['vaxjo-kommun', 'asker-kommune']);
    assert.deepEqual(got.map((m) => m.organisation.slug), await fromProfile(net));
    assert.equal(got[0]!.networkName, 'Testnätverk för medlemsområden');
    assert.equal(got[0]!.area.key, 'se-0780');
    assert.deepEqual(await directory.currentMemberAreas(t.db.orm, []), []);
  });
});

describe('editing', () => {
  test('a network editor creates a working group and adds a person with a role on behalf of a municipality', async () => {
    // Acting on behalf of Vänersborg needs the right to act for it: this coordinator edits both.
    await t.makeUser({ email: 'coordinator@example.org', roles: { [NET]: 'editor', 'vanersborgs-kommun': 'editor' } });
    const editor = await t.agent('coordinator@example.org');
    const res = await editor.postForm('/organisations', { name: 'Arbetsgrupp klimatanpassning', kind: 'working_group', parentId: await id(NET), lang: 'sv', description: '' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/organisations/arbetsgrupp-klimatanpassning');
    const m = await editor.postForm('/organisations/arbetsgrupp-klimatanpassning/members', {
      newPersonName: 'Karin Exempel', newPersonTitle: 'Klimatstrateg', role: 'representative', onBehalfOfId: await id('vanersborgs-kommun'), startDate: '2026-03',
    });
    assert.equal(m.statusCode, 303, m.body.slice(0, 500));
    const muni = await anon.get('/organisations/vanersborgs-kommun');
    assert.ok(muni.body.includes('Arbetsgrupp klimatanpassning'));
    assert.ok(muni.body.includes('Karin Exempel'));
    const hist = await anon.get('/organisations/arbetsgrupp-klimatanpassning/history');
    // History reads as sentences, not action codes.
    assert.ok(hist.body.includes('added Karin Exempel to Arbetsgrupp klimatanpassning as Representative'), hist.body.slice(hist.body.indexOf('<main'), hist.body.indexOf('<main') + 3000));
    assert.ok(!hist.body.includes('membership.create'));
    assert.ok(hist.body.includes('coordinator'), 'history names who did it');
    assert.ok(!hist.body.includes('coordinator@example.org'), 'but not their email address');
  });

  test('a rejected form keeps what the user typed and names the field', async () => {
    const before = await snapshot(t.db);
    const res = await editor.postForm('/organisations', { name: 'Ny grupp', kind: 'working_group', parentId: await id(NET), lang: 'sv', website: 'not a url', foundedOn: '2019-13' });
    assert.equal(res.statusCode, 422);
    assert.ok(res.body.includes('value="Ny grupp"'), 'typed name kept');
    assert.ok(res.body.includes('id="f-website"') && res.body.includes('aria-invalid="true"'));
    assert.ok(res.body.includes('http:// or https://'));
    assert.ok(res.body.includes('YYYY'));
    assert.deepEqual(await snapshot(t.db), before);
  });

  test('a municipality needs its country and a valid official code', async () => {
    const before = await snapshot(t.db);
    const res = await admin.api('POST', '/api/organisations', { name: 'Testkommun', kind: 'municipality', country: 'DK', areaCode: '0657', lang: 'da', description: '' });
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().errors[0].field, 'areaCode');
    assert.deepEqual(await snapshot(t.db), before);
    const ok = await admin.api('POST', '/api/organisations', { name: 'Ikast-Brande Kommune', kind: 'municipality', country: 'DK', areaCode: '756', lang: 'da', description: '' });
    assert.equal(ok.statusCode, 201);
    const prof = await anon.api('GET', `/api/organisations/${ok.json().id}`);
    assert.equal(prof.json().area.key, 'dk-756');
  });

  test('ending a membership moves it to past roles; nothing is deleted', async () => {
    const prof = (await anon.api('GET', '/api/organisations/styringsgruppen-baerekraftsnettverket')).json();
    const m = prof.members.find((e: any) => e.person?.slug === 'terje-trovik').membership;
    const lead = await t.makeUser({ email: 'no-editor@example.org', roles: { baerekraftsnettverket: 'editor' } });
    assert.ok(lead.id);
    const a = await t.agent('no-editor@example.org');
    const res = await a.api('POST', `/api/memberships/${m.id}/end`, { endDate: '2025-06-30' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().current, false);
    const again = await a.api('POST', `/api/memberships/${m.id}/end`, { endDate: '2025-07-01' });
    assert.equal(again.statusCode, 409);
    const page = await anon.get('/organisations/baerum-kommune');
    assert.ok(page.body.indexOf('Terje Trovik') > page.body.indexOf('Past'));
  });

  test('an organisation cannot be moved under its own working group', async () => {
    const wg = await id('miljostrategisk-arbetsgrupp');
    const res = await admin.api('PUT', `/api/organisations/${NET}`, { name: 'Kommunnätverket för hållbar utveckling', kind: 'network', parentId: wg, lang: 'sv', description: '' });
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().errors[0].field, 'parentId');
  });
});

/**
 * Every write route of the directory API, with a valid body and an invalid one.
 * For each: anonymous → 401, signed in without rights → 403, bad body → 422,
 * unknown id → 404; and none of these changes anything.
 */
describe('every write route rejects bad requests and changes nothing', () => {
  type Case = { name: string; route: string; method: 'POST' | 'PUT'; url: () => Promise<string>; body: () => Promise<unknown>; bad: unknown; missing?: string; outsiderAllowed?: boolean };
  const cases: Case[] = [
    { name: 'create organisation (child)', route: 'POST /api/organisations', method: 'POST', url: async () => '/api/organisations', body: async () => ({ name: 'X', kind: 'working_group', parentId: await id(NET), lang: 'sv', description: '' }), bad: { name: '', kind: 'castle' } },
    { name: 'update organisation', route: 'PUT /api/organisations/:id', method: 'PUT', url: async () => `/api/organisations/${NET}`, body: async () => ({ name: 'Renamed', kind: 'network', lang: 'sv', description: '' }), bad: { name: 'x', kind: 'network', website: 'ftp://x' }, missing: '/api/organisations/nope' },
    { name: 'end organisation', route: 'POST /api/organisations/:id/end', method: 'POST', url: async () => '/api/organisations/arbetsgrupp-naturvard/end', body: async () => ({ endedOn: '2026-01-01' }), bad: { endedOn: '2026-02-30' }, missing: '/api/organisations/nope/end' },
    { name: 'update person', route: 'PUT /api/people/:id', method: 'PUT', url: async () => '/api/people/sven-testsson', body: async () => ({ name: 'Sven Testsson', title: 'Miljöstrateg', lang: 'sv' }), bad: { name: '', email: 'nope' }, missing: '/api/people/nope' },
    { name: 'end person', route: 'POST /api/people/:id/end', method: 'POST', url: async () => '/api/people/eva-testsson/end', body: async () => ({}), bad: { endedOn: 'yesterday' }, missing: '/api/people/nope/end' },
    {
      name: 'create membership', route: 'POST /api/memberships', method: 'POST', url: async () => '/api/memberships',
      body: async () => ({ organisationId: await id('arbetsgrupp-transporter'), memberOrganisationId: await id('vanersborgs-kommun'), role: 'member' }),
      bad: { organisationId: 'x', role: 'emperor' },
    },
    {
      name: 'update membership', route: 'PUT /api/memberships/:id', method: 'PUT',
      url: async () => `/api/memberships/${(await directory.listMemberships(t.db.orm, { organisationId: await id(NET) })).items[0]!.id}`,
      body: async () => ({ role: 'member', label: 'updated' }), bad: { role: 'member', startDate: '2020', endDate: '2019' }, missing: '/api/memberships/00000000-0000-4000-8000-000000000000',
    },
    {
      name: 'end membership', route: 'POST /api/memberships/:id/end', method: 'POST',
      url: async () => `/api/memberships/${(await directory.listMemberships(t.db.orm, { organisationId: await id(NET) })).items[1]!.id}/end`,
      body: async () => ({}), bad: { endDate: '20-20' }, missing: '/api/memberships/00000000-0000-4000-8000-000000000000/end',
    },
    { name: 'update commitment', route: 'PUT /api/commitments/:id', method: 'PUT', url: async () => '/api/commitments/testdeklaration', body: async () => ({ title: 'Testdeklaration', lang: 'sv', body: 'Ny text.' }), bad: { title: '', url: 'javascript:alert(1)' }, missing: '/api/commitments/nope' },
    { name: 'end commitment', route: 'POST /api/commitments/:id/end', method: 'POST', url: async () => '/api/commitments/testdeklaration-tva/end', body: async () => ({}), bad: { endedOn: 'never' }, missing: '/api/commitments/nope/end' },
    {
      name: 'withdraw signature', route: 'POST /api/signatures/:id/end', method: 'POST',
      url: async () => {
        const sig = await admin.api('POST', '/api/commitments/covenant-of-mayors/signatures', { organisationId: await id('arbetsgrupp-transporter') });
        return `/api/signatures/${sig.json().id}/end`;
      },
      body: async () => ({ endedOn: '2026-01' }), bad: { endedOn: 'tomorrow' }, missing: '/api/signatures/00000000-0000-4000-8000-000000000000/end',
    },
    { name: 'sign commitment', route: 'POST /api/commitments/:id/signatures', method: 'POST', url: async () => '/api/commitments/mayors-adapt/signatures', body: async () => ({ organisationId: await id(NET), signedOn: '2026' }), bad: { organisationId: 'x' }, missing: '/api/commitments/nope/signatures' },
  ];

  for (const c of cases) {
    test(c.name, async () => {
      const url = await c.url();
      const body = await c.body();
      const before = await snapshot(t.db);

      const a = await anon.api(c.method, url, body);
      assert.equal(a.statusCode, 401, `anonymous: ${a.body}`);
      const noCsrf = await editor.api(c.method, url, body, { csrf: false });
      assert.equal(noCsrf.statusCode, 403, 'session write without CSRF token');
      assert.equal(noCsrf.json().code, 'csrf_invalid');
      const o = await outsider.api(c.method, url, body);
      assert.equal(o.statusCode, 403, `outsider: ${o.body}`);
      assert.equal(o.json().code, 'forbidden');
      const bad = await editor.api(c.method, url, c.bad);
      assert.equal(bad.statusCode, 422, `bad body: ${bad.body}`);
      assert.equal(bad.json().code, 'validation_failed');
      assert.ok(bad.json().errors.length > 0 && bad.json().errors.every((e: any) => typeof e.field === 'string' && e.field.length > 0));
      if (c.missing) {
        const m = await editor.api(c.method, c.missing, body);
        assert.equal(m.statusCode, 404, `missing: ${m.body}`);
      }
      assert.deepEqual(await snapshot(t.db), before, 'rejected requests changed nothing');

      const ok = await editor.api(c.method, url, body);
      assert.ok(ok.statusCode === 200 || ok.statusCode === 201, `allowed: ${ok.statusCode} ${ok.body}`);
      assert.notDeepEqual(await snapshot(t.db), before);
    });
  }

  test('the matrix above, with people and commitments below, covers every directory API write route', () => {
    const covered = new Set([...cases.map((c) => c.route), 'POST /api/people', 'POST /api/commitments',
      // Consent between organisations: their own matrix in consent.test.ts.
      'POST /api/memberships/:id/on-behalf/confirm', 'POST /api/memberships/:id/on-behalf/decline', 'POST /api/organisations/:id/delegations', 'DELETE /api/organisations/:id/delegations/:networkId']);
    const routes = t.app.writeRoutes
      .filter((r) => /^\/api\/(organisations|memberships|people|commitments|signatures)/.test(r.url) && !r.url.includes('/roles'))
      .map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(routes.filter((r) => !covered.has(r)), []);
  });

  test('create person and commitment need an editor role somewhere', async () => {
    const nobody = await t.makeUser({ email: 'nobody@example.org' });
    assert.ok(nobody.id);
    const n = await t.agent('nobody@example.org');
    const before = await snapshot(t.db);
    assert.equal((await n.api('POST', '/api/people', { name: 'X', lang: 'en' })).statusCode, 403);
    assert.equal((await n.api('POST', '/api/commitments', { title: 'X', lang: 'en', body: '' })).statusCode, 403);
    assert.equal((await n.api('POST', '/api/organisations', { name: 'X', kind: 'ngo', lang: 'en', description: '' })).statusCode, 403);
    assert.equal((await anon.api('POST', '/api/people', { name: 'X', lang: 'en' })).statusCode, 401);
    assert.equal((await editor.api('POST', '/api/people', { name: '' })).statusCode, 422);
    assert.equal((await editor.api('POST', '/api/commitments', { title: 'x', url: 'nope' })).statusCode, 422);
    assert.deepEqual(await snapshot(t.db), before);
    assert.equal((await editor.api('POST', '/api/people', { name: 'Ny Person', lang: 'sv' })).statusCode, 201);
    assert.equal((await editor.api('POST', '/api/commitments', { title: 'Ny deklaration', lang: 'sv', body: '' })).statusCode, 201);
  });

  test('HTML form writes: anonymous gets a sign-in page, outsiders a 403 page, and nothing changes', async () => {
    const before = await snapshot(t.db);
    const anonRes = await anon.postForm(`/organisations/${NET}/members`, { personId: '', role: 'member' });
    assert.equal(anonRes.statusCode, 401);
    assert.ok(anonRes.body.includes('/signin'));
    const o = await outsider.postForm(`/organisations/${NET}/edit`, { name: 'Hijack', kind: 'network', lang: 'sv' });
    assert.equal(o.statusCode, 403);
    const noToken = await editor.postForm(`/organisations/${NET}/edit`, { name: 'Hijack', kind: 'network', lang: 'sv' }, { csrf: false });
    assert.equal(noToken.statusCode, 403);
    const missing = await editor.postForm('/organisations/does-not-exist/members', { role: 'member' });
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(await snapshot(t.db), before);
  });

  test('an API token can write without a CSRF token, and stops working when revoked', async () => {
    const created = await editor.api('POST', '/api/tokens', { name: 'script' });
    assert.equal(created.statusCode, 201);
    const token = created.json().token as string;
    const script = new (editor.constructor as typeof Agent)(t.app);
    const ok = await script.api('POST', '/api/people', { name: 'Skript Person', lang: 'sv' }, { token });
    assert.equal(ok.statusCode, 201);
    assert.equal((await editor.api('POST', `/api/tokens/${created.json().id}/revoke`, {})).statusCode, 204);
    const after = await script.api('POST', '/api/people', { name: 'Skript Person 2', lang: 'sv' }, { token });
    assert.equal(after.statusCode, 401);
  });
});
