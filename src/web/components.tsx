/** The shared page components: tables, buttons, alerts, paging, page headers, key figures, sections, tabs, tags and SDG tiles. The form fields are in form-fields.tsx. */
import { cloneElement, isValidElement, toChildArray, type ComponentChildren, type VNode } from 'preact';
import type { FastifyRequest } from 'fastify';
import { common } from './i18n/common.js';
import { formatNumber, languageName, type Locale } from './i18n/index.js';
import { sdgColours } from './sdg.js';


/**
 * Gives every cell of the given rows the text of its column header as
 * `data-label`, so that the stylesheet can turn the table into a list of
 * labelled cards on narrow screens (WCAG 1.4.10 reflow) without any page
 * having to repeat its headers. Cells that already carry a label keep it.
 */
function labelCells(rows: ComponentChildren, labels: string[]): ComponentChildren {
  return toChildArray(rows).map((row) => {
    if (!isValidElement(row) || row.type !== 'tr') return row;
    let i = 0;
    const cells = toChildArray((row.props as { children?: ComponentChildren }).children).map((cell) => {
      if (!isValidElement(cell) || (cell.type !== 'td' && cell.type !== 'th')) return cell;
      const props = cell.props as { colSpan?: number; colspan?: number; 'data-label'?: string };
      const label = labels[i] ?? '';
      i += Number(props.colSpan ?? props.colspan ?? 1);
      return props['data-label'] !== undefined || !label ? cell : cloneElement(cell as VNode<Record<string, unknown>>, { 'data-label': label });
    });
    return cloneElement(row as VNode<Record<string, unknown>>, {}, ...cells);
  });
}

/**
 * A data table with column headers (and a caption, which every table should
 * have unless a heading right above names it); rows are passed as children.
 * On narrow screens it becomes a list: one card per row, each value under its
 * column's name. `stack={false}` keeps a true grid (for a few narrow columns).
 */
export function Table({
  caption,
  head,
  children,
  border = true,
  stack = true,
}: {
  caption?: string;
  head: (string | { hidden: string })[];
  children: ComponentChildren;
  border?: boolean;
  stack?: boolean;
}) {
  const labels = head.map((h) => (typeof h === 'string' ? h : ''));
  return (
    <table class="ds-table" data-border={border ? 'true' : undefined} data-stack={stack ? undefined : 'false'}>
      {caption && <caption>{caption}</caption>}
      <thead>
        <tr>
          {head.map((h) => (
            <th scope="col">{typeof h === 'string' ? h : <span class="visually-hidden">{h.hidden}</span>}</th>
          ))}
        </tr>
      </thead>
      <tbody>{stack ? labelCells(children, labels) : children}</tbody>
    </table>
  );
}

export function Button({ children, variant = 'primary', type = 'submit' }: { children: ComponentChildren; variant?: 'primary' | 'secondary' | 'tertiary'; type?: 'submit' | 'button' }) {
  return (
    <button class="ds-button" data-variant={variant} type={type}>
      {children}
    </button>
  );
}

export function ButtonLink({ href, children, variant = 'secondary' }: { href: string; children: ComponentChildren; variant?: 'primary' | 'secondary' | 'tertiary' }) {
  return (
    <a class="ds-button" data-variant={variant} href={href}>
      {children}
    </a>
  );
}

