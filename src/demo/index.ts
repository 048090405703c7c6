import type { Database } from '../platform/db/index.js';
import { seedDirectoryDemo } from '../modules/directory/index.js';
import { seedMeetingsDemo } from '../modules/meetings/index.js';
import { seedIndicatorsDemo } from '../modules/indicators/index.js';
import { seedProjectsDemo } from '../modules/projects/index.js';
import { localStorageFor, type FileStorage } from '../platform/storage/index.js';
import { seedPlansDemo } from '../modules/plans/index.js';
import { seedChallengesDemo } from '../modules/challenges/index.js';
import { seedKnowledgeDemo } from '../modules/knowledge/index.js';
import { seedProgressDemo } from '../modules/progress/index.js';

/**
 * Loads the demo dataset of every module, in dependency order. Each module's
 * loader is idempotent and never touches existing records, so this is safe to
 * run on a database that already holds user data.
 */
export async function loadDemoData(db: Database, opts: { dataDir: string; storage?: FileStorage; log?: (msg: string) => void }): Promise<void> {
  const log = opts.log ?? (() => {});
  const dir = await seedDirectoryDemo(db);
  log(`directory: ${dir.created} created, ${dir.skipped} already there`);
  // Indicators need the directory's areas first.
  const ind = await seedIndicatorsDemo(db);
  log(`indicators: ${ind.changed ? 'loaded' : 'already there'}`);
  // Demo attachments go where the app keeps its files.
  const mt = await seedMeetingsDemo(db, { storage: opts.storage ?? localStorageFor(opts.dataDir) });
  log(`meetings: ${mt.created.length} created`);
  // Progress needs the directory's networks and the indicators' data.
  const pg = await seedProgressDemo(db);
  log(`progress: ${pg.targets} illustrative targets`);
  // Plans link to meeting items and indicators, challenges to plans' priorities: they come last.
  const pl = await seedPlansDemo(db);
  const ch = await seedChallengesDemo(db);
  log(`plans: ${pl.created} created; challenges: ${ch.created} created`);
  // Projects need the directory, and link Herning's budget to the meetings demo's item 139 and to the plans demo's plan.
  const pr = await seedProjectsDemo(db);
  log(`projects: ${pr.created.length} created`);
  const kn = await seedKnowledgeDemo(db, { storage: opts.storage ?? localStorageFor(opts.dataDir) });
  log(`knowledge: ${kn.created.length} created`);
  // No closing rebuild of the search index: every seed writes through its module's use cases, which
  // index what they write (src/demo/demo.test.ts checks the index equals a full rebuild's).
}

/** True when the database holds no directory content yet (first start). */
export async function isEmpty(db: Database): Promise<boolean> {
  const [row] = await db.query<{ n: number | string }>('SELECT count(*) AS n FROM organisations');
  return Number(row?.n ?? 0) === 0;
}
