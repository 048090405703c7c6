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
