/**
 * What other modules' tests need to do to indicators' tables without a whole import, kept behind
 * this module's face so that no test outside it writes `ind_*` directly (issue #9). Not for
 * production code: a real change goes through the use cases in service.ts and observations.ts.
 */
import { rawQuery, type Executor } from '../../platform/db/index.js';
import { NotFoundError } from '../../platform/errors.js';

/** Moves an indicator's data version as an import that changes its figures does, and nothing else. */
export async function bumpDataVersion(ex: Executor, code: string): Promise<void> {
  const rows = await rawQuery(ex, 'UPDATE ind_indicators SET data_version = data_version + 1 WHERE code = $1 RETURNING id', [code]);
  if (!rows.length) throw new NotFoundError('indicator', code);
}
