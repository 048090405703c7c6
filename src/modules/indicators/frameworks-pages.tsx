/**
 * Frameworks browsed as trees (issue #10): `/frameworks` lists them, `/frameworks/{key}` shows one
 * framework's hierarchy (SDG goals → targets, U4SSC dimensions → categories, the KS taxonomy) as
 * nested lists. Every node says how many indicators hang under it (itself and below, counted once)
 * and links to them; the indicator list filtered by the framework links here.
 *
 * Names are in the reader's language where the framework has them, else marked with their
 * language (InLanguage).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { NotFoundError } from '../../platform/errors.js';
import { Layout } from '../../web/layout.js';
import { InLanguage, PageHeader, Table } from '../../web/components.js';
import { defineCatalog, formatNumber, languageName, pickText, sortByText, type Locale } from '../../web/i18n/index.js';
import type { Executor } from '../../platform/db/index.js';
import { rawQuery } from './service.js';

export const ft = defineCatalog(
  {
    frameworks: 'Frameworks',
    intro: 'Goal and indicator frameworks, each browsable as a tree of its goals, targets and categories.',
    indicators: 'Indicators',
    framework: 'Framework',
    nodes: 'Goals, targets and categories',
    count: (n: number, f: string) => (n === 1 ? '1 indicator' : `${f} indicators`),
    withData: (f: string) => `${f} with data`,
    treeIntro: (nodes: string, inds: string) => `${nodes} goals, targets and categories; ${inds} indicators linked to them.`,
    list: 'Show in the indicator list',
    browse: 'Browse the frameworks as trees',
    empty: 'This framework has no goals, targets or categories yet.',
    source: 'Source',
  },
  {
    sv: {
      frameworks: 'Ramverk',
      intro: 'Ramverk för mål och indikatorer, vart och ett som ett träd av mål, delmål och kategorier.',
      indicators: 'Indikatorer',
      framework: 'Ramverk',
      nodes: 'Mål, delmål och kategorier',
      count: (n: number, f: string) => (n === 1 ? '1 indikator' : `${f} indikatorer`),
      withData: (f: string) => `${f} med data`,
      treeIntro: (nodes: string, inds: string) => `${nodes} mål, delmål och kategorier; ${inds} indikatorer kopplade till dem.`,
      list: 'Visa i indikatorlistan',
      browse: 'Bläddra i ramverken som träd',
      empty: 'Ramverket har inga mål, delmål eller kategorier ännu.',
      source: 'Källa',
    },
    nb: {
      frameworks: 'Rammeverk',
      intro: 'Rammeverk for mål og indikatorer, hvert som et tre av mål, delmål og kategorier.',
      indicators: 'Indikatorer',
      framework: 'Rammeverk',
      nodes: 'Mål, delmål og kategorier',
      count: (n: number, f: string) => (n === 1 ? '1 indikator' : `${f} indikatorer`),
      withData: (f: string) => `${f} med data`,
      treeIntro: (nodes: string, inds: string) => `${nodes} mål, delmål og kategorier; ${inds} indikatorer knyttet til dem.`,
      list: 'Vis i indikatorlisten',
      browse: 'Bla i rammeverkene som trær',
      empty: 'Rammeverket har ingen mål, delmål eller kategorier ennå.',
      source: 'Kilde',
    },
    da: {
      frameworks: 'Rammeværker',
      intro: 'Rammeværker for mål og indikatorer, hvert som et træ af mål, delmål og kategorier.',
      indicators: 'Indikatorer',
      framework: 'Rammeværk',
      nodes: 'Mål, delmål og kategorier',
      count: (n: number, f: string) => (n === 1 ? '1 indikator' : `${f} indikatorer`),
      withData: (f: string) => `${f} med data`,
      treeIntro: (nodes: string, inds: string) => `${nodes} mål, delmål og kategorier; ${inds} indikatorer knyttet til dem.`,
      list: 'Vis i indikatorlisten',
      browse: 'Gennemse rammeværkerne som træer',
      empty: 'Rammeværket har ingen mål, delmål eller kategorier endnu.',
      source: 'Kilde',
    },
  },
);

type Ind = { code: string; name: string; lang: string; areas: number };
export type TreeNode = { id: string; code: string; level: string; parent_id: string | null; names: Record<string, string>; short_names: Record<string, string>; indicators: Ind[]; children: TreeNode[]; total: number };

/** One framework's nodes with the indicators linked to each, as a tree; `total` counts each indicator once per subtree. */
export async function frameworkTree(db: Executor, key: string): Promise<{ framework: { key: string; names: Record<string, string>; source: string }; roots: TreeNode[]; nodes: number; indicators: number }> {
  const [fw] = await rawQuery<{ id: string; key: string; names: Record<string, string>; source: string }>(db, 'SELECT id, key, names, source FROM ind_frameworks WHERE key = $1', [key]);
  if (!fw) throw new NotFoundError('framework', key);
  const rows = await rawQuery<Omit<TreeNode, 'children' | 'total'>>(
    db,
    `SELECT n.id, n.code, n.level, n.parent_id, n.names, n.short_names,
       COALESCE((SELECT json_agg(json_build_object('code', i.code, 'name', i.name, 'lang', i.lang, 'areas', i.area_count) ORDER BY i.code)
         FROM ind_indicator_links l JOIN ind_indicators i ON i.id = l.indicator_id WHERE l.node_id = n.id), '[]'::json) AS indicators
     FROM ind_framework_nodes n WHERE n.framework_id = $1 ORDER BY n.sort_key, n.code`,
    [fw.id],
  );
  const byId = new Map<string, TreeNode>(rows.map((r) => [r.id, { ...r, children: [], total: 0 }]));
  const roots: TreeNode[] = [];
  for (const n of byId.values()) {
    const p = n.parent_id ? byId.get(n.parent_id) : undefined;
    (p ? p.children : roots).push(n);
  }
  const all = new Set<string>();
  const count = (n: TreeNode): Set<string> => {
    const s = new Set(n.indicators.map((i) => i.code));
    for (const c of n.children) for (const x of count(c)) s.add(x);
    n.total = s.size;
    return s;
  };
  for (const r of roots) for (const x of count(r)) all.add(x);
  return { framework: { key: fw.key, names: fw.names, source: fw.source }, roots, nodes: rows.length, indicators: all.size };
}

