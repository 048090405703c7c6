import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, snapshot, type TestApp } from '../../../test/helpers.js';
import { localStorageFor } from '../../platform/storage/index.js';
import { seedKnowledgeDemo } from './demo.js';

let t: TestApp;
before(async () => {
  t = await createTestApp({ demo: true });
});
after(() => t.close());

test('the seed news shows on /news, on the network page (from its working group too) and in the feeds', async () => {
  const a = await t.agent();
  const list = await a.get('/news');
  for (const s of ['Nya minnesanteckningar Miljöstrategisk arbetsgrupp', 'Nardono Nimpuno ny verksamhetsledare på HUV', 'Webbinarium om PACT']) assert.ok(list.body.includes(s), s);
  const net = await a.get('/organisations/kommunnatverket-for-hallbar-utveckling');
  assert.ok(net.body.includes('Nya minnesanteckningar Miljöstrategisk arbetsgrupp'), 'the working group’s news on the network page');
  assert.ok((await a.get('/news/feeds/kommunnatverket-for-hallbar-utveckling')).body.includes('Nya minnesanteckningar'));
});

test('the PACT webinar is past, with its recording and material; the 15 June gathering has the Hurdal and Indre Østfold presentations', async () => {
  const a = await t.agent();
  const past = (await a.api('GET', '/api/events?when=past')).json().items;
  const pact = past.find((e: { title: string }) => e.title.startsWith('Webbinarium om PACT'));
  const gathering = past.find((e: { title: string }) => e.title.includes('Bærekraftsløftet'));
  assert.ok(pact && gathering);
  const p = (await a.api('GET', `/api/events/${pact.id}`)).json();
  assert.ok(p.recordingUrl);
  assert.equal(p.files.filter((f: { role: string }) => f.role === 'material').length, 1);
  const g = (await a.api('GET', `/api/events/${gathering.id}`)).json();
  assert.equal(g.startsAt, '2022-06-15T07:00:00.000Z');
  const page = await a.get(`/events/${gathering.id}`);
  for (const s of ['Lisa Rohrhirsch', 'Hurdal kommune', 'Lisbeth Skjeldrum og Rasmus Glomsrud', 'Indre Østfold kommune']) assert.ok(page.body.includes(s), s);
});

test('search finds the webinar by PACT, by webbinarium and by a word of its material; the practice by its text', async () => {
  const a = await t.agent();
  const pact = (await a.api('GET', '/api/search?q=PACT')).json();
  assert.ok(pact.counts.some((c: { type: string }) => c.type === 'event'));
  assert.ok(pact.counts.some((c: { type: string }) => c.type === 'news'));
  assert.ok((await a.api('GET', '/api/search?q=webbinarium&type=event')).json().total >= 1);
  assert.ok((await a.api('GET', '/api/search?q=materialet&type=event')).json().total >= 1);
  assert.ok((await a.api('GET', '/api/search?q=endringsaktiviteter&type=practice')).json().total === 1);
});

test('the demo loader is idempotent', async () => {
  const before = await snapshot(t.db, ['knowledge_news', 'knowledge_events', 'knowledge_event_items', 'knowledge_event_files', 'knowledge_practices']);
  const res = await seedKnowledgeDemo(t.db, { storage: localStorageFor(t.config.dataDir) });
  assert.deepEqual(res.created, []);
  assert.deepEqual(await snapshot(t.db, ['knowledge_news', 'knowledge_events', 'knowledge_event_items', 'knowledge_event_files', 'knowledge_practices']), before);
});
