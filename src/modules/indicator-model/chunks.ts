/**
 * A file's rows in chunks, as the parsing process sends them while it still parses the rest (issue
 * #12): the load of the first chunk overlaps the parse of the later ones. A chunk is a PackedResult
 * over the one dictionary of the whole file, which grows as chunks arrive (each chunk carries the
 * entries added since the one before). The stream ends with the file whole: the chunks joined with
 * what only the whole file gives (units, summaries), or, when the columnar parse gave up part-way
 * (a row that needs a report), the row parse's result, of which the chunks sent before are no part.
 */
import type { PackedResult } from './load-stream.js';

/** One chunk as it crosses from the parsing process: rows [from, from + n) and the new dictionary entries. */
export type ColumnChunk = Omit<PackedResult, 'dict' | 'rest'> & { from: number; dictAdd: string[] };

/** The end of a streamed parse: the chunks were the whole file (`rest` completes them), or `whole` replaces them. */
export type StreamEnd = { rest: PackedResult['rest'] } | { whole: PackedResult };

export type StreamEvent = { chunk: PackedResult } | { end: PackedResult; joined: boolean };

/** Rows [from, to) of columns still being filled, with the dictionary entries from `dictFrom` on, as a chunk to send. */
export function chunkOf(c: Omit<PackedResult, 'n' | 'rest'>, from: number, to: number, dictFrom: number): ColumnChunk {
  return {
    from,
    n: to - from,
    lines: c.lines.slice(from, to),
    indicator: c.indicator.slice(from, to),
    area: c.area.slice(from, to),
    period: c.period.slice(from, to),
    breakdown: c.breakdown.slice(from, to),
    status: c.status.slice(from, to),
    note: c.note.slice(from, to),
    value: c.value.slice(from, to),
    isNull: c.isNull.slice(from, to),
    dictAdd: c.dict.slice(dictFrom),
  };
}

const COLUMNS = ['lines', 'indicator', 'area', 'period', 'breakdown', 'status', 'note', 'value', 'isNull'] as const;

/** The chunks as one PackedResult (the file whole), with the dictionary they share. */
export function joinChunks(chunks: PackedResult[], dict: string[], rest: PackedResult['rest']): PackedResult {
  const n = chunks.reduce((s, c) => s + c.n, 0);
  const out = { n, dict, rest } as PackedResult;
  for (const k of COLUMNS) {
    const all = k === 'value' ? new Float64Array(n) : k === 'isNull' ? new Uint8Array(n) : new Int32Array(n);
    let at = 0;
    for (const c of chunks) {
      (all as Int32Array).set(c[k] as Int32Array, at);
      at += c.n;
    }
    (out as Record<string, unknown>)[k] = all;
  }
  return out;
}

/**
 * The receiving side of one streamed parse: the parse pool feeds it (`chunk`, `end`, `fail`), the
 * load reads it in order (`next`) and, when it gives the stream up, asks for the file whole
 * (`whole`). Chunks are kept until the end, since a load that gives up needs them all again.
 */
export class ColumnStream {
  readonly dict: string[] = [];
  private readonly chunks: PackedResult[] = [];
  private readonly events: (StreamEvent | Error)[] = [];
  private waiting: ((e: StreamEvent | Error) => void) | null = null;
  private ended: Promise<PackedResult>;
  private settle!: { resolve: (p: PackedResult) => void; reject: (e: Error) => void };

  constructor() {
    this.ended = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    // Nobody may ask for the whole file (a load that ran to its end); its failure is then read through next().
    this.ended.catch(() => {});
  }

  private emit(e: StreamEvent | Error) {
    const w = this.waiting;
    if (w) {
      this.waiting = null;
      w(e);
    } else this.events.push(e);
  }

  chunk(c: ColumnChunk) {
    for (const s of c.dictAdd) this.dict.push(s);
    const { dictAdd: _d, from: _f, ...cols } = c;
    const p: PackedResult = { ...cols, dict: this.dict, rest: { errors: [], indicators: [] } };
    this.chunks.push(p);
    this.emit({ chunk: p });
  }

  /** True once the parse has ended (or failed): everything it will send is here. */
  done = false;

  end(e: StreamEnd) {
    this.done = true;
    const joined = 'rest' in e;
    const whole = joined ? joinChunks(this.chunks, this.dict, e.rest) : e.whole;
    this.settle.resolve(whole);
    this.emit({ end: whole, joined });
  }

  /** The parse's error, once it failed: the caller tells a file's parse failing from its load failing. */
  failure: Error | null = null;

  fail(err: Error) {
    this.done = true;
    this.failure = err;
    this.settle.reject(err);
    this.emit(err);
  }

  /** The next chunk, or the end; throws the parse's error. */
  async next(): Promise<StreamEvent> {
    const e = this.events.shift();
    const got = e ?? (await new Promise<StreamEvent | Error>((resolve) => (this.waiting = resolve)));
    if (got instanceof Error) throw got;
    return got;
  }

  /** The file whole, once parsed (the chunks joined, or the row parse's result); rejects with the parse's error. */
  whole(): Promise<PackedResult> {
    return this.ended;
  }
}
