import { createInterface } from 'node:readline/promises';
import { ConfigError, loadConfig } from './config.js';
import { loadDemoData } from './demo/index.js';
import { accounts } from './modules/accounts/index.js';
import { indicatorsCli, INDICATORS_HELP } from './modules/indicators/cli.js';
import { reindexAll } from './modules/search/index.js';
import { systemActor } from './platform/audit.js';
import { databaseOptions, openAndMigrate, migrate } from './platform/db/index.js';
import { DomainError, ValidationError } from './platform/errors.js';

const HELP = `Samverka command line

Usage: npm run cli -- <command> [options]

Commands:
  migrate                       Bring the database schema up to date.
  demo                          Load the demo dataset (safe to repeat; never changes existing records).
  create-admin --email E --name N [--password P]
                                Create a platform administrator. Without --password, it is asked for,
                                or read as the first line of standard input when piped.
  search reindex                Rebuild the search index from every module's records.
  indicators <command> …        Indicator imports, exports and live connectors (see below).
  help                          Show this text.

The database is the one the app uses: embedded in DATA_DIR, or DATABASE_URL.

${INDICATORS_HELP}`;

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    // Piped input: the first line is the password, so scripts can avoid putting it in argv.
    const rl = createInterface({ input: process.stdin });
    for await (const line of rl) return line;
    return '';
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const pw = await rl.question('Password (at least 10 characters): ');
  rl.close();
  return pw;
}

async function main(argv: string[]) {
  const [command, ...args] = argv;
  if (!command || command === 'help' || command === '--help') {
    console.log(HELP);
    return;
  }
  const config = loadConfig();
  const db = await openAndMigrate(databaseOptions(config));
  try {
    switch (command) {
      case 'migrate': {
        const applied = await migrate(db);
        console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The schema is up to date.');
        break;
      }
      case 'demo':
        await loadDemoData(db, { dataDir: config.dataDir, log: (m) => console.log(m) });
        break;
      case 'create-admin': {
        const email = arg(args, 'email');
        const name = arg(args, 'name');
        if (!email || !name) throw new Error('create-admin needs --email and --name');
        const password = arg(args, 'password') ?? (await readPassword());
        const user = await accounts.createUser(db, systemActor('cli'), { email, displayName: name, password, isPlatformAdmin: true });
        console.log(`Created platform administrator ${user.displayName} <${user.email}>. Sign in at ${config.publicUrl}/signin`);
        break;
      }
      case 'indicators':
        process.exitCode = await indicatorsCli(db, args);
        break;
      case 'search':
        if (args[0] !== 'reindex') throw new Error('Usage: search reindex');
        await reindexAll(db, (m) => console.log(m));
        break;
      default:
        console.error(`Unknown command: ${command}\n\n${HELP}`);
        process.exitCode = 2;
    }
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).catch((err) => {
  if (err instanceof ValidationError) {
    console.error(`Rejected: ${err.fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`);
  } else if (err instanceof DomainError || err instanceof ConfigError) {
    console.error(err.message);
  } else {
    console.error(err);
  }
  process.exit(1);
});
