import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { systemActor } from '../src/platform/audit.js';
import { saveMapping } from '../src/modules/imports/index.js';
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

/**
 * Walks a list in pages of 2 and of 3 and checks both walks give, key for key, the list read as one
 * page: the same rows in the same order whatever the page size, so paging loses, repeats and reorders
 * nothing. Returns the keys; the tests check that the lists they build are longer than a page.
 */
async function walkStable(a: Agent, list: string, key: (item: any) => string): Promise<{ keys: string[]; total: number }> {
  const sep = list.includes('?') ? '&' : '?';
  const whole = (await a.api('GET', `${list}${sep}pageSize=200`)).json() as Body;
  assert.ok(whole.total <= 200 && !whole.links.next, `${list}: fits one page of 200`);
  const keys = whole.items.map(key);
  for (const size of [2, 3]) {
    const w = await walk(a, list, key, size);
    assert.deepEqual(w.keys, keys, `${list}: pages of ${size} give the list in one order`);
    assert.equal(w.total, whole.total, list);
  }
  return { keys, total: whole.total };
}

const txt = (name: string) => [{ name: 'file', filename: `${name}.txt`, content: Buffer.from(`${name}\n`) }];

test('plan files walk by links.next; a draft plan’s files are neither listed nor counted for others', async () => {
  await t.makeUser({ email: 'files-editor@example.org', roles: { 'hurdal-kommune': 'editor' } });
  const editor = await t.agent('files-editor@example.org');
  const anon = await t.agent();
  const hurdal = (await editor.api('GET', '/api/organisations/hurdal-kommune')).json().id as string;
  const plan = (await editor.api('POST', '/api/plans', { organisationId: hurdal, title: 'Plan med vedlegg', state: 'adopted' })).json().id as string;
  const draft = (await editor.api('POST', '/api/plans', { organisationId: hurdal, title: 'Utkast med vedlegg', state: 'draft' })).json().id as string;
  const titles = ['Vedlegg 0', 'Vedlegg 1', 'Vedlegg 2', 'Vedlegg 3', 'Vedlegg 4'];
  for (const title of titles) assert.equal((await editor.postMultipart(`/api/plans/${plan}/files`, { title }, txt(title))).statusCode, 201);
  for (const title of ['Utkast 0', 'Utkast 1', 'Utkast 2']) assert.equal((await editor.postMultipart(`/api/plans/${draft}/files`, { title }, txt(title))).statusCode, 201);
  for (const a of [anon, editor]) {
    const w = await walkStable(a, `/api/plans/${plan}/files`, (f: { title: string }) => f.title);
    assert.deepEqual(w.keys, titles, 'oldest first, only this plan’s files');
    assert.equal(w.total, 5);
  }
  assert.deepEqual((await walkStable(editor, `/api/plans/${draft}/files`, (f: { title: string }) => f.title)).keys, ['Utkast 0', 'Utkast 1', 'Utkast 2']);
  assert.equal((await anon.api('GET', `/api/plans/${draft}/files?pageSize=2`)).statusCode, 404, 'a draft plan’s files do not exist for others');
});

test('follow-ups walk by links.next; those of a closed item are neither listed nor counted for outsiders', async () => {
  await t.makeUser({ email: 'fu-herning@example.org', roles: { 'herning-kommune': 'editor' } });
  await t.makeUser({ email: 'fu-hurdal@example.org', roles: { 'hurdal-kommune': 'editor' } });
  const herning = await t.agent('fu-herning@example.org');
  const readers = [await t.agent(), await t.agent('fu-hurdal@example.org')];
  const anon = readers[0]!;
  const plans = (await anon.api('GET', '/api/plans?pageSize=200')).json().items as { id: string; title: string; adoptedItemId: string; adoptedMeetingId: string }[];
  const plan = plans.find((p) => p.title === 'Bæredygtighedscenter i Herning')!;
  const meeting = plan.adoptedMeetingId;
  const action = (await anon.api('GET', `/api/plans/${plan.id}`)).json().actions[0].id as string;
  const closedItem = ((await herning.api('GET', `/api/meetings/${meeting}`)).json().items as { id: string; public: boolean }[]).find((i) => !i.public)!.id;
  const list = `/api/followups?meeting=${meeting}`;
  const before = { own: (await walkStable(herning, list, id)).keys, other: (await walkStable(anon, list, id)).keys };
  const open: string[] = [];
  const closed: string[] = [];
  for (let i = 0; i < 5; i++) open.push((await herning.api('POST', '/api/followups', { agendaItemId: plan.adoptedItemId, what: `Opfølgning ${i}`, actionId: action })).json().id);
  for (let i = 0; i < 2; i++) closed.push((await herning.api('POST', '/api/followups', { agendaItemId: closedItem, what: `Fortrolig ${i}`, actionId: action })).json().id);
  const own = await walkStable(herning, list, id);
  assert.deepEqual(own.keys, [...before.own, ...open, ...closed], 'oldest first: the new ones last, in the order written');
  assert.ok(own.total > 3);
  for (const a of readers) {
    const seen = await walkStable(a, list, id);
    assert.deepEqual(seen.keys, [...before.other, ...open], 'a closed item’s follow-ups are not there');
    assert.equal(seen.total, own.total - closed.length - (before.own.length - before.other.length), 'nor counted');
  }
});