function NodeItem({ n, l }: { n: TreeNode; l: Locale }) {
  const s = ft[l];
  const name = pickText(Object.keys(n.short_names).length && n.level === 'goal' ? n.short_names : n.names, l);
  const head = (
    <>
      <span class="fw-code">{n.code}</span> <InLanguage text={name.text} lang={name.lang} locale={l} />{' '}
      <span class="fw-count">({s.count(n.total, formatNumber(l, n.total))})</span>
    </>
  );
  const body = (
    <>
      {n.indicators.length > 0 && (
        <ul class="fw-inds">
          {n.indicators.map((i) => (
            <li>
              <a class="ds-link" href={`/indicators/${encodeURIComponent(i.code)}`}>
                <InLanguage text={i.name} lang={i.lang} locale={l} />
              </a>
            </li>
          ))}
        </ul>
      )}
      {n.children.length > 0 && (
        <ul class="fw-tree">
          {n.children.map((c) => (
            <NodeItem n={c} l={l} />
          ))}
        </ul>
      )}
    </>
  );
  if (!n.children.length && !n.indicators.length) return <li class="fw-node fw-node--empty">{head}</li>;
  // Top-level nodes fold (no script: <details>), so a framework of 17 goals and 169 targets opens as 17 lines.
  return (
    <li class="fw-node">
      {n.parent_id === null ? (
        <details>
          <summary>{head}</summary>
          {body}
        </details>
      ) : (
        <>
          {head}
          {body}
        </>
      )}
    </li>
  );
}

const CSS = `.fw-tree{list-style:none;padding-left:1.25rem;margin:.25rem 0}.fw-root{padding-left:0}.fw-node{margin:.25rem 0}
.fw-node summary{cursor:pointer;padding:.25rem 0}.fw-code{font-weight:600;font-variant-numeric:tabular-nums}.fw-count{color:#4b5563;font-size:.875rem}
.fw-inds{margin:.25rem 0 .5rem 1.25rem;padding-left:1rem}`;

export async function frameworkPages(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = deps.db;

  r.get('/frameworks', { schema: { hide: true } }, async (req, reply) => {
    const l = req.locale;
    const s = ft[l];
    const rows = await rawQuery<{ key: string; names: Record<string, string>; source: string; nodes: number; indicators: number }>(
      db.orm,
      `SELECT f.key, f.names, f.source,
         (SELECT count(*)::int FROM ind_framework_nodes n WHERE n.framework_id = f.id) AS nodes,
         (SELECT count(DISTINCT l.indicator_id)::int FROM ind_framework_nodes n JOIN ind_indicator_links l ON l.node_id = n.id WHERE n.framework_id = f.id) AS indicators
       FROM ind_frameworks f`,
    );
    const named = rows.map((f) => ({ ...f, name: pickText(f.names, l) }));
    return reply.html(
      <Layout req={req} title={s.frameworks}>
        <PageHeader req={req} title={s.frameworks} crumbs={[{ href: '/indicators', label: s.indicators }]} lead={s.intro} />
        <Table head={[s.framework, s.nodes, s.indicators, s.source]}>
          {sortByText(l, named, (f) => f.name.text || f.key).map((f) => (
            <tr>
              <th scope="row">
                <a class="ds-link" href={`/frameworks/${f.key}`}>
                  <InLanguage text={f.name.text || f.key} lang={f.name.text ? f.name.lang : l} locale={l} />
                </a>
              </th>
              <td data-align="right">{formatNumber(l, f.nodes)}</td>
              <td data-align="right">{formatNumber(l, f.indicators)}</td>
              <td>{f.source}</td>
            </tr>
          ))}
        </Table>
      </Layout>,
    );
  });

  r.get('/frameworks/:key', { schema: { hide: true, params: z.object({ key: z.string().max(80) }) } }, async (req, reply) => {
    const l = req.locale;
    const s = ft[l];
    const tree = await frameworkTree(db.orm, req.params.key);
    const name = pickText(tree.framework.names, l);
    const title = name.text || tree.framework.key;
    return reply.html(
      <Layout req={req} title={title}>
        <style>{CSS}</style>
        <PageHeader
          req={req}
          title={title}
          lang={name.text && name.lang !== l ? name.lang : undefined}
          meta={name.text && name.lang !== l ? <span class="lang-note">({languageName(l, name.lang)})</span> : undefined}
          crumbs={[
            { href: '/indicators', label: s.indicators },
            { href: '/frameworks', label: s.frameworks },
          ]}
          lead={
            <>
              {s.treeIntro(formatNumber(l, tree.nodes), formatNumber(l, tree.indicators))}{' '}
              <a class="ds-link" href={`/indicators?framework=${encodeURIComponent(tree.framework.key)}`}>
                {s.list}
              </a>
            </>
          }
        />
        {tree.roots.length === 0 ? (
          <p class="ds-paragraph">{s.empty}</p>
        ) : (
          <ul class="fw-tree fw-root">
            {tree.roots.map((n) => (
              <NodeItem n={n} l={l} />
            ))}
          </ul>
        )}
      </Layout>,
    );
  });
}
