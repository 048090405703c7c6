/**
 * Durable background jobs in the application's own database, on both engines.
 *
 * Why a table and not pg-boss or graphile-worker: both need LISTEN/NOTIFY or many
 * connections and neither runs on PGlite's single connection, while the whole
 * queue is a few statements. A job is a row (kind, payload, state, attempts,
 * run_after, progress, locked_by, heartbeat_at, error). Any app server claims the
 * oldest due row with FOR UPDATE SKIP LOCKED, so two servers never run the same
 * job, and its progress is a column every server can read.
 *
 * A process that dies leaves its job "running" with a heartbeat that stops
 * moving; any worker that sees it stale (on PGlite: any job held by another
 * process, since only one process may open the folder) puts it back in the queue
 * with backoff, or fails it with the reason once its attempts are spent.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { rawClient, type Database, type Executor } from './db/index.js';
import type { Config } from '../config.js';
import type { Mailer } from './mail.js';

export type JobState = 'queued' | 'running' | 'done' | 'failed';
export type JobRow = {
  id: string;
  kind: string;
  key: string | null;
  payload: Record<string, unknown>;
  state: JobState;
  attempts: number;
  max_attempts: number;
  run_after: string;
  progress: number;
  locked_by: string | null;
  heartbeat_at: string | null;
  error: string | null;
  result: unknown;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
};

export type JobContext = {
  db: Database;
  /** The server's configuration (retention periods and the like); undefined only in tests that give none. */
  config?: Config;
  /** The server's mailer (outgoing mail is a job too: platform/outbox.ts); undefined only where the worker was given none. */
  mailer?: Mailer;
  job: JobRow;
  payload: Record<string, unknown>;
  /** Reports progress 0..100; written to the row at most twice a second, readable by every server. */
  progress(pct: number): void;
  /** Aborted when the worker stops or the job was taken away (its heartbeat went stale). */
  signal: AbortSignal;
};

export type JobDefinition = {
  kind: string;
  run(ctx: JobContext): Promise<unknown>;
  /** Attempts before the job is failed for good (default 3). 1 where running twice is not safe. */
  maxAttempts?: number;
  /** Called once when the job is failed for good, by whichever worker decides it (to mark the job's subject). */
  onGiveUp?(db: Database, job: JobRow, reason: string): Promise<void>;
  /** For recurring work: the interval in ms; one queued instance is kept, the next queued when one ends. */
  every?: number;
};

const registry = new Map<string, JobDefinition>();
/** Modules define their jobs at import time; every app server imports every module, so each can run or recover any job. */
export function defineJob(def: JobDefinition): JobDefinition {
  registry.set(def.kind, def);
  return def;
}
export const jobDefinition = (kind: string) => registry.get(kind);
/** Every kind defined in this process, with its attempts and schedule (`npm run cli -- jobs --kinds`). */
export const jobKinds = () =>
  [...registry.values()].map((d) => ({ kind: d.kind, maxAttempts: d.maxAttempts ?? 3, every: d.every ?? null })).sort((a, b) => a.kind.localeCompare(b.kind));

/** Local wake-up: a job queued in this process is picked up at once instead of at the next poll. */
const local = new EventEmitter();
local.setMaxListeners(100);

type Runner = (text: string, params?: unknown[]) => Promise<{ rows: any[] }>;
function runner(ex: Executor | Database): Runner {
  if ('orm' in ex && 'kind' in ex) return async (t, p) => ({ rows: await (ex as Database).query(t, p) });
  // A Drizzle handle or transaction: its engine client, so the statement joins the caller's transaction.
  const client = rawClient(ex);
  return (t, p) => client.query(t, p);
}

const COLUMNS = `id::text, kind, key, payload, state, attempts, max_attempts, run_after, progress, locked_by, heartbeat_at, error, result, created_at, started_at, finished_at`;

/**
 * Queues a job, inside the caller's transaction when given one. With a key, at most one unfinished
 * job per (kind, key) exists: queuing again returns null and leaves the existing one alone.
 */
export async function enqueue(
  ex: Executor | Database,
  kind: string,
  payload: Record<string, unknown> = {},
  opts: { key?: string; runAfter?: Date; maxAttempts?: number } = {},
): Promise<string | null> {
  const def = registry.get(kind);
  const { rows } = await runner(ex)(
    `INSERT INTO jobs (kind, key, payload, max_attempts, run_after) VALUES ($1, $2, $3::jsonb, $4, COALESCE($5::timestamptz, now()))
     ON CONFLICT (kind, key) WHERE state IN ('queued', 'running') DO NOTHING RETURNING id::text`,
    [kind, opts.key ?? null, JSON.stringify(payload), opts.maxAttempts ?? def?.maxAttempts ?? 3, opts.runAfter?.toISOString() ?? null],
  );
  if (rows[0]) setImmediate(() => local.emit('queued'));
  return rows[0]?.id ?? null;
}