test('delegations walk by links.next by network name; another organisation’s and a revoked one are not there', async () => {
  await t.makeUser({ email: 'deleg-root@example.org', admin: true });
  const root = await t.agent('deleg-root@example.org');
  const anon = await t.agent();
  const org = (slug: string) => root.api('GET', `/api/organisations/${slug}`).then((r) => r.json().id as string);
  const vanersborg = await org('vanersborgs-kommun');
  const herning = await org('herning-kommune');
  const names = ['Delegation E', 'Delegation A', 'Delegation D', 'Delegation C', 'Delegation B'];
  const nets: Record<string, string> = {};
  for (const name of names) {
    const n = await root.api('POST', '/api/organisations', { name, kind: 'network' });
    assert.equal(n.statusCode, 201, n.body);
    nets[name] = n.json().id;
    for (const member of [vanersborg, herning]) assert.equal((await root.api('POST', '/api/memberships', { organisationId: nets[name], memberOrganisationId: member, role: 'member' })).statusCode, 201);
    assert.equal((await root.api('POST', `/api/organisations/vanersborgs-kommun/delegations`, { networkId: nets[name] })).statusCode, 201);
  }
  // Herning delegates to one of them: that is Herning's, not Vänersborg's.
  assert.equal((await root.api('POST', `/api/organisations/herning-kommune/delegations`, { networkId: nets['Delegation A'] })).statusCode, 201);
  const list = '/api/organisations/vanersborgs-kommun/delegations';
  const before = await walkStable(anon, list, (d: { network: { name: string } }) => d.network.name);
  assert.equal((await root.api('DELETE', `${list}/${nets['Delegation C']}`)).statusCode, 204);
  const w = await walkStable(anon, list, (d: { network: { name: string } }) => d.network.name);
  assert.deepEqual(w.keys, before.keys.filter((n) => n !== 'Delegation C'), 'the revoked one is gone from the pages and the count');
  assert.deepEqual(w.keys.filter((n) => n.startsWith('Delegation ')), ['Delegation A', 'Delegation B', 'Delegation D', 'Delegation E'], 'by network name');
  assert.ok(w.total > 3);
  assert.deepEqual((await walkStable(anon, '/api/organisations/herning-kommune/delegations', (d: { network: { name: string } }) => d.network.name)).keys.filter((n) => n.startsWith('Delegation ')), ['Delegation A']);
});

test('event registrations walk by links.next for the organisers; another event’s are not counted; others get 403', async () => {
  await t.makeUser({ email: 'event-editor@example.org', roles: { 'hurdal-kommune': 'editor' } });
  await t.makeUser({ email: 'event-outsider@example.org', roles: { 'herning-kommune': 'editor' } });
  const editor = await t.agent('event-editor@example.org');
  const hurdal = (await editor.api('GET', '/api/organisations/hurdal-kommune')).json().id as string;
  const event = async (title: string) => {
    const res = await editor.api('POST', '/api/events', { kind: 'webinar', title, lang: 'nb', start: '2031-05-01T10:00:00Z', end: '2031-05-01T12:00:00Z', onlineUrl: 'https://example.org/webinar', organisationIds: [hurdal], registrationOpen: true });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal((await editor.api('POST', `/api/events/${res.json().id}/publication`, { publish: true })).statusCode, 200);
    return res.json().id as string;
  };
  const [one, two] = [await event('Webinar med påmelding'), await event('Et annet webinar')];
  const emails = Array.from({ length: 5 }, (_, i) => `deltaker${i}@example.org`);
  for (const email of emails) assert.equal((await (await t.agent()).api('POST', `/api/events/${one}/registrations`, { name: email.split('@')[0], email })).statusCode, 201);
  for (const email of ['annen0@example.org', 'annen1@example.org']) assert.equal((await (await t.agent()).api('POST', `/api/events/${two}/registrations`, { name: 'Annen', email })).statusCode, 201);
  const w = await walkStable(editor, `/api/events/${one}/registrations`, (r: { email: string }) => r.email);
  assert.deepEqual(w.keys, emails, 'oldest registration first, only this event’s');
  assert.equal(w.total, 5);
  for (const a of [await t.agent(), await t.agent('event-outsider@example.org')]) {
    assert.ok([401, 403].includes((await a.api('GET', `/api/events/${one}/registrations?pageSize=2`)).statusCode));
  }
});

