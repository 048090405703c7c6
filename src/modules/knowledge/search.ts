import type { SearchDocSource } from '../../platform/search-index.js';
import { allPublishedNewsForIndex, newsSearchDoc } from './news.js';

/** News, events and practices as the search index holds them (published only). */
export const knowledgeSearchSource: SearchDocSource = {
  types: ['news'],
  async *docs(tx) {
    for (const n of await allPublishedNewsForIndex(tx)) yield newsSearchDoc(n);
  },
};
