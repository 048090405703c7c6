/**
 * The observation load without row objects. A file's rows reach the main thread as columns (typed
 * arrays of numbers and indices into one small string dictionary, see parse-pool.ts), and stay so:
 * the checks run once per distinct string and then per row on integers, and the COPY payload is
 * written as bytes straight from the columns. The app server runs with a capped V8 heap, and a
 * file of 300,000 rows as objects would take a large part of it; as columns it is a few
 * megabytes outside the heap.
 *
 * Why this file is long: the checks and the binary COPY writers read the same column layout, and
 * keeping them together keeps that layout in one place.
 */
import type { FileSummary, ObsRow, ObsStatus, ParseResult } from './model.js';
import { headlineOf, summariseFile } from './model.js';

/**
 * Rows in columns: typed arrays (moved, not copied, between threads) and one small string
 * dictionary. Structured-cloning hundreds of thousands of row objects would cost the main thread
 * more than the parse it saves.
 */
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


/** The columns of a parse, whoever made it: a worker's packed result is used as it is, rows are packed here. */
export function packedOf(input: ParseResult | PackedResult): PackedResult {
  if (!('rows' in input)) return input;
  // The load writes the file's own summaries; a parse that did not make them has them made here.
  return pack(input.errors.length || input.summaries ? input : { ...input, summaries: summariseFile(input.rows) });
}

/** The distinct strings of one column, in order of first appearance (as `new Set(rows.map(…))` gives them). */
export function distinctOf(p: PackedResult, col: Int32Array): string[] {
  const seen = new Uint8Array(p.dict.length);
  const out: string[] = [];
  for (let i = 0; i < p.n; i++) {
    const d = col[i]!;
    if (!seen[d]) {
      seen[d] = 1;
      out.push(p.dict[d]!);
    }
  }
  return out;
}

/** One flag per dictionary entry: whether `test` holds for that string. */
export function dictFlags(p: PackedResult, test: (s: string) => boolean): Uint8Array {
  const f = new Uint8Array(p.dict.length);
  for (let d = 0; d < p.dict.length; d++) if (test(p.dict[d]!)) f[d] = 1;
  return f;
}

/**
 * The rows as one reused ObsRow-shaped object: each step overwrites it, so a consumer reads it and
 * keeps only its fields (the checks, chooseHeadlines, inferIndicatorMeta). With `only`, just the
 * rows it picks: the checks visit only rows that something is wrong with.
 */
export function* eachRow(p: PackedResult, only?: (i: number) => boolean): Generator<ObsRow> {
  const d = p.dict;
  const r: ObsRow = { line: 0, indicator: '', area: '', period: '', breakdown: '', value: null, status: '', note: '' };
  for (let i = 0; i < p.n; i++) {
    if (only && !only(i)) continue;
    r.line = p.lines[i]!;
    r.indicator = d[p.indicator[i]!]!;
    r.area = d[p.area[i]!]!;
    r.period = d[p.period[i]!]!;
    r.breakdown = d[p.breakdown[i]!]!;
    r.value = p.isNull[i] ? null : p.value[i]!;
    r.status = d[p.status[i]!]! as ObsStatus;
    r.note = d[p.note[i]!]!;
    yield r;
  }
}

/**
 * chooseHeadlines of the rows in columns: the same choice, counted on dictionary numbers instead
 * of strings per row.
 */
export function headlinesOf(p: PackedResult): Map<string, string> {
  const counts = new Map<number, Map<number, number>>();
  for (let i = 0; i < p.n; i++) {
    if (p.isNull[i]) continue;
    const ind = p.indicator[i]!;
    let m = counts.get(ind);
    if (!m) counts.set(ind, (m = new Map()));
    const bd = p.breakdown[i]!;
    m.set(bd, (m.get(bd) ?? 0) + 1);
  }
  const out = new Map<string, string>();
  for (const [ind, byId] of counts) {
    const m = new Map<string, number>();
    for (const [bd, c] of byId) m.set(p.dict[bd]!, c);
    out.set(p.dict[ind]!, headlineOf(m));
  }
  return out;
}

/**
 * summariseFile of the rows in columns, with the same summaries in the same order: rows grouped
 * by dictionary numbers, periods ordered by a rank computed once per distinct period, and each
 * distinct period's JSON written once. The parsing process makes these for every file, so this
 * is per-row work worth keeping to integers.
 */
