import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { loadDemoData, isEmpty } from './demo/index.js';
import { DatabaseLockedError, databaseOptions, openAndMigrate } from './platform/db/index.js';
import { resolveSecret } from './platform/secret.js';

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
  const db = await openAndMigrate(databaseOptions(config));
  if (config.demoData && (await isEmpty(db))) {
    console.log('Empty database: loading the demo dataset (set DEMO_DATA=false to skip).');
    await loadDemoData(db, { dataDir: config.dataDir, log: (m) => console.log(`  ${m}`) });
  }
  const app = await buildApp({ config, db, secret: resolveSecret(config) });
  const close = async () => {
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
  await app.listen({ port: config.port, host: config.host });
  app.log.info(`Samverka is running at ${config.publicUrl} (${db.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'})`);
}

main().catch((err) => {
  // A locked embedded database or an unreachable server is an operator's situation, not a crash: say what to do.
  if (err instanceof DatabaseLockedError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
