/**
 * The network overview's chart: funding by funder and year as stacked bars,
 * rendered on the server as SVG with ECharts (no JavaScript in the browser).
 * The page puts a written summary and the same figures as a table next to it.
 */
import * as echarts from '../../web/echarts.js';
import { INTL_TAG, type Locale } from '../../web/i18n/index.js';

// The colour-blind-safe palette the indicators charts use too.
const PALETTE = ['#1e6bb8', '#c2410c', '#15803d', '#7e22ce', '#b45309', '#0f766e', '#be123c', '#4d7c0f', '#1d4ed8', '#6b21a8'];
let renders = 0;

export type StackSeries = { name: string; values: number[] };

/** Stacked bars: one bar per year, one stack part per funder; values in major units of one currency. */
export function fundingChartSvg(locale: Locale, years: number[], series: StackSeries[], currency: string): string {
  const nf = new Intl.NumberFormat(INTL_TAG[locale], { notation: 'compact', maximumFractionDigits: 1 });
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 720, height: 360 });
  let svg: string;
  try {
    chart.setOption({
      animation: false,
      color: PALETTE,
      textStyle: { fontFamily: 'Inter, sans-serif', color: '#1f2937' },
      legend: { top: 0, type: 'plain' },
      grid: { left: 72, right: 16, top: 24 + 22 * Math.ceil(series.length / 3), bottom: 32 },
      xAxis: { type: 'category', data: years.map(String) },
      yAxis: { type: 'value', name: currency, axisLabel: { formatter: (v: number) => nf.format(v) } },
      series: series.map((s) => ({ type: 'bar', stack: 'funding', name: s.name, data: s.values })),
    });
    svg = chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
  renders++;
  // The SVG is a picture for sighted readers; the summary and table carry the content.
  return svg
    .replace('<svg ', '<svg aria-hidden="true" focusable="false" ')
    .replace(/<style\b[\s\S]*?<\/style>/g, '')
    .replace(/ class="zr\d+-cls-\d+"/g, '')
    .replace(/zr\d+-/g, `pz${renders}-`);
}
