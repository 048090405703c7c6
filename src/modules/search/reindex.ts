import { sql } from 'drizzle-orm';
import type { Database } from '../../platform/db/index.js';
import { indexSearchDoc, type SearchDocSource } from '../../platform/search-index.js';

/**
 * Rebuilds the index from every module's own records. Each source's types are
 * emptied and refilled in one transaction, so readers see the old or the new
 * documents of a type, never a half-built index.
 */
export async function rebuildSearchIndex(db: Database, sources: SearchDocSource[], log: (m: string) => void = () => {}): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const source of sources) {
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
