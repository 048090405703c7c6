/**
 * Nothing private in public (issue #8): the organisation history (page and API) and the import
 * batch list show closed files, closed cases and e-mail addresses to no one who may not see them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type Agent, type TestApp } from './helpers.js';

let t: TestApp;
let anon: Agent;
let outsider: Agent;
let member: Agent;
let admin: Agent;
const WG = 'miljostrategisk-arbetsgrupp';
const FILE = 'Uppfoljning-miljomal-Vanersborg.pdf';
let sha: string;
let caseTitle: string;
let caseOrg: string;

before(async () => {
  t = await createTestApp({ demo: true });
  await t.makeUser({ email: 'outsider@example.org', name: 'Outsider', roles: { 'vaxjo-kommun': 'admin' } });
  await t.makeUser({ email: 'wg-member@example.org', name: 'WG Member', roles: { [WG]: 'member' } });
  await t.makeUser({ email: 'root@example.org', name: 'Root', admin: true });
  anon = await t.agent();
  outsider = await t.agent('outsider@example.org');
  member = await t.agent('wg-member@example.org');
  admin = await t.agent('root@example.org');
  // The item the file belongs to is closed after the file was published.
  await t.db.query(`UPDATE agenda_items SET is_public = false WHERE id = (SELECT agenda_item_id FROM meeting_files WHERE file_name = $1)`, [FILE]);
  await t.db.query(`UPDATE meeting_files SET is_public = false WHERE file_name = $1`, [FILE]);
  const [f] = await t.db.query<{ sha512: string }>(`SELECT sha512 FROM meeting_files WHERE file_name = $1`, [FILE]);
  sha = f!.sha512;
  const [c] = await t.db.query<{ title: string; organisation_id: string }>(`SELECT c.title, a.organisation_id FROM cases c JOIN audit_events a ON a.entity_id = c.id::text AND a.action = 'case.create' LIMIT 1`);
  caseTitle = c!.title;
  caseOrg = c!.organisation_id;
  // An account e-mail address in the history: a role granted by a platform admin.
  assert.equal((await admin.api('PUT', `/api/organisations/${WG}/roles`, { email: 'wg-member@example.org', role: 'member' })).statusCode < 300, true);
});
after(() => t.close());

describe('organisation history', () => {
  test('readers outside the organisation see no closed file name, size or checksum, no closed case title, no e-mail address', async () => {
    for (const reader of [anon, outsider]) {
      for (const [org, secrets] of [[WG, [FILE, sha]], [caseOrg, [caseTitle]]] as const) {
        const api = await reader.api('GET', `/api/organisations/${org}/history?limit=200`);
        assert.equal(api.statusCode, 200);
        const page = await reader.get(`/organisations/${org}/history`);
        assert.equal(page.statusCode, 200);
        for (const s of secrets) {
          assert.ok(!api.body.includes(s), `API shows ${s}`);
          assert.ok(!page.body.includes(s.replace(/&/g, '&amp;')), `page shows ${s}`);
        }
        assert.doesNotMatch(api.body, /@example\.org/);
        assert.doesNotMatch(page.body, /@example\.org/);
      }
    }
    const api = (await anon.api('GET', `/api/organisations/${WG}/history?limit=200`)).json();
    assert.ok(api.items.some((e: any) => e.entityType === 'meeting_file' && e.hidden === true), 'the entry is there, its details withheld');
    assert.ok(api.items.filter((e: any) => e.entityType === 'meeting_file').every((e: any) => Object.keys(e.changes).length === 0), 'no size or checksum');
  });

  test('members of the organisation see the details', async () => {
    const api = await member.api('GET', `/api/organisations/${WG}/history?limit=200`);
    assert.ok(api.body.includes(FILE) && api.body.includes(sha));
    // Still no e-mail address in who did it.
    assert.ok(api.json().items.every((e: any) => !/@/.test(e.actor)));
  });
});

describe('import batches', () => {
  test('the batch list needs a signed-in user and shows names, not e-mail addresses', async () => {
    const csv = 'indicator,area,period,value\ndemo-renewable-share,se-0780,2040,50\n';
    assert.equal((await admin.api('POST', '/api/imports', { format: 'long', content: csv })).statusCode, 200);
    const a = await anon.api('GET', '/api/imports/batches');
    assert.equal(a.statusCode, 401);
    const list = await outsider.api('GET', '/api/imports/batches');
    assert.equal(list.statusCode, 200);
    assert.ok(list.json().items.some((b: any) => b.by === 'Root'), list.body.slice(0, 300));
    assert.doesNotMatch(list.body, /@/);
    const one = await outsider.api('GET', `/api/imports/batches/${list.json().items[0].id}`);
    assert.doesNotMatch(one.json().by, /@/);
    assert.equal((await anon.api('GET', `/api/imports/batches/${list.json().items[0].id}`)).statusCode, 401);
    const page = await anon.get('/imports');
    assert.doesNotMatch(page.body, /root@example\.org/);
    const batchPage = await anon.get(`/imports/batches/${list.json().items[0].id}`);
    assert.doesNotMatch(batchPage.body, /root@example\.org/);
  });
});
