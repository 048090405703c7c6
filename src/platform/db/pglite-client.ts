/**
 * The PGlite client as Drizzle and the raw queries see it, without a cost PGlite charges per query.
 *
 * Drizzle passes nine type parsers with every query (timestamps, dates, intervals and their
 * arrays as text, so that its column types do the converting). PGlite merges per-query parsers
 * into a copy of the instance's whole parser table (over 300 entries, keyed by type oid) on every
 * call; on the test machine that copy cost about 0.25 ms, a quarter of a simple query's time,
 * paid by every query the app makes through Drizzle.
 *
 * So the instance's table holds Drizzle's nine as they are, Drizzle's queries go without
 * per-query parsers (the same result, no copy), and a query that asks for no parsers (raw SQL:
 * `db.query`, `rawQuery`, the job queue) gets those nine columns converted afterwards by the
 * parsers PGlite would have used: the rows are the same as before, value for value.
 */
import { types, type PGlite, type Transaction } from '@electric-sql/pglite';

type Parser = (value: string, typeId?: number) => unknown;
type QueryOptions = { rowMode?: 'array' | 'object'; parsers?: Record<number, Parser>; blob?: Blob };
type Result = { rows: any[]; fields: { name: string; dataTypeID: number }[] };
type Queryable = { query(sql: string, params?: unknown[], options?: QueryOptions): Promise<Result> };

/** Element type of each array type among Drizzle's nine (numeric[], timestamp[], timestamptz[], interval[], date[]). */
const ARRAY_OF: Record<number, number> = { 1231: 1700, 1115: 1114, 1185: 1184, 1187: 1186, 1182: 1082 };
/** The types Drizzle reads as text: timestamp, timestamptz, interval, date, and the arrays above. */
export const DRIZZLE_TEXT_TYPES = [types.TIMESTAMP, types.TIMESTAMPTZ, types.INTERVAL, types.DATE, ...Object.keys(ARRAY_OF).map(Number)];
const asText: Parser = (v) => v;

function isDrizzles(parsers: Record<number, Parser>): boolean {
  const keys = Object.keys(parsers);
  return keys.length === DRIZZLE_TEXT_TYPES.length && DRIZZLE_TEXT_TYPES.every((oid) => oid in parsers);
}

/**
 * Sets the instance's parsers for Drizzle's nine types to text and returns the client for Drizzle
 * and the raw paths. `client.parsers` is read at query time, so this applies to every later query.
 */
export function drizzleFriendlyClient(client: PGlite): PGlite {
  const table = client.parsers as Record<number, Parser | undefined>;
  // What PGlite used for the nine before: its own parsers, and for an array its element's parser
  // inside PGlite's array parser (the array entries look up the element's parser when called).
  const before = new Map<number, Parser>();
  for (const oid of DRIZZLE_TEXT_TYPES) {
    const element = ARRAY_OF[oid];
    if (element !== undefined) {
      const parseElement = table[element];
      before.set(oid, (v) => types.arrayParser(v, parseElement as Parser, oid));
    } else if (table[oid]) before.set(oid, table[oid]!);
  }
  for (const oid of DRIZZLE_TEXT_TYPES) table[oid] = asText;

  const withDefaults = (r: Result, rowMode: 'array' | 'object' | undefined): Result => {
    let columns: number[] | undefined;
    for (let i = 0; i < r.fields.length; i++) if (before.has(r.fields[i]!.dataTypeID)) (columns ??= []).push(i);
    if (!columns) return r;
    for (const row of r.rows) {
      for (const i of columns) {
        const field = r.fields[i]!;
        const key = rowMode === 'array' ? i : field.name;
        const v = row[key];
        if (typeof v === 'string') row[key] = before.get(field.dataTypeID)!(v, field.dataTypeID);
      }
    }
    return r;
  };
  const query =
    (target: Queryable) =>
    async (sql: string, params?: unknown[], options?: QueryOptions): Promise<Result> => {
      if (options?.parsers && isDrizzles(options.parsers)) {
        const { parsers: _same, ...rest } = options;
        return target.query(sql, params, rest);
      }
      if (options?.parsers) {
        // Someone else's parsers: on top of the defaults, as PGlite would have merged them.
        return target.query(sql, params, { ...options, parsers: { ...Object.fromEntries(before), ...options.parsers } });
      }
      return withDefaults(await target.query(sql, params, options), options?.rowMode);
    };
  const inTransaction = (tx: Transaction) => {
    const q = query(tx as unknown as Queryable);
    return new Proxy(tx, { get: (t, p) => (p === 'query' ? q : Reflect.get(t, p)) });
  };
  const topQuery = query(client as unknown as Queryable);
  const transaction = <T>(fn: (tx: Transaction) => Promise<T>) => client.transaction((tx) => fn(inTransaction(tx)));
  return new Proxy(client, {
    get(t, p) {
      if (p === 'query') return topQuery;
      if (p === 'transaction') return transaction;
      const v = Reflect.get(t, p, t);
      return typeof v === 'function' ? v.bind(t) : v;
    },
  });
}
