import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCENT, CHART_REVIVER, PALETTE, lineOption, numberFormatter, rankedBarOption } from './charts.js';

/* ---- Colour-vision check: Machado, Oliveira and Fernandes (2009), severity 1.0, on linear RGB. ---- */
const MACHADO: Record<string, number[][]> = {
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039],
  ],
};
const toLinear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const rgb = (hex: string) => [1, 3, 5].map((i) => toLinear(parseInt(hex.slice(i, i + 2), 16) / 255));
function simulate(lin: number[], m: number[][] | null): number[] {
  if (!m) return lin;
  return m.map((row) => Math.min(1, Math.max(0, row[0]! * lin[0]! + row[1]! * lin[1]! + row[2]! * lin[2]!)));
}
function lab(lin: number[]): number[] {
  const [r, g, b] = lin as [number, number, number];
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}
const deltaE = (a: number[], b: number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);

function closestPair(colours: string[], m: number[][] | null): { d: number; pair: string } {
  let best = { d: Infinity, pair: '' };
  for (let i = 0; i < colours.length; i++)
    for (let j = i + 1; j < colours.length; j++) {
      const d = deltaE(lab(simulate(rgb(colours[i]!), m)), lab(simulate(rgb(colours[j]!), m)));
      if (d < best.d) best = { d, pair: `${colours[i]} / ${colours[j]}` };
    }
  return best;
}

test('the series palette and the accent stay apart in normal vision and the three colour-vision deficiencies', () => {
  const colours = [ACCENT, ...PALETTE];
  for (const [name, m] of [['normal', null], ...Object.entries(MACHADO)] as [string, number[][] | null][]) {
    const { d, pair } = closestPair(colours, m);
    assert.ok(d >= 10, `${name}: ${pair} only ΔE ${d.toFixed(1)} apart`);
  }
});

test('the check can fail: the old palette had colours that deuteranopes cannot tell apart', () => {
  const old = ['#1e6bb8', '#c2410c', '#15803d', '#7e22ce', '#b45309', '#0f766e', '#be123c', '#4d7c0f', '#1d4ed8', '#6b21a8'];
  assert.ok(closestPair(old, MACHADO.deuteranopia!).d < 10);
});

/** What the browser does with a chart: JSON in a data attribute, parsed and revived by the page's script. */
function inBrowser(option: object): Record<string, any> {
  const revive = new Function(`${CHART_REVIVER}; return reviveFormatters;`)() as (o: unknown) => Record<string, any>;
  return revive(JSON.parse(JSON.stringify(option)));
}

test('numbers keep the page language’s decimal separator after the chart becomes interactive', () => {
  const opt = lineOption([{ name: 'Växjö kommun', points: [['2020', 69.5], ['2021', 70.25]] }], 'sv', '%', 1);
  const server = opt.yAxis as { axisLabel: { formatter: (v: number) => string } };
  assert.equal(server.axisLabel.formatter(69.5), '69,5');
  const live = inBrowser(opt);
  assert.equal(typeof live.yAxis.axisLabel.formatter, 'function');
  assert.equal(live.yAxis.axisLabel.formatter(69.5), '69,5');
  assert.equal(live.tooltip.valueFormatter(1234.5), '1\u00a0234,5');
  assert.equal(inBrowser(lineOption([{ name: 'x', points: [['2020', 1]] }], 'en', '%', 1)).yAxis.axisLabel.formatter(69.5), '69.5');
  assert.equal(inBrowser(lineOption([{ name: 'x', points: [['2020', 1]] }], 'da', '%', 2)).yAxis.axisLabel.formatter(69.5), '69,5');

  const bar = inBrowser(rankedBarOption([{ key: 'a', name: 'A', value: 3.25 }, { key: 'b', name: 'B', value: 4.5 }], 'a', 3.875, 'nb', 2));
  assert.equal(bar.series[0].label.formatter({ value: 3.25 }), '3,25');
  assert.equal(bar.series[0].markLine.label.formatter({ value: 3.875 }), 'median 3,88');
  assert.equal(numberFormatter('sv', 1)(null), '–');
});

test('the highlighted area is drawn thicker and in the accent colour', () => {
  const opt = lineOption(
    [
      { name: 'Växjö kommun', points: [['2020', 1]] },
      { name: 'Kalmar kommun', points: [['2020', 2]] },
    ],
    'sv',
    '%',
    1,
    'Kalmar kommun',
  ) as { series: { name: string; lineStyle: { color: string; width: number } }[] };
  const kalmar = opt.series.find((s) => s.name === 'Kalmar kommun')!;
  const vaxjo = opt.series.find((s) => s.name === 'Växjö kommun')!;
  assert.equal(kalmar.lineStyle.color, ACCENT);
  assert.ok(kalmar.lineStyle.width > vaxjo.lineStyle.width);
  assert.notEqual(vaxjo.lineStyle.color, ACCENT);
  const bar = rankedBarOption([{ key: 'a', name: 'A', value: 1 }, { key: 'b', name: 'B', value: 2 }], 'b', null, 'sv', 1) as { series: { data: { itemStyle: { color: string } }[] }[] };
  assert.deepEqual(bar.series[0]!.data.map((d) => d.itemStyle.color), ['#A9B8C9', ACCENT].reverse());
});
