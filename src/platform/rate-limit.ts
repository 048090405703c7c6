/**
 * A store for @fastify/rate-limit that counts in the application's database, so the
 * sign-in limit holds across every app server (a per-process count would let an
 * attacker multiply it by the number of servers behind the proxy). One upsert per
 * limited request; only a handful of routes are limited, so the cost is small.
 */
import type { Database } from './db/index.js';
import { defineJob } from './jobs.js';

type Cb = (err: Error | null, res: { current: number; ttl: number } | null) => void;
type RouteOptions = { continueExceeding?: boolean; exponentialBackoff?: boolean; routeInfo?: { method?: string | string[]; url?: string } };

export function databaseRateLimitStore(db: Database) {
  return class DatabaseRateLimitStore {
    constructor(
      _opts?: unknown,
      readonly prefix = 'global:',
    ) {}

    incr(key: string, cb: Cb, timeWindow: number) {
      db.query<{ count: number; ttl: string }>(
        `INSERT INTO rate_limits AS r (key, count, window_start) VALUES ($1, 1, now())
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN r.window_start + make_interval(secs => $2 / 1000.0) <= now() THEN 1 ELSE r.count + 1 END,
           window_start = CASE WHEN r.window_start + make_interval(secs => $2 / 1000.0) <= now() THEN now() ELSE r.window_start END
         RETURNING count, greatest(0, round(extract(epoch FROM r.window_start + make_interval(secs => $2 / 1000.0) - now()) * 1000))::text AS ttl`,
        [this.prefix + key, timeWindow],
      ).then(
        (rows) => cb(null, { current: rows[0]!.count, ttl: Number(rows[0]!.ttl) }),
        (err: Error) => cb(err, null),
      );
    }

    read(key: string, cb: Cb, timeWindow: number) {
      db.query<{ count: number; ttl: string }>(
        `SELECT count, greatest(0, round(extract(epoch FROM window_start + make_interval(secs => $2 / 1000.0) - now()) * 1000))::text AS ttl
         FROM rate_limits WHERE key = $1 AND window_start + make_interval(secs => $2 / 1000.0) > now()`,
        [this.prefix + key, timeWindow],
      ).then(
        (rows) => cb(null, rows[0] ? { current: rows[0].count, ttl: Number(rows[0].ttl) } : { current: 0, ttl: 0 }),
        (err: Error) => cb(err, null),
      );
    }

    /** One counter per route, as the in-memory store keeps one map per route. */
    child(route: RouteOptions) {
      const method = [route.routeInfo?.method ?? ''].flat().join(',');
      return new DatabaseRateLimitStore(undefined, `${method} ${route.routeInfo?.url ?? ''}:`);
    }
  };
}

// Counters of windows long past are kept by nobody.
defineJob({
  kind: 'rate-limits.prune',
  every: 3600_000,
  async run({ db }) {
    const rows = await db.query(`DELETE FROM rate_limits WHERE window_start < now() - interval '1 day' RETURNING 1`);
    return { removed: rows.length };
  },
});
