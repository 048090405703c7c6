import { createInterface } from 'node:readline/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { loadDemoData } from './demo/index.js';
import { accounts } from './modules/accounts/index.js';
import { indicatorsCli, INDICATORS_HELP } from './modules/imports/index.js';
import { openSdgTargetsListener } from './modules/progress/index.js';
import cliProgress from 'cli-progress';
import { requestReindex, SEARCH_REINDEX_JOB } from './modules/search/index.js';
import { systemActor } from './platform/audit.js';
import { DatabaseLockedError, databaseOptions, openAndMigrate, migrate } from './platform/db/index.js';
import { DomainError, ValidationError } from './platform/errors.js';
import { getJob, JobWorker, jobKinds, listJobs, type JobState } from './platform/jobs.js';
// Job kinds the modules do not define, so `jobs --kinds` lists everything a server runs.
import './platform/outbox.js';
import './platform/rate-limit.js';
import { storageFor } from './platform/storage/index.js';
import { backupDatabase, BackupError, restoreDatabase } from './platform/db/backup.js';

const HELP = `Samverka command line

Usage: npm run cli -- <command> [options]

Commands:
  migrate                       Bring the database schema up to date.
  demo                          Load the demo dataset (safe to repeat; never changes existing records).
  create-admin --email E --name N [--password P]
                                Create a platform administrator. Without --password, it is asked for,
                                or read as the first line of standard input when piped.
  search reindex                Rebuild the search index from every module's records (as a job, followed to its end).
  indicators <command> …        Indicator imports, exports and live connectors (see below).
  backup FILE                   Write a backup of the database to FILE (a new file).
  restore FILE                  Restore a backup into an empty database (new DATA_DIR, or an empty DATABASE_URL).
  jobs [--state S] [--limit N]  List background jobs, newest first (S: queued, running, done, failed).
  jobs --kinds                  List the kinds of background job this version runs.
  help                          Show this text.

The database is the one the app uses: embedded in DATA_DIR, or DATABASE_URL.
The embedded database can be open in one process only: stop the server before running
commands against it (PostgreSQL has no such limit).

${INDICATORS_HELP}`;

