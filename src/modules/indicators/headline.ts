/**
 * Changing an indicator's headline series after import: the breakdown that area, compare and
 * progress pages show. The summaries those pages read are rebuilt in the same transaction, and
 * the indicator's data version moves, which is how the progress module learns that its
 * statuses are stale (its recurring job recomputes what moved) and how cached pages retire.
 */
import type { Database } from '../../platform/db/index.js';
import { recordAudit, type Actor } from '../../platform/audit.js';
import { NotFoundError, UnauthenticatedError, ValidationError } from '../../platform/errors.js';
import { textProblem } from '../../platform/text.js';
import { assertCanEditIndicator } from './policy.js';
import { rawQuery } from './service.js';
import { refreshSummaries } from './observations.js';

/** The breakdowns an indicator has values for, with how many, most first: the choices offered. */
export async function headlineChoices(db: Pick<Database, 'query'>, indicatorId: string): Promise<{ breakdown: string; values: number }[]> {
  return db.query<{ breakdown: string; values: number }>(
    `SELECT breakdown, count(value)::int AS values FROM ind_observations WHERE indicator_id = $1
     GROUP BY breakdown HAVING count(value) > 0 ORDER BY count(value) DESC, breakdown LIMIT 500`,
    [indicatorId],
  );
}

export async function setIndicatorHeadline(db: Database, actor: Actor, code: string, breakdown: string): Promise<{ code: string; headline: string; changed: boolean }> {
  if (actor.userId === null) throw new UnauthenticatedError();
  return db.orm.transaction(async (tx) => {
    const [ind] = await rawQuery<{ id: string; code: string; owner_user_id: string | null; headline_breakdown: string }>(
      tx,
      'SELECT id, code, owner_user_id, headline_breakdown FROM ind_indicators WHERE code = $1 FOR UPDATE',
      [code],
    );
    if (!ind) throw new NotFoundError('indicator', code);
    assertCanEditIndicator(actor, ind);
    const problem = breakdown ? textProblem(breakdown, { multiline: false }) : null;
    if (problem) throw new ValidationError([{ field: 'breakdown', message: `the breakdown ${problem}` }]);
    const [exists] = await rawQuery(tx, 'SELECT 1 FROM ind_observations WHERE indicator_id = $1 AND breakdown = $2 AND value IS NOT NULL LIMIT 1', [ind.id, breakdown]);
    if (!exists) {
      throw new ValidationError([{ field: 'breakdown', message: breakdown ? `the indicator has no values for the breakdown "${breakdown}"` : 'the indicator has no total values' }]);
    }
    if (ind.headline_breakdown === breakdown) return { code: ind.code, headline: breakdown, changed: false };
    await rawQuery(tx, 'UPDATE ind_indicators SET headline_breakdown = $2, updated_at = now() WHERE id = $1', [ind.id, breakdown]);
    await refreshSummaries(tx, { indicatorIds: [ind.id] });
    await rawQuery(
      tx,
      `UPDATE ind_indicators i SET data_version = data_version + 1, area_count = (SELECT count(*) FROM ind_area_summary s WHERE s.indicator_id = i.id) WHERE i.id = $1`,
      [ind.id],
    );
    await recordAudit(tx, actor, {
      action: 'indicators.indicator.headline',
      entityType: 'indicator',
      entityId: ind.id,
      changes: { headline: { from: ind.headline_breakdown, to: breakdown } },
    });
    return { code: ind.code, headline: breakdown, changed: true };
  });
}

/** The account that brought the indicator in (null: imported by the system or before owners were kept). */
export async function indicatorOwner(db: Pick<Database, 'query'>, indicatorId: string): Promise<string | null> {
  const [row] = await db.query<{ owner_user_id: string | null }>('SELECT owner_user_id FROM ind_indicators WHERE id = $1', [indicatorId]);
  return row?.owner_user_id ?? null;
}
