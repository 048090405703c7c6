/** Pieces the plan, action and priority pages share: SDG tags, status, money, language marks, wide tables. */
import type { ComponentChildren } from 'preact';
import { Table } from '../../web/components.js';
import type { Locale } from '../../web/i18n/index.js';
import { formatNumber, formatPeriod } from '../../web/i18n/index.js';
import { SDG_GOALS } from '../indicators/index.js';
import { STATUS_ICON, statusLabel } from './i18n.js';
import type { ActionStatus, PlanRow } from './schema.js';

/** The official SDG colours, drawn as a bar beside the goal's number and short name (text keeps its own contrast). */
export const SDG_COLOURS: Record<string, string> = {
  '1': '#E5243B', '2': '#DDA63A', '3': '#4C9F38', '4': '#C5192D', '5': '#FF3A21', '6': '#26BDE2', '7': '#FCC30B', '8': '#A21942', '9': '#FD6925',
  '10': '#DD1367', '11': '#FD9D24', '12': '#BF8B2E', '13': '#3F7E44', '14': '#0A97D9', '15': '#56C02B', '16': '#00689D', '17': '#19486A',
};

export const goalName = (l: Locale, code: string) => SDG_GOALS.find((g) => g.code === code)?.short[l] ?? '';

export function SdgGoal({ l, code }: { l: Locale; code: string }) {
  return (
    <span class="sdg-tag" style={`border-left: 0.4rem solid ${SDG_COLOURS[code] ?? '#666'}; padding-left: 0.35rem; margin-right: 0.5rem; display: inline-block`}>
      {code} {goalName(l, code)}
    </span>
  );
}

export function SdgTargets({ l, codes }: { l: Locale; codes: string[] }) {
  return (
    <>
      {codes.map((c) => (
        <span class="sdg-tag" style={`border-left: 0.4rem solid ${SDG_COLOURS[c.split('.')[0]!] ?? '#666'}; padding-left: 0.35rem; margin-right: 0.5rem; display: inline-block`} title={goalName(l, c.split('.')[0]!)}>
          {c}
        </span>
      ))}
    </>
  );
}

export function StatusTag({ l, status }: { l: Locale; status: ActionStatus }) {
  return (
    <span class={`status-tag status-${status}`}>
      <span aria-hidden="true">{STATUS_ICON[status]} </span>
      {statusLabel(l, status)}
    </span>
  );
}

export const money = (l: Locale, amount: number, currency: string | null) =>
  currency ? formatNumber(l, amount, { style: 'currency', currency, maximumFractionDigits: 0 }) : formatNumber(l, amount, { maximumFractionDigits: 0 });

export const budgetText = (l: Locale, b: Record<string, number>) =>
  Object.entries(b)
    .map(([c, v]) => money(l, v, c))
    .join(' + ') || '–';

/** A plan's (or an action's) period, written out; a dash when it has neither start nor end. */
export const period = (l: Locale, p: Pick<PlanRow, 'periodStart' | 'periodEnd'>) => formatPeriod(l, p.periodStart, p.periodEnd, 'medium') || '–';

/** Content in another language than the page's is marked with its own. */
export function Lang({ lang, page, children }: { lang: string; page: Locale; children: ComponentChildren }) {
  return lang === page ? <>{children}</> : <span lang={lang}>{children}</span>;
}

/**
 * A table that scrolls sideways inside its own box on narrow screens (320 px), so the page itself
 * never does. The box is focusable and named, so keyboard users can scroll it too.
 */
export function WideTable({ caption, label, head, children }: { caption?: string; label: string; head: string[]; children: ComponentChildren }) {
  return (
    <div class="table-scroll" role="region" aria-label={label} tabindex={0} style="overflow-x: auto; max-width: 100%">
      <Table caption={caption} head={head}>
        {children}
      </Table>
    </div>
  );
}
