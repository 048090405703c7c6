import type { SearchDocSource } from '../../platform/search-index.js';
import { allPublishedEvents, eventSearchDoc } from './events.js';
import { allPublishedNewsForIndex, newsSearchDoc } from './news.js';

/** News, events and practices as the search index holds them (published only). */
export const knowledgeSearchSource: SearchDocSource = {
  types: ['news', 'event'],
  async *docs(tx) {
    for (const n of await allPublishedNewsForIndex(tx)) yield newsSearchDoc(n);
    for (const e of await allPublishedEvents(tx)) yield await eventSearchDoc(tx, e);
  },
};
