import type { Database } from '../platform/db/index.js';
import { seedDirectoryDemo } from '../modules/directory/index.js';
import { seedMeetingsDemo } from '../modules/meetings/index.js';
import { seedIndicatorsDemo } from '../modules/indicators/index.js';
import { seedProgressDemo } from '../modules/progress/index.js';
import { localStorageFor } from '../platform/storage/index.js';

/**
 * Loads the demo dataset of every module, in dependency order. Each module's
 * loader is idempotent and never touches existing records, so this is safe to
 * run on a database that already holds user data.
 */
export async function loadDemoData(db: Database, opts: { dataDir: string; log?: (msg: string) => void }): Promise<void> {
  const log = opts.log ?? (() => {});
  const dir = await seedDirectoryDemo(db);
  log(`directory: ${dir.created} created, ${dir.skipped} already there`);
  // Indicators need the directory's areas first.
  const ind = await seedIndicatorsDemo(db);
  log(`indicators: ${ind.changed ? 'loaded' : 'already there'}`);
  // Demo attachments go where the app keeps its files.
  const mt = await seedMeetingsDemo(db, { storage: localStorageFor(opts.dataDir) });
  log(`meetings: ${mt.created.length} created`);
  // Progress needs the directory's networks and the indicators' data.
  const pr = await seedProgressDemo(db);
  log(`progress: ${pr.targets} illustrative targets`);
}

/** True when the database holds no directory content yet (first start). */
export async function isEmpty(db: Database): Promise<boolean> {
  const [row] = await db.query<{ n: number | string }>('SELECT count(*) AS n FROM organisations');
  return Number(row?.n ?? 0) === 0;
}
