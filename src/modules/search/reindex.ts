import { sql } from 'drizzle-orm';
import type { Actor } from '../../platform/audit.js';
import type { Database } from '../../platform/db/index.js';
import { ForbiddenError, UnauthenticatedError } from '../../platform/errors.js';
import { defineJob, enqueue, latestJob, type JobRow } from '../../platform/jobs.js';
import { indexSearchDoc, type SearchDocSource } from '../../platform/search-index.js';

/**
 * Rebuilds the index from every module's own records. Each source's types are
 * emptied and refilled in one transaction, so readers see the old or the new
 * documents of a type, never a half-built index.
 */
export async function rebuildSearchIndex(db: Database, sources: SearchDocSource[], log: (m: string) => void = () => {}, onProgress?: (pct: number) => void): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [i, source] of sources.entries()) {
    onProgress?.((i / sources.length) * 100);
    await db.orm.transaction(async (tx) => {
      for (const t of source.types) {
        await tx.execute(sql`DELETE FROM search_documents WHERE doc_type = ${t}`);
        counts[t] = 0;
      }
      if (source.docs) {
        for await (const doc of source.docs(tx)) {
          if (!source.types.includes(doc.type)) throw new Error(`A search source for ${source.types.join(', ')} yielded a '${doc.type}' document`);
          await indexSearchDoc(tx, doc);
          counts[doc.type] = (counts[doc.type] ?? 0) + 1;
        }
      }
      if (source.rebuild) {
        await source.rebuild(tx);
        // What the module's own indexing wrote (drafts and closed records are left out by it).
        for (const t of source.types) {
          const r = await tx.execute(sql`SELECT count(*)::int AS n FROM search_documents WHERE doc_type = ${t}`);
          counts[t] = Number((r.rows[0] as { n: number }).n);
        }
      }
    });
    log(`Indexed ${source.types.map((t) => `${counts[t]} ${t}`).join(', ')}`);
  }
  return counts;
}

/**
 * A rebuild as a job, so it runs on whichever app server has room, reports its progress (one step per
 * module) where every server can read it, and outlives the request or terminal that asked for it.
 * One at a time: asking while one waits or runs gives that one. Running it twice is harmless (each
 * module's part is one transaction that empties and refills its types), hence a second attempt.
 */
export const SEARCH_REINDEX_JOB = 'search.reindex';

export function defineReindexJob(sources: () => SearchDocSource[]) {
  return defineJob({
    kind: SEARCH_REINDEX_JOB,
    maxAttempts: 2,
    run: ({ db, progress }) => rebuildSearchIndex(db, sources(), undefined, progress),
  });
}

/** Platform administrators (and the command line, which acts as the system) may rebuild the index. */
function assertCanReindex(actor: Actor) {
  if (actor.userId === null && !actor.isPlatformAdmin) throw new UnauthenticatedError();
  if (!actor.isPlatformAdmin) throw new ForbiddenError('Only platform administrators can rebuild the search index.');
}

/** Queues a rebuild (or finds the one already queued or running) and answers with its job. */
export async function requestReindex(db: Database, actor: Actor): Promise<JobRow> {
  assertCanReindex(actor);
  await enqueue(db, SEARCH_REINDEX_JOB, { by: actor.label }, { key: 'all' });
  return (await latestJob(db, SEARCH_REINDEX_JOB, 'all'))!;
}

/** The latest rebuild, whatever its state; null when there was none. */
export async function reindexStatus(db: Database, actor: Actor): Promise<JobRow | null> {
  assertCanReindex(actor);
  return latestJob(db, SEARCH_REINDEX_JOB, 'all');
}
