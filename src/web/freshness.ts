/**
 * Conditional requests and the anonymous page cache, for every public read in one place.
 *
 * A route declares what its answer depends on (`config.freshness`): content domains whose
 * version counters live in the database (bumped by a trigger on every audited write, migration
 * 0320), and optionally a finer version it reads itself (e.g. the data_version of the indicators
 * an area page shows). From these the plugin derives a weak ETag per language, answers
 * `304 Not Modified` when the reader already holds it, and keeps anonymous answers rendered in a
 * bounded in-memory cache keyed by method, URL, language and that ETag. Because the versions are
 * read from the database on every request, a write on any app server retires the cached
 * answers of all of them.
 *
 * What may never be shared is kept apart by construction: a signed-in request (session or API
 * token) neither reads nor fills the cache and is answered `Cache-Control: private`; anonymous
 * visitors see no closed content, so nothing closed can reach the cache. Anonymous answers of
 * such routes carry no CSRF token (they have no forms that post), so one rendering serves all.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Database } from '../platform/db/index.js';

/** The domains whose counters migration 0320 keeps; `*` is all of them. */
export type ContentDomain = 'directory' | 'meetings' | 'indicators' | 'indicator-data' | 'accounts' | 'other';

export type Freshness = {
  /** Content domains the answer shows; `*` for pages that gather from every module (home, search), accounts aside. */
  domains: readonly ContentDomain[] | '*';
  /**
   * A finer version the route reads itself (null: the route cannot say, so no ETag).
   * Throwing (e.g. a 404 for an unknown key) lets the route's own error answer go out.
   */
  version?: (req: FastifyRequest) => Promise<string | number | null>;
  /**
   * The domains whose writes are the only ones that can move `version` (e.g. an indicator's
   * data_version moves only with an import): then it is read once per version of those domains
   * instead of on every request.
   */
  versionMovesWith?: readonly ContentDomain[];
  /** Keep anonymous answers rendered in memory (default true). */
  cache?: boolean;
};

declare module 'fastify' {
  interface FastifyContextConfig {
    freshness?: Freshness;
  }
  interface FastifyRequest {
    /** Set by the freshness plugin when this answer may be cached for anonymous readers. */
    pageCacheKey: string | null;
  }
}

type Entry = { key: string; tag: string; type: string; disposition?: string; body: Buffer; br?: Buffer; gz?: Buffer; packing?: boolean; size: number };

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** An LRU bounded by bytes, not entries: one area page is hundreds of kilobytes, a JSON answer a few. */
export class PageCache {
  private map = new Map<string, Entry>();
  private bytes = 0;
  hits = 0;
  misses = 0;
  constructor(readonly maxBytes: number) {}

  get(key: string, tag: string): Entry | undefined {
    const e = this.map.get(key);
    if (!e || e.tag !== tag) {
      this.misses++;
      return undefined;
    }
    this.map.delete(key);
    this.map.set(key, e);
    this.hits++;
    return e;
  }

  set(e: Entry): void {
    if (e.size > this.maxBytes / 8) return; // one giant answer must not flush everything else
    this.delete(e.key);
    this.map.set(e.key, e);
    this.bytes += e.size;
    while (this.bytes > this.maxBytes && this.map.size > 0) this.delete(this.map.keys().next().value!);
  }

  /** Compressed copies are made once, at the first repeat of an answer, and counted in the bound. */
  grow(e: Entry, extra: number): void {
    if (this.map.get(e.key) !== e) return;
    e.size += extra;
    this.bytes += extra;
    while (this.bytes > this.maxBytes && this.map.size > 0) this.delete(this.map.keys().next().value!);
  }

  private delete(key: string) {
    const old = this.map.get(key);
    if (!old) return;
    this.map.delete(key);
    this.bytes -= old.size;
  }

  get size() {
    return this.map.size;
  }
  get totalBytes() {
    return this.bytes;
  }
  clear() {
    this.map.clear();
    this.bytes = 0;
  }
}

/** Weak comparison (RFC 9110 §13.1.2): an ETag matches whatever its W/ prefix. */
export function matchesIfNoneMatch(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = tag.replace(/^W\//, '');
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === bare);
}

