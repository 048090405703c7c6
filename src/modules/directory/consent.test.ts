/**
 * Consent between organisations (docs/permissions.md): delegating an area's figures to a network,
 * and confirming "on behalf of". Every new write route, API and form: anonymous 401, no CSRF
 * token 403, someone else 403, unknown id 404, bad input 422, and nothing changes; then the
 * allowed call works, and an import shows what the delegation grants.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, snapshot, type Agent, type TestApp } from '../../../test/helpers.js';
import { directory } from './index.js';

let t: TestApp;
let adminV: Agent; // admin of Vänersborgs kommun, a member of the Swedish network
let editorV: Agent; // editor (not admin) of Vänersborgs kommun
let netEditor: Agent; // editor of the Swedish network
let outsider: Agent; // admin of Herning Kommune
let anon: Agent;
const NET = 'kommunnatverket-for-hallbar-utveckling';
const V = 'vanersborgs-kommun';
const id = async (slug: string) => (await directory.getOrganisation(t.db.orm, slug)).id;
const TABLES = ['organisations', 'memberships', 'area_delegations', 'audit_events', 'ind_observations', 'ind_import_batches'];
const snap = () => snapshot(t.db, TABLES);
const figures = (value: number) => ({ format: 'long', filename: 'v.csv', content: `indicator,area,period,value\ndemo-ghg-per-capita,se-1487,2031,${value}\n` });

before(async () => {
  t = await createTestApp({ demo: true });
  await t.makeUser({ email: 'adminv@example.org', roles: { [V]: 'admin' } });
  await t.makeUser({ email: 'editorv@example.org', roles: { [V]: 'editor' } });
  await t.makeUser({ email: 'net@example.org', roles: { [NET]: 'editor' } });
  await t.makeUser({ email: 'out@example.org', roles: { 'herning-kommune': 'admin' } });
  adminV = await t.agent('adminv@example.org');
  editorV = await t.agent('editorv@example.org');
  netEditor = await t.agent('net@example.org');
  outsider = await t.agent('out@example.org');
  anon = await t.agent();
});
after(() => t.close());

describe('delegating an area’s figures to a network', () => {
  test('without delegation the network’s editors may not write the member’s figures', async () => {
    const before = await snap();
    const res = await netEditor.api('POST', '/api/imports', figures(1));
    assert.equal(res.statusCode, 403, res.body);
    assert.match(res.json().detail ?? res.body, /se-1487/);
    assert.deepEqual(await snap(), before);
  });

  test('POST /api/organisations/:id/delegations: 401, 403 without CSRF, 403 for editors and outsiders, 404, 422, nothing changed', async () => {
    const net = await id(NET);
    const before = await snap();
    assert.equal((await anon.api('POST', `/api/organisations/${V}/delegations`, { networkId: net })).statusCode, 401);
    const noCsrf = await adminV.api('POST', `/api/organisations/${V}/delegations`, { networkId: net }, { csrf: false });
    assert.equal(noCsrf.statusCode, 403);
    assert.equal(noCsrf.json().code, 'csrf_invalid');
    // Only the municipality's admins consent for it: not its editors, not the network, not others.
    for (const who of [editorV, netEditor, outsider]) assert.equal((await who.api('POST', `/api/organisations/${V}/delegations`, { networkId: net })).statusCode, 403);
    assert.equal((await adminV.api('POST', '/api/organisations/nope/delegations', { networkId: net })).statusCode, 404);
    const bad = await adminV.api('POST', `/api/organisations/${V}/delegations`, { networkId: 'x' });
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.json().errors[0].field, 'networkId');
    // A network Vänersborg is not a member of.
    const notMember = await adminV.api('POST', `/api/organisations/${V}/delegations`, { networkId: await id('baerekraftsnettverket') });
    assert.equal(notMember.statusCode, 422, notMember.body);
    assert.equal(notMember.json().errors[0].field, 'networkId');
    assert.deepEqual(await snap(), before);
  });

  test('the municipality’s admin delegates: the network’s editors import its figures; revoked, they may not', async () => {
    const net = await id(NET);
    const ok = await adminV.api('POST', `/api/organisations/${V}/delegations`, { networkId: net });
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal(ok.json().network.slug, NET);
    assert.equal((await adminV.api('POST', `/api/organisations/${V}/delegations`, { networkId: net })).statusCode, 409);
    assert.deepEqual((await anon.api('GET', `/api/organisations/${V}/delegations`)).json().items.map((d: any) => d.network.slug), [NET]);
    const imp = await netEditor.api('POST', '/api/imports', figures(2));
    assert.equal(imp.statusCode, 200, imp.body);
    assert.equal(imp.json().inserted, 1);
    // The delegation covers Vänersborg only, not other members' or unclaimed areas.
    assert.equal((await netEditor.api('POST', '/api/imports', { ...figures(0), content: 'indicator,area,period,value\ndemo-ghg-per-capita,se-0780,2031,3\n' })).statusCode, 403);
    const history = (await adminV.api('GET', `/api/organisations/${V}/history`)).json().items.map((e: any) => e.action);
    assert.ok(history.includes('area.delegate'));

    // Revoking: the same refusals first.
    const before = await snap();
    assert.equal((await anon.api('DELETE', `/api/organisations/${V}/delegations/${net}`)).statusCode, 401);
    assert.equal((await adminV.api('DELETE', `/api/organisations/${V}/delegations/${net}`, undefined, { csrf: false })).statusCode, 403);
    for (const who of [editorV, netEditor, outsider]) assert.equal((await who.api('DELETE', `/api/organisations/${V}/delegations/${net}`)).statusCode, 403);
    assert.equal((await adminV.api('DELETE', `/api/organisations/${V}/delegations/${await id('baerekraftsnettverket')}`)).statusCode, 404);
    assert.equal((await adminV.api('DELETE', `/api/organisations/${V}/delegations/nope`)).statusCode, 404);
    assert.deepEqual(await snap(), before);
    assert.equal((await adminV.api('DELETE', `/api/organisations/${V}/delegations/${net}`)).statusCode, 204);
    assert.equal((await netEditor.api('POST', '/api/imports', figures(4))).statusCode, 403);
    const history2 = (await adminV.api('GET', `/api/organisations/${V}/history`)).json().items.map((e: any) => e.action);
    assert.ok(history2.includes('area.delegation.revoke'));
  });

  test('a delegation lapses with the membership in the network', async () => {
    const net = await id(NET);
    assert.equal((await adminV.api('POST', `/api/organisations/${V}/delegations`, { networkId: net })).statusCode, 201);
    const [m] = (await directory.listMemberships(t.db.orm, { organisationId: net, memberOrganisationId: await id(V) })).items;
    const platform = await t.makeUser({ email: 'root@example.org', admin: true });
    assert.ok(platform.id);
    const root = await t.agent('root@example.org');
    assert.equal((await root.api('POST', `/api/memberships/${m!.id}/end`, { endDate: '2020' })).statusCode, 200);
    assert.equal((await netEditor.api('POST', '/api/imports', figures(5))).statusCode, 403);
    assert.equal((await root.api('PUT', `/api/memberships/${m!.id}`, { role: m!.role })).statusCode, 200);
    assert.equal((await netEditor.api('POST', '/api/imports', figures(5))).statusCode, 200);
    assert.equal((await adminV.api('DELETE', `/api/organisations/${V}/delegations/${net}`)).statusCode, 204);
  });

  test('the page: managers see it, admins delegate and revoke by form; others are refused', async () => {
    const net = await id(NET);
    assert.equal((await anon.get(`/organisations/${V}/delegations`)).statusCode, 401);
    assert.equal((await outsider.get(`/organisations/${V}/delegations`)).statusCode, 403);
    const asEditor = await editorV.get(`/organisations/${V}/delegations`);
    assert.equal(asEditor.statusCode, 200);
    assert.ok(!asEditor.body.includes('name="networkId"'));
    const page = await adminV.get(`/organisations/${V}/delegations`);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes('name="networkId"'));
    assert.ok((await adminV.get(`/organisations/${V}`)).body.includes(`/organisations/${V}/delegations`));

    const before = await snap();
    assert.equal((await anon.postForm(`/organisations/${V}/delegations`, { networkId: net })).statusCode, 401);
    assert.equal((await adminV.postForm(`/organisations/${V}/delegations`, { networkId: net }, { csrf: false })).statusCode, 403);
    assert.equal((await editorV.postForm(`/organisations/${V}/delegations`, { networkId: net })).statusCode, 403);
    assert.equal((await adminV.postForm('/organisations/nope/delegations', { networkId: net })).statusCode, 404);
    const bad = await adminV.postForm(`/organisations/${V}/delegations`, { networkId: '' });
    assert.equal(bad.statusCode, 422);
    assert.ok(bad.body.includes('href="#f-networkId"'));
    assert.equal((await editorV.postForm(`/organisations/${V}/delegations/${net}/revoke`, {})).statusCode, 403);
    assert.deepEqual(await snap(), before);
    assert.equal((await adminV.postForm(`/organisations/${V}/delegations`, { networkId: net })).statusCode, 303);
    assert.ok((await adminV.get(`/organisations/${V}/delegations`)).body.includes(`/delegations/${net}/revoke`));
    assert.equal((await adminV.postForm(`/organisations/${V}/delegations/${net}/revoke`, {})).statusCode, 303);
    assert.equal((await adminV.postForm(`/organisations/${V}/delegations/${net}/revoke`, {})).statusCode, 404);
  });
});

describe('confirming “on behalf of”', () => {
  let pendingId: string;
  let herning: string;
  let vaxjo: string;
  before(async () => {
    herning = await id('herning-kommune');
    vaxjo = await id('vaxjo-kommun');
    const p = await outsider.api('POST', '/api/people', { name: 'Bodil Behalf', lang: 'da' });
    const m = await outsider.api('POST', '/api/memberships', { organisationId: herning, personId: p.json().id, role: 'representative', onBehalfOfId: vaxjo });
    assert.equal(m.statusCode, 201, m.body);
    assert.equal(m.json().onBehalfPending, true);
    pendingId = m.json().id;
  });

  test('confirm and decline: 401, 403 without CSRF, 403 for the naming organisation and others, 404, nothing changed', async () => {
    await t.makeUser({ email: 'adminx@example.org', roles: { 'vaxjo-kommun': 'admin' } });
    const a = await t.agent('adminx@example.org');
    const before = await snap();
    for (const action of ['confirm', 'decline']) {
      const url = `/api/memberships/${pendingId}/on-behalf/${action}`;
      assert.equal((await anon.api('POST', url, {})).statusCode, 401);
      assert.equal((await a.api('POST', url, {}, { csrf: false })).statusCode, 403);
      assert.equal((await outsider.api('POST', url, {})).statusCode, 403, 'the organisation that named Växjö cannot confirm for it');
      assert.equal((await netEditor.api('POST', url, {})).statusCode, 403);
      assert.equal((await a.api('POST', `/api/memberships/00000000-0000-4000-8000-000000000000/on-behalf/${action}`, {})).statusCode, 404);
      assert.equal((await a.api('POST', `/api/memberships/nope/on-behalf/${action}`, {})).statusCode, 404);
      // Forms: the same refusals.
      assert.equal((await anon.postForm(`/memberships/${pendingId}/on-behalf/${action}`)).statusCode, 401);
      assert.equal((await outsider.postForm(`/memberships/${pendingId}/on-behalf/${action}`)).statusCode, 403);
      assert.equal((await a.postForm(`/memberships/${pendingId}/on-behalf/${action}`, {}, { csrf: false })).statusCode, 403);
    }
    assert.deepEqual(await snap(), before);
  });

  test('the request page lists it for Växjö’s admins only; confirming by form makes the role Växjö’s representative', async () => {
    const a = await t.agent('adminx@example.org');
    assert.equal((await anon.get('/memberships/requests')).statusCode, 401);
    assert.ok(!(await outsider.get('/memberships/requests')).body.includes('Bodil Behalf'));
    assert.deepEqual((await outsider.api('GET', '/api/memberships/requests')).json().items, []);
    const page = await a.get('/memberships/requests');
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes('Bodil Behalf'));
    assert.deepEqual((await a.api('GET', '/api/memberships/requests')).json().items.map((m: any) => m.id), [pendingId]);
    assert.equal((await a.postForm(`/memberships/${pendingId}/on-behalf/confirm`)).statusCode, 303);
    const prof = (await anon.api('GET', '/api/organisations/vaxjo-kommun')).json();
    assert.ok(prof.representatives.some((e: any) => e.membership.id === pendingId));
    assert.equal((await a.api('POST', `/api/memberships/${pendingId}/on-behalf/confirm`, {})).statusCode, 409);
    const history = (await a.api('GET', '/api/organisations/vaxjo-kommun/history')).json().items.map((e: any) => e.action);
    assert.ok(history.includes('membership.on_behalf.confirm'));
  });

  test('declining removes the naming; the membership stays Herning’s own', async () => {
    const a = await t.agent('adminx@example.org');
    const p = await outsider.api('POST', '/api/people', { name: 'Dorte Decline', lang: 'da' });
    const m = await outsider.api('POST', '/api/memberships', { organisationId: herning, personId: p.json().id, role: 'representative', onBehalfOfId: vaxjo });
    const res = await a.api('POST', `/api/memberships/${m.json().id}/on-behalf/decline`, {});
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().onBehalfOfId, null);
    assert.equal(res.json().onBehalfPending, false);
    const prof = (await anon.api('GET', '/api/organisations/vaxjo-kommun')).json();
    assert.ok(!prof.representatives.some((e: any) => e.membership.id === m.json().id));
  });
});
