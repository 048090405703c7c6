/**
 * Small view pieces shared by the progress pages: status, colour and trend badges
 * (each an icon plus words, never a colour alone) and the one-sentence explanation.
 */
import type { Locale } from '../../web/i18n/index.js';
import { formatNumber } from '../../web/i18n/index.js';
import type { ProgressStatus } from './methods/opensdg.js';
import type { Colour, Trend } from './methods/sdgindex.js';
import { COLOUR_ICON, COLOUR_LABEL, STATUS_ICON, STATUS_LABEL, TREND_ICON, TREND_LABEL, t } from './i18n.js';
import type { StatusView } from './queries.js';

/** Official SDG colours (UN communications materials), used only as decoration beside the goal's number and name. */
export const SDG_COLOURS: Record<string, string> = {
  '1': '#E5243B', '2': '#DDA63A', '3': '#4C9F38', '4': '#C5192D', '5': '#FF3A21', '6': '#26BDE2', '7': '#FCC30B', '8': '#A21942', '9': '#FD6925',
  '10': '#DD1367', '11': '#FD9D24', '12': '#BF8B2E', '13': '#3F7E44', '14': '#0A97D9', '15': '#56C02B', '16': '#00689D', '17': '#19486A',
};

export const Styles = () => (
  <style>{`.prog-goals{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:.75rem;list-style:none;padding:0;margin:1rem 0}
.prog-goal{border:1px solid #c9d1da;border-top:.6rem solid var(--sdg);border-radius:.25rem;padding:.5rem .75rem;background:#fff}
.prog-goal h3{margin:0 0 .25rem;font-size:1rem}.prog-goal p{margin:.15rem 0}
.prog-badge{display:inline-flex;gap:.35rem;align-items:baseline;white-space:normal}
.prog-icon{display:inline-block;min-width:1.1em;text-align:center;font-weight:700}
.prog-swatch{display:inline-block;width:.8em;height:.8em;border-radius:50%;border:1px solid #333;vertical-align:middle}
.prog-green{background:#2e7d32}.prog-yellow{background:#f2c200}.prog-orange{background:#e07b00}.prog-red{background:#c62828}
.prog-wrap{overflow-x:auto}.prog-index{font-size:1.5rem;font-weight:600}
.prog-form{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:0 1rem;align-items:end}
@media (max-width:40rem){.prog-table thead{position:absolute;left:-9999px}.prog-table tr{display:block;border-bottom:1px solid #c9d1da;padding:.5rem 0}
.prog-table td{display:block;border:0}.prog-table td[data-label]::before{content:attr(data-label) ": ";font-weight:600}}`}</style>
);

export function StatusBadge({ l, status }: { l: Locale; status: string }) {
  const s = status as ProgressStatus;
  return (
    <span class="prog-badge">
      <span class="prog-icon" aria-hidden="true">
        {STATUS_ICON[s] ?? '?'}
      </span>
      <span>{STATUS_LABEL[l][s] ?? status}</span>
    </span>
  );
}

export function ColourBadge({ l, colour }: { l: Locale; colour: string | null }) {
  if (!colour) return null;
  const c = colour as Colour;
  return (
    <span class="prog-badge">
      <span class={`prog-swatch prog-${c}`} aria-hidden="true" />
      <span class="prog-icon" aria-hidden="true">
        {COLOUR_ICON[c]}
      </span>
      <span>{COLOUR_LABEL[l][c]}</span>
    </span>
  );
}

export function TrendBadge({ l, trend }: { l: Locale; trend: string | null }) {
  if (!trend) return null;
  const tr = trend as Trend;
  return (
    <span class="prog-badge">
      <span class="prog-icon" aria-hidden="true">
        {TREND_ICON[tr]}
      </span>
      <span>{TREND_LABEL[l][tr]}</span>
    </span>
  );
}

export const num = (l: Locale, v: unknown, decimals = 1) =>
  typeof v === 'number' && Number.isFinite(v) ? formatNumber(l, v, { maximumFractionDigits: decimals, minimumFractionDigits: 0 }) : '–';
const pct = (l: Locale, v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? formatNumber(l, v, { style: 'percent', maximumFractionDigits: 2 }) : '–');

/** The one sentence that explains a status from its stored components. */
export function explain(l: Locale, s: StatusView, decimals: number, unit: string): string {
  const d = s.details;
  const tr = t[l];
  const v = (x: unknown) => `${num(l, x, decimals)}${unit && typeof x === 'number' ? ` ${unit}` : ''}`;
  let text: string;
  if (s.method === 'manual') text = tr.whyManual(String(d.manualReason ?? ''));
  else if (s.status === 'target_achieved') text = tr.whyAchieved(v(d.currentValue), String(d.currentYear), v(d.target));
  else if (s.status === 'not_available') {
    const r = d.reason as string;
    text = r === 'single_year' ? tr.whySingleYear : r === 'no_base_year' ? tr.whyNoBase(String(d.baseYear ?? 2015)) : r === 'sign_change' ? tr.whySignChange : r === 'no_direction' ? tr.whyNoDirection : tr.whyNoData;
  } else if (s.method === 'with_target') {
    text = tr.whyTarget(v(d.baseValue), String(d.baseYear), v(d.currentValue), String(d.currentYear), pct(l, d.observedRate), v(d.target), String(d.targetYear), pct(l, d.requiredRate), pct(l, d.measure));
  } else {
    text = tr.whyNoTarget(v(d.baseValue), String(d.baseYear), v(d.currentValue), String(d.currentYear), pct(l, d.measure), pct(l, d.thresholds?.high), pct(l, d.thresholds?.med));
    if (typeof d.limitFactor === 'number' && d.limitFactor < 1) text += tr.whyLimit(v(d.limit));
  }
  if (!s.target_id && typeof s.quartile === 'number' && typeof d.rank === 'number') text += ` ${tr.relative(s.quartile, d.rank, d.groupSize)}`;
  return text;
}

export const STATUS_ORDER: string[] = ['target_achieved', 'substantial_progress', 'moderate_progress', 'limited_progress', 'deterioration', 'not_available'];
