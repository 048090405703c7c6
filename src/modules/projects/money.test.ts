import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeTotals, convert, formatMoney, parseAmount, parseRate, toDecimal } from './money.js';

test('amounts parse exactly into minor units, and refuse negatives and words', () => {
  assert.equal(parseAmount('1234.5'), 123450n);
  assert.equal(parseAmount('1 234,50'), 123450n);
  assert.equal(parseAmount(5_000_000), 500_000_000n);
  assert.equal(parseAmount('0.1'), 10n);
  for (const bad of ['-5', 'tusen', '1.234', '', '1e6', -1, Number.NaN, null]) assert.equal(parseAmount(bad), null, String(bad));
  // A JSON number is held to the same two decimals as text, not rounded to them.
  assert.equal(parseAmount(500000.5), 50_000_050n);
  for (const bad of [1.005, 0.001, 1234.567, 1e-7]) assert.equal(parseAmount(bad), null, String(bad));
  assert.equal(toDecimal(123450n), '1234.50');
  assert.equal(parseRate('10.5'), 10_500_000n);
  assert.equal(parseRate('0'), null);
});

test('totals per year and per source stay per currency across SEK, DKK and EUR', () => {
  const t = computeTotals([
    { sourceId: 'esf', amounts: [{ year: 2021, currency: 'SEK', amountMinor: 100n }, { year: 2022, currency: 'SEK', amountMinor: 50n }, { year: 2021, currency: 'EUR', amountMinor: 7n }] },
    { sourceId: 'own', amounts: [{ year: 2021, currency: 'SEK', amountMinor: 1n }, { year: 2021, currency: 'DKK', amountMinor: 9n }] },
  ]);
  assert.deepEqual(t.total, { SEK: 151n, EUR: 7n, DKK: 9n });
  assert.deepEqual(t.byYear.get(2021), { SEK: 101n, EUR: 7n, DKK: 9n });
  assert.deepEqual(t.byYear.get(2022), { SEK: 50n });
  assert.deepEqual(t.bySource.get('esf'), { SEK: 150n, EUR: 7n });
  assert.deepEqual([...t.byYear.keys()], [2021, 2022]);
});

test('conversion uses only the given rates and lists what it could not convert', () => {
  const amounts = [
    { year: 2021, currency: 'EUR' as const, amountMinor: 100_00n },
    { year: 2021, currency: 'SEK' as const, amountMinor: 5_00n },
    { year: 2022, currency: 'EUR' as const, amountMinor: 1n },
  ];
  const c = convert(amounts, 'SEK', [{ year: 2021, from: 'EUR', to: 'SEK', rateMicro: 10_123_456n }]);
  assert.equal(c.amountMinor, 5_00n + 1012_35n); // 1012.3456 rounds to 1012.35
  assert.equal(c.converted, true);
  assert.deepEqual(c.missing, [{ year: 2022, currency: 'EUR' }]);
});

test('money is shown in the reader’s locale with its currency', () => {
  assert.match(formatMoney('sv', 500_000_000n, 'DKK'), /^5\s000\s000\sDkr$/);
  assert.match(formatMoney('en', 500_000_000n, 'DKK'), /DKK\s?5,000,000/);
  assert.match(formatMoney('da', 12345n, 'EUR'), /123,45/);
  assert.match(formatMoney('en', 2n ** 60n, 'SEK'), /11,529,215,046,068,469\.76/); // exact beyond 2^53
});
