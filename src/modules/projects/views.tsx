/** Pieces of the project pages shared by several of them. */
import type { ComponentChildren } from 'preact';
import { Table } from '../../web/components.js';
import { formatPeriod, type Locale } from '../../web/i18n/index.js';
import { pt, stateLabel } from './i18n.js';
import { formatMoney, type PerCurrency } from './money.js';
import type { ListEntry } from './queries.js';
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

/** Projects as a table: name, owner, period, state, (with `funders`, who funds them besides the partners,) and total. */
export function ProjectsTable({ l, items, funders }: { l: Locale; items: ListEntry[]; funders?: boolean }) {
  const t = pt[l];
  return (
    <Scroll label={t.projects}>
      <Table caption={t.projects} head={[t.name, t.owner, t.period, t.state, ...(funders ? [t.funder] : []), t.total]}>
        {items.map((e) => (
          <tr>
            <td>
              <a class="ds-link" href={`/projects/${e.project.slug}`} lang={langIfOther(l, e.project.lang)}>
                {e.project.name}
              </a>
              {e.project.acronym && <> ({e.project.acronym})</>}
            </td>
            <td>{e.owner.name}</td>
            <td>{formatPeriod(l, e.project.startDate, e.project.endDate)}</td>
            <td>
              <StateTag l={l} state={e.project.state} />
            </td>
            {funders && <td>{[...new Set(e.funding.filter((s) => !s.isOwn).map((s) => s.funder.name))].join(', ') || '–'}</td>}
            <td>
              <Money l={l} p={e.totals.total} />
            </td>
          </tr>
        ))}
      </Table>
    </Scroll>
  );
}
