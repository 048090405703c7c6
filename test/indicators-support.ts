/** Shared set-up for the indicators and imports modules' tests: one migrated in-memory database per test file. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from '../src/platform/db/index.js';
import { systemActor } from '../src/platform/audit.js';
import { createTestDatabase, testConfig } from './helpers.js';
import { loadSdgFramework } from '../src/modules/indicators/index.js';
import { directory } from '../src/modules/directory/index.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/indicators');
export const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));
export const actor = systemActor('test');

export const TEST_AREAS = [
  { key: 'se', country: 'SE', level: 'country', code: '', name: 'Sverige' },
  { key: 'se-07', country: 'SE', level: 'region', code: '07', name: 'Kronobergs län', parentKey: 'se' },
  { key: 'se-14', country: 'SE', level: 'region', code: '14', name: 'Västra Götalands län', parentKey: 'se' },
  { key: 'se-0780', country: 'SE', level: 'municipality', code: '0780', name: 'Växjö', parentKey: 'se-07' },
  { key: 'se-0765', country: 'SE', level: 'municipality', code: '0765', name: 'Älmhult', parentKey: 'se-07' },
  { key: 'se-1487', country: 'SE', level: 'municipality', code: '1487', name: 'Vänersborg', parentKey: 'se-14' },
  { key: 'no', country: 'NO', level: 'country', code: '', name: 'Norge' },
  { key: 'no-1506', country: 'NO', level: 'municipality', code: '1506', name: 'Molde', parentKey: 'no' },
  { key: 'no-3242', country: 'NO', level: 'municipality', code: '3242', name: 'Hurdal', parentKey: 'no' },
  { key: 'dk', country: 'DK', level: 'country', code: '', name: 'Danmark' },
  { key: 'dk-657', country: 'DK', level: 'municipality', code: '657', name: 'Herning', parentKey: 'dk' },
] as const;

/** A fresh database (PGlite, or a throw-away one on TEST_DATABASE_URL) with test areas and the SDG framework. */
export async function testDatabase(): Promise<Database & { drop: () => Promise<void> }> {
  const { db, drop } = await createTestDatabase(testConfig());
  await insertTestAreas(db);
  await loadSdgFramework(db, actor);
  return Object.assign(db, { drop });
}

/**
 * Areas belong to the directory: they are made through its face, as an area-list import makes them.
 * Areas that already exist (a test app's demo data, say) keep their names.
 */
export async function insertTestAreas(db: Database) {
  const have = new Set((await directory.listAreas(db.orm)).map((a) => a.key));
  const missing = TEST_AREAS.filter((a) => !have.has(a.key));
  // Parents come first in TEST_AREAS, so a municipality finds the region made just before it.
  await db.orm.transaction((tx) =>
    directory.upsertAreas(
      tx,
      actor,
      missing.map((a) => ({ country: a.country, level: a.level, code: a.code, name: a.name, parentKey: 'parentKey' in a ? a.parentKey : null })),
    ),
  );
}
