/**
 * Parsing in a worker thread, so a multi-file import parses the next file while
 * the current one loads. Rows cross the thread boundary in columns (typed arrays
 * and small string dictionaries): structured-cloning hundreds of thousands of
 * row objects would cost the main thread more than the parse it saves.
 */
import { Worker } from 'node:worker_threads';
import type { AnyMapping, Preview } from './importers/index.js';
import { FileFormatError } from './importers/table.js';
import type { ImportFormat, ObsRow, ObsStatus, ParseResult } from '../indicator-model/index.js';

export type PackedResult = {
  n: number;
  lines: Int32Array;
  dict: string[];
  indicator: Int32Array;
  area: Int32Array;
  period: Int32Array;
  breakdown: Int32Array;
  status: Int32Array;
  note: Int32Array;
  value: Float64Array;
  isNull: Uint8Array;
  rest: Omit<ParseResult, 'rows'>;
};

export function pack(r: ParseResult): PackedResult {
  const n = r.rows.length;
  const dict: string[] = [];
  const index = new Map<string, number>();
  const id = (s: string) => {
    let v = index.get(s);
    if (v === undefined) {
      v = dict.length;
      dict.push(s);
      index.set(s, v);
    }
    return v;
  };
  const p: PackedResult = {
    n,
    lines: new Int32Array(n),
    dict,
    indicator: new Int32Array(n),
    area: new Int32Array(n),
    period: new Int32Array(n),
    breakdown: new Int32Array(n),
    status: new Int32Array(n),
    note: new Int32Array(n),
    value: new Float64Array(n),
    isNull: new Uint8Array(n),
    rest: { errors: r.errors, indicators: r.indicators, ...(r.units ? { units: r.units } : {}), ...(r.labels ? { labels: r.labels } : {}), ...(r.summaries ? { summaries: r.summaries } : {}) },
  };
  for (let i = 0; i < n; i++) {
    const row = r.rows[i]!;
    p.lines[i] = row.line;
    p.indicator[i] = id(row.indicator);
    p.area[i] = id(row.area);
    p.period[i] = id(row.period);
    p.breakdown[i] = id(row.breakdown);
    p.status[i] = id(row.status);
    p.note[i] = id(row.note);
    if (row.value === null) p.isNull[i] = 1;
    else p.value[i] = row.value;
  }
  return p;
}

export function unpack(p: PackedResult): ParseResult {
  const rows: ObsRow[] = new Array(p.n);
  const d = p.dict;
  for (let i = 0; i < p.n; i++) {
    rows[i] = {
      line: p.lines[i]!,
      indicator: d[p.indicator[i]!]!,
      area: d[p.area[i]!]!,
      period: d[p.period[i]!]!,
      breakdown: d[p.breakdown[i]!]!,
      value: p.isNull[i] ? null : p.value[i]!,
      status: d[p.status[i]!]! as ObsStatus,
      note: d[p.note[i]!]!,
    };
  }
  return { rows, ...p.rest };
}

export const transferList = (p: PackedResult) => [p.lines, p.indicator, p.area, p.period, p.breakdown, p.status, p.note, p.value, p.isNull].map((a) => a.buffer);

type Job = { format: ImportFormat; filename: string; buf: Buffer; mapping?: AnyMapping };
/** What the worker is asked: the rows of a file, or only the mapping step's preview of it. */
type WorkerJob = Job & { preview?: boolean };

/**
 * Limits of one parsing worker. A pathological file (a sparse sheet promising a billion cells,
 * a cube with a huge declared size) can get past the declared-size checks in importers/limits.ts
 * in ways nobody foresaw; in the worker it then hits this heap or this time limit, the worker
 * dies alone, and the file gets a report while the server keeps serving.
 */
export type ParseLimits = { heapMb: number; timeMs: number };
export const DEFAULT_PARSE_LIMITS: ParseLimits = { heapMb: 768, timeMs: 120_000 };

/** One parsing worker; jobs run one at a time, in order. A worker that dies is replaced for the next job. */
export class ParsePool {
  private worker: Worker | null = null;
  private queue: { job: WorkerJob; resolve: (r: any) => void; reject: (e: Error) => void; timer?: NodeJS.Timeout }[] = [];
  constructor(private readonly limits: ParseLimits = DEFAULT_PARSE_LIMITS) {}

