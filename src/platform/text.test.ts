import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fold, likeEscape, slugify } from './text.js';

test('fold removes accents and case, and maps Nordic letters that do not decompose', () => {
  assert.equal(fold('Växjö'), 'vaxjo');
  assert.equal(fold('TROMSØ'), 'tromso');
  assert.equal(fold('Bærum'), 'baerum');
  assert.equal(fold('Århus'), 'arhus');
  assert.equal(fold('  Økonomi-   og Erhvervsudvalget '), 'okonomi- og erhvervsudvalget');
});

test('slugify makes URL-safe slugs', () => {
  assert.equal(slugify('Økonomi- og Erhvervsudvalget'), 'okonomi-og-erhvervsudvalget');
  assert.equal(slugify('KS – Kommunesektorens organisasjon'), 'ks-kommunesektorens-organisasjon');
  assert.equal(slugify('!!!'), 'item');
});

test('likeEscape neutralises wildcards', () => {
  assert.equal(likeEscape('50%_a\\b'), '50\\%\\_a\\\\b');
});
