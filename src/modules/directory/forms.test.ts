import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, snapshot, type Agent, type TestApp } from '../../../test/helpers.js';
import { directory } from './index.js';

/*
 * The HTML form routes of the directory, with the same promises as the API:
 * invalid input → 422 page naming the field, keeping the input; no permission → 403;
 * unknown id → 404; none of them changes anything. Then the valid submit works.
 */
let t: TestApp;
let editor: Agent;
let outsider: Agent;
let nobody: Agent;
const NET = 'kommunnatverket-for-hallbar-utveckling';
const ids: Record<string, string> = {};

before(async () => {
  t = await createTestApp({ demo: true });
  await t.makeUser({ email: 'ed@example.org', roles: { [NET]: 'editor' } });
  await t.makeUser({ email: 'out@example.org', roles: { 'herning-kommune': 'editor' } });
  editor = await t.agent('ed@example.org');
  outsider = await t.agent('out@example.org');
  await t.makeUser({ email: 'nobody@example.org' });
  nobody = await t.agent('nobody@example.org');
  const wg = (await directory.getOrganisation(t.db.orm, 'miljostrategisk-arbetsgrupp')).id;
  ids.wg = wg;
  ids.net = (await directory.getOrganisation(t.db.orm, NET)).id;
  const m = await editor.api('POST', '/api/memberships', { organisationId: wg, memberOrganisationId: (await directory.getOrganisation(t.db.orm, 'trafikverket')).id, role: 'partner' });
  ids.membership = m.json().id;
  const m2 = await editor.api('POST', '/api/memberships', { organisationId: wg, memberOrganisationId: (await directory.getOrganisation(t.db.orm, 'energimyndigheten')).id, role: 'partner' });
  ids.membership2 = m2.json().id;
  const p = await editor.api('POST', '/api/people', { name: 'Form Person', lang: 'sv' });
  await editor.api('POST', '/api/memberships', { organisationId: wg, personId: p.json().id, role: 'member' });
  const p2 = await editor.api('POST', '/api/people', { name: 'Form Person Two', lang: 'sv' });
  await editor.api('POST', '/api/memberships', { organisationId: wg, personId: p2.json().id, role: 'member' });
  const c = await editor.api('POST', '/api/commitments', { title: 'Formdeklaration', lang: 'sv', body: '' });
  const c2 = await editor.api('POST', '/api/commitments', { title: 'Formdeklaration två', lang: 'sv', body: '' });
  for (const cc of [c, c2]) await editor.api('POST', `/api/commitments/${cc.json().id}/signatures`, { organisationId: wg });
  const sig = await editor.api('POST', '/api/commitments/mayors-adapt/signatures', { organisationId: wg, signedOn: '2020' });
  ids.signature = sig.json().id;
});
after(() => t.close());

