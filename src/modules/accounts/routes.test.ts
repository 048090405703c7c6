import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, snapshot, type Agent, type TestApp } from '../../../test/helpers.js';

/*
 * Every write route of the accounts module: what an anonymous caller, a caller
 * without the right, a bad request and an unknown id get, and that none of
 * them changes anything.
 */
let t: TestApp;
let admin: Agent;
let orgAdmin: Agent;
let member: Agent;
let memberId: string;
const NET = 'kommunnatverket-for-hallbar-utveckling';

before(async () => {
  t = await createTestApp({ demo: true });
  await t.makeUser({ email: 'root@example.org', admin: true });
  await t.makeUser({ email: 'boss@example.org', roles: { [NET]: 'admin' } });
  memberId = (await t.makeUser({ email: 'member@example.org', roles: { [NET]: 'member' } })).id;
  admin = await t.agent('root@example.org');
  orgAdmin = await t.agent('boss@example.org');
  member = await t.agent('member@example.org');
});
after(() => t.close());

async function unchanged(fn: () => Promise<void>) {
  const before = await snapshot(t.db);
  await fn();
  assert.deepEqual(await snapshot(t.db), before, 'rejected requests changed nothing');
}

const tested = new Set<string>();
const covers = (...routes: string[]) => routes.forEach((r) => tested.add(r));

test('API tokens: create and revoke', async () => {
  covers('POST /api/tokens', 'POST /api/tokens/:id/revoke');
  const anon = await t.agent();
  const tok = (await member.api('POST', '/api/tokens', { name: 'mine' })).json();
  await unchanged(async () => {
    assert.equal((await anon.api('POST', '/api/tokens', { name: 'x' })).statusCode, 401);
    assert.equal((await member.api('POST', '/api/tokens', { name: '' })).statusCode, 422);
    assert.equal((await member.api('POST', '/api/tokens', { name: 'x' }, { csrf: false })).statusCode, 403);
    assert.equal((await anon.api('POST', `/api/tokens/${tok.id}/revoke`, {})).statusCode, 401);
    assert.equal((await orgAdmin.api('POST', `/api/tokens/${tok.id}/revoke`, {})).statusCode, 404, "someone else's token is not found");
    assert.equal((await member.api('POST', '/api/tokens/not-a-uuid/revoke', {})).statusCode, 404);
  });
  assert.equal((await member.api('POST', `/api/tokens/${tok.id}/revoke`, {})).statusCode, 204);
  assert.equal((await member.api('POST', `/api/tokens/${tok.id}/revoke`, {})).statusCode, 409);
});

test('organisation roles: grant and remove', async () => {
  covers('PUT /api/organisations/:id/roles', 'DELETE /api/organisations/:id/roles/:userId', 'POST /organisations/:slug/access', 'POST /organisations/:slug/access/:userId/remove');
  const anon = await t.agent();
  await unchanged(async () => {
    assert.equal((await anon.api('PUT', `/api/organisations/${NET}/roles`, { email: 'member@example.org', role: 'editor' })).statusCode, 401);
    assert.equal((await member.api('PUT', `/api/organisations/${NET}/roles`, { email: 'member@example.org', role: 'admin' })).statusCode, 403);
    assert.equal((await orgAdmin.api('PUT', `/api/organisations/${NET}/roles`, { email: 'member@example.org', role: 'king' })).statusCode, 422);
    assert.equal((await orgAdmin.api('PUT', '/api/organisations/nope/roles', { email: 'member@example.org', role: 'editor' })).statusCode, 404);
    assert.equal((await member.api('DELETE', `/api/organisations/${NET}/roles/${memberId}`)).statusCode, 403);
    assert.equal((await orgAdmin.api('DELETE', `/api/organisations/nope/roles/${memberId}`)).statusCode, 404);
    assert.equal((await anon.postForm(`/organisations/${NET}/access`, { email: 'member@example.org', role: 'admin' })).statusCode, 401);
    assert.equal((await member.postForm(`/organisations/${NET}/access`, { email: 'member@example.org', role: 'admin' })).statusCode, 403);
    const bad = await orgAdmin.postForm(`/organisations/${NET}/access`, { email: 'who', role: 'editor' });
    assert.equal(bad.statusCode, 422);
    assert.ok(bad.body.includes('value="who"'));
    assert.equal((await orgAdmin.postForm('/organisations/nope/access', { email: 'member@example.org', role: 'editor' })).statusCode, 404);
    assert.equal((await member.postForm(`/organisations/${NET}/access/${memberId}/remove`)).statusCode, 403);
    assert.equal((await orgAdmin.postForm(`/organisations/${NET}/access/not-a-user/remove`)).statusCode, 404);
  });
  assert.equal((await orgAdmin.postForm(`/organisations/${NET}/access`, { email: 'member@example.org', role: 'editor' })).statusCode, 303);
  assert.equal((await orgAdmin.postForm(`/organisations/${NET}/access/${memberId}/remove`)).statusCode, 303);
});

