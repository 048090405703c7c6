/**
 * Targets on the indicator page's line chart: each area's target as a dashed line in its area's
 * colour, level across the periods shown, so the reader sees the gap to close. The targets come
 * from other modules through the `indicatorOverlays` extension slot (progress), never by import.
 */
import type { IndicatorTarget } from '../../platform/http.js';

type Option = Record<string, any>;

/** Adds a dashed series per target to a line chart option (from lineOption); series are matched by area name. */
export function withTargetLines(option: Option, targets: (IndicatorTarget & { areaName: string })[]): Option {
  if (!targets.length) return option;
  const periods: string[] = option.xAxis?.data ?? [];
  const base: Option[] = option.series ?? [];
  const lines = targets.map((tg) => {
    const own = base.find((s) => s.name === tg.areaName);
    const color = own?.itemStyle?.color ?? '#000000';
    return {
      type: 'line',
      name: `${tg.areaName}: ${tg.label}`,
      symbol: 'none',
      z: 1,
      silent: true,
      itemStyle: { color },
      lineStyle: { color, width: 2, type: 'dashed' },
      data: periods.map(() => tg.value),
    };
  });
  return { ...option, grid: { ...option.grid, top: 48 }, legend: option.legend ?? { top: 0, type: 'scroll', textStyle: { fontSize: 13 } }, series: [...base, ...lines] };
}
