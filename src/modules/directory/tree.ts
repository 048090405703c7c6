/**
 * Walking the organisation tree: the policy needs ancestors (a network's editors maintain
 * its working groups), the service needs both directions. A file of its own, so that the
 * policy and the service do not import each other.
 */
import { sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/index.js';

/** Ids of the organisation's ancestors, nearest first. */
export async function ancestorIds(db: Executor, orgId: string): Promise<string[]> {
  const res = await db.execute(sql`
    WITH RECURSIVE up(id, parent_id, depth) AS (
      SELECT id, parent_id, 0 FROM organisations WHERE id = ${orgId}
      UNION ALL
      SELECT o.id, o.parent_id, up.depth + 1 FROM organisations o JOIN up ON o.id = up.parent_id WHERE up.depth < 50
    )
    SELECT id FROM up WHERE depth > 0 ORDER BY depth`);
  return (res.rows as { id: string }[]).map((r) => r.id);
}

export async function descendantIds(db: Executor, orgId: string): Promise<string[]> {
  const res = await db.execute(sql`
    WITH RECURSIVE down(id, depth) AS (
      SELECT id, 0 FROM organisations WHERE parent_id = ${orgId}
      UNION ALL
      SELECT o.id, down.depth + 1 FROM organisations o JOIN down ON o.parent_id = down.id WHERE down.depth < 50
    )
    SELECT id FROM down`);
  return (res.rows as { id: string }[]).map((r) => r.id);
}

