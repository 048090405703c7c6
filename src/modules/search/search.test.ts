import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, drainJobs, type Agent, type TestApp } from '../../../test/helpers.js';
import { systemActor } from '../../platform/audit.js';
import { indexSearchDoc, removeSearchDoc } from '../../platform/search-index.js';
import { directory } from '../directory/index.js';
import { reindexAll } from './index.js';
import { snippetParts } from './service.js';

let t: TestApp;
let anon: Agent;
let member: Agent; // member of the working group (sees its closed items)
let outsider: Agent; // editor elsewhere
let admin: Agent;
let groupId: string;
let otherId: string;

const hits = async (a: Agent, q: string, extra = '') => {
  const res = await a.api('GET', `/api/search?q=${encodeURIComponent(q)}${extra}`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as { total: number; counts: { type: string; count: number }[]; items: { type: string; id: string; title: string; snippet: { text: string; hit: boolean }[] }[] };
};
const ids = async (a: Agent, q: string, extra = '') => (await hits(a, q, extra)).items.map((i) => i.id);

before(async () => {
  t = await createTestApp();
  const sys = systemActor('test');
  const net = await directory.createOrganisation(t.db, sys, { name: 'Nätverket för hållbar utveckling', slug: 'natverket', kind: 'network', lang: 'sv', description: 'Ett nätverk av kommuner.' });
  const wg = await directory.createOrganisation(t.db, sys, { name: 'Miljöstrategiska gruppen', slug: 'miljogruppen', kind: 'working_group', parentId: net.id, lang: 'sv', description: '' });
  const other = await directory.createOrganisation(t.db, sys, { name: 'Indre Østfold kommune', slug: 'indre-ostfold', kind: 'network', lang: 'nb', description: 'Kommunene i Indre Østfold samarbeider.' });
  groupId = wg.id;
  otherId = other.id;
  await t.makeUser({ email: 'member@example.org', roles: { miljogruppen: 'member' } });
  await t.makeUser({ email: 'outsider@example.org', roles: { 'indre-ostfold': 'editor' } });
  await t.makeUser({ email: 'admin@example.org', admin: true });
  anon = await t.agent();
  member = await t.agent('member@example.org');
  outsider = await t.agent('outsider@example.org');
  admin = await t.agent('admin@example.org');
  await t.db.orm.transaction(async (tx) => {
    await indexSearchDoc(tx, { type: 'news', id: 'sv1', title: 'Ny handlingsplan', body: 'Kommunerna i regionen har antagit en gemensam plan för klimatet.', lang: 'sv', url: '/news/sv1', organisationIds: [net.id], sdgGoals: [13], year: 2024 });
    await indexSearchDoc(tx, { type: 'news', id: 'nb1', title: 'Samarbeid om vann', body: 'Kommunene i Viken deler erfaringer om overvann.', lang: 'nb', url: '/news/nb1', sdgGoals: [6], year: 2025 });
    await indexSearchDoc(tx, { type: 'news', id: 'da1', title: 'Grøn omstilling', body: 'Kommunerne samarbejder om cirkulær økonomi.', lang: 'da', url: '/news/da1', year: 2025 });
    await indexSearchDoc(tx, { type: 'news', id: 'en1', title: 'Cities learn together', body: 'Municipalities shared their experiences with the PACT tool.', lang: 'en', url: '/news/en1', year: 2023 });
    await indexSearchDoc(tx, { type: 'event', id: 'e1', title: 'Webbinarium om PACT-verktyget', body: 'Inspelningen och materialet finns att se i efterhand.', lang: 'sv', url: '/events/e1', year: 2025 });
    await indexSearchDoc(tx, { type: 'news', id: 'xss', title: 'Skript <script>alert(1)</script> i texten', body: 'Texten innehåller <b>taggar</b> och skriptet alert.', lang: 'sv', url: '/news/xss' });
    await indexSearchDoc(tx, { type: 'agenda_item', id: 'closed1', title: 'Personalärende', body: 'Hemligstämplat underlag om omorganisationen.', lang: 'sv', url: '/meetings/x#item-1', restrictedToOrg: wg.id, organisationIds: [wg.id] });
  });
});
after(() => t.close());

describe('language-aware matching', () => {
  test('Swedish: "kommunerna" and "kommun" find the Swedish text', async () => {
    assert.ok((await ids(anon, 'kommun')).includes('sv1'));
    assert.ok((await ids(anon, 'kommunernas')).includes('sv1'));
  });
  test('Norwegian: "kommunenes" finds "Kommunene"', async () => {
    assert.ok((await ids(anon, 'kommunenes')).includes('nb1'));
  });
  test('Danish: "kommunernes" finds "Kommunerne"', async () => {
    assert.ok((await ids(anon, 'kommunernes')).includes('da1'));
  });
  test('English: "municipality" finds "Municipalities"', async () => {
    assert.deepEqual(await ids(anon, 'municipality', '&type=news'), ['en1']);
  });
  test('case and accents are ignored both ways', async () => {
    assert.ok((await ids(anon, 'GRON OMSTILLING')).includes('da1'));
    assert.ok((await ids(anon, 'miljostrategiska')).includes(groupId));
    assert.ok((await ids(anon, 'indre østfold')).includes(otherId));
  });
  test('the last word is a prefix while typing', async () => {
    assert.deepEqual(await ids(anon, 'webbin', '&type=event'), ['e1']);
    assert.deepEqual(await ids(anon, 'pact verkt', '&type=event'), ['e1']);
    assert.deepEqual(await ids(anon, 'webbin xyzzy', '&type=event'), [], 'every word must match');
  });
  test('names match with small typos (trigram)', async () => {
    assert.ok((await ids(anon, 'Indre Östfld')).includes(otherId));
    assert.ok((await ids(anon, 'miljöstrategska')).includes(groupId));
  });
  test('filters: type, organisation, goal, year, language', async () => {
    const all = await hits(anon, 'kommun');
    assert.ok(all.counts.some((c) => c.type === 'news' && c.count >= 3));
    assert.deepEqual(await ids(anon, 'kommun', '&sdg=13'), ['sv1']);
    assert.deepEqual(await ids(anon, 'kommun', '&year=2024'), ['sv1']);
    assert.deepEqual(await ids(anon, 'kommun', '&lang=da'), ['da1']);
    const net = await directory.getOrganisation(t.db.orm, 'natverket');
    assert.deepEqual(await ids(anon, 'kommun', `&org=${net.id}&type=news`), ['sv1']);
  });
  test('paging', async () => {
    const p1 = await hits(anon, 'kommun', '&type=news&pageSize=2');
    const p2 = await hits(anon, 'kommun', '&type=news&pageSize=2&page=2');
    assert.equal(p1.items.length, 2);
    assert.equal(p1.total, p2.total);
    assert.ok(p2.items.every((i) => !p1.items.some((j) => j.id === i.id)));
  });
});

describe('snippets', () => {
  test('matched words are marked, markup in the text stays text', async () => {
    const r = await hits(anon, 'skriptet');
    const item = r.items.find((i) => i.id === 'xss')!;
    assert.ok(item.snippet.some((p) => p.hit && /skript/i.test(p.text)));
    const page = await anon.get('/search?q=skriptet');
    assert.equal(page.statusCode, 200);
    assert.ok(!page.body.includes('<script>alert(1)</script>'), 'a title is escaped');
    assert.ok(page.body.includes('&lt;script>alert(1)&lt;/script>') || page.body.includes('&lt;script&gt;'));
    assert.match(page.body, /<mark>skriptet<\/mark>/);
  });
  test('snippetParts never yields markers', () => {
    assert.deepEqual(snippetParts('a \u0001b\u0002 c\u0001'), [
      { text: 'a ', hit: false },
      { text: 'b', hit: true },
      { text: ' c', hit: false },
    ]);
  });
});

describe('what a reader may see', () => {
  test('a restricted document is found only by members of its organisation and platform admins; counts too', async () => {
    for (const a of [anon, outsider]) {
      const r = await hits(a, 'hemligstämplat');
      assert.equal(r.total, 0);
      assert.deepEqual(r.counts, []);
      assert.ok(!(await a.get('/search?q=hemligst%C3%A4mplat')).body.includes('Personalärende'));
    }
    for (const a of [member, admin]) {
      const r = await hits(a, 'hemligstämplat');
      assert.deepEqual(r.items.map((i) => i.id), ['closed1']);
      assert.deepEqual(r.counts, [{ type: 'agenda_item', count: 1, more: false }]);
    }
  });
  test('a closed agenda item of a real meeting is never found by outsiders', async () => {
    const m = await admin.api('POST', '/api/meetings', { title: 'Gruppens möte', lang: 'sv', start: '2025-06-15T10:00:00+02:00', organisationIds: [groupId] });
    assert.equal(m.statusCode, 201, m.body);
    const mid = m.json().id;
    assert.equal((await admin.api('POST', `/api/meetings/${mid}/items`, { title: 'Öppet ärende', lang: 'sv', summary: '<p>Solpaneler på skolornas tak</p>' })).statusCode, 201);
    assert.equal((await admin.api('POST', `/api/meetings/${mid}/items`, { title: 'Slutet ärende', isPublic: false, lang: 'sv', summary: '<p>Förhandling om markköp i Kvarnbacken</p>' })).statusCode, 201);
    // Before the agenda is published, nobody outside the editors finds the items.
    assert.equal((await hits(anon, 'solpanelerna')).total, 0);
    assert.equal((await hits(member, 'kvarnbacken')).total, 0);
    assert.equal((await admin.api('POST', `/api/meetings/${mid}/publication`, { what: 'agenda', publish: true })).statusCode, 200);
    assert.deepEqual((await hits(anon, 'solpanelerna')).items.map((i) => i.type), ['agenda_item']);
    for (const a of [anon, outsider]) assert.equal((await hits(a, 'kvarnbacken')).total, 0);
    assert.equal((await hits(member, 'kvarnbacken')).total, 1);
    // The meeting itself is found by its title.
    assert.ok((await hits(anon, 'gruppens möte')).items.some((i) => i.type === 'meeting' && i.id === mid));
  });
  test('a rebuild gives the same answers', async () => {
    await t.db.orm.transaction((tx) => removeSearchDoc(tx, 'organisation', otherId));
    assert.ok(!(await ids(anon, 'indre østfold')).includes(otherId));
    const counts = await reindexAll(t.db);
    assert.ok(counts.organisation! >= 3);
    assert.ok((await ids(anon, 'indre østfold')).includes(otherId));
    assert.equal((await hits(anon, 'kvarnbacken')).total, 0);
    assert.equal((await hits(member, 'kvarnbacken')).total, 1);
  });
  test('platform administrators queue a rebuild through the API; a job runs it and reports how far it got', async () => {
    await t.db.orm.transaction((tx) => removeSearchDoc(tx, 'organisation', otherId));
    assert.equal((await admin.api('GET', '/api/search/reindex')).statusCode, 404, 'no rebuild yet');
    assert.equal((await anon.api('POST', '/api/search/reindex')).statusCode, 401);
    assert.equal((await outsider.api('POST', '/api/search/reindex')).statusCode, 403);
    assert.equal((await member.api('GET', '/api/search/reindex')).statusCode, 403);
    assert.equal((await admin.api('POST', '/api/search/reindex', undefined, { csrf: false })).statusCode, 403);
    assert.equal((await t.db.query(`SELECT 1 FROM jobs WHERE kind = 'search.reindex'`)).length, 0, 'nothing was queued');
    const res = await admin.api('POST', '/api/search/reindex');
    assert.equal(res.statusCode, 202, res.body);
    await drainJobs(t);
    const status = (await admin.api('GET', '/api/search/reindex')).json();
    assert.equal(status.id, res.json().id);
    assert.equal(status.state, 'done');
    assert.equal(status.progress, 100);
    assert.ok(status.counts.organisation >= 3);
    assert.ok((await ids(anon, 'indre østfold')).includes(otherId));
    assert.equal((await hits(anon, 'kvarnbacken')).total, 0);
  });
});

describe('bad queries', () => {
  test('10,000 characters: a clear message, no 500', async () => {
    const long = 'kommun '.repeat(1430);
    const api = await anon.api('GET', `/api/search?q=${encodeURIComponent(long)}`);
    assert.equal(api.statusCode, 422);
    assert.equal(api.json().errors[0].field, 'q');
    const page = await anon.get(`/search?q=${encodeURIComponent(long)}`);
    assert.equal(page.statusCode, 422);
    assert.match(page.body, /too long/);
  });
  test('only punctuation: a clear message, no 500', async () => {
    const api = await anon.api('GET', `/api/search?q=${encodeURIComponent('!?*&|:()\'"')}`);
    assert.equal(api.statusCode, 422);
    const page = await anon.get(`/search?q=${encodeURIComponent('&&& ::: !!!')}`);
    assert.equal(page.statusCode, 422);
    assert.match(page.body, /no letters or digits/);
  });
  test('tsquery syntax in words is harmless', async () => {
    const r = await anon.api('GET', `/api/search?q=${encodeURIComponent("kommun' & !x:* | (")}`);
    assert.equal(r.statusCode, 200);
  });
});

describe('very common words: bounded work, honest counts', () => {
  // Bulk rows in the product's own tsvector expression (platform/search-index.ts), one statement.
  const bulk = (n: number, type: string, word: string, restricted: string | null = null) =>
    t.db.query(
      `INSERT INTO search_documents (doc_type, doc_id, title, title_fold, body, lang, url, restricted_to_org, tsv)
       SELECT $1, $1 || '-' || i, 'Dokument ' || i, 'dokument ' || i, 'Underlaget om ' || $2 || ' nummer ' || i, 'sv', '/x/' || i, $3::uuid,
              setweight(to_tsvector('swedish', 'dokument ' || i), 'A') || setweight(to_tsvector('swedish', 'underlaget om ' || $2 || ' nummer ' || i), 'B')
       FROM generate_series(1, ${n}) i`,
      [type, word, restricted],
    );

  test('counts stop at the cap and say "more than"; a title match still ranks first; the pool never holds restricted text', async () => {
    await bulk(1200, 'news', 'flisfyringen');
    // Indexed last, so it is not among the first matches found: the title pool brings it in.
    await t.db.orm.transaction((tx) => indexSearchDoc(tx, { type: 'news', id: 'flis-title', title: 'Flisfyringen i Hurdal', body: 'Om nærvarme.', lang: 'nb', url: '/news/flis' }));
    await bulk(700, 'agenda_item', 'flisfyringen', groupId);
    const r = await hits(anon, 'flisfyringen');
    assert.deepEqual(r.counts, [{ type: 'news', count: 500, more: true }], 'restricted items are neither counted nor capped for outsiders');
    assert.equal((r as unknown as { totalMore: boolean }).totalMore, true);
    assert.equal(r.items[0]!.id, 'flis-title');
    const typed = await hits(anon, 'flisfyringen', '&type=news');
    assert.equal(typed.items[0]!.id, 'flis-title');
    assert.equal(typed.total, 500);
    const m = await hits(member, 'flisfyringen');
    assert.deepEqual(m.counts.map((c) => [c.type, c.count, (c as unknown as { more: boolean }).more]), [['agenda_item', 500, true], ['news', 500, true]]);
    const page = await anon.get('/search?q=flisfyringen');
    assert.match(page.body, /more than 500/);
    // Below the cap, counts are exact.
    const exact = await hits(anon, 'flisfyringen nummer 17');
    assert.ok(exact.counts.every((c) => !(c as unknown as { more: boolean }).more));
  });
});