export function Alert({ children, color = 'info' }: { children: ComponentChildren; color?: 'info' | 'success' | 'warning' | 'danger' }) {
  return (
    <div class="ds-alert" data-color={color} role={color === 'danger' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

export function Pager({ req, page, hasMore, base }: { req: FastifyRequest; page: number; hasMore: boolean; base: string }) {
  if (page <= 1 && !hasMore) return null;
  const t = common[req.locale];
  const sep = base.includes('?') ? '&' : '?';
  return (
    <nav aria-label={t.pagination} class="pager">
      {page > 1 && (
        <a class="ds-link" rel="prev" href={`${base}${sep}page=${page - 1}`}>
          {t.previous}
        </a>
      )}
      {hasMore && (
        <a class="ds-link" rel="next" href={`${base}${sep}page=${page + 1}`}>
          {t.next}
        </a>
      )}
    </nav>
  );
}

/* ------------------------------------------------------------------ *
 * Page-level design components. Every module builds its pages from
 * these, so that all pages share one look; /design shows each of them.
 * ------------------------------------------------------------------ */

export type Crumb = { href: string; label: string };

/**
 * The top of a page: breadcrumbs, the one h1, an optional line of tags or
 * facts under it, a lead paragraph and the actions the reader may take.
 * Use it instead of Layout's `crumbs` when the page has actions or a lead.
 */
export function PageHeader({
  req,
  title,
  crumbs,
  lead,
  meta,
  actions,
  lang,
}: {
  req: FastifyRequest;
  title: string;
  crumbs?: Crumb[];
  lead?: ComponentChildren;
  meta?: ComponentChildren;
  actions?: ComponentChildren;
  /** The title's language, when it is content in another language than the page. */
  lang?: string | undefined;
}) {
  const t = common[req.locale];
  return (
    <header class="page-header">
      {crumbs && crumbs.length > 0 && (
        <nav aria-label={t.breadcrumbs} class="crumbs">
          <ol>
            {crumbs.map((c) => (
              <li>
                <a class="ds-link" href={c.href}>
                  {c.label}
                </a>
              </li>
            ))}
          </ol>
        </nav>
      )}
      <h1 class="ds-heading" data-size="xl" lang={lang !== req.locale ? lang : undefined}>
        {title}
      </h1>
      {meta && <div class="page-header__meta">{meta}</div>}
      {lead && <div class="ds-paragraph lead">{lead}</div>}
      {actions && <div class="actions">{actions}</div>}
    </header>
  );
}

/** A key figure: a number (formatted in the page's language) or short text, its label, and where it leads. */
export type Figure = { label: string; value: number | string; href?: string | undefined; hint?: string | undefined };

/** Key figures in a row of cards, each a link where it has one. Figures come first on overview pages. */
export function KeyFigures({ locale, label, figures }: { locale: Locale; label: string; figures: Figure[] }) {
  if (figures.length === 0) return null;
  return (
    <section class="key-figures" aria-label={label}>
      <ul>
        {figures.map((f) => {
          const value = typeof f.value === 'number' ? formatNumber(locale, f.value) : f.value;
          const body = (
            <>
              <span class="key-figure__value">{value}</span>
              <span class="key-figure__label">{f.label}</span>
              {f.hint && <span class="key-figure__hint">{f.hint}</span>}
            </>
          );
          return <li class="key-figure">{f.href ? <a href={f.href}>{body}</a> : <div>{body}</div>}</li>;
        })}
      </ul>
    </section>
  );
}

/** What an empty section offers: a sentence saying what is missing, and the action for readers who may take it. */
export type EmptyState = {
  text: string;
  /** The next step; leave it out for readers who may not act, and the section disappears for them. */
  action?: { href: string; label: string } | undefined;
  /** Show the sentence even to readers who cannot act (when "none" is itself worth knowing). */
  always?: boolean;
};

/**
 * A titled section. With content it renders its heading and children. When
 * `empty` is true it collapses into one line, "No working groups yet. Add
 * one", or disappears for readers who may not add anything.
 */
export function Section({
  id,
  title,
  count,
  empty,
  whenEmpty,
  actions,
  children,
  level = 2,
}: {
  id: string;
  title: string;
  count?: number | undefined;
  empty?: boolean;
  whenEmpty?: EmptyState;
  actions?: ComponentChildren;
  children?: ComponentChildren;
  level?: 2 | 3;
}) {
  if (empty) {
    if (!whenEmpty || (!whenEmpty.action && !whenEmpty.always)) return null;
    return (
      <p class="section-empty" id={id}>
        <span class="section-empty__title">{title}:</span> {whenEmpty.text}
        {whenEmpty.action && (
          <>
            {' '}
            <a class="ds-link" href={whenEmpty.action.href}>
              {whenEmpty.action.label}
            </a>
          </>
        )}
      </p>
    );
  }
  const H = level === 2 ? 'h2' : 'h3';
  return (
    <section aria-labelledby={`${id}-h`} class="section" id={id}>
      <div class="section__head">
        <H class="ds-heading" data-size={level === 2 ? 'sm' : 'xs'} id={`${id}-h`}>
          {title}
          {count !== undefined && <span class="section__count"> ({count})</span>}
        </H>
        {actions && <div class="section__actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

/**
 * A section of an item's page under its own medium heading (the plan, action, priority and project
 * pages). With `empty` the `emptyText` paragraph stands instead of the children, so the section
 * still says that there is nothing yet. Unlike `Section` it never collapses or hides.
 */
export function PageSection({ id, title, empty, emptyText, children }: { id: string; title: ComponentChildren; empty?: boolean; emptyText?: string; children?: ComponentChildren }) {
  return (
    <section class="section" aria-labelledby={id}>
      <h2 class="ds-heading" data-size="md" id={id}>
        {title}
      </h2>
      {empty ? <p class="ds-paragraph">{emptyText}</p> : children}
    </section>
  );
}

/** Orders sections so that those with content come first and the one-line empty ones gather at the end. */
export function contentFirst<T extends { empty: boolean }>(sections: T[]): T[] {
  return [...sections.filter((s) => !s.empty), ...sections.filter((s) => s.empty)];
}

/**
 * Tabbed sections that work without JavaScript: each tab is a link (usually
 * `?tab=…`) and the server renders the chosen panel. Being links, not ARIA
 * tabs, they need no script for the keyboard and keep a shareable address.
 */
export function Tabs({ label, tabs, current, children }: { label: string; tabs: { id: string; label: string; href: string; count?: number | undefined }[]; current: string; children: ComponentChildren }) {
  return (
    <div class="tabs">
      <nav aria-label={label} class="tabs__list">
        <ul>
          {tabs.map((tab) => (
            <li>
              <a href={tab.href} aria-current={tab.id === current ? 'page' : undefined}>
                {tab.label}
                {tab.count !== undefined && <span class="tabs__count"> ({tab.count})</span>}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="tabs__panel" id="tab-panel">
        {children}
      </div>
    </div>
  );
}

/** Links written inline, separated by commas ("Växjö kommun, Alvesta kommun"): organisers, partners, contacts. */
export function InlineLinks({ links }: { links: { href: string; label: string }[] }) {
  return (
    <>
      {links.map((x, i) => (
        <>
          {i > 0 && ', '}
          <a class="ds-link" href={x.href}>
            {x.label}
          </a>
        </>
      ))}
    </>
  );
}

/** A list of tags; each may link (to a filtered list) and carry its own language. */
export function TagList({ label, tags }: { label: string; tags: { label: string; href?: string | undefined; lang?: string | undefined; color?: 'neutral' | 'accent' | 'success' | 'warning' | 'danger' | 'info' }[] }) {
  if (tags.length === 0) return null;
  return (
    <ul class="tag-list" aria-label={label}>
      {tags.map((tg) => (
        <li>
          {tg.href ? (
            <a class="ds-tag tag-link" data-color={tg.color ?? 'neutral'} href={tg.href} lang={tg.lang}>
              {tg.label}
            </a>
          ) : (
            <span class="ds-tag" data-color={tg.color ?? 'neutral'} lang={tg.lang}>
              {tg.label}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

/**
 * An SDG goal tile: the goal's official colour, its number and short name,
 * text in whichever of black or white reads better on that colour (at least
 * 4.5:1 for all 17, see sdg.test.ts). `extra` is a line under the name, such
 * as "4 indicators".
 */
export function SdgTile({ goal, name, href, extra, lang, size = 'md' }: { goal: string; name: string; href?: string | undefined; extra?: string | undefined; lang?: string | undefined; size?: 'sm' | 'md' }) {
  const { background, text } = sdgColours(goal);
  const body = (
    <>
      <span class="sdg-tile__number" aria-hidden="true">
        {goal}
      </span>
      <span class="sdg-tile__name" lang={lang}>
        <span class="visually-hidden">{goal}. </span>
        {name}
      </span>
      {extra && <span class="sdg-tile__extra">{extra}</span>}
    </>
  );
  const style = `--sdg-bg:${background};--sdg-fg:${text}`;
  return href ? (
    <a class="sdg-tile" data-size={size} style={style} href={href}>
      {body}
    </a>
  ) : (
    <div class="sdg-tile" data-size={size} style={style}>
      {body}
    </div>
  );
}

/** A grid of SDG tiles (as list items, so a screen reader hears how many there are). */
export function SdgTiles({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <ul class="sdg-tiles" aria-label={label}>
      {toChildArray(children).map((c) => (
        <li>{c}</li>
      ))}
    </ul>
  );
}

/**
 * Text that may be in another language than the page (a name the content has only in English, say):
 * marked with its `lang` so screen readers switch voice, and followed by a small visible note naming
 * the language, so a reader sees the fallback rather than wondering at it. In the page's language it
 * is plain text.
 */
export function InLanguage({ text, lang, locale }: { text: string; lang: string; locale: Locale }) {
  if (!text || lang === locale) return <>{text}</>;
  return (
    <>
      <span lang={lang}>{text}</span> <span class="lang-note">({languageName(locale, lang)})</span>
    </>
  );
}