type Case = { nobody?: boolean; url: () => string; missing?: string; bad?: Record<string, string>; badField?: string; good: () => Record<string, string> };
const cases: Record<string, Case> = {
  'POST /organisations': { url: () => '/organisations', bad: { name: '', kind: 'working_group', parentId: ids.net!, lang: 'sv' }, badField: 'name', good: () => ({ name: 'Ny arbetsgrupp', kind: 'working_group', parentId: ids.net!, lang: 'sv' }) },
  'POST /organisations/:slug/edit': { url: () => `/organisations/${NET}/edit`, missing: '/organisations/nope/edit', bad: { name: 'Kommunnätverket', kind: 'network', lang: 'sv', website: 'nope' }, badField: 'website', good: () => ({ name: 'Kommunnätverket för hållbar utveckling', kind: 'network', lang: 'sv', description: 'Ny beskrivning.' }) },
  'POST /organisations/:slug/end': { url: () => '/organisations/arbetsgrupp-upphandling/end', missing: '/organisations/nope/end', bad: { endedOn: '2020-02-31' }, good: () => ({ endedOn: '2026-06' }) },
  'POST /organisations/:slug/members': { url: () => '/organisations/miljostrategisk-arbetsgrupp/members', missing: '/organisations/nope/members', bad: { role: 'member' }, badField: 'personId', good: () => ({ newPersonName: 'Ny Medlem', role: 'member' }) },
  'POST /memberships/:id/edit': { url: () => `/memberships/${ids.membership}/edit`, missing: '/memberships/00000000-0000-4000-8000-000000000000/edit', bad: { role: 'member', startDate: '2020', endDate: '2019' }, badField: 'endDate', good: () => ({ role: 'partner', label: 'Nationell myndighet' }) },
  'POST /memberships/:id/end': { url: () => `/memberships/${ids.membership2}/end`, missing: '/memberships/not-a-uuid/end', bad: { endDate: 'soon' }, good: () => ({ endDate: '' }) },
  'POST /people': { nobody: true, url: () => '/people', bad: { name: '', lang: 'sv', email: 'x' }, badField: 'name', good: () => ({ name: 'Formulär Person', lang: 'sv' }) },
  'POST /people/:slug/edit': { url: () => '/people/form-person/edit', missing: '/people/nope/edit', bad: { name: 'Form Person', lang: 'sv', phone: 'call me' }, badField: 'phone', good: () => ({ name: 'Form Person', title: 'Strateg', lang: 'sv' }) },
  'POST /people/:slug/end': { url: () => '/people/form-person-two/end', missing: '/people/nope/end', bad: { endedOn: '1.1.2020' }, good: () => ({}) },
  'POST /commitments': { nobody: true, url: () => '/commitments', bad: { title: '', lang: 'sv', url: 'x' }, badField: 'title', good: () => ({ title: 'Ny deklaration', lang: 'sv' }) },
  'POST /commitments/:slug/edit': { url: () => '/commitments/formdeklaration/edit', missing: '/commitments/nope/edit', bad: { title: 'Formdeklaration', lang: 'sv', datedOn: '19' }, badField: 'datedOn', good: () => ({ title: 'Formdeklaration', lang: 'sv', body: 'Text.' }) },
  'POST /commitments/:slug/end': { url: () => '/commitments/formdeklaration-tva/end', missing: '/commitments/nope/end', bad: { endedOn: 'x' }, good: () => ({}) },
  'POST /commitments/:slug/signatories': { url: () => '/commitments/covenant-of-mayors/signatories', missing: '/commitments/nope/signatories', bad: { organisationId: 'x' }, badField: 'organisationId', good: () => ({ organisationId: ids.wg!, signedOn: '2026' }) },
  'POST /signatures/:id/end': { url: () => `/signatures/${ids.signature}/end`, missing: '/signatures/00000000-0000-4000-8000-000000000000/end', good: () => ({}) },
};

for (const [name, c] of Object.entries(cases)) {
  test(name, async () => {
    const before = await snapshot(t.db);
    const anon = await t.agent();
    assert.equal((await anon.postForm(c.url(), c.good())).statusCode, 401, 'anonymous');
    assert.equal((await editor.postForm(c.url(), c.good(), { csrf: false })).statusCode, 403, 'no CSRF token');
    // Adding people and commitments is open to editors of any organisation; only users with no role are refused.
    const o = await (c.nobody ? nobody : outsider).postForm(c.url(), c.good());
    assert.equal(o.statusCode, 403, `outsider: ${o.statusCode}`);
    assert.match(o.body, /Not allowed/);
    if (c.missing) assert.equal((await editor.postForm(c.missing, c.good())).statusCode, 404, 'unknown id');
    if (c.bad) {
      const bad = await editor.postForm(c.url(), c.bad);
      assert.equal(bad.statusCode, 422, 'invalid input');
      if (c.badField) {
        assert.ok(bad.body.includes(`href="#f-${c.badField}"`), `error summary links to ${c.badField}`);
        for (const [k, v] of Object.entries(c.bad)) if (v && k !== c.badField && !k.startsWith('parent')) assert.ok(bad.body.includes(v), `keeps ${k}`);
      }
    }
    assert.deepEqual(await snapshot(t.db), before, 'nothing changed');
    const ok = await editor.postForm(c.url(), c.good());
    assert.equal(ok.statusCode, 303, `valid submit: ${ok.statusCode} ${ok.body.slice(0, 300)}`);
    assert.notDeepEqual(await snapshot(t.db), before);
  });
}

test('the tests above cover every directory form route', () => {
  const formRoutes = t.app.writeRoutes
    .filter((r) => !r.url.startsWith('/api/') && /^\/(organisations|memberships|people|commitments|signatures)/.test(r.url))
    .filter((r) => !/\/(access|invitations)/.test(r.url)) // accounts' pages, tested in accounts
    .filter((r) => !/\/(delegations|on-behalf)/.test(r.url)) // consent between organisations, tested in consent.test.ts
    .filter((r) => !/^\/organisations\/:slug\/(priorities|targets)/.test(r.url)) // plans' and progress pages, tested in their modules
    .map((r) => `${r.method} ${r.url}`);
  assert.deepEqual(formRoutes.sort(), Object.keys(cases).sort());
});

test('loading the demo data twice changes nothing', async () => {
  const { loadDemoData } = await import('../../demo/index.js');
  const before = await snapshot(t.db);
  await loadDemoData(t.db, { dataDir: t.config.dataDir });
  assert.deepEqual(await snapshot(t.db), before);
});
