/** Reads for the overviews (home page): counts the directory pages show as key figures. */
import type { Database } from '../../platform/db/index.js';

export type NetworkCount = { slug: string; name: string; members: number };

/**
 * Every current network with the number of organisations that are its members
 * today (a membership is current until the end of its last day, month or year).
 */
export async function networksWithMemberCounts(db: Database, today = new Date().toISOString().slice(0, 10)): Promise<NetworkCount[]> {
  const rows = await db.query<{ slug: string; name: string; members: number | string }>(
    `SELECT o.slug, o.name, count(DISTINCT m.member_organisation_id) AS members
       FROM organisations o
       LEFT JOIN memberships m ON m.organisation_id = o.id
        AND m.member_organisation_id IS NOT NULL
        AND (m.end_date IS NULL OR m.end_date >= left($1, length(m.end_date)))
      WHERE o.kind = 'network' AND o.ended_on IS NULL
      GROUP BY o.slug, o.name`,
    [today],
  );
  return rows.map((r) => ({ slug: r.slug, name: r.name, members: Number(r.members) }));
}

/** How many current organisations of each kind, and people, and commitments. */
export async function directoryCounts(db: Database): Promise<{ kinds: Record<string, number>; people: number; commitments: number }> {
  const [kinds, [people], [commitments]] = await Promise.all([
    db.query<{ kind: string; n: number | string }>(`SELECT kind, count(*) AS n FROM organisations WHERE ended_on IS NULL GROUP BY kind`),
    db.query<{ n: number | string }>(`SELECT count(*) AS n FROM people WHERE ended_on IS NULL`),
    db.query<{ n: number | string }>(`SELECT count(*) AS n FROM commitments WHERE ended_on IS NULL`),
  ]);
  return { kinds: Object.fromEntries(kinds.map((k) => [k.kind, Number(k.n)])), people: Number(people?.n ?? 0), commitments: Number(commitments?.n ?? 0) };
}
