import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from './helpers.js';

// One pagination contract for the JSON API's lists (docs/api.md): items, page, pageSize, total,
// links; walking the pages by links.next yields every item once, and total says how many.
let t: TestApp;
before(async () => {
  t = await createTestApp({ demo: true });
});
after(() => t.close());

const LISTS = ['/api/meetings?when=all', '/api/events?when=past', '/api/news', '/api/practices', '/api/organisations', '/api/people', '/api/commitments', '/api/memberships'];

test('each list answers items, page, pageSize, total and links, and its pages add up to total', async () => {
  const a = await t.agent();
  for (const list of LISTS) {
    const sep = list.includes('?') ? '&' : '?';
    const probe = (await a.api('GET', `${list}${sep}pageSize=1`)).json();
    assert.deepEqual(Object.keys(probe).sort(), ['items', 'links', 'page', 'pageSize', 'total'], list);
    assert.ok(probe.total >= 1, `${list}: the demo has some`);
    // About four pages whatever the list's length, so the walk crosses page boundaries.
    const size = Math.max(1, Math.ceil(probe.total / 4));
    const first = (await a.api('GET', `${list}${sep}pageSize=${size}`)).json();
    assert.equal(first.page, 1, list);
    assert.equal(first.pageSize, size, list);
    assert.equal(first.total, probe.total, list);
    assert.equal(first.links.prev, undefined, list);
    const seen: string[] = [];
    let body = first;
    for (let n = 0; n < 200; n++) {
      seen.push(...body.items.map((i: { id: string }) => i.id));
      if (!body.links.next) break;
      assert.equal(body.items.length, size, list);
      body = (await a.api('GET', body.links.next)).json();
      assert.ok(body.links.prev, list);
    }
    assert.equal(seen.length, first.total, list);
    assert.equal(new Set(seen).size, seen.length, `${list}: no item twice`);
  }
});

test('search carries links too; /api/users pages for a platform admin', async () => {
  const a = await t.agent();
  const res = (await a.api('GET', '/api/search?q=kommun&pageSize=2')).json();
  assert.equal(res.links.self, '/api/search?q=kommun&pageSize=2&page=1');
  assert.equal(res.links.next, '/api/search?q=kommun&pageSize=2&page=2');
  await t.makeUser({ email: 'root@example.org', admin: true });
  await t.makeUser({ email: 'other@example.org' });
  const admin = await t.agent('root@example.org');
  const users = (await admin.api('GET', '/api/users?pageSize=1')).json();
  assert.equal(users.items.length, 1);
  assert.ok(users.total >= 2);
  assert.ok(users.links.next);
  assert.equal((await (await t.agent('other@example.org')).api('GET', '/api/users')).statusCode, 403);
});

type Body = { items: unknown[]; page: number; pageSize: number; total: number; links: { self: string; next?: string; prev?: string } };
type Agent = Awaited<ReturnType<TestApp['agent']>>;

/**
 * Walks a list by links.next in pages of `size` and checks the contract on the way: the five fields,
 * full pages but the last, prev after the first, no item twice, and the pages adding up to total.
 */
async function walk(a: Agent, list: string, key: (item: any) => string, size: number): Promise<{ keys: string[]; total: number; pages: number }> {
  const sep = list.includes('?') ? '&' : '?';
  const res = await a.api('GET', `${list}${sep}pageSize=${size}`);
  assert.equal(res.statusCode, 200, `${list}: ${res.body}`);
  let body = res.json() as Body;
  assert.deepEqual(Object.keys(body).sort(), ['items', 'links', 'page', 'pageSize', 'total'], list);
  assert.equal(body.page, 1, list);
  assert.equal(body.pageSize, size, list);
  assert.equal(body.links.prev, undefined, list);
  const total = body.total;
  const keys: string[] = [];
  let pages = 1;
  for (;;) {
    keys.push(...body.items.map(key));
    assert.equal(body.total, total, `${list}: total stays while walking`);
    if (!body.links.next) break;
    assert.equal(body.items.length, size, `${list}: full pages before the last`);
    body = (await a.api('GET', body.links.next)).json() as Body;
    assert.ok(body.links.prev, list);
    pages++;
    assert.ok(pages < 500, list);
  }
  assert.equal(keys.length, total, `${list}: the pages add up to total`);
  assert.equal(new Set(keys).size, keys.length, `${list}: no item twice`);
  return { keys, total, pages };
}

