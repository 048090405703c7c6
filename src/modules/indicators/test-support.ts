/** Shared set-up for this module's tests: one migrated in-memory database per test file. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Database } from '../../platform/db/index.js';
import { systemActor } from '../../platform/audit.js';
import { createTestDatabase, testConfig, TEST_SECRET, type TestApp } from '../../../test/helpers.js';
import { webContext } from '../../web/context.js';
import { registerErrorHandling } from '../../web/errors.js';
import { accountsModule, authenticator } from '../accounts/index.js';
import { createMailer } from '../../platform/mail.js';
import { indicatorsModule } from './index.js';
import { loadSdgFramework, rawQuery } from './service.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/indicators');
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
 * The real app once src/app.ts registers this module; until then the same
 * plugins the real app uses for sessions, CSRF and errors, plus this module.
 */
export async function appWithIndicators(tt: TestApp): Promise<FastifyInstance> {
  if (tt.app.hasRoute({ method: 'GET', url: '/indicators' })) return tt.app;
  const a = Fastify({ logger: false });
  a.setValidatorCompiler(validatorCompiler);
  a.setSerializerCompiler(serializerCompiler);
  await a.register(cookie);
  await a.register(formbody);
  await a.register(rateLimit, { global: false });
  await a.register(webContext, { config: tt.config, secret: TEST_SECRET, auth: authenticator(tt.db, tt.config) });
  registerErrorHandling(a);
  const deps = { config: tt.config, db: tt.db, mailer: createMailer(tt.config), secret: TEST_SECRET };
  await a.register(accountsModule, deps);
  await a.register(indicatorsModule, deps);
  a.get('/healthz', async () => ({ ok: true }));
  await a.ready();
  return a;
}

/** Areas belong to the directory; tests write them directly so they do not depend on its service. */
export async function insertTestAreas(db: Database) {
  for (const a of TEST_AREAS) {
    await rawQuery(
      db.orm,
      `INSERT INTO areas (key, country, level, code, name, parent_id)
       VALUES ($1, $2, $3, $4, $5, (SELECT id FROM areas WHERE key = $6)) ON CONFLICT (key) DO NOTHING`,
      [a.key, a.country, a.level, a.code, a.name, 'parentKey' in a ? a.parentKey : null],
    );
  }
}
