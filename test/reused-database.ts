/**
 * One embedded database per template for each test worker, reused from file to file and put
 * back to the template's rows after each use, instead of a copy of the template opened for
 * every test app.
 *
 * Why: opening a PGlite copy costs 0.4 to 0.9 s of CPU (starting PostgreSQL in WebAssembly,
 * zeroing its memory, copying and removing the folder), about a sixth of the unit tests' CPU
 * (docs/benchmarks.md, "Ninth round"). Putting the rows back costs a fraction of that.
 *
 * What makes it safe:
 * - The rows: every table's rows are taken from the template as it was opened (COPY … TO). After
 *   each use, the tables PostgreSQL's counters show written to are emptied and refilled (DELETE,
 *   COPY … FROM, with triggers and foreign keys off so that the rows come back as they were,
 *   derived columns and search documents included); every sequence is set back to where the
 *   template had it.
 * - The schema: a fingerprint of the catalogs (how many rows each holds and which transactions
 *   wrote them) is compared before the rows are put back. A test that changed the schema (a
 *   table made or dropped, a trigger turned off, the progress module's table swap) changes it,
 *   and the database is closed and dropped instead: the next test opens a fresh copy.
 * - The session: settings are reset and advisory locks released.
 * - Anything else that goes wrong putting it back closes and drops the database the same way.
 * A database already in use (a test with two apps at once) is not shared: the second gets its
 * own copy. Only scripts/run-tests.ts's PGlite runs use this (TEST_TEMPLATE is a data folder);
 * PostgreSQL runs copy a template database per app as before.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { Database } from '../src/platform/db/index.js';

type Snapshot = {
  /** Every table, quoted, and its rows in COPY's text format (null when it had none). */
  tables: { name: string; rows: Blob | null }[];
  /** SELECT setval(…) for every sequence, as the template had them. */
  sequences: string;
  /** The catalogs as the database was opened (putting rows back leaves them as they are). */
  fingerprint: string;
  /** Each table's write counter as the last reset left it (writes). */
  writes: Map<string, string>;
};

type Held = { db: Database; snapshot: Snapshot; busy: boolean; discard: () => Promise<void> };

const held = new Map<string, Held>();

/** Catalogs whose rows define the schema: a changed count or writer in any of them means a test changed it. */
const CATALOGS = ['pg_class', 'pg_attribute', 'pg_attrdef', 'pg_constraint', 'pg_index', 'pg_trigger', 'pg_proc', 'pg_type', 'pg_enum', 'pg_rewrite', 'pg_sequence', 'pg_extension', 'pg_ts_config', 'pg_ts_config_map', 'pg_ts_dict', 'pg_policy', 'pg_depend'];

async function fingerprint(pg: PGlite): Promise<string> {
  const parts = CATALOGS.map((c) => `SELECT '${c}' AS c, count(*)::text AS n, coalesce(sum(xmin::text::bigint), 0)::text AS x FROM ${c}`);
  // A session's temporary schema is made once, on its first temporary table (imports stage rows in one).
  parts.push(`SELECT 'pg_namespace', count(*)::text, coalesce(sum(xmin::text::bigint), 0)::text FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%'`);
  const r = await pg.query<{ c: string; n: string; x: string }>(parts.join(' UNION ALL '));
  return r.rows.map((row) => `${row.c}:${row.n}:${row.x}`).join(',');
}

async function takeSnapshot(pg: PGlite): Promise<Snapshot> {
  const names = (
    await pg.query<{ name: string }>(
      `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1`,
    )
  ).rows.map((r) => r.name);
  const tables: Snapshot['tables'] = [];
  for (const name of names) {
    const any = (await pg.query<{ any: boolean }>(`SELECT EXISTS (SELECT FROM ${name}) AS any`)).rows[0]!.any;
    tables.push({ name, rows: any ? ((await pg.query(`COPY ${name} TO '/dev/blob'`)).blob ?? null) : null });
  }
  const seqs = (
    await pg.query<{ name: string; value: string | null; start: string }>(
      `SELECT format('%I.%I', schemaname, sequencename) AS name, last_value::text AS value, start_value::text AS start FROM pg_sequences
        WHERE schemaname NOT LIKE 'pg\\_%' AND schemaname <> 'information_schema'`,
    )
  ).rows;
  const sequences = seqs.length
    ? `SELECT ${seqs.map((s) => `setval('${s.name.replace(/'/g, "''")}', ${s.value ?? s.start}, ${s.value !== null})`).join(', ')}`
    : '';
  return { tables, sequences, fingerprint: await fingerprint(pg), writes: await writes(pg) };
}

