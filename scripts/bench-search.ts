/**
 * Search benchmark (not a test): `npm run bench:search [-- options]`.
 *
 *  1. Generates N documents (default 200,000) in Swedish, Norwegian, Danish and English,
 *     titles and bodies of realistic length from each language's own municipal vocabulary,
 *     and writes them into `search_documents` through the product's own folding and
 *     tsvector expressions (multi-row statements; a few percent restricted).
 *  2. Measures the cost an index update adds to a write: `indexSearchDoc` alone per document.
 *  3. Runs a mix of queries (stemmed words, prefixes, typos, filters) through the app
 *     (`GET /api/search`, in-process HTTP: routing, validation, permissions, presenter) and
 *     the same two SQL statements raw (`searchStatements`), and prints median and p95 of both.
 *  4. Throughput: K concurrent clients on `GET /api/search` for S seconds.
 *
 * Engine: PGlite in memory by default; PostgreSQL when DATABASE_URL is set (a scratch
 * database is created there and dropped afterwards).
 * Options: --docs N, --queries Q (rounds per query), --connections K, --duration S.
 */
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openAndMigrate, rawClient, type Database } from '../src/platform/db/index.js';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { indexSearchDoc, type SearchLang } from '../src/platform/search-index.js';
import { fold } from '../src/platform/text.js';
import { searchStatements } from '../src/modules/search/index.js';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const N = arg('docs', 200_000);
const ROUNDS = arg('queries', 30);
const CONNECTIONS = arg('connections', 50);
const DURATION = arg('duration', 10);

const WORDS: Record<SearchLang, string[]> = {
  sv: 'kommunen kommunerna klimatet energi hållbar utveckling nätverket arbetsgruppen minnesanteckningar upphandling cirkulär ekonomi naturvård transporter miljömål uppföljning indikatorer webbinarium materialet inspelningen samverkan länsstyrelsen regionen solceller vindkraft avfall återvinning skolorna förskolan äldreomsorgen kollektivtrafik cykelvägar dagvatten översvämning biologisk mångfald skogen jordbruket livsmedel måltider barn unga medborgare dialog beslut nämnden fullmäktige budget investering'.split(' '),
  nb: 'kommunene kommunen bærekraft klima energi nettverket samlingen erfaringsutveksling indikatorer prioritering næringsliv innbyggere fylkeskommunen planlegging arealbruk vannforsyning avløp overvann skolene barnehagen helse omsorg kollektivtransport sykkelveier avfall gjenvinning skogen landbruket mat ungdom frivillighet beslutning kommunestyret budsjett investering utslipp fornybar solenergi vindkraft naturmangfold friluftsliv'.split(' '),
  da: 'kommunerne kommunen bæredygtighed klima energi netværket udvalget indikatorer prioritering erhvervslivet borgerne regionen planlægning arealanvendelse vandforsyning spildevand skolerne børnehaven sundhed ældrepleje kollektiv trafik cykelstier affald genanvendelse skoven landbruget fødevarer unge frivillige beslutning byrådet budget investering udledning vedvarende solenergi vindmøller biodiversitet natur'.split(' '),
  en: 'municipalities municipality sustainability climate energy network meeting working group indicators priorities business residents region planning land use water supply wastewater schools kindergarten health care public transport cycling waste recycling forests agriculture food young people volunteers decision council budget investment emissions renewable solar wind biodiversity nature procurement circular economy'.split(' '),
};
const LANGS: SearchLang[] = ['sv', 'nb', 'da', 'en'];

/** A stable pseudo-random sequence, so every run generates the same documents. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 2246822519) + 0x9e3779b9) >>> 0) / 2 ** 32);
}

/**
 * Each language's vocabulary: its base words plus two-word compounds of them (as Nordic
 * languages build words), about 2,500 words a language, drawn with a Zipf-like skew so a
 * few words are common and most are rare, as in real text.
 */
const VOCAB: Record<SearchLang, string[]> = Object.fromEntries(
  LANGS.map((l) => {
    const base = WORDS[l];
    const out = [...base];
    for (const a of base) for (const b of base) if (a !== b && out.length < 2500 && (a.length + b.length) % 3 === 0) out.push(l === 'en' ? `${a}-${b}` : `${a}${b}`);
    return [l, out];
  }),
) as Record<SearchLang, string[]>;

