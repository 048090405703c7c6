/**
 * Parsing in a separate process ("the worker"), so a multi-file import parses the next file while
 * the current one loads and a hostile file cannot exhaust the server's heap. Rows cross the
 * process boundary in columns (typed arrays and small string dictionaries): serialising hundreds
 * of thousands of row objects would cost the server more than the parse it saves.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AnyMapping, Preview } from './importers/index.js';
import { FileFormatError, isXlsx } from './importers/table.js';
import { ColumnStream, packedOf, type ColumnChunk, type ImportFormat, type ParseResult, type StreamEnd } from '../indicator-model/index.js';

// The columns the parsing process sends are defined with the load that reads them; re-exported for the worker and the tests.
export { pack, unpack, type PackedResult } from '../indicator-model/index.js';
import { unpack, type PackedResult } from '../indicator-model/index.js';

type Job = { format: ImportFormat; filename: string; buf: Buffer; mapping?: AnyMapping };
/** What the worker is asked: the rows of a file, or only the mapping step's preview of it. */
type WorkerJob = Job & { preview?: boolean; chunkRows?: number };

/**
 * Limits of one parsing worker. A pathological file (a sparse sheet promising a billion cells,
 * a cube with a huge declared size) can get past the declared-size checks in importers/limits.ts
 * in ways nobody foresaw; in the worker process it then hits this heap or this time limit, the
 * process dies alone, and the file gets a report while the server keeps serving.
 */
export type ParseLimits = { heapMb: number; timeMs: number };
export const DEFAULT_PARSE_LIMITS: ParseLimits = { heapMb: 768, timeMs: 120_000 };

/**
 * One parsing process; jobs run one at a time, in order. A process that dies is replaced for the next job.
 *
 * A child process, not a worker thread: production caps the server's V8 heap with
 * `--max-old-space-size` (package.json `start`), and V8 applies that flag to every isolate of the
 * process, worker threads included, overriding their `resourceLimits`. A child process has a heap
 * of its own, so the parse gets its limit and the server keeps its cap (issue #8).
 */
export class ParsePool {
  private worker: ChildProcess | null = null;
  private idle: NodeJS.Timeout | null = null;
  private queue: { job: WorkerJob; resolve: (r: any) => void; reject: (e: Error) => void; onChunk?: (c: ColumnChunk) => void; timer?: NodeJS.Timeout }[] = [];
  /**
   * `keepAlive`: the process stays up between jobs until close(), for a caller that sends the next
   * job soon (importFiles). Otherwise an idle process is stopped after a moment.
   */
  constructor(
    private readonly limits: ParseLimits = DEFAULT_PARSE_LIMITS,
    private readonly keepAlive = false,
  ) {}

