import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { loadDemoData, isEmpty } from './demo/index.js';
import { DatabaseLockedError, databaseOptions, migrate, openDatabase, type Database } from './platform/db/index.js';
import { startupLog } from './platform/log.js';
import { resolveSecret } from './platform/secret.js';
import { storageFor } from './platform/storage/index.js';

/** A database URL without its password, for the log. */
const redact = (url: string) => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const t0 = performance.now();
  const took = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
  const log = startupLog(config);

  // A line per step: a first start takes seconds, and silence looks like a hang.
  const opts = databaseOptions(config);
  if (opts.kind === 'pglite') {
    const fresh = !existsSync(path.join(opts.dataDir!, 'PG_VERSION'));
    log.info(fresh ? `Creating the embedded database in ${opts.dataDir} (first start only)…` : `Opening the embedded database in ${opts.dataDir}…`);
  } else {
    log.info(`Connecting to PostgreSQL at ${redact(opts.url)}…`);
  }
  const db: Database = await openDatabase(opts);
  try {
    log.info('Bringing the schema up to date…');
    const applied = await migrate(db);
    log.info(applied.length ? `Applied ${applied.length} migration${applied.length === 1 ? '' : 's'} (${took()}).` : 'The schema is up to date.');
    if (config.demoData && (await isEmpty(db))) {
      log.info('Empty database: loading the demo dataset (set DEMO_DATA=false to skip)…');
      await loadDemoData(db, { dataDir: config.dataDir, storage: await storageFor(config), log: (m) => log.info(`  demo ${m}`) });
      log.info(`Demo dataset loaded (${took()}).`);
    }
  } catch (err) {
    await db.close();
    throw err;
  }

  const app = await buildApp({ config, db, secret: resolveSecret(config) });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      // A second Ctrl+C: the operator does not want to wait. The lock is released on exit.
      log.warn(`${signal} again: stopping at once.`);
      process.exit(1);
    }
    stopping = true;
    log.info(`${signal}: no new requests; finishing running requests and jobs (up to ${config.shutdownTimeoutSeconds} s)…`);
    // If something hangs past the budget, leave anyway: a supervisor expects us gone.
    setTimeout(() => {
      log.error('Shutdown took too long; exiting.');
      process.exit(1);
    }, (config.shutdownTimeoutSeconds + 10) * 1000).unref();
    try {
      await app.close(); // readyz says 503, the listener closes, in-flight requests end, the job worker finishes or hands back
      await db.close(); // PGlite writes its files and releases the folder's lock
      log.info('Stopped cleanly.');
      process.exit(0);
    } catch (err) {
      log.error(`Shutdown failed: ${(err as Error).message}`);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await app.close().catch(() => {});
    await db.close();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new ConfigError(`Port ${config.port} on ${config.host} is already in use: is Samverka already running? Set PORT to use another.`);
    }
    throw err;
  }
  log.info(
    `Samverka is ready at ${config.publicUrl} (${db.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'}; started in ${took()}).`,
  );
}

main().catch((err) => {
  // A locked embedded database, a busy port or a bad setting is an operator's situation, not a crash: say what to do.
  if (err instanceof DatabaseLockedError || err instanceof ConfigError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