/** The latest job for a subject (an upload's import), whatever its state. */
export async function latestJob(ex: Executor | Database, kind: string, key: string): Promise<JobRow | null> {
  const { rows } = await runner(ex)(`SELECT ${COLUMNS} FROM jobs WHERE key = $1 AND kind = $2 ORDER BY id DESC LIMIT 1`, [key, kind]);
  return (rows[0] as JobRow) ?? null;
}

export async function getJob(ex: Executor | Database, id: string): Promise<JobRow | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const { rows } = await runner(ex)(`SELECT ${COLUMNS} FROM jobs WHERE id = $1::bigint`, [id]);
  return (rows[0] as JobRow) ?? null;
}

export async function listJobs(ex: Executor | Database, opts: { state?: JobState; limit?: number } = {}): Promise<JobRow[]> {
  const { rows } = await runner(ex)(`SELECT ${COLUMNS} FROM jobs WHERE ($1::text IS NULL OR state = $1) ORDER BY id DESC LIMIT $2`, [opts.state ?? null, opts.limit ?? 50]);
  return rows as JobRow[];
}

export type WorkerLog = { info(msg: string): void; warn(msg: string): void; error(msg: string): void };
const quiet: WorkerLog = { info() {}, warn() {}, error() {} };

export type WorkerOptions = {
  /** Ms between looks at the queue when idle (a job queued in this process wakes the worker at once). */
  pollMs?: number;
  /** Ms without a heartbeat after which another process's running job is considered dead. */
  staleMs?: number;
  heartbeatMs?: number;
  concurrency?: number;
  /** Base of the exponential retry delay in ms (attempt n waits base * 2^(n-1), at most an hour). */
  backoffMs?: number;
  log?: WorkerLog;
  /** Only these kinds (tests); default every defined kind. */
  kinds?: string[];
  config?: Config;
  mailer?: Mailer;
};

export class JobWorker {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly opts: Required<Omit<WorkerOptions, 'kinds' | 'config' | 'mailer'>> & { kinds?: string[]; config?: Config; mailer?: Mailer };
  private running = new Map<string, { promise: Promise<void>; abort: AbortController }>();
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private lastSchedule = 0;
  private readonly onQueued = () => this.wake();

  constructor(
    readonly db: Database,
    opts: WorkerOptions = {},
  ) {
    this.opts = { pollMs: 1000, staleMs: 60_000, heartbeatMs: 5_000, concurrency: 1, backoffMs: 10_000, log: quiet, ...opts };
  }

  private kinds(): string[] {
    return this.opts.kinds ?? [...registry.keys()];
  }

  /** Starts the loop: recover what dead workers left, keep schedules, claim and run due jobs. */
  start(): void {
    if (this.loop) return;
    local.on('queued', this.onQueued);
    this.loop = (async () => {
      while (!this.stopping) {
        try {
          await this.recoverStale();
          await this.keepSchedules();
          while (!this.stopping && this.running.size < this.opts.concurrency && (await this.claimAndStart())) {
            /* keep claiming while there is room */
          }
        } catch (err) {
          if (!this.stopping) this.opts.log.error(`Job worker: ${(err as Error).message}`);
        }
        if (this.stopping) break;
        await new Promise<void>((resolve) => {
          this.wakeUp = resolve;
          this.timer = setTimeout(resolve, this.opts.pollMs);
        });
      }
    })();
  }

  wake(): void {
    if (this.timer) clearTimeout(this.timer);
    this.wakeUp?.();
  }

  /**
   * Stops claiming, lets running jobs finish for up to timeoutMs, then hands the rest back to the
   * queue (not counted as an attempt) so another server, or this one after a restart, runs them.
   */
  async stop(timeoutMs = 20_000): Promise<void> {
    this.stopping = true;
    local.off('queued', this.onQueued);
    this.wake();
    await this.loop;
    const all = [...this.running.values()].map((r) => r.promise);
    let timedOut = false;
    await Promise.race([Promise.all(all), new Promise<void>((r) => setTimeout(() => ((timedOut = true), r()), timeoutMs).unref())]);
    if (!timedOut) return;
    for (const [id, r] of this.running) {
      // Back in the queue first, then tell the handler: whatever it does after this cannot mark the job done.
      await this.db.query(
        `UPDATE jobs SET state = 'queued', attempts = greatest(attempts - 1, 0), locked_by = NULL, heartbeat_at = NULL, run_after = now(),
           error = 'handed back when its server stopped' WHERE id = $1 AND locked_by = $2 AND state = 'running'`,
        [id, this.id],
      );
      r.abort.abort();
      this.opts.log.warn(`Job ${id} handed back to the queue at shutdown.`);
    }
  }