/**
 * Rows written to each table since the template was opened (inserted, updated, deleted; PostgreSQL's
 * own counters), by table. The counters reach the statistics when the session is next idle; the
 * first query asks for that at once, and the second, after that idle moment, reads them.
 */
async function writes(pg: PGlite): Promise<Map<string, string>> {
  await pg.query('SELECT pg_stat_force_next_flush()');
  const r = await pg.query<{ name: string; n: string }>(
    `SELECT format('%I.%I', schemaname, relname) AS name, (n_tup_ins + n_tup_upd + n_tup_del)::text AS n FROM pg_stat_user_tables`,
  );
  return new Map(r.rows.map((row) => [row.name, row.n]));
}

/** Puts the template's rows back; false when the schema changed or the database is gone, and it must be dropped. */
async function reset(h: Held): Promise<boolean> {
  const pg = h.db.pglite!;
  if (pg.closed) return false;
  if ((await fingerprint(pg)) !== h.snapshot.fingerprint) return false;
  const now = await writes(pg);
  // Only the tables written to since the last reset; a table the counters do not know is reset too.
  const changed = h.snapshot.tables.filter((t) => now.get(t.name) === undefined || now.get(t.name) !== h.snapshot.writes.get(t.name));
  await pg.transaction(async (tx) => {
    // Triggers (search documents, content versions, notifications) and foreign-key checks off:
    // the rows come back exactly as the template held them, derived ones included.
    await tx.exec('SET LOCAL session_replication_role = replica');
    // DELETE, not TRUNCATE: TRUNCATE refuses a table another table refers to unless that one goes too,
    // and it gives every table new files, where most resets touch a few small tables.
    if (changed.length) await tx.exec(changed.map((t) => `DELETE FROM ${t.name};`).join('\n'));
    for (const t of changed) if (t.rows) await tx.query(`COPY ${t.name} FROM '/dev/blob'`, [], { blob: t.rows });
    if (h.snapshot.sequences) await tx.query(h.snapshot.sequences);
  });
  await pg.exec('RESET ALL; SELECT pg_advisory_unlock_all()');
  // DELETE and COPY count as writes: the next check starts from here.
  h.snapshot.writes = await writes(pg);
  return true;
}

/**
 * The worker's database for this template, ready to use, with the function that gives it back;
 * undefined when it is in use (the caller opens a copy of its own). `open` opens a new copy and
 * returns it with the function that closes and removes it.
 */
export async function reusedDatabase(
  template: string,
  open: () => Promise<{ db: Database; drop: () => Promise<void> }>,
): Promise<{ db: Database; drop: () => Promise<void> } | undefined> {
  let h = held.get(template);
  if (h?.busy) return undefined;
  if (!h) {
    const fresh = await open();
    try {
      h = { db: fresh.db, snapshot: await takeSnapshot(fresh.db.pglite!), busy: false, discard: fresh.drop };
    } catch (err) {
      await fresh.drop();
      throw err;
    }
    held.set(template, h);
  }
  const mine = h;
  mine.busy = true;
  let given = false;
  return {
    db: mine.db,
    drop: async () => {
      if (given) return;
      given = true;
      let ok = false;
      try {
        ok = await reset(mine);
      } catch {
        ok = false;
      }
      if (ok) {
        mine.busy = false;
        return;
      }
      if (held.get(template) === mine) held.delete(template);
      await mine.discard();
    },
  };
}

/** Closes and drops the worker's databases (scripts/test-worker.ts, when the runner has no more files). */
export async function closeReusedDatabases(): Promise<void> {
  const all = [...held.values()];
  held.clear();
  await Promise.all(all.map((h) => h.discard().catch(() => undefined)));
}
