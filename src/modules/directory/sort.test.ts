import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type Agent, type TestApp } from '../../../test/helpers.js';
import { collator, sortKey, type Locale } from '../../web/i18n/index.js';
import { backfillSortKeys } from './reads.js';

let t: TestApp;
let admin: Agent;
// Names whose order differs between the languages; with page size 3 the lists run over three pages.
const NAMES = ['Zealand', 'Ærø', 'Aarhus', 'Odense', 'Åre', 'Östersund', 'Ängelholm', 'Vaxholm', 'Växjö'];

before(async () => {
  t = await createTestApp();
  await t.makeUser({ email: 'admin@example.org', admin: true });
  admin = await t.agent('admin@example.org');
  for (const name of NAMES) {
    assert.equal((await admin.api('POST', '/api/organisations', { name, kind: 'network', lang: 'en' })).statusCode, 201);
    assert.equal((await admin.api('POST', '/api/people', { name: `${name} Person`, lang: 'en' })).statusCode, 201);
  }
});
after(() => t.close());

async function allPages(path: string, lang: Locale, size = 3): Promise<string[][]> {
  const pages: string[][] = [];
  for (let page = 1; ; page++) {
    const res = await (await t.agent()).get(`${path}?pageSize=${size}&page=${page}`, { 'accept-language': lang, accept: 'application/json' });
    const items = (res.json() as { items: { name: string }[] }).items.map((i) => i.name);
    if (!items.length) break;
    pages.push(items);
  }
  return pages;
}

test('the sort key orders names as the page language’s collator does', () => {
  const words = [...NAMES, 'Ålborg', 'Aalborg', 'Ørsta', 'Øvre Eiker', 'Bærum', 'Bodø', 'Bø', 'Område 10', 'Område 2', 'Zürich', 'Yxa', 'Üb', 'St. Peter', 'Ed', 'Eda', 'E-stad'];
  for (const l of ['sv', 'nb', 'da', 'en'] as const) {
    const byKey = [...words].sort((a, b) => (sortKey(l, a) < sortKey(l, b) ? -1 : sortKey(l, a) > sortKey(l, b) ? 1 : 0));
    assert.deepEqual(byKey, [...words].sort(collator(l).compare), l);
  }
});

test('organisation and person lists page in the reader’s alphabetical order across pages', async () => {
  const da = await allPages('/api/organisations', 'da');
  // Danish: Æ Ø Å after Z, and "Aa" is Å: Ærø comes after Zealand, on a later page.
  assert.deepEqual(da, [['Odense', 'Vaxholm', 'Växjö'], ['Zealand', 'Ängelholm', 'Ærø'], ['Östersund', 'Åre', 'Aarhus']]);
  const sv = await allPages('/api/organisations', 'sv');
  assert.deepEqual(sv.flat(), ['Aarhus', 'Odense', 'Vaxholm', 'Växjö', 'Zealand', 'Åre', 'Ängelholm', 'Ærø', 'Östersund']);
  assert.deepEqual(sv[1], ['Växjö', 'Zealand', 'Åre']);
  const en = await allPages('/api/organisations', 'en');
  assert.deepEqual(en.flat(), ['Aarhus', 'Ærø', 'Ängelholm', 'Åre', 'Odense', 'Östersund', 'Vaxholm', 'Växjö', 'Zealand']);
  const people = await allPages('/api/people', 'nb');
  assert.deepEqual(people.flat(), ['Odense', 'Vaxholm', 'Växjö', 'Zealand', 'Ängelholm', 'Ærø', 'Östersund', 'Åre', 'Aarhus'].map((n) => `${n} Person`));
  // The web page in Danish, page 1 of 50 per page, shows the same order.
  const page = (await (await t.agent()).get('/organisations?kind=network', { 'accept-language': 'da' })).body;
  const order = NAMES.map((n) => [n, page.indexOf(`>${n}<`)] as const).filter(([, i]) => i > 0).sort((a, b) => a[1] - b[1]).map(([n]) => n);
  assert.deepEqual(order, da.flat());
});

test('rows written before the sort keys existed are keyed by the start-up backfill', async () => {
  await t.db.query(`UPDATE organisations SET sort_sv = '', sort_nb = '', sort_da = '', sort_en = '' WHERE name IN ('Ærø', 'Aarhus')`);
  assert.equal(await backfillSortKeys(t.db), 2);
  assert.equal(await backfillSortKeys(t.db), 0);
  const da = await allPages('/api/organisations', 'da', 20);
  assert.deepEqual(da.flat().slice(-3), ['Östersund', 'Åre', 'Aarhus']);
});
