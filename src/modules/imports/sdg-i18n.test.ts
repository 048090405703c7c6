import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import { systemActor } from '../../platform/audit.js';
import { loadSdgTranslations, parseTargetTitles } from './sdg-i18n.js';

let t: TestApp;
let dir: string;
before(async () => {
  t = await createTestApp({ demo: true });
  dir = mkdtempSync(path.join(tmpdir(), 'sdg-i18n-'));
  // The shape of open-sdg/sdg-translations: folded YAML strings, keys like 7-2-title; English is skipped.
  writeFileSync(path.join(dir, 'nb_NO_global_targets.yml'), "7-2-title: 'Innen 2030 øke andelen fornybar energi\n  betydelig'\n7-a-title: Styrke internasjonalt samarbeid\n7-2-description: ikke en tittel\n");
  writeFileSync(path.join(dir, 'en_global_targets.yml'), '7-2-title: English\n');
});
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await t.close();
});

test('target titles are read from the translation files', () => {
  assert.deepEqual([...parseTargetTitles("1-1-title: 'a\n  b'\n17-19-title: c\n1-1-description: x\n")], [['1.1', 'a b'], ['17.19', 'c']]);
});

test('SDG target names in bokmål for Norwegian readers; others see English marked with its language', async () => {
  const actor = systemActor('test');
  assert.deepEqual(await loadSdgTranslations(t.db, actor, dir), { languages: ['nb'], changed: 2 });
  assert.deepEqual(await loadSdgTranslations(t.db, actor, dir), { languages: ['nb'], changed: 0 });
  const a = await t.agent();
  const nb = (await a.get('/indicators/demo-renewable-share', { 'accept-language': 'nb' })).body;
  assert.match(nb, /7\.2 Innen 2030 øke andelen fornybar energi betydelig<\/li>/);
  // The indicator's own name is English only: marked and named in the reader's language.
  assert.match(nb, /<h1 class="ds-heading" data-size="lg"><span lang="en">Renewable share of final energy use<\/span> <span class="lang-note">\(engelsk\)<\/span><\/h1>/);
  const sv = (await a.get('/indicators/demo-renewable-share', { 'accept-language': 'sv' })).body;
  assert.match(sv, /7\.2 <span lang="en">By 2030, increase substantially the share of renewable energy[^<]*<\/span> <span class="lang-note">\(engelska\)<\/span>/);
  const en = (await a.get('/indicators/demo-renewable-share', { 'accept-language': 'en' })).body;
  assert.match(en, /<h1 class="ds-heading" data-size="lg">Renewable share of final energy use<\/h1>/);
  // The list and the area page mark the same way.
  assert.match((await a.get('/indicators', { 'accept-language': 'da' })).body, /<span lang="en">Renewable share of final energy use<\/span> <span class="lang-note">\(engelsk\)<\/span><\/a>/);
  assert.match((await a.get('/areas/se-0780', { 'accept-language': 'sv' })).body, /<span lang="en">Renewable share of final energy use<\/span> <span class="lang-note">\(engelska\)<\/span>/);
});