/** A page size that makes about three pages of the list as this reader sees it, never one. */
async function sizeFor(a: Agent, list: string): Promise<number> {
  const sep = list.includes('?') ? '&' : '?';
  const probe = (await a.api('GET', `${list}${sep}pageSize=1`)).json() as Body;
  assert.ok(probe.total >= 2, `${list}: more rows than one page of ${Math.max(1, Math.floor(probe.total / 3))}`);
  return Math.max(1, Math.floor(probe.total / 3));
}

const id = (x: { id: string }) => x.id;

test('plans, priorities and challenges page only what the reader may see: a draft is neither listed nor counted for others', async () => {
  await t.makeUser({ email: 'hurdal-editor@example.org', roles: { 'hurdal-kommune': 'editor' } });
  await t.makeUser({ email: 'herning-member@example.org', roles: { 'herning-kommune': 'member' } });
  const editor = await t.agent('hurdal-editor@example.org');
  const hurdal = (await editor.api('GET', '/api/organisations/hurdal-kommune')).json().id as string;
  const drafts = {
    '/api/plans': (await editor.api('POST', '/api/plans', { organisationId: hurdal, title: 'Utkast til plan', state: 'draft' })).json().id as string,
    '/api/priorities': (await editor.api('POST', '/api/priorities', { organisationId: hurdal, title: 'Utkast til prioritet', state: 'draft' })).json().id as string,
    '/api/challenges': (await editor.api('POST', '/api/challenges', { organisationId: hurdal, title: 'Utkast til utfordring', problem: 'Ikke publisert ennå.', contactEmail: 'post@hurdal.example', state: 'draft' })).json().id as string,
  };
  // More published rows than one page, so the walks below cross page boundaries with the draft among them.
  for (let i = 0; i < 3; i++) {
    assert.equal((await editor.api('POST', '/api/plans', { organisationId: hurdal, title: `Plan ${i}`, state: 'adopted' })).statusCode, 201);
    assert.equal((await editor.api('POST', '/api/priorities', { organisationId: hurdal, title: `Prioritet ${i}`, state: 'published' })).statusCode, 201);
    assert.equal((await editor.api('POST', '/api/challenges', { organisationId: hurdal, title: `Utfordring ${i}`, problem: 'Åpen.', contactEmail: 'post@hurdal.example', state: 'open' })).statusCode, 201);
  }
  const readers = { anon: await t.agent(), otherOrg: await t.agent('herning-member@example.org') };
  for (const [list, draftId] of Object.entries(drafts)) {
    for (const filter of ['', '?organisation=hurdal-kommune']) {
      const url = `${list}${filter}`;
      const own = await walk(editor, url, id, await sizeFor(editor, url));
      assert.ok(own.keys.includes(draftId), `${url}: the owner's editor sees the draft`);
      for (const [who, a] of Object.entries(readers)) {
        const seen = await walk(a, url, id, await sizeFor(a, url));
        assert.ok(!seen.keys.includes(draftId), `${url}: no draft for ${who}`);
        assert.equal(seen.total, own.total - 1, `${url}: the draft is not counted for ${who}`);
        assert.ok(seen.pages >= 2, url);
      }
    }
  }
});

test('the other public lists walk by links.next: projects, targets, frameworks, area groups', async () => {
  const anon = await t.agent();
  for (const [list, key] of [
    ['/api/projects', id],
    ['/api/targets', id],
    ['/api/frameworks', (f: { key: string }) => f.key],
    ['/api/area-groups', (g: { key: string }) => g.key],
  ] as const) {
    const seen = await walk(anon, list, key as (x: any) => string, await sizeFor(anon, list));
    assert.ok(seen.pages >= 2, list);
  }
});

