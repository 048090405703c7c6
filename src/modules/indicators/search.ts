import type { Executor } from '../../platform/db/index.js';
import { indexSearchDoc, type SearchDoc, type SearchDocSource } from '../../platform/search-index.js';
import { rawQuery } from '../../platform/db/index.js';

/*
 * Indicators in the one search index: name, code and description, with the SDG goals
 * of their linked targets (for the goal filter). Indicator metadata is public.
 * Called after the upserts and link edits that change them, in the same transaction.
 */

type Row = { id: string; code: string; name: string; description: string; lang: SearchDoc['lang']; unit: string; source: string; goals: number[] | string | null };

const SELECT = `
  SELECT i.id, i.code, i.name, i.description, i.lang, i.unit, i.source,
         (SELECT array_agg(DISTINCT split_part(n.code, '.', 1)::int)
            FROM ind_indicator_links l JOIN ind_framework_nodes n ON n.id = l.node_id JOIN ind_frameworks f ON f.id = n.framework_id
           WHERE l.indicator_id = i.id AND f.key = 'sdg' AND split_part(n.code, '.', 1) ~ '^[0-9]+$') AS goals
  FROM ind_indicators i`;

const goalsOf = (g: Row['goals']): number[] => (Array.isArray(g) ? g.map(Number) : typeof g === 'string' ? g.replace(/[{}]/g, '').split(',').filter(Boolean).map(Number) : []);

const docOf = (r: Row): SearchDoc => ({
  type: 'indicator',
  id: r.id,
  title: `${r.name} (${r.code})`,
  body: [r.code, r.description, r.unit, r.source].filter(Boolean).join('\n'),
  lang: r.lang,
  url: `/indicators/${encodeURIComponent(r.code)}`,
  sdgGoals: goalsOf(r.goals),
});

export async function indexIndicatorDocs(tx: Executor, ids: string[]): Promise<void> {
  if (!ids.length) return;
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await rawQuery<Row>(tx, `${SELECT} WHERE i.id = ANY($1::uuid[])`, [ids.slice(i, i + 500)]);
    for (const r of rows) await indexSearchDoc(tx, docOf(r));
  }
}

export const indicatorsSearchSource: SearchDocSource = {
  types: ['indicator'],
  async *docs(tx) {
    for (const r of await rawQuery<Row>(tx, `${SELECT} ORDER BY i.code`)) yield docOf(r);
  },
};