test('invitations: API, organisation page and admin page', async () => {
  covers('POST /api/invitations', 'POST /organisations/:slug/invitations', 'POST /admin/invitations');
  const anon = await t.agent();
  const netId = (await anon.api('GET', `/api/organisations/${NET}`)).json().id;
  await unchanged(async () => {
    assert.equal((await anon.api('POST', '/api/invitations', { email: 'a@example.org' })).statusCode, 401);
    assert.equal((await member.api('POST', '/api/invitations', { email: 'a@example.org', organisationId: netId, role: 'editor' })).statusCode, 403);
    assert.equal((await orgAdmin.api('POST', '/api/invitations', { email: 'a@example.org' })).statusCode, 403, 'only platform admins invite without an organisation');
    assert.equal((await orgAdmin.api('POST', '/api/invitations', { email: 'a@example.org', organisationId: netId })).statusCode, 422, 'organisation without role');
    assert.equal((await orgAdmin.api('POST', '/api/invitations', { email: 'a@example.org', organisationId: '00000000-0000-4000-8000-000000000000', role: 'member' })).statusCode, 422);
    assert.equal((await member.postForm(`/organisations/${NET}/invitations`, { email: 'a@example.org', role: 'editor' })).statusCode, 403);
    assert.equal((await orgAdmin.postForm('/organisations/nope/invitations', { email: 'a@example.org', role: 'editor' })).statusCode, 404);
    assert.equal((await orgAdmin.postForm(`/organisations/${NET}/invitations`, { email: 'nope', role: 'editor' })).statusCode, 422);
    assert.equal((await orgAdmin.postForm('/admin/invitations', { email: 'a@example.org' })).statusCode, 403);
    assert.equal((await admin.postForm('/admin/invitations', { email: 'a@example.org', organisationId: netId, role: '' })).statusCode, 422);
  });
  assert.equal((await admin.api('POST', '/api/invitations', { email: 'a@example.org' })).statusCode, 201);
  assert.equal((await orgAdmin.postForm(`/organisations/${NET}/invitations`, { email: 'b@example.org', role: 'member' })).statusCode, 200);
});

test('account forms: password, tokens', async () => {
  covers('POST /account/password', 'POST /account/tokens', 'POST /account/tokens/:id/revoke');
  const anon = await t.agent();
  const user = await t.agent('member@example.org');
  await unchanged(async () => {
    assert.equal((await anon.postForm('/account/password', { current: 'x', password: 'yyyyyyyyyyyy' })).statusCode, 401);
    const wrong = await user.postForm('/account/password', { current: 'not my password', password: 'a new good password' });
    assert.equal(wrong.statusCode, 422);
    assert.ok(wrong.body.includes('current password is wrong'));
    assert.equal((await user.postForm('/account/password', { current: 'correct horse battery', password: 'short' })).statusCode, 422);
    assert.equal((await anon.postForm('/account/tokens', { name: 'x' })).statusCode, 401);
    assert.equal((await user.postForm('/account/tokens', { name: '' })).statusCode, 422);
    assert.equal((await user.postForm('/account/tokens/00000000-0000-4000-8000-000000000000/revoke')).statusCode, 404);
  });
  const made = await user.postForm('/account/tokens', { name: 'sheet sync' });
  assert.equal(made.statusCode, 200);
  assert.match(made.body, /id="new-token">svk_/);
});

test('public forms: sign-in, sign-out, password reset and invitation acceptance reject bad input', async () => {
  covers('POST /signin', 'POST /signout', 'POST /forgot-password', 'POST /reset-password/:token', 'POST /invitations/:token');
  const anon = await t.agent();
  await unchanged(async () => {
    assert.equal((await anon.postForm('/signin', { email: 'member@example.org', password: 'x' }, { csrf: false })).statusCode, 403, 'sign-in needs the CSRF token too');
    assert.equal((await anon.postForm('/signin', { email: '', password: '' })).statusCode, 401);
    assert.equal((await anon.postForm('/forgot-password', { email: 'not an email' })).statusCode, 422);
    assert.equal((await anon.postForm('/reset-password/not-a-real-token-at-all', { password: 'a good long password' })).statusCode, 400);
    assert.equal((await anon.postForm('/invitations/not-a-real-token-at-all', { displayName: 'X', password: 'a good long password' })).statusCode, 400);
  });
  assert.equal((await anon.postForm('/signout')).statusCode, 303, 'signing out when not signed in is harmless');
});

test('these tests cover every accounts write route', () => {
  const accountRoutes = t.app.writeRoutes
    .map((r) => `${r.method} ${r.url}`)
    .filter((r) => /\/(tokens|roles|invitations|access|account|admin|signin|signout|forgot-password|reset-password)/.test(r));
  assert.deepEqual(accountRoutes.filter((r) => !tested.has(r)), []);
});