test('a challenge’s responses: pages and total hold only those this reader may see', async () => {
  await t.makeUser({ email: 'ch-owner@example.org', roles: { 'hurdal-kommune': 'editor' } });
  await t.makeUser({ email: 'responder@example.org' });
  await t.makeUser({ email: 'bystander@example.org' });
  const owner = await t.agent('ch-owner@example.org');
  const hurdal = (await owner.api('GET', '/api/organisations/hurdal-kommune')).json().id as string;
  const ch = (await owner.api('POST', '/api/challenges', { organisationId: hurdal, title: 'Gjenbruk', problem: 'Hvem kan hjelpe?', contactEmail: 'post@hurdal.example', state: 'open' })).json().id as string;
  const responder = await t.agent('responder@example.org');
  for (let i = 0; i < 5; i++) {
    const r = await responder.api('POST', `/api/challenges/${ch}/responses`, { newOrgName: `Firma ${i}`, newOrgKind: 'company', offer: `Tilbud ${i}`, contactEmail: `firma${i}@example.org` });
    assert.equal(r.statusCode, 201, r.body);
  }
  const list = `/api/challenges/${ch}/responses`;
  assert.equal((await walk(owner, list, id, 2)).total, 5);
  assert.equal((await walk(responder, list, id, 2)).total, 5);
  // Unaccepted responses are private: neither listed nor counted for anyone else.
  for (const a of [await t.agent(), await t.agent('bystander@example.org')]) {
    const seen = await walk(a, list, id, 2);
    assert.deepEqual([seen.total, seen.keys.length], [0, 0]);
  }
});

test('one’s own lists page too: API tokens and an organisation’s roles', async () => {
  await t.makeUser({ email: 'tokens@example.org' });
  const me = await t.agent('tokens@example.org');
  for (let i = 0; i < 5; i++) assert.equal((await me.api('POST', '/api/tokens', { name: `script ${i}` })).statusCode, 201);
  assert.equal((await walk(me, '/api/tokens', id, 2)).total, 5);
  await t.makeUser({ email: 'someone-else@example.org' });
  assert.equal((await walk(await t.agent('someone-else@example.org'), '/api/tokens', id, 2)).total, 0, 'nobody else’s tokens');

  await t.makeUser({ email: 'roles-admin@example.org', roles: { 'vanersborgs-kommun': 'admin' } });
  for (let i = 0; i < 4; i++) await t.makeUser({ email: `role${i}@example.org`, roles: { 'vanersborgs-kommun': 'member' } });
  const admin = await t.agent('roles-admin@example.org');
  const roles = await walk(admin, '/api/organisations/vanersborgs-kommun/roles', (r: { userId: string }) => r.userId, 2);
  assert.ok(roles.total >= 5 && roles.pages >= 3);
  assert.equal((await (await t.agent('role0@example.org')).api('GET', '/api/organisations/vanersborgs-kommun/roles')).statusCode, 403);
});

test('the remaining lists answer the contract', async () => {
  await t.makeUser({ email: 'contract-admin@example.org', admin: true });
  const admin = await t.agent('contract-admin@example.org');
  const anon = await t.agent();
  const plan = (await anon.api('GET', '/api/plans?pageSize=1')).json().items[0].id as string;
  const meeting = (await anon.api('GET', '/api/meetings?when=all&pageSize=1')).json().items[0].id as string;
  const event = (await anon.api('GET', '/api/events?when=past&pageSize=1')).json().items[0].id as string;
  for (const [a, list] of [
    [anon, `/api/plans/${plan}/files`],
    [anon, `/api/followups?meeting=${meeting}`],
    [anon, '/api/organisations/vanersborgs-kommun/delegations'],
    [admin, `/api/events/${event}/registrations`],
    [admin, '/api/meetings/requests'],
    [admin, '/api/memberships/requests'],
    [admin, '/api/imports/mappings'],
  ] as const) {
    await walk(a, list, (x: unknown) => JSON.stringify(x), 1);
  }
});

test('the OpenAPI document describes every list with page and pageSize in, and the contract out', async () => {
  const doc = (await (await t.agent()).get('/api/openapi.json')).json();
  for (const p of [
    '/api/plans', '/api/priorities', '/api/projects', '/api/challenges', '/api/challenges/{id}/responses', '/api/targets', '/api/followups',
    '/api/plans/{id}/files', '/api/events/{id}/registrations', '/api/meetings/requests', '/api/memberships/requests',
    '/api/organisations/{id}/delegations', '/api/organisations/{id}/roles', '/api/tokens', '/api/frameworks', '/api/area-groups', '/api/imports/mappings',
  ]) {
    const get = doc.paths[p]?.get;
    assert.ok(get, p);
    const query = (get.parameters ?? []).filter((x: { in: string }) => x.in === 'query').map((x: { name: string }) => x.name);
    assert.ok(query.includes('page') && query.includes('pageSize'), `${p}: ${query}`);
    const schema = get.responses['200'].content['application/json'].schema;
    assert.deepEqual(Object.keys(schema.properties).sort(), ['items', 'links', 'page', 'pageSize', 'total'], p);
    assert.equal(schema.properties.items.type, 'array', p);
  }
});
