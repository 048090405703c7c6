/**
 * Reads of the labels a source gave an indicator's breakdown dimensions and categories
 * (ind_labels, written by imports in service.ts).
 */
import type { Executor } from '../../platform/db/index.js';
import { labelKey, type LabelBook } from '../indicator-model/index.js';
import { rawQuery } from './service.js';

export type LabelRow = { indicator_id: string; dimension: string; code: string; label: string; lang: string };

/** Labels of some indicators, by indicator id. */
export async function labelBooks(ex: Executor, indicatorIds: string[]): Promise<Map<string, LabelBook>> {
  const out = new Map<string, LabelBook>();
  if (!indicatorIds.length) return out;
  const rows = await rawQuery<LabelRow>(
    ex,
    'SELECT indicator_id, dimension, code, label, lang FROM ind_labels WHERE indicator_id = ANY($1::uuid[]) ORDER BY indicator_id, dimension, code',
    [indicatorIds],
  );
  for (const r of rows) {
    let book = out.get(r.indicator_id);
    if (!book) out.set(r.indicator_id, (book = new Map()));
    book.set(labelKey(r.dimension, r.code), { label: r.label, lang: r.lang });
  }
  return out;
}

export const labelBook = async (ex: Executor, indicatorId: string): Promise<LabelBook> => (await labelBooks(ex, [indicatorId])).get(indicatorId) ?? new Map();

/** A book as JSON: dimension → its label, language and category labels (the export's extension). */
export function bookToJson(book: LabelBook): Record<string, { label?: string; lang?: string; categories?: Record<string, string> }> {
  const out: Record<string, { label?: string; lang?: string; categories?: Record<string, string> }> = {};
  for (const [k, v] of book) {
    const [dim, code] = k.split('\u0000') as [string, string];
    const d = (out[dim] ??= {});
    if (v.lang) d.lang = v.lang;
    if (code === '') d.label = v.label;
    else (d.categories ??= {})[code] = v.label;
  }
  return out;
}
