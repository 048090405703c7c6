/**
 * The commands of the command line (src/cli.ts), loaded once the command line has been checked:
 * they need the app's modules and the database engine, about a second of CPU to load, which a
 * usage error or the help does not pay.
 */
import { createInterface } from 'node:readline/promises';
import cliProgress from 'cli-progress';
import type { Config } from './config.js';
import { loadDemoData } from './demo/index.js';
import { accounts } from './modules/accounts/index.js';
import { indicatorsCli } from './modules/imports/index.js';
import { openSdgTargetsListener } from './modules/progress/index.js';
import { requestReindex, SEARCH_REINDEX_JOB } from './modules/search/index.js';
import { systemActor } from './platform/audit.js';
import { databaseOptions, openAndMigrate, migrate } from './platform/db/index.js';
import { getJob, JobWorker, jobKinds, listJobs, type JobState } from './platform/jobs.js';
// Job kinds the modules do not define, so `jobs --kinds` lists everything a server runs.
import './platform/outbox.js';
import './platform/rate-limit.js';
import { storageFor } from './platform/storage/index.js';
import { backupDatabase, restoreDatabase } from './platform/db/backup.js';

export { BackupError } from './platform/db/backup.js';

type Values = Record<string, string | boolean | undefined>;

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

/** Runs a command line src/cli.ts has checked (`args`: the indicators commands parse their own). */
export async function runCommand(command: string, values: Values, positionals: string[], args: string[], config: Config): Promise<void> {
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
  if (command === 'jobs' && values.kinds) {
    // What this version runs in the background: every kind a worker here can take. It is this
    // code's list, not the database's, so it needs no database (nor a stopped server).
    for (const k of jobKinds()) console.log(`${k.kind.padEnd(32)} attempts ${k.maxAttempts}${k.every ? `  every ${k.every >= 3600_000 ? `${k.every / 3600_000} h` : `${k.every / 1000} s`}` : ''}`);
    return;
  }
  // The new administrator's details are read and checked before the database opens: a short
  // password is refused without waiting for the database, or holding its lock while someone types.
  let newAdmin: { email: string; displayName: string; password: string } | undefined;
  if (command === 'create-admin') {
    const email = str(values.email);
    const name = str(values.name);
    if (!email || !name) throw new Error('create-admin needs --email and --name');
    newAdmin = { email, displayName: name, password: str(values.password) ?? (await readPassword()) };
    accounts.checkNewAccount(newAdmin);
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
        const user = await accounts.createUser(db, systemActor('cli'), { ...newAdmin!, isPlatformAdmin: true });
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
        const limit = Number(str(values.limit) ?? 50); // checked with the command line (src/cli.ts)
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