function doc(i: number) {
  const r = rng(i + 1);
  const lang = LANGS[i % 4]!;
  const w = VOCAB[lang];
  const pick = () => w[Math.floor(w.length * r() ** 3)]!;
  const title = `${pick()} ${pick()} ${pick()} ${i}`.replace(/^./, (c) => c.toUpperCase());
  const sentences: string[] = [];
  const n = 4 + Math.floor(r() * 16); // 4–20 sentences: a news item to a short report
  for (let k = 0; k < n; k++) sentences.push(Array.from({ length: 8 + Math.floor(r() * 10) }, pick).join(' ') + '.');
  return { type: ['news', 'event', 'practice', 'agenda_item', 'organisation'][i % 5]!, id: `bench-${i}`, title, body: sentences.join(' '), lang, year: 2015 + (i % 10), sdg: 1 + (i % 17), restricted: i % 50 === 0 };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function openBench(): Promise<{ db: Database; drop: () => Promise<void>; engine: string }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const db = await openAndMigrate({ kind: 'pglite' });
    return { db, drop: () => db.close(), engine: 'PGlite' };
  }
  const name = `samverka_bench_search_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  const db = await openAndMigrate({ kind: 'postgres', url: u.toString(), max: CONNECTIONS });
  return {
    db,
    engine: 'PostgreSQL',
    drop: async () => {
      await db.close();
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

async function main() {
  const { db, drop, engine } = await openBench();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'samverka-bench-search-'));
  try {
    const [orgRow] = await db.query<{ id: string }>(`INSERT INTO organisations (slug, name, search_name, kind) VALUES ('bench', 'Bench', 'bench', 'network') RETURNING id`);
    const orgId = orgRow!.id;
    // 1. Load by COPY: the generated text (and its folded form, from platform/text.ts) goes into a
    //    staging table, then one set-based INSERT per chunk computes the product's own tsvector
    //    expression (platform/search-index.ts). The GIN indexes are dropped for the load and built
    //    again afterwards from their own definitions, as a bulk load would do.
    const indexDefs = (await db.query<{ indexdef: string; indexname: string }>(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'search_documents' AND indexname <> 'search_documents_pk'`));
    for (const ix of indexDefs) await db.exec(`DROP INDEX ${ix.indexname}`);
    await db.exec(`CREATE UNLOGGED TABLE bench_stage (doc_type text, doc_id text, title text, title_fold text, body text, body_fold text, lang text, restricted boolean, sdg int, year int)`);
    const csvField = (v: string) => `"${v.replace(/"/g, '""')}"`;
    const CHUNK = 20_000;
    let copyMs = 0;
    let vectorMs = 0;
    let bytes = 0;
    let t0 = performance.now();
    for (let i = 0; i < N; i += CHUNK) {
      const n = Math.min(CHUNK, N - i);
      const lines: string[] = new Array(n);
      for (let k = 0; k < n; k++) {
        const d = doc(i + k);
        lines[k] = [d.type, d.id, csvField(d.title), csvField(fold(d.title)), csvField(d.body), csvField(fold(d.body)), d.lang, d.restricted ? 't' : 'f', d.sdg, d.year].join(',');
      }
      const csv = lines.join('\n') + '\n';
      bytes += csv.length;
      let s = performance.now();
      await db.orm.transaction(async (tx) => {
        const client = rawClient(tx);
        if (db.kind === 'pglite') await client.query(`COPY bench_stage FROM '/dev/blob' WITH (FORMAT csv)`, [], { blob: new Blob([csv]) });
        else await pipeline(Readable.from([csv]), (client as unknown as { query(s: unknown): NodeJS.WritableStream }).query(copyFrom('COPY bench_stage FROM STDIN WITH (FORMAT csv)')));
      });
      copyMs += performance.now() - s;
      s = performance.now();
      await db.orm.transaction(async (tx) => {
        await rawClient(tx).query(
          `INSERT INTO search_documents (doc_type, doc_id, title, title_fold, body, lang, url, restricted_to_org, organisation_ids, sdg_goals, year, tsv)
           SELECT doc_type, doc_id, title, title_fold, body, lang, '/x/' || doc_id, CASE WHEN restricted THEN $1::uuid END, ARRAY[$1::uuid], ARRAY[sdg], year,
                  setweight(to_tsvector(c.cfg, title_fold), 'A') || setweight(to_tsvector('simple'::regconfig, title_fold), 'A') || setweight(to_tsvector(c.cfg, body_fold), 'B')
           FROM bench_stage, LATERAL (SELECT (CASE lang WHEN 'sv' THEN 'swedish' WHEN 'nb' THEN 'norwegian' WHEN 'da' THEN 'danish' ELSE 'english' END)::regconfig AS cfg) c`,
          [orgId],
        );
        await rawClient(tx).query('TRUNCATE bench_stage');
      });
      vectorMs += performance.now() - s;
      process.stderr.write(`  loaded ${i + n} / ${N} (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
    }
    await db.exec('DROP TABLE bench_stage');
    let s = performance.now();
    for (const ix of indexDefs) await db.exec(ix.indexdef);
    const indexMs = performance.now() - s;
    await db.exec('ANALYZE search_documents');
    const loadS = (performance.now() - t0) / 1000;

    // 2. The cost of one index update inside a write's transaction.
    const writes: number[] = [];
    for (let i = 0; i < 200; i++) {
      const d = doc(N + i);
      await db.orm.transaction(async (tx) => {
        const s = performance.now();
        await indexSearchDoc(tx, { type: d.type, id: d.id, title: d.title, body: d.body, lang: d.lang, url: '/x', organisationIds: [orgId], sdgGoals: [d.sdg], year: d.year });
        writes.push(performance.now() - s);
      });
    }

    if (process.argv.includes('--explain')) {
      const st = searchStatements({ q: 'kommunerna', pageSize: 20 }, []);
      for (const stmt of [st.count, st.rows]) {
        const plan = (await db.orm.execute(sql`EXPLAIN ANALYZE ${stmt}`)) as unknown as { rows: Record<string, string>[] };
        console.log(plan.rows.map((r) => Object.values(r)[0]).join('\n'));
      }
    }
    // 3. Server time against the same SQL raw.
    const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-0123', DATA_DIR: dataDir, DEMO_DATA: 'false' });
    const app = await buildApp({ config, db, secret: 'bench-secret-bench-secret-bench-secret-0123', logger: false });
    await app.ready();
    const queries = [
      { q: 'kommunerna' }, { q: 'kommunene klima' }, { q: 'bæredygtighed' }, { q: 'municipality recycling' }, { q: 'webbinar' },
      { q: 'solcel' }, { q: 'naturmangfol' }, { q: 'kommunerne', type: 'news' }, { q: 'energi', sdg: 7 }, { q: 'budget', year: 2020 },
      { q: 'upphandling', lang: 'sv' as const }, { q: 'indikatorer', page: 3 }, { q: 'cykelvägar dagvatten' }, { q: 'vindkraft' }, { q: 'recycle' },
    ];
    const server: number[] = [];
    const raw: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const q of queries) {
        const qs = new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)]));
        let s = performance.now();
        const res = await app.inject({ method: 'GET', url: `/api/search?${qs}` });
        server.push(performance.now() - s);
        if (res.statusCode !== 200) throw new Error(`${qs}: ${res.statusCode} ${res.body}`);
        const st = searchStatements({ ...q, pageSize: 20 }, []);
        s = performance.now();
        await Promise.all([db.orm.execute(st.count), db.orm.execute(st.rows)]);
        raw.push(performance.now() - s);
      }
    }
    // 4. Throughput with K clients at once.
    let done = 0;
    const until = performance.now() + DURATION * 1000;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async (_, k) => {
        while (performance.now() < until) {
          const q = queries[(done + k) % queries.length]!;
          await app.inject({ method: 'GET', url: `/api/search?${new URLSearchParams(Object.entries(q).map(([a, b]) => [a, String(b)]))}` });
          done++;
        }
      }),
    );
    await app.close();
    const med = (xs: number[]) => pct(xs, 50);
    const goal = (s: number, r: number) => (s <= 1.5 * r + 5 ? 'met' : 'missed');
    console.log(`\n### Search, ${engine}, ${N.toLocaleString('en')} documents (${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''})\n`);
    console.log('| measure | value |\n|---|---|');
    console.log(`| load, ${N.toLocaleString('en')} documents (${(bytes / 1e6).toFixed(0)} MB of CSV) | ${loadS.toFixed(1)} s in all |`);
    console.log(`| … COPY into staging | ${(copyMs / 1000).toFixed(1)} s |`);
    console.log(`| … tsvectors (INSERT … SELECT, product's expression) | ${(vectorMs / 1000).toFixed(1)} s |`);
    console.log(`| … GIN and other indexes built after the load | ${(indexMs / 1000).toFixed(1)} s |`);
    console.log(`| index update per write (indexSearchDoc), median / p95 | ${med(writes).toFixed(2)} / ${pct(writes, 95).toFixed(2)} ms |`);
    console.log(`| query, server (GET /api/search), median / p95 | ${med(server).toFixed(1)} / ${pct(server, 95).toFixed(1)} ms |`);
    console.log(`| query, the same SQL raw, median / p95 | ${med(raw).toFixed(1)} / ${pct(raw, 95).toFixed(1)} ms |`);
    console.log(`| goal server ≤ 1.5 × raw + 5 ms, median / p95 | ${goal(med(server), med(raw))} / ${goal(pct(server, 95), pct(raw, 95))} |`);
    console.log(`| throughput, ${CONNECTIONS} concurrent clients, ${DURATION} s | ${(done / DURATION).toFixed(0)} requests/s |`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    await drop();
  }
}

await main();
