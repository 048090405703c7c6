/**
 * Recomputes at the same time. Each runs in its own transaction and rewrites the derived tables
 * (statuses of its indicators, network areas, goal scores, index) by DELETE then INSERT; two at once
 * must neither fail (a duplicate key: the second DELETE does not see the first's new rows) nor leave
 * scores computed from statuses the other had not yet committed. Target changes alone happen to queue
 * behind each other on the content-version row their audit row bumps; the stale check after an import
 * (the recurring job, on any app server) writes no audit row, so it met them head on. Only PostgreSQL
 * runs transactions at once: PGlite has one connection, where they queue anyway.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { systemActor } from '../../platform/audit.js';
import { createTestApp, testConfig, type TestApp } from '../../../test/helpers.js';
import { indicatorsTestSupport, indicatorVersions } from '../indicators/index.js';
import { createTarget, deleteTarget, recomputeAll, recomputeStale, updateTarget } from './index.js';

const skip = testConfig().testDatabaseUrl ? false : 'PGlite has one connection: transactions cannot overlap there';
const admin = systemActor('test');
let t: TestApp;

before(async () => {
  if (skip) return;
  t = await createTestApp({ demo: true });
});
after(async () => t?.close());

/** The derived tables, in a fixed order, as plain values. */
const derived = async () => ({
  goals: await t.db.query(`SELECT area_id, goal, round(score::numeric, 9)::text AS score, colour, trend, counted, selected FROM prog_goal_scores ORDER BY area_id, goal`),
  index: await t.db.query(`SELECT area_id, round(score::numeric, 9)::text AS score, selected, missing, withheld, u4ssc::text AS u4ssc FROM prog_area_index ORDER BY area_id`),
  statuses: (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM prog_statuses`))[0]!.n,
});

/** What the concurrent changes left must be what one full recompute from scratch gives. */
async function assertAsIfRecomputed(what: string) {
  const left = await derived();
  await recomputeAll(t.db);
  assert.deepEqual(left, await derived(), `${what}: the scores are those a full recompute gives`);
}

test('target changes and stale checks at the same time all succeed and leave the scores a full recompute gives', { skip }, async () => {
  // Indicators with data and an SDG goal, so each change moves a goal score.
  const codes = (await indicatorVersions(t.db.orm)).filter((v) => v.sdg_goal).map((v) => v.code).sort();
  assert.ok(codes.length >= 4, 'the demo has four indicators with data under an SDG goal');
  const [a, b, c, d] = codes as [string, string, string, string];
  /** Two indicators' data as an import moves it, then two servers' stale checks beside the target changes. */
  const withStaleChecks = async <T>(changes: Promise<T>[]) => {
    await indicatorsTestSupport.bumpDataVersion(t.db.orm, c);
    await indicatorsTestSupport.bumpDataVersion(t.db.orm, d);
    const [out] = await Promise.all([Promise.all(changes), recomputeStale(t.db), recomputeStale(t.db)]);
    return out;
  };
  for (let round = 0; round < 3; round++) {
    const created = await withStaleChecks([a, b].map((indicator, i) => createTarget(t.db, admin, { indicator, level: 'global', breakdown: `Round ${round}`, value: 10 + i + round })));
    await assertAsIfRecomputed(`round ${round}: created`);
    await withStaleChecks(created.map((row, i) => updateTarget(t.db, admin, row.id, { value: 50 + i, manualStatus: 'moderate_progress', manualReason: 'set at the same time' })));
    await assertAsIfRecomputed(`round ${round}: changed`);
    await withStaleChecks(created.map((row) => deleteTarget(t.db, admin, row.id)));
    await assertAsIfRecomputed(`round ${round}: deleted`);
  }
});

test('two identical targets created at the same moment: one is created, the other is the duplicate conflict, not a server error', { skip }, async () => {
  const [code] = (await indicatorVersions(t.db.orm)).map((v) => v.code).sort();
  const input = { indicator: code!, level: 'global' as const, breakdown: 'Twin', value: 42 };
  for (let round = 0; round < 5; round++) {
    const results = await Promise.allSettled([createTarget(t.db, admin, input), createTarget(t.db, admin, input)]);
    const created = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(created.length, 1, `round ${round}: exactly one is created`);
    assert.equal(refused.length, 1);
    assert.equal((refused[0]!.reason as { code?: string }).code, 'duplicate_target', String(refused[0]!.reason));
    await deleteTarget(t.db, admin, (created[0] as PromiseFulfilledResult<{ id: string }>).value.id);
  }
});
