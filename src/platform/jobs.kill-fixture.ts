/**
 * A worker process for the crash test in jobs.test.ts: it queues one job whose handler
 * reports progress and then never ends, says so on stdout, and waits to be killed with -9.
 * Usage: node --import tsx jobs.kill-fixture.ts <pglite-dir | postgres-url> <max-attempts>
 */
import { openDatabase } from './db/index.js';
import { defineJob, enqueue, JobWorker } from './jobs.js';

const [target, maxAttempts] = process.argv.slice(2) as [string, string];
const db = await openDatabase(target.startsWith('postgres') ? { kind: 'postgres', url: target, max: 3 } : { kind: 'pglite', dataDir: target });
defineJob({
  kind: 'test.hang',
  async run({ job, progress }) {
    progress(30);
    // Give the progress write a moment to land, then tell the test which job to kill under.
    setTimeout(() => process.stdout.write(`running ${job.id}\n`), 300);
    await new Promise(() => {});
  },
});
await enqueue(db, 'test.hang', { n: 1 }, { maxAttempts: Number(maxAttempts) });
new JobWorker(db, { kinds: ['test.hang'], heartbeatMs: 100, pollMs: 50 }).start();