  private spawn(): ChildProcess {
    // From the TypeScript sources the child needs the tsx loader; the production build (dist/)
    // has the transpiled entry itself.
    const fromSources = import.meta.url.endsWith('.ts');
    const entry = fileURLToPath(new URL(fromSources ? './parse-worker.ts' : './parse-worker.js', import.meta.url));
    const heap = [`--max-old-space-size=${this.limits.heapMb}`, `--max-semi-space-size=${Math.min(32, Math.max(4, Math.round(this.limits.heapMb / 24)))}`];
    // The server's own heap flags must not reach the child, not even through NODE_OPTIONS.
    const nodeOptions = (process.env.NODE_OPTIONS ?? '').split(/\s+/).filter((o) => o && !/^--max-(old|semi)-space-size/.test(o)).join(' ');
    const child = fork(entry, [], {
      execArgv: [...(fromSources ? ['--import', import.meta.resolve('tsx')] : []), ...heap],
      env: { ...process.env, NODE_OPTIONS: nodeOptions },
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on('message', (m: { chunk: ColumnChunk } | { ok: true; packed: PackedResult } | { ok: true; end: StreamEnd } | { ok: true; preview: Preview } | { ok: false; name: string; message: string }) => {
      // A chunk of the job being parsed (parseChunked): the job goes on, its time limit too.
      if ('chunk' in m) return this.queue[0]?.onChunk?.(m.chunk);
      const entry = this.queue.shift();
      if (!entry) return;
      clearTimeout(entry.timer);
      this.armTimer();
      this.armIdle();
      if (m.ok) entry.resolve('preview' in m ? m.preview : 'end' in m ? m.end : m.packed);
      // A file the parser rejects is the user's problem, reported like an inline parse would.
      else entry.reject(m.name === 'FileFormatError' ? new FileFormatError(m.message) : new Error(m.message));
    });
    const fail = (err: Error) => {
      if (this.worker !== child) return; // closed, idle-stopped, or already replaced after a time-out
      this.worker = null;
      const heap = /heap out of memory|Allocation failed/i.test(stderr);
      // Only the job being parsed is lost; the ones behind it go to a fresh process.
      const entry = this.queue.shift();
      if (entry) {
        clearTimeout(entry.timer);
        entry.reject(heap ? new FileFormatError(`Reading the file needs more than ${this.limits.heapMb} MB of memory; split it into smaller files.`) : err);
      }
      this.restart();
    };
    child.on('error', fail);
    child.on('exit', (code, signal) => fail(new Error(`The parsing process stopped (${signal ?? `exit code ${code}`}).`)));
    return child;
  }

  /** An idle parsing process is stopped after a moment, so it holds no memory between imports. */
  private armIdle() {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    if (this.queue.length || !this.worker || this.keepAlive) return;
    const child = this.worker;
    this.idle = setTimeout(() => {
      if (this.worker !== child || this.queue.length) return;
      this.worker = null;
      child.kill('SIGKILL');
    }, 2000);
    this.idle.unref();
  }

  private send(job: WorkerJob) {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    this.worker!.send(job);
  }

  private restart() {
    if (!this.queue.length) return;
    this.worker = this.spawn();
    for (const e of this.queue) this.send(e.job);
    this.armTimer();
  }

  /** The time limit runs for the job at the head of the queue only: the others are not parsing yet. */
  private armTimer() {
    const head = this.queue[0];
    if (!head || head.timer) return;
    head.timer = setTimeout(() => {
      const worker = this.worker;
      this.worker = null;
      this.queue.shift();
      head.reject(new FileFormatError(`Reading the file took longer than ${Math.round(this.limits.timeMs / 1000)} s; split it into smaller files.`));
      worker?.kill('SIGKILL');
      this.restart();
    }, this.limits.timeMs);
    head.timer.unref?.();
  }

  parse(job: Job): Promise<ParseResult> {
    return this.parsePacked(job).then(unpack);
  }

  /** The rows in columns, as the worker sent them: what the load reads (load-stream.ts), with no object per row. */
  parsePacked(job: Job): Promise<PackedResult> {
    return this.run({ ...job, preview: false });
  }

  /**
   * The rows in chunks of at least `chunkRows` as the worker parses them (issue #12), so the load
   * of the first chunk starts while the rest is parsed; see ColumnStream for how the stream ends.
   */
  parseChunked(job: Job, chunkRows: number): ColumnStream {
    const stream = new ColumnStream();
    this.run<StreamEnd>({ ...job, chunkRows }, (c) => stream.chunk(c)).then(
      (end) => stream.end(end),
      (err: Error) => stream.fail(err),
    );
    return stream;
  }

  /** The mapping step's preview (columns, a sample, a guessed mapping), under the same limits. */
  preview(job: Omit<Job, 'mapping'>): Promise<Preview> {
    return this.run({ ...job, preview: true });
  }

  private run<T>(job: WorkerJob, onChunk?: (c: ColumnChunk) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ job, resolve, reject, ...(onChunk ? { onChunk } : {}) });
      if (!this.worker) this.worker = this.spawn();
      this.send(job);
      this.armTimer();
    });
  }

  async close() {
    const w = this.worker;
    this.worker = null;
    if (this.idle) clearTimeout(this.idle);
    for (const e of this.queue.splice(0)) {
      clearTimeout(e.timer);
      e.reject(new Error('The parsing process was closed.'));
    }
    if (w && w.exitCode === null && w.signalCode === null) {
      const gone = new Promise<void>((res) => w.once('exit', () => res()));
      w.kill('SIGKILL');
      await gone;
    }
  }
}

/** A small text file is read in the server's process; a workbook never is: a small XLSX can unpack to a very large sheet. */
function parsesInline(filename: string, buf: Buffer, inlineBelow: number): boolean {
  return !isXlsx(filename, buf) && buf.length < inlineBelow;
}

/**
 * The upload preview, as importFile parses: small text files inline (their declared sizes are
 * checked before anything is built), workbooks and large files in a worker with limits, so a
 * hostile workbook at the mapping step gets a report instead of taking the server down.
 */
export async function previewSafely(job: Omit<Job, 'mapping'>, limits: ParseLimits = DEFAULT_PARSE_LIMITS, inlineBelow = 256 * 1024): Promise<Preview> {
  if (parsesInline(job.filename, job.buf, inlineBelow)) {
    const { previewFile } = await import('./importers/index.js');
    return previewFile(job.format, job.filename, job.buf);
  }
  const pool = new ParsePool(limits);
  try {
    return await pool.preview(job);
  } finally {
    await pool.close();
  }
}

export type FileJob = Job & {
  options: Omit<import('../indicators/index.js').ImportOptions, 'onProgress'>;
  /** Indicator metadata from beside the file (Open SDG's meta/*.md), added to what the parse found. */
  extraIndicators?: import('../indicator-model/index.js').IndicatorMeta[];
};

/** Rows per chunk of a streamed parse: the first load starts after this many rows, not after the whole file. */
export const CHUNK_ROWS = 50_000;

/**
 * Imports several files in order, each all-or-nothing as usual, parsing file
 * i+1 in a worker while file i loads. Within the first file, whose load would otherwise wait for
 * its whole parse, the worker sends its rows in chunks of `chunkRows` and the load of a chunk
 * overlaps the parse of the next (importObservationsStreamed).
 * `onFile` hears each file's report (or the error that stopped its parse) as it finishes.
 */
