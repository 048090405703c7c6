import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import { systemActor } from '../../platform/audit.js';
import { importTaxonomy } from './service.js';
import { frameworkTree } from './frameworks-pages.js';

let t: TestApp;
before(async () => {
  t = await createTestApp({ demo: true });
  // A small three-level framework whose names exist in English and Swedish only.
  await importTaxonomy(t.db, systemActor('test'), {
    framework: {
      key: 'test-u4ssc',
      names: { en: 'Test U4SSC', sv: 'Test-U4SSC' },
      source: 'ITU',
      nodes: [
        { code: 'EC', level: 'goal', names: { en: 'Economy', sv: 'Ekonomi' } },
        { code: 'EC-ICT', level: 'category', parentCode: 'EC', names: { en: 'ICT' } },
        { code: 'EN', level: 'goal', names: { en: 'Environment' } },
      ],
    },
    indicators: [
      { code: 'tu-1', name: 'Household internet access', lang: 'en', nodeCodes: ['EC-ICT'] },
      { code: 'tu-2', name: 'Fixed broadband', lang: 'en', nodeCodes: ['EC-ICT', 'EC'] },
    ],
  });
});
after(() => t.close());

test('a framework as a tree: nodes nested under their parents, each counting the indicators below it once', async () => {
  const tree = await frameworkTree(t.db.orm, 'test-u4ssc');
  assert.deepEqual(tree.roots.map((n) => [n.code, n.total, n.children.map((c) => [c.code, c.total])]), [
    ['EC', 2, [['EC-ICT', 2]]],
    ['EN', 0, []],
  ]);
  assert.equal(tree.indicators, 2);
  const sdg = await frameworkTree(t.db.orm, 'sdg');
  assert.equal(sdg.roots.length, 17);
  assert.equal(sdg.nodes, 17 + 169);
  // Targets in numeric order: 1.9 before 1.10, then 1.a.
  const codes = sdg.roots[0]!.children.map((c) => c.code);
  assert.ok(codes.indexOf('1.9') < codes.indexOf('1.a'));
});

test('/frameworks/{key} shows the tree with counts and links; names fall back visibly with their language', async () => {
  const a = await t.agent();
  const nb = await a.get('/frameworks/test-u4ssc', { 'accept-language': 'nb' });
  assert.equal(nb.statusCode, 200);
  const main = nb.body.slice(nb.body.indexOf('<main'));
  // No Norwegian names: English shown, marked and named.
  assert.match(main, /<h1 class="ds-heading" data-size="xl" lang="en">Test U4SSC<\/h1>/);
  assert.match(main, /<span lang="en">Economy<\/span> <span class="lang-note">\(engelsk\)<\/span> <span class="fw-count">\(2 indikatorer\)<\/span>/);
  assert.match(main, /<a class="ds-link" href="\/indicators\/tu-1"><span lang="en">Household internet access<\/span> <span class="lang-note">\(engelsk\)<\/span><\/a>/);
  assert.match(main, /href="\/indicators\?framework=test-u4ssc"/);
  // A Swedish reader gets the Swedish name, unmarked, and the English one where Swedish is missing.
  const sv = (await a.get('/frameworks/test-u4ssc', { 'accept-language': 'sv' })).body;
  assert.match(sv, /<span class="fw-code">EC<\/span> Ekonomi <span class="fw-count">/);
  assert.match(sv, /<span lang="en">ICT<\/span> <span class="lang-note">\(engelska\)<\/span>/);
  const sdg = await a.get('/frameworks/sdg', { 'accept-language': 'en' });
  assert.equal((sdg.body.match(/<details>/g) ?? []).length, 17);
  assert.match(sdg.body, /<span class="fw-code">13<\/span> Climate action <span class="fw-count">\(\d+ indicators?\)<\/span>/);
  assert.equal((await a.get('/frameworks/nope')).statusCode, 404);
});

test('/frameworks lists the frameworks and the indicator list links to the trees', async () => {
  const a = await t.agent();
  const list = await a.get('/frameworks', { 'accept-language': 'da' });
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /href="\/frameworks\/sdg">Verdensmålene<\/a>/);
  assert.match(list.body, /href="\/frameworks\/test-u4ssc"><span lang="en">Test U4SSC<\/span> <span class="lang-note">\(engelsk\)<\/span>/);
  assert.match((await a.get('/indicators', { 'accept-language': 'en' })).body, /href="\/frameworks">Browse the frameworks as trees/);
  assert.match((await a.get('/indicators?framework=sdg', { 'accept-language': 'en' })).body, /href="\/frameworks\/sdg">Browse the frameworks as trees/);
});
