import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCount, formatDate, formatPeriod, LOCALES, negotiateLocale } from './index.js';
import { common } from './common.js';

test('Accept-Language picks the best supported language', () => {
  assert.equal(negotiateLocale('sv-SE,sv;q=0.9,en;q=0.8'), 'sv');
  assert.equal(negotiateLocale('no,en;q=0.5'), 'nb');
  assert.equal(negotiateLocale('nn-NO'), 'nb');
  assert.equal(negotiateLocale('de-DE,da;q=0.7,en;q=0.3'), 'da');
  assert.equal(negotiateLocale('fr'), 'en');
  assert.equal(negotiateLocale('en;q=0.1,sv;q=0.9'), 'sv');
  assert.equal(negotiateLocale(undefined), 'en');
});

test('every common string exists and is non-empty in all four languages', () => {
  for (const l of LOCALES) {
    for (const [k, v] of Object.entries(common[l])) {
      assert.ok(typeof v === 'function' || (typeof v === 'string' && v.length > 0), `${l}.${k}`);
    }
    assert.deepEqual(Object.keys(common[l]).sort(), Object.keys(common.en).sort());
  }
});

test('formatDate keeps the precision of partial dates and never shifts days', () => {
  assert.equal(formatDate('sv', '2008'), '2008');
  assert.match(formatDate('sv', '2014-08'), /augusti 2014/);
  assert.match(formatDate('nb', '2020-04-27'), /27\. april 2020/);
  assert.match(formatDate('en', '2020-01-01'), /1 January 2020/);
});

test('formatCount puts the noun in the form its number calls for, in each language', () => {
  assert.equal(formatCount('en', 1, 'indicator', 'indicators'), '1 indicator');
  assert.equal(formatCount('en', 0, 'indicator', 'indicators'), '0 indicators');
  assert.equal(formatCount('en', 1234, 'indicator', 'indicators'), '1,234 indicators');
  assert.equal(formatCount('sv', 1, 'rad', 'rader'), '1 rad');
  // Swedish, Norwegian and Danish group thousands with a space (a no-break one), not a comma.
  assert.equal(formatCount('sv', 1234, 'rad', 'rader').replace(/\s/g, ' '), '1 234 rader');
  assert.equal(formatCount('nb', 2, 'grense', 'grenser'), '2 grenser');
  assert.equal(formatCount('da', 1, 'række', 'rækker'), '1 række');
});

test('formatPeriod writes a span of days, with an open end as "…" and nothing when neither end is set', () => {
  assert.equal(formatPeriod('en', '2024-01-01', '2026-12-31'), '1 January 2024 – 31 December 2026');
  assert.equal(formatPeriod('en', '2024-01-01', null), '1 January 2024 – …');
  assert.equal(formatPeriod('sv', null, '2026-12-31', 'medium'), '… – 31 dec. 2026');
  assert.equal(formatPeriod('nb', null, undefined), '');
});