export async function importFiles(
  db: import('../../platform/db/index.js').Database,
  actor: import('../../platform/audit.js').Actor,
  jobs: (() => FileJob)[],
  onFile: (i: number, filename: string, result: import('../indicators/index.js').ImportReport | Error) => void,
  chunkRows = CHUNK_ROWS,
): Promise<void> {
  const { importObservationsStreamed } = await import('../indicators/index.js');
  // Kept alive between files: with the columnar parse a file parses faster than the previous one
  // loads, and an idle stop would make every next file pay for starting a process again.
  const pool = new ParsePool(DEFAULT_PARSE_LIMITS, true);
  try {
    const start = (i: number) => {
      if (i >= jobs.length) return null;
      const job = jobs[i]!();
      const { format, filename, buf, mapping } = job;
      // Only the first file's load would wait for its parse: each later one is parsed while the one
      // before it loads, so it is sent whole, without the chunks' slicing and messages.
      return { job, stream: pool.parseChunked({ format, filename, buf, ...(mapping ? { mapping } : {}) }, i === 0 ? chunkRows : Number.MAX_SAFE_INTEGER) };
    };
    let next = start(0);
    for (let i = 0; next; i++) {
      const current = next;
      next = start(i + 1);
      let report: import('../indicators/index.js').ImportReport;
      try {
        report = await importObservationsStreamed(db, actor, current.stream, current.job.options, current.job.extraIndicators ?? []);
      } catch (err) {
        // The file's parse failed (its report), as opposed to the load (the caller's problem).
        if (err !== current.stream.failure) throw err;
        onFile(i, current.job.filename, err as Error);
        continue;
      }
      onFile(i, current.job.filename, report);
    }
  } finally {
    await pool.close();
  }
}

/** One file to import on its own: the web flow's jobs, POST /api/imports, the command line's `import`. */
export type SingleFileJob = Job & {
  options: import('../indicators/index.js').ImportOptions;
  /** Indicator metadata from beside the file, added to what the parse found. */
  extraIndicators?: import('../indicator-model/index.js').IndicatorMeta[];
  /** Open SDG metadata (meta/*.md) for the mapping's indicator, or else for the file's first row's. */
  openSdgMeta?: string;
};

/**
 * Imports one file, all or nothing, as importFiles imports each of several (issue #12): a file
 * above `inlineBelow`, or any workbook, is parsed in the parsing process and loaded chunk by chunk
 * while the rest is still parsed; a smaller text file is parsed here, where starting a process
 * would cost more than the parse. The permission check comes before any parse, so a refused
 * request costs none. A file the parser rejects throws its FileFormatError, from either parse.
 */
export async function importFile(
  db: import('../../platform/db/index.js').Database,
  actor: import('../../platform/audit.js').Actor,
  job: SingleFileJob,
  how: { inlineBelow?: number; limits?: ParseLimits; chunkRows?: number; onStream?: (step: 'loaded' | 'whole', detail: string) => void } = {},
): Promise<import('../indicators/index.js').ImportReport> {
  const { assertCanWriteObservations, importObservations, importObservationsStreamed } = await import('../indicators/index.js');
  assertCanWriteObservations(actor);
  const { parseFile, parseOpenSdgMeta } = await import('./importers/index.js');
  const { inlineBelow = 256 * 1024, limits = DEFAULT_PARSE_LIMITS, chunkRows = CHUNK_ROWS } = how;
  const { format, filename, buf, mapping = {}, options } = job;
  const extra = [...(job.extraIndicators ?? [])];
  const withMeta = (cols: PackedResult): PackedResult => {
    cols.rest.indicators.push(...extra);
    if (job.openSdgMeta !== undefined) {
      const code = mapping.indicator || (cols.n ? cols.dict[cols.indicator[0]!] : undefined);
      cols.rest.indicators.push(parseOpenSdgMeta(job.openSdgMeta, code));
    }
    return cols;
  };
  if (parsesInline(filename, buf, inlineBelow)) return importObservations(db, actor, async () => withMeta(packedOf(await parseFile(format, filename, buf, mapping))), options);
  // Metadata is completed from all of a file's rows, and a dry run writes nothing: such a file is
  // parsed whole, then imported whole.
  const whole = extra.length > 0 || job.openSdgMeta !== undefined || !!options.dryRun;
  const pool = new ParsePool(limits);
  try {
    const stream = pool.parseChunked({ format, filename, buf, mapping }, whole ? Number.MAX_SAFE_INTEGER : chunkRows);
    if (whole) return await importObservations(db, actor, async () => withMeta(await stream.whole()), options);
    return await importObservationsStreamed(db, actor, stream, { ...options, ...(isXlsx(filename, buf) ? {} : { expectedRows: lineCount(buf) }) }, [], how.onStream);
  } finally {
    await pool.close();
  }
}

/** The lines of a text file: a streamed import's progress before its end tells how many rows it has. */
function lineCount(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) n++;
  return n;
}