/** Which encoding to send from a cached entry; the same preference order as @fastify/compress (br, then gzip). */
function pickEncoding(accept: string | undefined): 'br' | 'gzip' | null {
  if (!accept) return null;
  const offered = new Map<string, number>();
  for (const part of accept.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    offered.set(name!.trim(), q ? Number(q.slice(2)) : 1);
  }
  const ok = (n: string) => (offered.get(n) ?? offered.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return null;
}

const CONTENT_KINDS = /^(text\/|application\/(json|problem\+json|ld\+json|atom\+xml|xml|javascript|geo\+json))|\+json|\+xml/;

export const freshness = fp(
  async (app: FastifyInstance, opts: { db: Database; cacheBytes?: number }) => {
    const { db } = opts;
    const cache = new PageCache(opts.cacheBytes ?? 48 * 1024 * 1024);
    app.decorate('pageCache', cache);
    app.decorateRequest('pageCacheKey', null);

    // Every request reads the counters, so a write on any server is seen at once. Under load the
    // reads are batched: a request never joins a read already running (it may have started before
    // the request arrived, i.e. before a write the reader has already seen committed); it waits for
    // the next read, which all requests queued meanwhile share. At most one read runs at a time.
    type Versions = Map<string, string>;
    let running: Promise<Versions> | null = null;
    let queued: Promise<Versions> | null = null;
    const start = (): Promise<Versions> => {
      const p = db
        .query<{ domain: string; version: string | number }>('SELECT domain, version FROM platform_content_versions')
        .then((rows) => new Map(rows.map((r) => [r.domain, String(r.version)])))
        .finally(() => {
          if (running === p) running = null;
        });
      return (running = p);
    };
    // An embedded database has one app server, and its notifications arrive before the writing
    // transaction's commit resolves (migration 0320 notifies from the trigger): there the counters
    // are kept in memory between writes, and a request reads the database only after one.
    let known: Versions | null = null;
    let generation = 0;
    if (db.listenLocal) {
      const unlisten = await db.listenLocal('samverka_content', () => {
        known = null;
        generation++;
      });
      // The database can outlive the app (a server restarted in the same process, the tests'
      // reused databases): a closed app must not keep its listener, and with it its page cache.
      app.addHook('onClose', async () => unlisten());
    }
    const versions = (): Promise<Versions> => {
      if (known) return Promise.resolve(known);
      if (db.listenLocal) {
        const gen = generation;
        return readBatched().then((v) => {
          if (gen === generation) known = v;
          return v;
        });
      }
      return readBatched();
    };
    const readBatched = (): Promise<Versions> => {
      if (!running) return start();
      if (!queued) {
        const next = () => {
          queued = null;
          return start();
        };
        queued = running.then(next, next);
      }
      return queued;
    };

    // A route's finer version that only moves with some domains is read once per version of them.
    const fineMemo = new Map<string, string | number | null>();
    async function fineVersion(req: FastifyRequest, f: Freshness, all: Versions): Promise<string | number | null> {
      if (!f.version) return '';
      if (!f.versionMovesWith) return f.version(req);
      const key = `${req.routeOptions.url}|${JSON.stringify(req.params)}|${f.versionMovesWith.map((d) => all.get(d) ?? '0').join(',')}`;
      if (fineMemo.has(key)) return fineMemo.get(key)!;
      const v = await f.version(req);
      if (fineMemo.size >= 20_000) fineMemo.clear();
      fineMemo.set(key, v);
      return v;
    }

    app.addHook('preHandler', async (req, reply) => {
      const f = req.routeOptions.config?.freshness;
      if (!f || (req.method !== 'GET' && req.method !== 'HEAD')) return;
      if (req.user) {
        // Signed-in answers differ per user (names, edit links, closed items): never shared.
        reply.header('cache-control', 'private, no-cache');
        return;
      }
      const all = await versions();
      const fine = await fineVersion(req, f, all);
      if (fine === null) return;
      // Accounts (sign-ins, tokens, roles) never show in an anonymous answer; a sign-in must not retire every page.
      const names = f.domains === '*' ? [...all.keys()].filter((d) => d !== 'accounts').sort() : f.domains;
      const parts = names.map((d) => `${d}=${all.get(d) ?? '0'}`).join(',');
      const tag = `W/"${createHash('sha1').update(`${req.locale}|${parts}|${fine}`).digest('base64url').slice(0, 22)}"`;
      // An anonymous reading is the same for every anonymous reader in one language: the token
      // double-submit needs is per visitor, and these pages have no form that posts.
      req.csrfToken = '';
      reply.header('etag', tag);
      reply.header('cache-control', 'public, no-cache');
      reply.header('vary', 'Accept-Language, Cookie');
      if (matchesIfNoneMatch(req.headers['if-none-match'], tag)) {
        reply.header('x-page-cache', 'revalidated');
        return reply.code(304).send();
      }
      if (f.cache === false || req.method !== 'GET' || cache.maxBytes === 0) return;
      const key = `${req.locale} ${req.url}`;
      const hit = cache.get(key, tag);
      if (hit) {
        reply.header('x-page-cache', 'hit').type(hit.type);
        // Compressed hard once an answer is asked for a second time: a stream of one-off URLs
        // must not make the server run Brotli at quality 9 for each of them.
        if (!hit.packing && hit.body.length >= 1024) {
          hit.packing = true;
          void compressInto(cache, hit);
        }
        if (hit.disposition) reply.header('content-disposition', hit.disposition);
        const enc = pickEncoding(req.headers['accept-encoding'] as string | undefined);
        const packed = enc === 'br' ? hit.br : enc === 'gzip' ? hit.gz : undefined;
        if (packed) {
          reply.header('content-encoding', enc!).header('vary', 'Accept-Language, Cookie, Accept-Encoding');
          return reply.send(packed);
        }
        return reply.send(hit.body);
      }
      req.pageCacheKey = `${key}\n${tag}`;
      reply.header('x-page-cache', 'miss');
    });

    // Runs before @fastify/compress's route-level hook, so it sees the uncompressed answer.
    app.addHook('onSend', async (req, reply, payload) => {
      if (!req.routeOptions.config?.freshness || req.user) return payload;
      if (reply.statusCode !== 200 && reply.statusCode !== 304) reply.removeHeader('etag');
      const pending = req.pageCacheKey;
      if (!pending || reply.statusCode !== 200) return payload;
      if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
      const type = String(reply.getHeader('content-type') ?? '');
      if (!CONTENT_KINDS.test(type)) return payload;
      const [key, tag] = pending.split('\n') as [string, string];
      const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
      const disposition = reply.getHeader('content-disposition');
      const entry: Entry = { key, tag, type, body, size: body.length, ...(disposition ? { disposition: String(disposition) } : {}) };
      cache.set(entry);
      return payload;
    });
  },
  { name: 'samverka-freshness', dependencies: ['samverka-web-context'] },
);

/** Brotli at a high quality is worth it once per page version; gzip for the clients without it. */
async function compressInto(cache: PageCache, e: Entry): Promise<void> {
  try {
    const [br, gz] = await Promise.all([
      brotli(e.body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: e.body.length } }),
      gzip(e.body, { level: 9 }),
    ]);
    e.br = br;
    e.gz = gz;
    cache.grow(e, br.length + gz.length);
  } catch {
    // The plain copy still serves, compressed per request like any other answer.
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    pageCache: PageCache;
  }
}


/**
 * A module's declaration of what its public reads depend on, by route URL (as registered, e.g.
 * `/organisations/:slug`). Call it first in the module's plugin: it applies to the GET routes
 * the module registers after it. A route's own `config.freshness` wins. Routes left out (forms,
 * sign-in, anything with a form an anonymous visitor posts) get no ETag and are never cached.
 */
export function declareFreshness(app: FastifyInstance, rule: (url: string) => Freshness | undefined): void {
  app.addHook('onRoute', (r) => {
    const methods = [r.method].flat();
    if (!methods.includes('GET') || r.config?.freshness) return;
    const f = rule(r.url);
    if (f) r.config = { ...(r.config ?? {}), freshness: f };
  });
}

/**
 * For pages whose content moves with the clock without any write (upcoming meetings become past
 * ones, memberships end on a date): their version includes the current minute, so neither a
 * browser's copy nor the page cache outlives it by more than a minute.
 */
export const clockMinute = async (): Promise<number> => Math.floor(freshnessClock.now() / 60_000);
/** The clock clockMinute reads; tests that compare ETags across a minute boundary hold it still. */
export const freshnessClock = { now: (): number => Date.now() };