export function summariseColumns(p: PackedResult, headlines: Map<string, string> = headlinesOf(p)): FileSummary[] {
  const d = p.dict;
  const D = d.length;
  // The headline breakdown of each indicator as a dictionary number (-1: a string not in this file).
  const dictId = new Map<string, number>();
  const idOf = (s: string) => {
    if (!dictId.size) for (let k = 0; k < D; k++) if (!dictId.has(d[k]!)) dictId.set(d[k]!, k);
    return dictId.get(s) ?? -1;
  };
  const headId = new Int32Array(D).fill(-2);
  const groups = new Map<number, number[]>();
  for (let i = 0; i < p.n; i++) {
    const ind = p.indicator[i]!;
    let h = headId[ind]!;
    if (h === -2) headId[ind] = h = idOf(headlines.get(d[ind]!) ?? '');
    if (p.breakdown[i] !== h && d[p.breakdown[i]!] !== d[h]) continue;
    const k = ind * D + p.area[i]!;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(i);
  }
  // Periods in string order (as summariseFile compares them), ranked once.
  const periodSeen = new Uint8Array(D);
  const periodIds: number[] = [];
  for (let i = 0; i < p.n; i++) {
    if (periodSeen[p.period[i]!]) continue;
    periodSeen[p.period[i]!] = 1;
    periodIds.push(p.period[i]!);
  }
  periodIds.sort((a, b) => (d[a]! < d[b]! ? -1 : d[a]! > d[b]! ? 1 : 0));
  const rank = new Int32Array(D);
  for (let r = 0, prev = ''; r < periodIds.length; r++) {
    const s = d[periodIds[r]!]!;
    rank[periodIds[r]!] = r > 0 && s === prev ? rank[periodIds[r - 1]!]! : r;
    prev = s;
  }
  const periodJson: (string | undefined)[] = new Array(D);
  const out: FileSummary[] = [];
  for (const g of groups.values()) {
    g.sort((a, b) => rank[p.period[a]!]! - rank[p.period[b]!]!);
    let first = -1;
    let last = -1;
    let n = 0;
    const parts: string[] = new Array(g.length);
    for (let j = 0; j < g.length; j++) {
      const i = g[j]!;
      const per = p.period[i]!;
      const pj = periodJson[per] ?? (periodJson[per] = JSON.stringify(d[per]!));
      parts[j] = `[${pj},${p.isNull[i] ? 'null' : JSON.stringify(p.value[i]!)}]`;
      if (p.isNull[i]) continue;
      if (first < 0) first = i;
      last = i;
      n++;
    }
    if (first < 0) continue;
    out.push({
      indicator: d[p.indicator[first]!]!,
      area: d[p.area[first]!]!,
      fp: d[p.period[first]!]!,
      fv: p.value[first]!,
      lp: d[p.period[last]!]!,
      lv: p.value[last]!,
      ls: d[p.status[last]!]!,
      n,
      seriesJson: `[${parts.join(',')}]`,
    });
  }
  return out;
}

const enc = new TextEncoder();

/** A uuid as COPY's binary format carries it: its 16 bytes. */
function uuidBytes(id: string): Uint8Array {
  const hex = id.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`"${id}" is not a uuid`);
  const out = new Uint8Array(16);
  for (let k = 0; k < 16; k++) out[k] = parseInt(hex.slice(2 * k, 2 * k + 2), 16);
  return out;
}

