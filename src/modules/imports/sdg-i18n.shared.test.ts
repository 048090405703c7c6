import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../config.js';
import { systemActor } from '../../platform/audit.js';
import { createTestDatabase, testConfig } from '../../../test/helpers.js';
import type { Database } from '../../platform/db/index.js';
import { loadSdgFramework } from '../indicators/index.js';
import { loadSdgTranslations } from './sdg-i18n.js';

const DIR = path.join(loadConfig().sharedDir, 'data', 'sdg-framework');
const skip = existsSync(DIR) ? false : `reference data not found at ${DIR}`;
let db: Database;
let drop: () => Promise<void> = async () => {};
before(async () => {
  if (skip) return;
  ({ db, drop } = await createTestDatabase(testConfig()));
  await loadSdgFramework(db, systemActor('test'));
});
after(async () => drop());

test('the UN framework’s bokmål file names every one of the 169 targets', { skip }, async () => {
  const r = await loadSdgTranslations(db, systemActor('test'), DIR);
  assert.deepEqual(r, { languages: ['nb'], changed: 169 });
  const [row] = await db.query<{ nb: string }>(`SELECT n.names->>'nb' AS nb FROM ind_framework_nodes n JOIN ind_frameworks f ON f.id = n.framework_id WHERE f.key = 'sdg' AND n.code = '1.1'`);
  assert.match(row!.nb, /^Innen 2030, utrydd ekstrem fattigdom/);
});
