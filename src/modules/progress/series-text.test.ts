/**
 * The recompute's scan of the indicators' series text: every form a stored series can take gives
 * what parsing the JSON and the general annual rule give, and the entries' ids come out whole.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { annualArrays } from './methods/common.js';
import { latest, parseSeriesText } from './series-text.js';

const SERIES = [
  '[["2006",1.5],["2007",null],["2008",-2.25]]', // as the importer writes it
  '[["2006", 1.5], ["2007", null], ["2008", 3e-07], ["2009", 1e+21], ["2010", -0.5]]', // as PostgreSQL's json_agg writes it
  '[["2015-2017", 4], ["2018", 5]]', // a year range counts as its first year
  '[["2020-Q1", 1], ["2020-Q2", 2]]', // quarters give no year
  '[["2015", 1], ["2015", 2], ["2014", 3]]', // a duplicate and an earlier year
  '[["20\\u00315", 7], ["2016", 8]]', // an escape in a period
  '[]',
  '[["2006", null], ["2007", null]]',
  '[\n ["2006",\t1] ,\r\n["2011", 2]\n]', // any JSON white space
  '[["2001", 0], ["1999", null], ["2002", 4]]', // a missing value does not count for the order
];

test('each series scans to what parsing its JSON gives, with the same latest value', () => {
  const text = SERIES.map((s, i) => `00000000-0000-4000-8000-00000000000${i % 10}\t${i % 2 ? 'NO' : 'SE'}\t${i === 3 ? 'country' : 'municipality'}\t${s}`).join('\n');
  const parsed = parseSeriesText(text);
  assert.equal(parsed.length, SERIES.length);
  SERIES.forEach((s, i) => {
    const pairs = JSON.parse(s) as [string, number | null][];
    const want = annualArrays(pairs.map(([period, value]) => ({ period, value })));
    const got = parsed[i]!;
    assert.equal(got.areaId, `00000000-0000-4000-8000-00000000000${i % 10}`);
    assert.equal(got.country, i % 2 ? 'NO' : 'SE');
    assert.equal(got.level, i === 3 ? 'country' : 'municipality');
    assert.deepEqual([Array.from(got.a.years), Array.from(got.a.values), got.a.n], [Array.from(want.years), Array.from(want.values), want.n], s);
    assert.deepEqual(latest(got.a, got.series), latest(want, pairs), s);
  });
});

test('an empty text has no series; a broken one is an error, not a silent gap', () => {
  assert.deepEqual(parseSeriesText(''), []);
  assert.throws(() => parseSeriesText('00000000-0000-4000-8000-000000000000\tSE\tmunicipality\t[["2006", 1]'));
  assert.throws(() => parseSeriesText('00000000-0000-4000-8000-000000000000\tSE\t[["2006", 1]]'));
});

test('values read in place are the doubles Number() reads, for every form PostgreSQL writes', () => {
  // Decimals of every length up to and past the 15 digits read in place, negative, zero, with and
  // without a fraction, and the forms that go through Number() (exponents, 16 and more digits).
  const values: string[] = ['0', '-0', '0.0', '-0.5', '1', '10', '0.1', '0.3', '123456789012345', '1234567890123456', '0.000001', '99.99', '-1e-7', '2.5E+3', '9007199254740993', '0.1234567890123456789'];
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let k = 0; k < 2000; k++) {
    const whole = Math.floor(rnd() * 10 ** Math.floor(rnd() * 9));
    const frac = String(Math.floor(rnd() * 10 ** 9)).padStart(9, '0').slice(0, Math.floor(rnd() * 9));
    values.push(`${rnd() < 0.3 ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`);
  }
  const series = `[${values.map((v, i) => `["${1000 + i}", ${v}]`).join(', ')}]`;
  const [got] = parseSeriesText(`00000000-0000-4000-8000-000000000000\tSE\tmunicipality\t${series}`);
  assert.equal(got!.a.n, values.length);
  values.forEach((v, i) => assert.ok(Object.is(got!.a.values[i], Number(v)), `${v}: ${got!.a.values[i]} ≠ ${Number(v)}`));
});