  /** Claims and runs one due job to its end; false when none was due. For tests and the CLI. */
  async runOne(): Promise<boolean> {
    const job = await this.claim();
    if (!job) return false;
    await this.execute(job);
    return true;
  }

  /** Waits until no job of this worker is running (tests). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running.values()].map((r) => r.promise));
  }

  private async claim(): Promise<JobRow | null> {
    const kinds = this.kinds();
    if (!kinds.length) return null;
    const rows = await this.db.query<JobRow>(
      `UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = $1, heartbeat_at = now(), started_at = now(), progress = 0
       WHERE id = (SELECT id FROM jobs WHERE state = 'queued' AND run_after <= now() AND kind = ANY($2::text[])
                   ORDER BY run_after, id FOR UPDATE SKIP LOCKED LIMIT 1)
       RETURNING ${COLUMNS}`,
      [this.id, kinds],
    );
    return rows[0] ?? null;
  }

  private async claimAndStart(): Promise<boolean> {
    const job = await this.claim();
    if (!job) return false;
    const abort = new AbortController();
    const promise = this.execute(job, abort).finally(() => {
      this.running.delete(job.id);
      this.wake();
    });
    this.running.set(job.id, { promise, abort });
    return true;
  }

  private async execute(job: JobRow, abort = new AbortController()): Promise<void> {
    const def = registry.get(job.kind);
    if (!def) {
      await this.finish(job, 'failed', null, `No handler for job kind ${job.kind} in this version`);
      return;
    }
    // Progress and heartbeat share one writer so they never race: the latest value wins.
    let pct = 0;
    let written = -1;
    let writing: Promise<void> | null = null;
    const write = () => {
      if (writing) return;
      const value = pct;
      writing = this.db
        .query<{ id: string }>(`UPDATE jobs SET heartbeat_at = now(), progress = $2 WHERE id = $1 AND locked_by = $3 AND state = 'running' RETURNING id::text`, [job.id, value, this.id])
        .then((rows) => {
          written = value;
          // Someone decided this worker was dead and took the job back: stop working on it.
          if (!rows.length) abort.abort();
        })
        .catch(() => {})
        .finally(() => {
          writing = null;
        });
    };
    const beat = setInterval(write, this.opts.heartbeatMs);
    beat.unref();
    let last = 0;
    const ctx: JobContext = {
      db: this.db,
      config: this.opts.config,
      mailer: this.opts.mailer,
      job,
      payload: job.payload,
      signal: abort.signal,
      progress: (p) => {
        pct = Math.max(0, Math.min(100, Math.round(p)));
        // Not awaited: on PGlite a write from inside a long transaction would wait for that very transaction.
        if (pct !== written && Date.now() - last > 500) {
          last = Date.now();
          write();
        }
      },
    };
    try {
      const result = await def.run(ctx);
      clearInterval(beat);
      await writing;
      await this.finish(job, 'done', result ?? null, null);
    } catch (err) {
      clearInterval(beat);
      await writing;
      const message = (err as Error)?.message ?? String(err);
      this.opts.log.warn(`Job ${job.id} (${job.kind}) attempt ${job.attempts} failed: ${message}`);
      if (abort.signal.aborted && this.stopping) return; // handed back by stop()
      if (job.attempts < job.max_attempts) await this.retry(job, message);
      else await this.finish(job, 'failed', null, message);
    }
  }

  private backoff(attempts: number): number {
    return Math.min(this.opts.backoffMs * 2 ** Math.max(attempts - 1, 0), 3_600_000);
  }

  private async retry(job: JobRow, reason: string) {
    await this.db.query(
      `UPDATE jobs SET state = 'queued', locked_by = NULL, heartbeat_at = NULL, error = $3, run_after = now() + ($4::text || ' milliseconds')::interval
       WHERE id = $1 AND locked_by = $2`,
      [job.id, this.id, `attempt ${job.attempts} failed: ${reason}`, String(this.backoff(job.attempts))],
    );
  }

  private async finish(job: JobRow, state: 'done' | 'failed', result: unknown, error: string | null) {
    const rows = await this.db.query<JobRow>(
      `UPDATE jobs SET state = $3, result = $4::jsonb, error = $5, progress = CASE WHEN $3 = 'done' THEN 100 ELSE progress END, finished_at = now(),
         locked_by = NULL, heartbeat_at = NULL
       WHERE id = $1 AND locked_by = $2 RETURNING ${COLUMNS}`,
      [job.id, this.id, state, result === null ? null : JSON.stringify(result), error],
    );
    const def = registry.get(job.kind);
    if (rows[0] && state === 'failed') await this.giveUp(def, rows[0], error ?? 'failed');
    if (rows[0]) await this.scheduleNext(def);
  }

  private async giveUp(def: JobDefinition | undefined, job: JobRow, reason: string) {
    this.opts.log.error(`Job ${job.id} (${job.kind}) failed for good: ${reason}`);
    try {
      await def?.onGiveUp?.(this.db, job, reason);
    } catch (err) {
      this.opts.log.error(`Job ${job.id}: marking its subject failed did not work: ${(err as Error).message}`);
    }
  }

  private async scheduleNext(def: JobDefinition | undefined) {
    if (!def?.every) return;
    await enqueue(this.db, def.kind, {}, { key: 'schedule', runAfter: new Date(Date.now() + def.every) });
  }

  /** Keeps one queued instance of every recurring job (at start, then once a minute). */
  private async keepSchedules() {
    if (Date.now() - this.lastSchedule < 60_000) return;
    this.lastSchedule = Date.now();
    for (const def of registry.values()) {
      // The first run waits a minute: a starting server has better things to do, and short-lived test apps skip it.
      if (def.every && this.kinds().includes(def.kind)) await enqueue(this.db, def.kind, {}, { key: 'schedule', runAfter: new Date(Date.now() + Math.min(def.every, 60_000)) });
    }
  }

