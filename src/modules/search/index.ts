/**
 * One search across everything: `/search` and `GET /api/search` over the shared
 * index that every module writes in its own transactions (platform/search-index.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/http.js';
import type { Database } from '../../platform/db/index.js';
import type { SearchDocSource } from '../../platform/search-index.js';
import { directorySearchSource } from '../directory/index.js';
import { meetingsSearchSource } from '../meetings/index.js';
import { indicatorsSearchSource } from '../indicators/index.js';
import { knowledgeSearchSource } from '../knowledge/index.js';
import { projectsSearchSource } from '../projects/index.js';
import { plansSearchSource } from '../plans/index.js';
import { challengesSearchSource } from '../challenges/index.js';
import { searchPages } from './pages.js';
import { searchRoutes } from './routes.js';
import { defineReindexJob, rebuildSearchIndex } from './reindex.js';

export { search, searchGrouped, snippetParts, searchStatements, MAX_QUERY_CHARS, COUNT_CAP } from './service.js';
export type { SearchHit, SearchResult, SearchParams } from './service.js';

/** Every module that holds searchable records. A new module adds its source here. */
export function allSearchSources(): SearchDocSource[] {
  return [directorySearchSource, meetingsSearchSource, indicatorsSearchSource, knowledgeSearchSource, projectsSearchSource, plansSearchSource, challengesSearchSource];
}

/** Rebuilds the index now, in this process (the demo loader after seeding; the job below runs the same). */
export const reindexAll = (db: Database, log?: (m: string) => void, onProgress?: (pct: number) => void) => rebuildSearchIndex(db, allSearchSources(), log, onProgress);
defineReindexJob(allSearchSources);
export { requestReindex, reindexStatus, SEARCH_REINDEX_JOB } from './reindex.js';

export async function searchModule(app: FastifyInstance, deps: AppDeps) {
  await app.register(searchRoutes, deps);
  await app.register(searchPages, deps);
}
