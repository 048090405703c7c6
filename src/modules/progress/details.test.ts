/**
 * The stored components: the six-digit rounding written without its extra conversions gives the
 * text the plain rule gives, and the stored form reads back as the components.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeDetails, DETAIL_KEYS, encodeDetailValues, round6, type DetailValues } from './details.js';

test('round6 is String(Number(v.toPrecision(6))) for every magnitude and sign', () => {
  const edge = [0, -0, 1, -1, 0.5, 1e-7, 9.999995e-7, 1e-6, 0.000001234565, 999999.4, 999999.5, 1e6, 123456.5, 1e21, -1e21, 5e-324, Number.MAX_VALUE, 0.1 + 0.2, 100, 100.0000001, -0.0000001];
  let seed = 11;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const values = [...edge];
  for (let k = 0; k < 20000; k++) values.push((rnd() < 0.5 ? -1 : 1) * rnd() * 10 ** Math.floor(rnd() * 30 - 12));
  for (const v of values) assert.equal(round6(v), String(Number(v.toPrecision(6))), String(v));
});

test('the stored form leaves out trailing absent components and reads back as the components', () => {
  const d: Record<string, unknown> = { reason: 'r', baseYear: 2015, baseValue: -0.5, observedRate: 0.0123456789, thresholds: { high: 0.015, med: 0.005, low: 0 }, level: 'network', percentile: 99.99999 };
  const text = encodeDetailValues(DETAIL_KEYS.map((k) => d[k]) as unknown as DetailValues);
  assert.ok(text.endsWith(',100]'), `${text}: the last component present ends the array`);
  const back = decodeDetails(JSON.parse(text), 'moderate_progress', 'opensdg');
  assert.deepEqual([back.reason, back.baseYear, back.baseValue, back.observedRate, back.thresholds, back.level, back.percentile], ['r', 2015, -0.5, 0.0123457, { high: 0.015, med: 0.005, low: 0 }, 'network', 100]);
  assert.equal(back.status, 'moderate_progress');
  assert.equal(back.currentYear, undefined, 'an absent component is not read back');
});
