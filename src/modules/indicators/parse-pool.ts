/**
 * Parsing in a worker thread, so a multi-file import parses the next file while
 * the current one loads. Rows cross the thread boundary in columns (typed arrays
 * and small string dictionaries): structured-cloning hundreds of thousands of
 * row objects would cost the main thread more than the parse it saves.
 */
import { Worker } from 'node:worker_threads';
import type { AnyMapping } from './importers/index.js';
import { FileFormatError } from './importers/table.js';
import type { ImportFormat, ObsRow, ObsStatus, ParseResult } from './model.js';

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
    rest: { errors: r.errors, indicators: r.indicators, ...(r.units ? { units: r.units } : {}), ...(r.summaries ? { summaries: r.summaries } : {}) },
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

/** One parsing worker; jobs run one at a time, in order. */
export class ParsePool {
  private worker: Worker;
  private queue: { resolve: (r: ParseResult) => void; reject: (e: Error) => void }[] = [];
  constructor() {
    // From the TypeScript sources (tsx) the worker needs a shim that registers tsx; the
    // production build (dist/) has the transpiled worker itself.
    const fromSources = import.meta.url.endsWith('.ts');
    this.worker = new Worker(new URL(fromSources ? './parse-worker.mjs' : './parse-worker.js', import.meta.url));
    this.worker.on('message', (m: { ok: true; packed: PackedResult } | { ok: false; name: string; message: string }) => {
      const job = this.queue.shift();
      if (!job) return;
      if (m.ok) job.resolve(unpack(m.packed));
      // A file the parser rejects is the user's problem, reported like an inline parse would.
      else job.reject(m.name === 'FileFormatError' ? new FileFormatError(m.message) : new Error(m.message));
    });
    this.worker.on('error', (err) => {
      for (const job of this.queue.splice(0)) job.reject(err);
    });
  }
  parse(job: Job): Promise<ParseResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ resolve, reject });
      this.worker.postMessage(job);
    });
  }
  async close() {
    await this.worker.terminate();
  }
}

export type FileJob = Job & {
  options: Omit<import('./service.js').ImportOptions, 'onProgress'>;
  /** Indicator metadata from beside the file (Open SDG's meta/*.md), added to what the parse found. */
  extraIndicators?: import('./model.js').IndicatorMeta[];
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
  onFile: (i: number, filename: string, result: import('./service.js').ImportReport | Error) => void,
): Promise<void> {
  const { importObservations } = await import('./service.js');
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