test('meeting and membership requests walk by links.next; another organisation’s requests are neither listed nor counted', async () => {
  await t.makeUser({ email: 'req-herning@example.org', roles: { 'herning-kommune': 'editor' } });
  await t.makeUser({ email: 'req-vaxjo@example.org', roles: { 'vaxjo-kommun': 'admin' } });
  await t.makeUser({ email: 'req-hurdal@example.org', roles: { 'hurdal-kommune': 'admin' } });
  const asker = await t.agent('req-herning@example.org');
  const vaxjoAdmin = await t.agent('req-vaxjo@example.org');
  const hurdalAdmin = await t.agent('req-hurdal@example.org');
  const org = (slug: string) => asker.api('GET', `/api/organisations/${slug}`).then((r) => r.json().id as string);
  const [herning, vaxjo] = [await org('herning-kommune'), await org('vaxjo-kommun')];
  const meetingOf = (r: { meeting: { id: string }; organisation: { id: string } }) => `${r.meeting.id} ${r.organisation.id}`;
  const before = { vaxjo: await walkStable(vaxjoAdmin, '/api/meetings/requests', meetingOf), hurdal: await walkStable(hurdalAdmin, '/api/meetings/requests', meetingOf) };
  const asked: string[] = [];
  for (let i = 0; i < 5; i++) {
    // Herning's editor names Växjö as a second organiser, which Växjö has yet to accept. Later meetings first, so the list's own order (soonest first) shows.
    const res = await asker.api('POST', '/api/meetings', { title: `Samråd ${i}`, start: `2032-0${5 - i}-01T09:00:00+02:00`, organisationIds: [herning, vaxjo] });
    assert.equal(res.statusCode, 201, res.body);
    asked.unshift(`${res.json().id} ${vaxjo}`);
  }
  const meetings = await walkStable(vaxjoAdmin, '/api/meetings/requests', meetingOf);
  assert.deepEqual(meetings.keys.filter((k) => asked.includes(k)), asked, 'soonest first');
  assert.equal(meetings.total, before.vaxjo.total + asked.length);
  assert.ok(meetings.total > 3);
  const elsewhere = await walkStable(hurdalAdmin, '/api/meetings/requests', meetingOf);
  assert.deepEqual(elsewhere.keys, before.hurdal.keys, 'Växjö’s requests are not Hurdal’s');

  const mBefore = { vaxjo: await walkStable(vaxjoAdmin, '/api/memberships/requests', id), hurdal: await walkStable(hurdalAdmin, '/api/memberships/requests', id) };
  const memberships: string[] = [];
  for (let i = 0; i < 5; i++) {
    const p = await asker.api('POST', '/api/people', { name: `Representant ${i}` });
    assert.equal(p.statusCode, 201, p.body);
    const m = await asker.api('POST', '/api/memberships', { organisationId: herning, personId: p.json().id, role: 'representative', onBehalfOfId: vaxjo });
    assert.equal(m.statusCode, 201, m.body);
    memberships.push(m.json().id);
  }
  const ms = await walkStable(vaxjoAdmin, '/api/memberships/requests', id);
  assert.deepEqual(new Set(ms.keys.filter((k) => memberships.includes(k))), new Set(memberships));
  assert.equal(ms.total, mBefore.vaxjo.total + memberships.length);
  assert.ok(ms.total > 3);
  assert.deepEqual((await walkStable(hurdalAdmin, '/api/memberships/requests', id)).keys, mBefore.hurdal.keys, 'nor are its membership requests');
});

test('saved import mappings walk by links.next by format and name, for importers only', async () => {
  const actor = systemActor('test');
  const saved = [['px', 'Mapping B'], ['csv', 'Mapping B'], ['px', 'Mapping A'], ['csv', 'Mapping C'], ['csv', 'Mapping A']] as const;
  for (const [format, name] of saved) await saveMapping(t.db, actor, { name, format, mapping: { dims: { Region: 'area' } } });
  await t.makeUser({ email: 'mapping-importer@example.org', roles: { 'hurdal-kommune': 'editor' } });
  await t.makeUser({ email: 'mapping-member@example.org', roles: { 'hurdal-kommune': 'member' } });
  const w = await walkStable(await t.agent('mapping-importer@example.org'), '/api/imports/mappings', (m: { format: string; name: string }) => `${m.format} ${m.name}`);
  assert.deepEqual(w.keys.filter((k) => k.includes('Mapping ')), ['csv Mapping A', 'csv Mapping B', 'csv Mapping C', 'px Mapping A', 'px Mapping B']);
  assert.deepEqual([...w.keys].sort(), w.keys, 'by format, then name');
  assert.ok(w.total > 3);
  assert.equal((await (await t.agent('mapping-member@example.org')).api('GET', '/api/imports/mappings?pageSize=2')).statusCode, 403);
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