  /**
   * Running jobs whose worker is gone: back to the queue with backoff while attempts remain, otherwise failed
   * with the reason. On PGlite only one process can have the database open, so a job held by any other worker
   * id is already orphaned; on PostgreSQL the heartbeat tells.
   */
  async recoverStale(): Promise<number> {
    const exclusive = this.db.kind === 'pglite';
    const stale = await this.db.query<JobRow>(
      `SELECT ${COLUMNS} FROM jobs WHERE state = 'running' AND locked_by IS DISTINCT FROM $1
         AND ($2::boolean OR heartbeat_at IS NULL OR heartbeat_at < now() - ($3::text || ' milliseconds')::interval)
       ORDER BY id FOR UPDATE SKIP LOCKED`,
      [this.id, exclusive, String(this.opts.staleMs)],
    );
    for (const job of stale) {
      const reason = `its worker ${job.locked_by ?? '?'} stopped (last heartbeat ${job.heartbeat_at ? new Date(job.heartbeat_at).toISOString() : 'never'})`;
      const again = job.attempts < job.max_attempts;
      const rows = await this.db.query<JobRow>(
        `UPDATE jobs SET state = $3, locked_by = NULL, heartbeat_at = NULL, error = $4,
           run_after = CASE WHEN $3 = 'queued' THEN now() + ($5::text || ' milliseconds')::interval ELSE run_after END,
           finished_at = CASE WHEN $3 = 'failed' THEN now() ELSE NULL END
         WHERE id = $1 AND state = 'running' AND locked_by IS NOT DISTINCT FROM $2 RETURNING ${COLUMNS}`,
        [job.id, job.locked_by, again ? 'queued' : 'failed', again ? `attempt ${job.attempts} lost: ${reason}; retried` : `lost: ${reason}`, String(this.backoff(job.attempts))],
      );
      if (!rows[0]) continue; // another server got there first
      this.opts.log.warn(`Job ${job.id} (${job.kind}) ${again ? 'queued again' : 'failed'}: ${reason}`);
      if (!again) {
        const def = registry.get(job.kind);
        await this.giveUp(def, rows[0], `lost: ${reason}`);
        await this.scheduleNext(def);
      }
    }
    return stale.length;
  }
}

// Finished jobs are kept a month for `cli jobs` and for anyone asking what happened; then they go.
defineJob({
  kind: 'jobs.prune',
  every: 24 * 3600_000,
  async run({ db }) {
    const rows = await db.query(`DELETE FROM jobs WHERE state IN ('done', 'failed') AND finished_at < now() - interval '30 days' RETURNING id`);
    return { removed: rows.length };
  },
});
