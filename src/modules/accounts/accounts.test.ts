import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { createTestApp, drainJobs, PASSWORD, snapshot, type TestApp } from '../../../test/helpers.js';
import { ConflictError, InvalidTokenError } from '../../platform/errors.js';
import { acceptInvitation, createInvitation, loadActor } from './service.js';

let t: TestApp;

before(async () => {
  t = await createTestApp({ demo: true });
  await t.makeUser({ email: 'anna@example.org', name: 'Anna Admin', admin: true });
  await t.makeUser({ email: 'nils@example.org', name: 'Nils Nätverk', roles: { 'kommunnatverket-for-hallbar-utveckling': 'admin' } });
  await t.makeUser({ email: 'eve@example.org', name: 'Eve Editor', roles: { 'kommunnatverket-for-hallbar-utveckling': 'editor' } });
});
after(() => t.close());

const linkIn = (text: string) => text.match(/https?:\/\/\S+/)![0];

/**
 * Runs the calls at the same moment. On PostgreSQL, writes to the users table wait behind a lock
 * until every call is waiting on a lock (that one, or a row another call holds), so every call has
 * read before any has written: the overlap is made, not left to chance. PGlite has one connection,
 * where transactions queue anyway.
 */
async function atOnce<T>(calls: (() => Promise<T>)[]): Promise<PromiseSettledResult<T>[]> {
  if (!t.config.testDatabaseUrl) return Promise.allSettled(calls.map((call) => call()));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const lock = t.db.orm.transaction(async (tx) => {
    await tx.execute(sql`LOCK TABLE users IN SHARE MODE`);
    locked();
    await released;
  });
  await isLocked;
  let settled = 0;
  const results = Promise.allSettled(calls.map((call) => call().finally(() => settled++)));
  const waiting = async () => (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"))[0]!.n;
  while (settled + (await waiting()) < calls.length) await new Promise((resolve) => setTimeout(resolve, 10));
  release();
  await lock;
  return results;
}
const path = (url: string) => new URL(url).pathname;

describe('sign in and out', () => {
  test('passwords are stored as argon2id hashes', async () => {
    const [row] = await t.db.query<{ password_hash: string }>("SELECT password_hash FROM users WHERE email = 'anna@example.org'");
    assert.match(row!.password_hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  test('a wrong password is refused without saying which part was wrong', async () => {
    const a = await t.agent();
    const before = await snapshot(t.db, ['sessions']);
    const res = await a.postForm('/signin', { email: 'anna@example.org', password: 'wrong password!' });
    assert.equal(res.statusCode, 401);
    assert.ok(res.body.includes('The email address or password is wrong.'));
    assert.ok(res.body.includes('value="anna@example.org"'), 'email kept');
    const unknown = await a.postForm('/signin', { email: 'nobody@example.org', password: PASSWORD });
    assert.equal(unknown.statusCode, 401);
    assert.deepEqual(await snapshot(t.db, ['sessions']), before);
  });

  test('signing in sets a secure-by-default session cookie stored in the database; signing out ends it', async () => {
    const a = await t.agent();
    const res = await a.postForm('/signin?next=/account', { email: 'Anna@Example.org', password: PASSWORD });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/account');
    const cookie = res.cookies.find((c) => c.name === 'samverka_session')!;
    assert.ok(cookie.httpOnly);
    assert.equal(cookie.sameSite, 'Lax');
    const [row] = await t.db.query<{ n: string }>('SELECT count(*) AS n FROM sessions');
    assert.ok(Number(row!.n) >= 1);
    assert.equal((await a.get('/account')).statusCode, 200);
    const out = await a.postForm('/signout');
    assert.equal(out.statusCode, 303);
    assert.equal((await a.get('/account')).statusCode, 401);
  });

  test('signing in renews the CSRF seed: a token from before sign-in is refused after it', async () => {
    const a = await t.agent();
    await a.ensureCsrf();
    const seedBefore = a.cookies.get('samverka_csrf');
    const tokenBefore = a.csrf;
    const res = await a.signIn('eve@example.org');
    const seed = res.cookies.find((c) => c.name === 'samverka_csrf');
    assert.ok(seed?.value && seed.value !== seedBefore, 'the sign-in answer sets a new seed');
    assert.ok(seed.httpOnly);
    const cookie = [...a.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const stale = await t.app.inject({ method: 'POST', url: '/api/tokens', headers: { cookie, accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': tokenBefore }, payload: JSON.stringify({ name: 'planted' }) });
    assert.equal(stale.statusCode, 403, 'the token from before sign-in');
    const made = await a.api('POST', '/api/tokens', { name: 'after sign-in' });
    assert.equal(made.statusCode, 201, 'the token of the new seed');
    assert.equal((await a.api('POST', `/api/tokens/${made.json().id}/revoke`, {})).statusCode, 204);
  });

  test('signing in as someone else in the same browser ends the earlier session', async () => {
    const a = await t.agent('anna@example.org');
    const annaSession = a.cookies.get('samverka_session')!;
    await a.signIn('eve@example.org');
    assert.notEqual(a.cookies.get('samverka_session'), annaSession);
    assert.equal((await a.api('GET', '/api/me')).json().email, 'eve@example.org');
    const earlier = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: `samverka_session=${annaSession}`, accept: 'application/json' } });
    assert.equal(earlier.statusCode, 401, 'the earlier session signs no one in');
  });

  test('the session cookie is Secure when the site runs on https', async () => {
    const s = await createTestApp({ config: { PUBLIC_URL: 'https://samverka.example.org' } });
    try {
      await s.makeUser({ email: 'x@example.org' });
      const a = await s.agent();
      const res = await a.postForm('/signin', { email: 'x@example.org', password: PASSWORD });
      assert.ok(res.cookies.find((c) => c.name === 'samverka_session')!.secure);
    } finally {
      await s.close();
    }
  });

  test('sign-in attempts are rate limited', async () => {
    const s = await createTestApp({ config: { SIGNIN_RATE_LIMIT: '3' } });
    try {
      const a = await s.agent();
      const codes = [];
      for (let i = 0; i < 5; i++) codes.push((await a.postForm('/signin', { email: 'who@example.org', password: 'x' })).statusCode);
      assert.deepEqual(codes, [401, 401, 401, 429, 429]);
    } finally {
      await s.close();
    }
  });

  test('redirects after sign-in stay on this site', async () => {
    const a = await t.agent();
    const res = await a.postForm('/signin?next=//evil.example.com/x', { email: 'anna@example.org', password: PASSWORD });
    assert.equal(res.headers.location, '/');
  });
});

describe('password reset', () => {
  test('a one-time, expiring link changes the password and ends old sessions', async () => {
    const old = await t.agent('eve@example.org');
    const a = await t.agent();
    t.mailer.sent.length = 0;
    const res = await a.postForm('/forgot-password', { email: 'eve@example.org' });
    assert.equal(res.statusCode, 200);
    await drainJobs(t);
    const mail = t.mailer.sent.find((m) => m.to === 'eve@example.org')!;
    const link = path(linkIn(mail.text));
    assert.match(link, /^\/reset-password\//);
    assert.equal((await a.get(link)).statusCode, 200);
    const weak = await a.postForm(link, { password: 'short' });
    assert.equal(weak.statusCode, 422);
    const done = await a.postForm(link, { password: 'a much better passphrase' });
    assert.equal(done.statusCode, 200);
    assert.equal((await old.get('/account')).statusCode, 401, 'old session ended');
    const reuse = await a.postForm(link, { password: 'another passphrase here' });
    assert.equal(reuse.statusCode, 400, 'the link works once');
    await a.signIn('eve@example.org', 'a much better passphrase');
    await t.db.exec("UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE email = 'anna@example.org') WHERE email = 'eve@example.org'");
  });

  test('a password chosen by one link ends the other links still open for the account', async () => {
    const a = await t.agent();
    t.mailer.sent.length = 0;
    await a.postForm('/forgot-password', { email: 'eve@example.org' });
    await a.postForm('/forgot-password', { email: 'eve@example.org' });
    await drainJobs(t);
    const [first, second] = t.mailer.sent.filter((m) => m.to === 'eve@example.org').map((m) => path(linkIn(m.text)));
    assert.ok(first && second && first !== second);
    try {
      assert.equal((await a.postForm(second, { password: 'a much better passphrase' })).statusCode, 200);
      assert.equal((await a.get(first)).statusCode, 400, 'the older link no longer opens');
      assert.equal((await a.postForm(first, { password: 'an attacker passphrase' })).statusCode, 400, 'nor sets a password');
      await a.signIn('eve@example.org', 'a much better passphrase');
    } finally {
      // The other tests sign Eve in with the shared test password.
      await t.db.exec("UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE email = 'anna@example.org') WHERE email = 'eve@example.org'");
    }
  });

  test('an expired link is refused', async () => {
    const a = await t.agent();
    t.mailer.sent.length = 0;
    await a.postForm('/forgot-password', { email: 'nils@example.org' });
    await drainJobs(t);
    const link = path(linkIn(t.mailer.sent[0]!.text));
    await t.db.exec("UPDATE password_resets SET expires_at = now() - interval '1 minute'");
    assert.equal((await a.get(link)).statusCode, 400);
    assert.equal((await a.postForm(link, { password: 'a long enough password' })).statusCode, 400);
  });

  test('asking again and again sends at most three links an hour, with the same answer each time', async () => {
    await t.makeUser({ email: 'often@example.org' });
    const a = await t.agent();
    t.mailer.sent.length = 0;
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await a.postForm('/forgot-password', { email: 'often@example.org' })).statusCode);
    assert.deepEqual(answers, [200, 200, 200, 200, 200]);
    await drainJobs(t);
    assert.equal(t.mailer.sent.filter((m) => m.to === 'often@example.org').length, 3);
    // Once the links have expired, a new one is sent.
    await t.db.exec("UPDATE password_resets SET expires_at = now() - interval '1 minute' WHERE user_id = (SELECT id FROM users WHERE email = 'often@example.org')");
    await a.postForm('/forgot-password', { email: 'often@example.org' });
    await drainJobs(t);
    assert.equal(t.mailer.sent.filter((m) => m.to === 'often@example.org').length, 4);
  });

  test('unknown addresses get the same answer and no mail', async () => {
    const a = await t.agent();
    t.mailer.sent.length = 0;
    const res = await a.postForm('/forgot-password', { email: 'stranger@example.org' });
    assert.equal(res.statusCode, 200);
    await drainJobs(t);
    assert.equal(t.mailer.sent.length, 0);
  });
});

describe('invitations and organisation roles', () => {
  test('an organisation admin invites by link; the new user gets the role', async () => {
    const nils = await t.agent('nils@example.org');
    const res = await nils.postForm('/organisations/kommunnatverket-for-hallbar-utveckling/invitations', { email: 'ny@example.org', role: 'editor' });
    assert.equal(res.statusCode, 200);
    const link = res.body.match(/id="invite-link">([^<]+)</)![1]!;
    const a = await t.agent();
    const page = await a.get(path(link));
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes('ny@example.org'));
    const created = await a.postForm(path(link), { displayName: 'Ny Redaktör', password: 'ett bra lösenord' });
    assert.equal(created.statusCode, 303);
    const me = (await a.api('GET', '/api/me')).json();
    assert.equal(me.email, 'ny@example.org');
    assert.equal(me.roles[0].role, 'editor');
    assert.equal((await a.get(path(link))).statusCode, 400, 'an invitation is used once');
  });

  test('an invitation accepted twice at the same moment makes one account; the other is refused, not a server error', async () => {
    const [anna] = await t.db.query<{ id: string }>("SELECT id FROM users WHERE email = 'anna@example.org'");
    const actor = await loadActor(t.db.orm, { id: anna!.id, displayName: 'Anna Admin', email: 'anna@example.org', isPlatformAdmin: true });
    const accounts = async (email: string) => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users WHERE email = $1', [email]))[0]!.n;
    for (let round = 0; round < 2; round++) {
      const email = `twice-${round}@example.org`;
      const token = (await createInvitation(t.db, t.config, actor, { email })).link.split('/').pop()!;
      const results = await atOnce([1, 2].map((n) => () => acceptInvitation(t.db, t.config, token, { displayName: `Twice ${n}`, password: 'ett bra lösenord' })));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, `round ${round}: one account is made`);
      const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!.reason;
      assert.ok(refused instanceof InvalidTokenError, `round ${round}: the link is spent: ${refused}`);
      assert.equal(await accounts(email), 1);
    }
    // Two invitations to one address, accepted at the same moment: the second is the taken address.
    const email = 'two-links@example.org';
    const tokens = await Promise.all([1, 2].map(async () => (await createInvitation(t.db, t.config, actor, { email })).link.split('/').pop()!));
    const results = await atOnce(tokens.map((token) => () => acceptInvitation(t.db, t.config, token, { displayName: 'Two Links', password: 'ett bra lösenord' })));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!.reason;
    assert.ok(refused instanceof ConflictError, String(refused));
    assert.equal(await accounts(email), 1);
  });

  test('accepting an invitation in a browser signed in as someone else ends that session and renews the CSRF seed', async () => {
    const nils = await t.agent('nils@example.org');
    const res = await nils.postForm('/organisations/kommunnatverket-for-hallbar-utveckling/invitations', { email: 'samma-webblasare@example.org', role: 'member' });
    const link = path(res.body.match(/id="invite-link">([^<]+)</)![1]!);
    const nilsSession = nils.cookies.get('samverka_session')!;
    const seedBefore = nils.cookies.get('samverka_csrf');
    const tokenBefore = nils.csrf;
    assert.equal((await nils.postForm(link, { displayName: 'Samma Webbläsare', password: 'ett bra lösenord' })).statusCode, 303);
    assert.equal((await nils.api('GET', '/api/me')).json().email, 'samma-webblasare@example.org');
    assert.notEqual(nils.cookies.get('samverka_csrf'), seedBefore);
    const cookie = [...nils.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const stale = await t.app.inject({ method: 'POST', url: '/api/tokens', headers: { cookie, accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': tokenBefore }, payload: JSON.stringify({ name: 'planted' }) });
    assert.equal(stale.statusCode, 403, 'the token from before');
    const earlier = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: `samverka_session=${nilsSession}`, accept: 'application/json' } });
    assert.equal(earlier.statusCode, 401, 'the earlier session signs no one in');
  });

  test('only admins of the organisation (or platform admins) manage its roles and invitations', async () => {
    const eve = await t.agent('eve@example.org');
    const nils = await t.agent('nils@example.org');
    const before = await snapshot(t.db);
    assert.equal((await eve.get('/organisations/kommunnatverket-for-hallbar-utveckling/access')).statusCode, 403);
    assert.equal((await eve.postForm('/organisations/kommunnatverket-for-hallbar-utveckling/access', { email: 'eve@example.org', role: 'admin' })).statusCode, 403);
    assert.equal((await eve.api('PUT', '/api/organisations/kommunnatverket-for-hallbar-utveckling/roles', { email: 'eve@example.org', role: 'admin' })).statusCode, 403);
    assert.equal((await eve.api('POST', '/api/invitations', { email: 'z@example.org', organisationId: null, role: null })).statusCode, 403);
    assert.equal((await nils.api('PUT', '/api/organisations/herning-kommune/roles', { email: 'nils@example.org', role: 'admin' })).statusCode, 403);
    assert.equal((await nils.api('PUT', '/api/organisations/kommunnatverket-for-hallbar-utveckling/roles', { email: 'not-an-email', role: 'admin' })).statusCode, 422);
    assert.equal((await nils.api('PUT', '/api/organisations/no-such-org/roles', { email: 'eve@example.org', role: 'admin' })).statusCode, 404);
    assert.equal((await nils.api('PUT', '/api/organisations/kommunnatverket-for-hallbar-utveckling/roles', { email: 'ghost@example.org', role: 'member' })).statusCode, 422);
    assert.deepEqual(await snapshot(t.db), before);
    // A network admin manages its working groups too.
    const ok = await nils.api('PUT', '/api/organisations/miljostrategisk-arbetsgrupp/roles', { email: 'eve@example.org', role: 'member' });
    assert.equal(ok.statusCode, 200);
    const list = await nils.api('GET', '/api/organisations/miljostrategisk-arbetsgrupp/roles');
    assert.equal(list.json().items[0].email, 'eve@example.org');
    const users = (await (await t.agent('anna@example.org')).api('GET', '/api/users')).json();
    const eveId = users.items.find((u: any) => u.email === 'eve@example.org').id;
    assert.equal((await nils.api('DELETE', `/api/organisations/miljostrategisk-arbetsgrupp/roles/${eveId}`)).statusCode, 204);
    assert.equal((await nils.api('DELETE', `/api/organisations/miljostrategisk-arbetsgrupp/roles/${eveId}`)).statusCode, 404);
  });

  test('the platform admin page and user list are for platform admins only', async () => {
    assert.equal((await (await t.agent('nils@example.org')).get('/admin')).statusCode, 403);
    assert.equal((await (await t.agent('nils@example.org')).api('GET', '/api/users')).statusCode, 403);
    assert.equal((await (await t.agent()).get('/admin')).statusCode, 401);
    const anna = await t.agent('anna@example.org');
    assert.equal((await anna.get('/admin')).statusCode, 200);
    const inv = await anna.postForm('/admin/invitations', { email: 'bad', organisationId: '', role: '' });
    assert.equal(inv.statusCode, 422);
    assert.ok(inv.body.includes('valid email'));
  });
});

describe('API tokens', () => {
  test('tokens are listed without their secret, and only the owner can revoke them', async () => {
    const eve = await t.agent('eve@example.org');
    const created = (await eve.api('POST', '/api/tokens', { name: 'import script' })).json();
    assert.match(created.token, /^svk_/);
    const list = (await eve.api('GET', '/api/tokens')).json();
    assert.ok(!JSON.stringify(list).includes(created.token));
    const nils = await t.agent('nils@example.org');
    assert.equal((await nils.api('POST', `/api/tokens/${created.id}/revoke`, {})).statusCode, 404);
    const viaToken = await (await t.agent()).api('GET', '/api/me', undefined, { token: created.token });
    assert.equal(viaToken.json().email, 'eve@example.org');
    const bogus = await (await t.agent()).api('GET', '/api/me', undefined, { token: 'svk_bogus' });
    assert.equal(bogus.statusCode, 401);
  });
});

test('a forged X-Forwarded-For does not get around the sign-in rate limit', async () => {
  const s = await createTestApp({ config: { SIGNIN_RATE_LIMIT: '2' } });
  try {
    const a = await s.agent();
    await a.ensureCsrf();
    const codes = [];
    for (let i = 0; i < 4; i++) {
      const res = await s.app.inject({
        method: 'POST',
        url: '/signin',
        headers: { cookie: `samverka_csrf=${a.cookies.get('samverka_csrf')}`, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `10.0.0.${i}` },
        payload: `email=x%40example.org&password=y&_csrf=${a.csrf}`,
      });
      codes.push(res.statusCode);
    }
    assert.deepEqual(codes, [401, 401, 429, 429]);
  } finally {
    await s.close();
  }
});
