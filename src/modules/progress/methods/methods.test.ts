/**
 * Hand-computed cases for every method. The expected numbers were worked out
 * with a calculator from the formulas in docs/progress.md, not by running the code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { annualSeries, periodYear } from './common.js';
import { cagr, limitFactor, progressMeasure } from './opensdg.js';
import { achievement, u4sscGroupScore, u4sscPoints } from './u4ssc.js';
import { colour, goalColour, goalTrend, rescale, sdgIndex, trend } from './sdgindex.js';
import { relativePosition, relativePositions } from './relative.js';

const near = (a: number | undefined | null, b: number, eps = 1e-4) => assert.ok(a !== undefined && a !== null && Math.abs(a - b) < eps, `${a} ≉ ${b}`);
const pts = (o: Record<string, number | null>) => Object.entries(o).map(([period, value]) => ({ period, value }));

test('periods: a range counts as its first year; quarters and months are not annual', () => {
  assert.equal(periodYear('2019'), 2019);
  assert.equal(periodYear('2019-2020'), 2019);
  assert.equal(periodYear('2019-Q1'), null);
  assert.equal(periodYear('2019-05'), null);
  assert.deepEqual(annualSeries(pts({ '2020': 2, '2019-2020': 1, '2021-Q1': 9, '2018': null })), [
    { year: 2019, value: 1 },
    { year: 2020, value: 2 },
  ]);
});

test('CAGR: zero taken as 0.001, signs must agree, both negative turned round', () => {
  near(cagr(60, 50, 2020, 2015), 0.037137);
  near(cagr(0.004, 0, 2017, 2015), 1); // (0.004/0.001)^(1/2) − 1
  assert.equal(cagr(5, -5, 2020, 2015), null);
  near(cagr(-5, -10, 2020, 2015), 0.129449); // magnitude halves: the value rises
  assert.equal(cagr(5, 5, 2015, 2015), null);
});

test('Open SDG with a target, higher is better: R against 0.95 and 0.6', () => {
  // observed (60/50)^(1/5)−1 = 3.7137 %, required (80/50)^(1/15)−1 = 3.1830 %, R = 1.1667
  const a = progressMeasure(pts({ '2015': 50, '2020': 60 }), { direction: 'higher', target: 80 });
  assert.equal(a.status, 'substantial_progress');
  assert.equal(a.method, 'with_target');
  near(a.observedRate, 0.037137);
  near(a.requiredRate, 0.03183);
  near(a.measure, 1.1667);
  // observed (55/50)^(1/5)−1 = 1.9245 %, R = 0.6046
  const b = progressMeasure(pts({ '2015': 50, '2020': 55 }), { direction: 'higher', target: 80 });
  assert.equal(b.status, 'moderate_progress');
  near(b.measure, 0.6046);
  const c = progressMeasure(pts({ '2015': 50, '2020': 45 }), { direction: 'higher', target: 80 });
  assert.equal(c.status, 'deterioration');
  assert.deepEqual([c.baseYear, c.baseValue, c.currentYear, c.currentValue], [2015, 50, 2020, 45]);
});

test('Open SDG with a target, lower is better', () => {
  // observed 0.9^(1/5)−1 = −2.0852 %, required 0.5^(1/15)−1 = −4.5158 %, R = 0.4618
  const r = progressMeasure(pts({ '2015': 100, '2020': 90 }), { direction: 'lower', target: 50 });
  assert.equal(r.status, 'limited_progress');
  near(r.measure, 0.46176);
  // A target of 0 is 0.001: required (0.001/10)^(1/15)−1 = −45.883 %, observed −12.945 %, R = 0.2821
  const z = progressMeasure(pts({ '2015': 10, '2020': 5 }), { direction: 'lower', target: 0 });
  assert.equal(z.status, 'limited_progress');
  near(z.requiredRate, -0.45883);
  near(z.measure, 0.28213);
});

test('Open SDG: target achieved when at or past the target, in the indicator’s direction', () => {
  assert.equal(progressMeasure(pts({ '2015': 50, '2020': 85 }), { direction: 'higher', target: 80 }).status, 'target_achieved');
  assert.equal(progressMeasure(pts({ '2015': 50, '2020': 80 }), { direction: 'higher', target: 80 }).status, 'target_achieved');
  assert.equal(progressMeasure(pts({ '2015': 60, '2020': 50 }), { direction: 'lower', target: 50 }).status, 'target_achieved');
  assert.notEqual(progressMeasure(pts({ '2015': 60, '2020': 51 }), { direction: 'lower', target: 50 }).status, 'target_achieved');
});

test('Open SDG without a target: directional CAGR against 1.5 %, 0.5 % and 0', () => {
  // (103/100)^(1/3)−1 = 0.9902 %
  const r = progressMeasure(pts({ '2015': 100, '2018': 103 }), { direction: 'higher' });
  assert.equal(r.status, 'moderate_progress');
  assert.equal(r.method, 'without_target');
  near(r.measure, 0.009902);
  assert.equal(progressMeasure(pts({ '2015': 100, '2018': 103 }), { direction: 'lower' }).status, 'deterioration');
  assert.equal(progressMeasure(pts({ '2015': 100, '2018': 97 }), { direction: 'lower' }).status, 'moderate_progress');
  // Base 0 is 0.001: (0.004/0.001)^(1/2)−1 = 100 %
  assert.equal(progressMeasure(pts({ '2015': 0, '2017': 0.004 }), { direction: 'higher' }).status, 'substantial_progress');
});

test('Open SDG: limit scaling 1 − (base/limit)^4.44', () => {
  // 1 − 0.9^4.44 = 1 − 0.626378 = 0.373622; thresholds 0.5604 % and 0.1868 %
  near(limitFactor(90, 100, 'higher'), 0.373622);
  assert.equal(limitFactor(110, 100, 'higher'), 1); // past the limit: no scaling
  // (92/90)^(1/5)−1 = 0.4406 %: limited without the limit, moderate with it
  const series = pts({ '2015': 90, '2020': 92 });
  assert.equal(progressMeasure(series, { direction: 'higher' }).status, 'limited_progress');
  const r = progressMeasure(series, { direction: 'higher', limit: 100 });
  assert.equal(r.status, 'moderate_progress');
  near(r.thresholds!.high, 0.0056043);
  near(r.thresholds!.med, 0.0018681);
});

test('Open SDG: negative values of one sign work; a sign change is not available', () => {
  assert.equal(progressMeasure(pts({ '2015': -10, '2020': -5 }), { direction: 'higher' }).status, 'substantial_progress');
  assert.equal(progressMeasure(pts({ '2015': -10, '2020': -5 }), { direction: 'lower' }).status, 'deterioration');
  const r = progressMeasure(pts({ '2015': -5, '2020': 5 }), { direction: 'higher' });
  assert.equal(r.status, 'not_available');
  assert.equal(r.reason, 'sign_change');
});

test('Open SDG: a single year, no data or no direction is not available', () => {
  const one = progressMeasure(pts({ '2020': 5 }), { direction: 'higher', target: 10 });
  assert.deepEqual([one.status, one.reason], ['not_available', 'single_year']);
  assert.equal(progressMeasure([], { direction: 'higher' }).reason, 'no_data');
  // Data only before the base year
  assert.equal(progressMeasure(pts({ '2010': 5, '2012': 6 }), { direction: 'higher' }).reason, 'no_base_year');
  assert.equal(progressMeasure(pts({ '2015': 5, '2020': 6 }), { direction: 'neutral' }).reason, 'no_direction');
  // A neutral indicator takes its direction from the target
  assert.equal(progressMeasure(pts({ '2015': 5, '2020': 4 }), { direction: 'neutral', target: 2 }).direction, 'lower');
});

test('Open SDG: base year defaults to 2015, else the first later year with data; year ranges count as their first year', () => {
  const a = progressMeasure(pts({ '2010': 1, '2015': 50, '2020': 60 }), { direction: 'higher', target: 80 });
  assert.equal(a.baseYear, 2015);
  const b = progressMeasure(pts({ '2017': 50, '2021': 60 }), { direction: 'higher' });
  assert.equal(b.baseYear, 2017);
  const c = progressMeasure(pts({ '2015-2016': 50, '2020-2021': 60 }), { direction: 'higher', target: 80 });
  near(c.measure, 1.1667);
  const d = progressMeasure(pts({ '2010': 50, '2012': 55, '2020': 60 }), { direction: 'higher', baseYear: 2010 });
  assert.equal(d.baseYear, 2010);
});

test('Open SDG: a manual status overrides and says so', () => {
  const r = progressMeasure(pts({ '2015': 50, '2020': 45 }), { direction: 'higher', target: 80, manual: { status: 'moderate_progress', reason: 'Break in series 2018' } });
  assert.deepEqual([r.status, r.method, r.manualReason], ['moderate_progress', 'manual', 'Break in series 2018']);
});

test('U4SSC: bands at their edges, both directions', () => {
  assert.equal(u4sscPoints(32.99, 100, 'higher'), 1);
  assert.equal(u4sscPoints(33, 100, 'higher'), 2);
  assert.equal(u4sscPoints(65.99, 100, 'higher'), 2);
  assert.equal(u4sscPoints(66, 100, 'higher'), 3);
  assert.equal(u4sscPoints(94.99, 100, 'higher'), 3);
  assert.equal(u4sscPoints(95, 100, 'higher'), 4);
  assert.equal(u4sscPoints(150, 100, 'higher'), 4);
  assert.equal(u4sscPoints(0, 100, 'higher'), 1);
  // Exactly on an edge in decimals, a hair below it in floating point (6.6 / 10 = 0.6599999999999999).
  assert.equal(u4sscPoints(6.6, 10, 'higher'), 3);
  assert.equal(u4sscPoints(3.3, 10, 'higher'), 2);
  assert.equal(u4sscPoints(10, 3.3, 'lower'), 2); // 3.3 / 10 is 33 %
  // Lower is better: achievement = benchmark/value
  assert.equal(u4sscPoints(10, 10, 'lower'), 4);
  assert.equal(u4sscPoints(8, 10, 'lower'), 4);
  assert.equal(u4sscPoints(11, 10, 'lower'), 3); // 90.9 %
  assert.equal(u4sscPoints(15, 10, 'lower'), 3); // 66.7 %
  assert.equal(u4sscPoints(20, 10, 'lower'), 2); // 50 %
  assert.equal(u4sscPoints(31, 10, 'lower'), 1); // 32.3 %
  near(achievement(40, 10, 'lower'), 0.25);
});

test('U4SSC: a group scores sum / (4 × KPIs with a value and a benchmark)', () => {
  const g = u4sscGroupScore([4, 3, null, 1]);
  near(g.score, 8 / 12);
  assert.equal(g.counted, 3);
  assert.equal(u4sscGroupScore([null]).score, null);
});

test('SDG index: rescale between bound and optimum, clipped, flipped when lower is better', () => {
  assert.equal(rescale(50, 0, 100, 'higher'), 50);
  assert.equal(rescale(150, 0, 100, 'higher'), 100);
  assert.equal(rescale(-5, 0, 100, 'higher'), 0);
  assert.equal(rescale(5, 20, 0, 'lower'), 75);
  assert.equal(rescale(5, 0, 20, 'lower'), 75); // given as min/max: oriented by the direction
  assert.equal(rescale(5, 5, 5, 'higher'), null);
});

test('SDG index: goal means, index mean, coverage rule with a configurable share', () => {
  const inds = [
    { goal: '1', score: 50 },
    { goal: '1', score: 70 },
    { goal: '2', score: 90 },
    ...Array.from({ length: 5 }, () => ({ goal: '3', score: 60 })),
    { goal: '4', score: null },
    { goal: '4', score: null },
  ];
  const r = sdgIndex(inds);
  assert.equal(r.goals.get('1')!.score, 60);
  assert.equal(r.goals.get('4')!.score, null);
  near(r.index, (60 + 90 + 60) / 3); // 2 of 10 missing = 20 %: still an index
  const more = sdgIndex([...inds.slice(0, 7), { goal: '4', score: null }, { goal: '4', score: null }, { goal: '5', score: null }]);
  assert.equal(more.missing, 3);
  assert.equal(more.index, null); // 30 % missing
  assert.equal(more.withheld, 'too_many_missing');
  const thirty = [...inds.slice(0, 7), { goal: '4', score: null }, { goal: '4', score: null }, { goal: '5', score: null }];
  near(sdgIndex(thirty, 0.3).index, (60 + 90 + 60) / 3); // the share is a setting
  assert.equal(sdgIndex([]).withheld, 'no_indicators');
});

test('Dashboard colours from green and red thresholds, midpoint splits yellow and orange', () => {
  const c = (v: number) => colour(v, 80, 40, 'higher');
  assert.deepEqual([80, 79, 60, 59, 40, 39].map(c), ['green', 'yellow', 'yellow', 'orange', 'orange', 'red']);
  const l = (v: number) => colour(v, 10, 30, 'lower');
  assert.deepEqual([10, 15, 20, 25, 30, 31].map(l), ['green', 'yellow', 'yellow', 'orange', 'orange', 'red']);
});

test('Goal colour: average of the two worst, green only if all are green', () => {
  assert.equal(goalColour(['green', 'green']), 'green');
  assert.equal(goalColour(['green', 'yellow']), 'yellow');
  assert.equal(goalColour(['yellow', 'green', 'green']), 'yellow');
  assert.equal(goalColour(['red', 'orange', 'green']), 'orange');
  assert.equal(goalColour(['red', 'red', 'green']), 'red');
  assert.equal(goalColour(['red']), 'red');
  assert.equal(goalColour([]), null);
});

test('Trend arrows: observed yearly change over five years against the change needed by 2030', () => {
  // needed (80 − 60)/(2030 − 2024) = 3.33 a year
  const t = (o: Record<string, number>) => trend(pts(o), 80, 'higher').trend;
  assert.equal(t({ '2019': 40, '2024': 60 }), 'on_track'); // 4 a year
  assert.equal(t({ '2019': 50, '2024': 60 }), 'moderately_improving'); // 2 ≥ 1.67
  assert.equal(t({ '2019': 58, '2024': 60 }), 'stagnating'); // 0.4
  assert.equal(t({ '2019': 65, '2024': 60 }), 'decreasing');
  // Only the last five years count
  const w = trend(pts({ '2010': 0, '2019': 50, '2024': 60 }), 80, 'higher');
  assert.deepEqual([w.fromYear, w.observed], [2019, 2]);
  // Lower is better: needed (10 − 20)/6 = −1.67, observed −2
  assert.equal(trend(pts({ '2019': 30, '2024': 20 }), 10, 'lower').trend, 'on_track');
  // Already green: maintaining achievement
  assert.equal(t({ '2019': 85, '2024': 90 }), 'on_track');
  assert.equal(trend(pts({ '2024': 60 }), 80, 'higher').trend, null);
  assert.equal(goalTrend(['on_track', 'stagnating']), 'moderately_improving');
  assert.equal(goalTrend(['decreasing', 'decreasing', 'on_track']), 'stagnating');
  assert.equal(goalTrend([null]), null);
});

test('Relative position: quartile among a group, respecting the direction', () => {
  const g = [10, 20, 30, 40, 50];
  assert.deepEqual(relativePosition(50, g, 'higher'), { percentile: 1, quartile: 1, rank: 1, groupSize: 5 });
  assert.equal(relativePosition(10, g, 'higher')!.quartile, 4);
  assert.equal(relativePosition(30, g, 'higher')!.quartile, 2);
  assert.deepEqual(relativePosition(10, g, 'lower'), { percentile: 1, quartile: 1, rank: 1, groupSize: 5 });
  assert.equal(relativePosition(40, g, 'lower')!.quartile, 3); // better than one of four: 25 %
  assert.equal(relativePosition(50, g, 'lower')!.quartile, 4);
  assert.equal(relativePosition(30, g, 'neutral'), null);
  const ties = relativePosition(20, [10, 20, 20, 30], 'higher')!;
  assert.deepEqual([ties.percentile, ties.quartile, ties.rank], [0.5, 2, 2]);
  assert.equal(relativePosition(5, [5], 'higher'), null);
});

test('Relative positions of a whole group equal the position of each value on its own', () => {
  // Ties, negative values, a repeated extreme and a group of two: every branch of the counting.
  const groups = [[10, 20, 20, 30, -5, 30, 30, 0.1], [7, 7], [3, 1, 2, 5, 4, 5, 1]];
  for (const g of groups) {
    for (const d of ['higher', 'lower', 'neutral'] as const) {
      assert.deepEqual(relativePositions(g, d), g.map((v) => relativePosition(v, g, d)), `${d} ${g.join(' ')}`);
    }
  }
  assert.deepEqual(relativePositions([5], 'higher'), [null]);
});