/** A command line that cannot be run as written: the reason, a pointer to the help, exit code 2. */
class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;
// Accepted by every command: --debug prints the full error, --help this text.
const common: Options = { debug: { type: 'boolean' }, help: { type: 'boolean' } };
/** Each command's options and how many positional arguments it takes; anything else is a usage error. */
const COMMANDS: Record<string, { options?: Options; positionals?: number }> = {
  migrate: {},
  demo: {},
  'create-admin': { options: { email: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' } } },
  search: { positionals: 1 },
  backup: { positionals: 1 },
  restore: { positionals: 1 },
  jobs: { options: { state: { type: 'string' }, limit: { type: 'string' }, kinds: { type: 'boolean' } } },
};

type Parsed = { values: Record<string, string | boolean | undefined>; positionals: string[] };

/** The command's arguments by node:util parseArgs (strict): unknown options and missing values are refused. */
function parseCommand(command: string, args: string[]): Parsed {
  const spec = COMMANDS[command]!;
  try {
    const { values, positionals } = parseArgs({ args, options: { ...common, ...spec.options }, strict: true, allowPositionals: (spec.positionals ?? 0) > 0 });
    if (positionals.length > (spec.positionals ?? 0)) throw new UsageError(`Unexpected argument '${positionals[spec.positionals ?? 0]}'`);
    return { values: values as Parsed['values'], positionals };
  } catch (err) {
    if (err instanceof UsageError) throw err;
    // parseArgs' own messages name the option ("Unknown option '--mail'", "Option '--email <value>' argument missing").
    const code = (err as { code?: string }).code;
    if (code?.startsWith('ERR_PARSE_ARGS_')) throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
    throw err;
  }
}

const str = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

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
  if (command !== 'indicators' && !(command in COMMANDS)) {
    console.error(`Unknown command: ${command}\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  // The indicators commands parse their own arguments (src/modules/indicators/cli.ts).
  const { values, positionals } = command === 'indicators' ? { values: {}, positionals: [] } : parseCommand(command, args);
  if (values.help) {
    console.log(HELP);
    return;
  }
  const config = loadConfig();
  if (command === 'restore') {
    // Before anything opens (and so creates) the database: a restore goes only into an empty one.
    const file = positionals[0];
    if (!file) throw new Error('restore needs the backup file: npm run cli -- restore FILE');
    await restoreDatabase(databaseOptions(config), file);
    const db = await openAndMigrate(databaseOptions(config)); // a backup from an older version is brought up to date
    await db.close();
    console.log(`Restored ${file}. Uploaded files are not in the database backup: copy them back too (docs/operations.md).`);
    return;
  }
  const db = await openAndMigrate(databaseOptions(config));
  try {
    switch (command) {
      case 'migrate': {
        const applied = await migrate(db);
        console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The schema is up to date.');
        break;
      }
      case 'demo':
        await loadDemoData(db, { dataDir: config.dataDir, storage: await storageFor(config), log: (m) => console.log(m) });
        break;
      case 'create-admin': {
        const email = str(values.email);
        const name = str(values.name);
        if (!email || !name) throw new Error('create-admin needs --email and --name');
        const password = str(values.password) ?? (await readPassword());
        const user = await accounts.createUser(db, systemActor('cli'), { email, displayName: name, password, isPlatformAdmin: true });
        console.log(`Created platform administrator ${user.displayName} <${user.email}>. Sign in at ${config.publicUrl}/signin`);
        break;
      }
      case 'backup': {
        const file = positionals[0];
        if (!file) throw new Error('backup needs a file name: npm run cli -- backup FILE');
        const format = await backupDatabase(db, file);
        console.log(`Wrote ${file} (${format}). Copy the uploaded files as well: ${config.storageUrl ?? `${config.dataDir}/files`}`);
        break;
      }
      case 'jobs': {
        const state = str(values.state);
        if (state && !['queued', 'running', 'done', 'failed'].includes(state)) throw new Error('--state must be queued, running, done or failed');
        if (values.kinds) {
          // What this version runs in the background: every kind a worker here can take.
          for (const k of jobKinds()) console.log(`${k.kind.padEnd(32)} attempts ${k.maxAttempts}${k.every ? `  every ${k.every >= 3600_000 ? `${k.every / 3600_000} h` : `${k.every / 1000} s`}` : ''}`);
          break;
        }
        const limit = Number(str(values.limit) ?? 50);
        if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a whole number of at least 1');
        const rows = await listJobs(db, { state: state as JobState | undefined, limit });
        if (!rows.length) console.log('No jobs.');
        for (const j of rows) {
          const when = new Date(j.finished_at ?? j.started_at ?? j.created_at).toISOString().replace('T', ' ').slice(0, 19);
          const what = j.state === 'running' ? `${j.progress}% on ${j.locked_by}` : j.state === 'queued' && j.attempts ? `retry after ${new Date(j.run_after).toISOString()}` : '';
          console.log(`#${j.id}  ${j.state.padEnd(7)}  ${j.kind}${j.key ? ` (${j.key})` : ''}  attempts ${j.attempts}/${j.max_attempts}  ${when} UTC  ${what}${j.error ? `\n      ${j.error}` : ''}`);
        }
        break;
      }
      case 'indicators':
        process.exitCode = await indicatorsCli(db, args, { openSdgMetadata: [openSdgTargetsListener] });
        break;
      case 'search': {
        if (positionals[0] !== 'reindex') throw new Error('Usage: search reindex');
        // The rebuild is the job the API queues: queued (or the one already waiting joined), run here
        // unless a server's worker has it already, and followed to its end with a progress bar.
        const queued = await requestReindex(db, systemActor('cli'));
        const bar = new cliProgress.SingleBar({ format: 'Search index [{bar}] {percentage}%', hideCursor: true }, cliProgress.Presets.shades_classic);
        bar.start(100, queued.progress);
        // No backoff here: a failed first attempt is retried at once while the terminal waits.
        const worker = new JobWorker(db, { kinds: [SEARCH_REINDEX_JOB], backoffMs: 0 });
        const here = (async () => {
          while (await worker.runOne()) {
            /* a retry, if the first attempt failed */
          }
        })();
        let job = queued;
        while (job.state === 'queued' || job.state === 'running') {
          await Promise.race([here, new Promise((r) => setTimeout(r, 250))]);
          job = (await getJob(db, queued.id)) ?? job;
          bar.update(job.progress);
        }
        await here;
        bar.stop();
        if (job.state === 'failed') throw new Error(`The rebuild failed: ${job.error}`);
        const counts = (job.result ?? {}) as Record<string, number>;
        console.log(`Indexed ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ')} (job #${job.id}).`);
        break;
      }
    }
  } finally {
    await db.close();
  }
}

/**
 * What a person at the terminal needs: the reason and what to do, not a stack trace.
 * The trace is still there for developers with --debug.
 */
function describeError(err: unknown): string {
  if (err instanceof ValidationError) return `Rejected: ${err.fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`;
  if (err instanceof DomainError || err instanceof ConfigError || err instanceof DatabaseLockedError || err instanceof BackupError) return err.message;
  const e = err as { code?: string; message?: string; constraint?: string; detail?: string; errno?: string };
  if (e?.code === '23505') return `Refused: this record already exists (${e.detail ?? e.constraint ?? e.message}).`;
  if (e?.code === 'ECONNREFUSED') return `Cannot reach the PostgreSQL server named by DATABASE_URL (${e.message}). Is it running?`;
  if (e?.code === '28P01' || e?.code === '3D000') return `PostgreSQL refused the connection: ${e.message}. Check DATABASE_URL.`;
  if (e?.code === 'ENOENT') return `File not found: ${String(e.message).replace(/^ENOENT: no such file or directory, (open |stat )?/, '')}`;
  return `Failed: ${e?.message ?? String(err)}\n(Add --debug for the full error.)`;
}

main(process.argv.slice(2)).catch((err) => {
  if (err instanceof UsageError) {
    console.error(`${err.message.replace(/\.$/, '')}.\nSee the commands and their options: npm run cli -- help`);
    process.exit(2);
  }
  console.error(describeError(err));
  if (process.argv.includes('--debug')) console.error(err);
  process.exit(1);
});
