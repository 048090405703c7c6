import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { DatabaseLockedError } from './platform/db/lock.js';
import { DomainError, ValidationError } from './platform/errors.js';

// The commands, the app's modules and the database engine are loaded only for a command line that
// checks out (src/cli-commands.ts): a usage error answers at once, and the help loads only the
// imports module, for its indicator commands.
let commands: typeof import('./cli-commands.js') | undefined;
const loadCommands = async () => (commands ??= await import('./cli-commands.js'));

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
`;

/** The help, with the indicator commands' own (kept beside them in the imports module). */
async function help(): Promise<string> {
  const { INDICATORS_HELP } = await import('./modules/imports/index.js');
  return `${HELP}\n${INDICATORS_HELP}`;
}

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

async function main(argv: string[]) {
  const [command, ...args] = argv;
  if (!command || command === 'help' || command === '--help') {
    console.log(await help());
    return;
  }
  if (command !== 'indicators' && !(command in COMMANDS)) {
    console.error(`Unknown command: ${command}\n\n${await help()}`);
    process.exitCode = 2;
    return;
  }
  // The indicators commands parse their own arguments (src/modules/indicators/cli.ts).
  const { values, positionals } = command === 'indicators' ? { values: {}, positionals: [] } : parseCommand(command, args);
  if (values.help) {
    console.log(await help());
    return;
  }
  if (command === 'jobs' && values.limit !== undefined) {
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a whole number of at least 1');
  }
  const config = loadConfig();
  const { runCommand } = await loadCommands();
  await runCommand(command, values, positionals, args, config);
}

/**
 * What a person at the terminal needs: the reason and what to do, not a stack trace.
 * The trace is still there for developers with --debug.
 */
function describeError(err: unknown): string {
  if (err instanceof ValidationError) return `Rejected: ${err.fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`;
  if (err instanceof DomainError || err instanceof ConfigError || err instanceof DatabaseLockedError || (commands && err instanceof commands.BackupError)) return err.message;
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