/** The 19 bytes that open a COPY … WITH (FORMAT binary) payload: signature, flags, extension length. */
const BINARY_HEADER = new Uint8Array([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);

/**
 * A COPY … WITH (FORMAT binary) payload built in pieces of about `pieceBytes`: the header opens the
 * first piece, `end()` closes the last with the trailer. A row is started with the room it needs
 * (a piece is never split inside a row); `row()` and `full()` hand back a finished piece to send.
 */
class BinaryCopyWriter {
  private buf: Uint8Array<ArrayBuffer>;
  private view: DataView;
  private at: number;

  constructor(private readonly pieceBytes: number) {
    this.buf = new Uint8Array(pieceBytes + 1024);
    this.view = new DataView(this.buf.buffer);
    this.buf.set(BINARY_HEADER, 0);
    this.at = BINARY_HEADER.length;
  }

  private fresh(size: number) {
    this.buf = new Uint8Array(size);
    this.view = new DataView(this.buf.buffer);
    this.at = 0;
  }

  /** Starts a row of `fields` fields taking `len` bytes in all; returns the piece to send first when this one has no room. */
  row(fields: number, len: number): Uint8Array<ArrayBuffer> | null {
    let out: Uint8Array<ArrayBuffer> | null = null;
    if (this.at + len > this.buf.length) {
      if (this.at > 0) out = this.buf.subarray(0, this.at);
      this.fresh(Math.max(this.pieceBytes + 1024, len));
    }
    this.view.setInt16(this.at, fields);
    this.at += 2;
    return out;
  }

  bytes(b: Uint8Array) {
    this.view.setInt32(this.at, b.length);
    this.buf.set(b, this.at + 4);
    this.at += 4 + b.length;
  }

  /** A float8; + 0 makes a -0 go in as 0, as its CSV text "0" did. */
  float8(v: number) {
    this.view.setInt32(this.at, 8);
    this.view.setFloat64(this.at + 4, v + 0);
    this.at += 12;
  }

  int4(v: number) {
    this.view.setInt32(this.at, 4);
    this.view.setInt32(this.at + 4, v);
    this.at += 8;
  }

  int8(v: bigint) {
    this.view.setInt32(this.at, 8);
    this.view.setBigInt64(this.at + 4, v);
    this.at += 12;
  }

  nul() {
    this.view.setInt32(this.at, -1);
    this.at += 4;
  }

  /** The piece to send when this one has reached its size after a row, else null. */
  full(): Uint8Array<ArrayBuffer> | null {
    if (this.at < this.pieceBytes) return null;
    const out = this.buf.subarray(0, this.at);
    this.fresh(this.pieceBytes + 1024);
    return out;
  }

  /** The last pieces: what is left, closed by the trailer (a field count of -1). */
  *end(): Generator<Uint8Array<ArrayBuffer>> {
    if (this.at + 2 > this.buf.length) {
      yield this.buf.subarray(0, this.at);
      this.fresh(2);
    }
    this.view.setInt16(this.at, -1);
    this.at += 2;
    yield this.buf.subarray(0, this.at);
  }
}

/**
 * The COPY … WITH (FORMAT binary) payload of rows [from, to) of an observation load, in pieces of
 * about `pieceBytes`: `indicator_id uuid, area_id uuid, period text, breakdown text, value float8,
 * status text, note text` and, when `batchId` is given, `batch_id bigint`. Binary rather than CSV
 * because neither side then prints or parses a number or a uuid per row: the value is its eight
 * bytes, an id its sixteen, and every distinct string is encoded once.
 */
export function* copyBinaryPieces(p: PackedResult, ids: { indicator: Map<string, string>; area: Map<string, string> }, batchId: number | null, from: number, to: number, pieceBytes: number): Generator<Uint8Array<ArrayBuffer>> {
  const n = p.dict.length;
  const indB: (Uint8Array | undefined)[] = new Array(n);
  const areaB: (Uint8Array | undefined)[] = new Array(n);
  const textB: (Uint8Array | undefined)[] = new Array(n);
  const idOf = (cache: (Uint8Array | undefined)[], m: Map<string, string>, what: string, d: number) => {
    let b = cache[d];
    if (b === undefined) {
      const id = m.get(p.dict[d]!);
      if (id === undefined) throw new Error(`no id for ${what} "${p.dict[d]}"`); // the checks before the load rule this out
      cache[d] = b = uuidBytes(id);
    }
    return b;
  };
  const textOf = (d: number) => textB[d] ?? (textB[d] = enc.encode(p.dict[d]!));
  const fields = batchId === null ? 7 : 8;
  const batch = BigInt(batchId ?? 0);
  const w = new BinaryCopyWriter(pieceBytes);
  for (let i = from; i < to; i++) {
    const a = idOf(indB, ids.indicator, 'indicator', p.indicator[i]!);
    const b = idOf(areaB, ids.area, 'area', p.area[i]!);
    const per = textOf(p.period[i]!);
    const bd = textOf(p.breakdown[i]!);
    const st = textOf(p.status[i]!);
    const no = textOf(p.note[i]!);
    const len = 2 + 4 * fields + 32 + per.length + bd.length + (p.isNull[i] ? 0 : 8) + st.length + no.length + (batchId === null ? 0 : 8);
    const before = w.row(fields, len);
    if (before) yield before;
    w.bytes(a);
    w.bytes(b);
    w.bytes(per);
    w.bytes(bd);
    if (p.isNull[i]) w.nul();
    else w.float8(p.value[i]!);
    w.bytes(st);
    w.bytes(no);
    if (batchId !== null) w.int8(batch);
    const piece = w.full();
    if (piece) yield piece;
  }
  yield* w.end();
}

/**
 * The COPY … WITH (FORMAT binary) payload of summaries (ind_area_summary: indicator_id, area_id,
 * first_period, first_value, latest_period, latest_value, latest_status, n_periods, series), in
 * pieces of about `pieceBytes`. Binary for the same reasons as the observations, and because the
 * series, JSON full of quotes, then goes in as it is instead of with every quote doubled.
 */
export function* summaryBinaryPieces(rows: (FileSummary & { indicatorId: string; areaId: string })[], pieceBytes: number): Generator<Uint8Array<ArrayBuffer>> {
  const ids = new Map<string, Uint8Array>();
  const idOf = (id: string) => ids.get(id) ?? (ids.set(id, uuidBytes(id)), ids.get(id)!);
  const texts = new Map<string, Uint8Array>();
  const textOf = (s: string) => texts.get(s) ?? (texts.set(s, enc.encode(s)), texts.get(s)!);
  const w = new BinaryCopyWriter(pieceBytes);
  for (const r of rows) {
    const a = idOf(r.indicatorId);
    const b = idOf(r.areaId);
    const fp = textOf(r.fp);
    const lp = textOf(r.lp);
    const ls = textOf(r.ls);
    const series = enc.encode(r.seriesJson);
    const before = w.row(9, 2 + 4 * 9 + 32 + fp.length + 8 + lp.length + 8 + ls.length + 4 + series.length);
    if (before) yield before;
    w.bytes(a);
    w.bytes(b);
    w.bytes(fp);
    w.float8(r.fv);
    w.bytes(lp);
    w.float8(r.lv);
    w.bytes(ls);
    w.int4(r.n);
    w.bytes(series);
    const piece = w.full();
    if (piece) yield piece;
  }
  yield* w.end();
}
