/** Pieces of the project pages shared by several of them. */
import type { ComponentChildren } from 'preact';
import type { Locale } from '../../web/i18n/index.js';
import { stateLabel } from './i18n.js';
import { formatMoney, type PerCurrency } from './money.js';
import type { Currency, ProjectState } from './schema.js';

const STATE_ICON: Record<ProjectState, string> = { planned: '◷', running: '▶', ended: '✓', cancelled: '✕' };
const STATE_COLOR: Record<ProjectState, string> = { planned: 'info', running: 'success', ended: 'neutral', cancelled: 'warning' };

/** A state in words with an icon, never colour alone. */
export function StateTag({ l, state }: { l: Locale; state: ProjectState }) {
  return (
    <span class="ds-tag" data-color={STATE_COLOR[state]}>
      <span aria-hidden="true">{STATE_ICON[state]} </span>
      {stateLabel(l, state)}
    </span>
  );
}

/** The `lang` attribute for content in another language than the page's (none when the same). */
export const langIfOther = (l: Locale, lang: string) => (lang === l ? undefined : lang);

/** A sum per currency, one per line: currencies are never added together. */
export function Money({ l, p }: { l: Locale; p: PerCurrency }) {
  const entries = (Object.entries(p) as [Currency, bigint][]).sort((a, b) => a[0].localeCompare(b[0]));
  if (!entries.length) return <>–</>;
  return (
    <>
      {entries.map(([c, v], i) => (
        <>
          {i > 0 && <br />}
          <span class="money">{formatMoney(l, v, c)}</span>
        </>
      ))}
    </>
  );
}

/** Wide tables scroll sideways on narrow screens instead of overflowing the page; the region is focusable for keyboard users. */
export function Scroll({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div role="region" aria-label={label} tabindex={0} style="overflow-x:auto;max-width:100%">
      {children}
    </div>
  );
}
