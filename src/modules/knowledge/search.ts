import type { SearchDocSource } from '../../platform/search-index.js';
import { eventSearchDoc } from './events.js';
import { allPublishedEvents } from './event-reads.js';
import { allPublishedNewsForIndex, newsSearchDoc } from './news.js';
import { allPublishedPractices, practiceSearchDoc } from './practices.js';

/** News, events and practices as the search index holds them (published only). */
export const knowledgeSearchSource: SearchDocSource = {
  types: ['news', 'event', 'practice'],
  async *docs(tx) {
    for (const n of await allPublishedNewsForIndex(tx)) yield newsSearchDoc(n);
    for (const e of await allPublishedEvents(tx)) yield await eventSearchDoc(tx, e);
    for (const p of await allPublishedPractices(tx)) yield await practiceSearchDoc(tx, p);
  },
};