  private spawn(): Worker {
    // From the TypeScript sources (tsx) the worker needs a shim that registers tsx; the
    // production build (dist/) has the transpiled worker itself.
    const fromSources = import.meta.url.endsWith('.ts');
    const worker = new Worker(new URL(fromSources ? './parse-worker.mjs' : './parse-worker.js', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: this.limits.heapMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, Math.round(this.limits.heapMb / 8))) },
    });
    worker.on('message', (m: { ok: true; packed: PackedResult } | { ok: true; preview: Preview } | { ok: false; name: string; message: string }) => {
      const entry = this.queue.shift();
      if (!entry) return;
      clearTimeout(entry.timer);
      this.armTimer();
      if (m.ok) entry.resolve('preview' in m ? m.preview : unpack(m.packed));
      // A file the parser rejects is the user's problem, reported like an inline parse would.
      else entry.reject(m.name === 'FileFormatError' ? new FileFormatError(m.message) : new Error(m.message));
    });
    const fail = (err: Error) => {
      if (this.worker !== worker) return; // closed, or already replaced after a time-out
      this.worker = null;
      const heap = (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
      // Only the job being parsed is lost; the ones behind it go to a fresh worker.
      const entry = this.queue.shift();
      if (entry) {
        clearTimeout(entry.timer);
        entry.reject(heap ? new FileFormatError(`Reading the file needs more than ${this.limits.heapMb} MB of memory; split it into smaller files.`) : err);
      }
      this.restart();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`The parsing worker stopped (exit code ${code}).`)));
    return worker;
  }

  private restart() {
    if (!this.queue.length) return;
    this.worker = this.spawn();
    for (const e of this.queue) this.worker.postMessage(e.job);
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
      void worker?.terminate();
      this.restart();
    }, this.limits.timeMs);
    head.timer.unref?.();
  }

  parse(job: Job): Promise<ParseResult> {
    return this.run({ ...job, preview: false });
  }

  /** The mapping step's preview (columns, a sample, a guessed mapping), under the same limits. */
  preview(job: Omit<Job, 'mapping'>): Promise<Preview> {
    return this.run({ ...job, preview: true });
  }

  private run<T>(job: WorkerJob): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      if (!this.worker) this.worker = this.spawn();
      this.worker.postMessage(job);
      this.armTimer();
    });
  }

  async close() {
    const w = this.worker;
    this.worker = null;
    for (const e of this.queue.splice(0)) {
      clearTimeout(e.timer);
      e.reject(new Error('The parsing worker was closed.'));
    }
    if (w) await w.terminate();
  }
}

/**
 * Parses one file where it cannot hurt the server: small text files inline (their declared sizes
 * are checked before anything is built), workbooks and large files in a worker with limits.
 */
export async function parseSafely(job: Job, limits: ParseLimits = DEFAULT_PARSE_LIMITS, inlineBelow = 256 * 1024): Promise<ParseResult> {
  const xlsx = /\.xlsx$/i.test(job.filename) || (job.buf[0] === 0x50 && job.buf[1] === 0x4b);
  if (!xlsx && job.buf.length < inlineBelow) {
    const { parseFile } = await import('./importers/index.js');
    return parseFile(job.format, job.filename, job.buf, job.mapping);
  }
  const pool = new ParsePool(limits);
  try {
    return await pool.parse(job);
  } finally {
    await pool.close();
  }
}

/**
 * The upload preview, as parseSafely parses: small text files inline (their declared sizes are
 * checked before anything is built), workbooks and large files in a worker with limits, so a
 * hostile workbook at the mapping step gets a report instead of taking the server down.
 */
export async function previewSafely(job: Omit<Job, 'mapping'>, limits: ParseLimits = DEFAULT_PARSE_LIMITS, inlineBelow = 256 * 1024): Promise<Preview> {
  const xlsx = /\.xlsx$/i.test(job.filename) || (job.buf[0] === 0x50 && job.buf[1] === 0x4b);
  if (!xlsx && job.buf.length < inlineBelow) {
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

/**
 * Imports several files in order, each all-or-nothing as usual, parsing file
 * i+1 in a worker while file i loads. `onFile` hears each file's report (or the
 * error that stopped its parse) as it finishes.
 */
export async function importFiles(
  db: import('../../platform/db/index.js').Database,
  actor: import('../../platform/audit.js').Actor,
  jobs: (() => FileJob)[],
  onFile: (i: number, filename: string, result: import('../indicators/index.js').ImportReport | Error) => void,
): Promise<void> {
  const { importObservations } = await import('../indicators/index.js');
  const pool = new ParsePool();
  try {
    const start = (i: number) => {
      if (i >= jobs.length) return null;
      const job = jobs[i]!();
      const { format, filename, buf, mapping } = job;
      return { job, parsed: pool.parse({ format, filename, buf, ...(mapping ? { mapping } : {}) }).then((r) => r, (e: Error) => e) };
    };
    let next = start(0);
    for (let i = 0; next; i++) {
      const current = next;
      next = start(i + 1);
      const parsed = await current.parsed;
      if (parsed instanceof Error) {
        onFile(i, current.job.filename, parsed);
        continue;
      }
      if (current.job.extraIndicators) parsed.indicators.push(...current.job.extraIndicators);
      onFile(i, current.job.filename, await importObservations(db, actor, parsed, current.job.options));
    }
  } finally {
    await pool.close();
  }
}
