/**
 * What an operator and a load balancer need from every app server: liveness and
 * readiness probes, and this server's share of the background jobs, started when
 * the app is ready and stopped (finished or handed back) when it closes.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { readdirSync } from 'node:fs';
import type { Config } from '../config.js';
import type { Database } from './db/index.js';
import { MIGRATIONS_DIR } from './db/migrate.js';
import { JobWorker } from './jobs.js';
import type { Mailer } from './mail.js';
// Every server delivers queued mail, whichever modules it serves.
import './outbox.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** This server's job worker, or null when JOB_WORKER=false. */
    jobWorker: JobWorker | null;
  }
}

const expectedMigrations = () => readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f));

async function ops(app: FastifyInstance, opts: { config: Config; db: Database; mailer: Mailer }) {
  const { config, db, mailer } = opts;
  const wanted = expectedMigrations();
  let closing = false;

  // Alive: the process answers. No database call, so a slow database does not get the process restarted.
  app.get('/healthz', { schema: { hide: true } }, async () => ({ ok: true }));

  // Ready for traffic: the database answers and has every migration this version ships.
  // While shutting down it says no, so a load balancer stops sending requests first.
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    if (closing) return reply.code(503).send({ ok: false, reason: 'shutting down' });
    try {
      const rows = await db.query<{ name: string }>('SELECT name FROM schema_migrations');
      const have = new Set(rows.map((r) => r.name));
      const missing = wanted.filter((f) => !have.has(f));
      if (missing.length) return reply.code(503).send({ ok: false, reason: `migrations not applied: ${missing.join(', ')}` });
      return { ok: true, database: db.kind, migrations: have.size };
    } catch (err) {
      return reply.code(503).send({ ok: false, reason: `database unreachable: ${(err as Error).message}` });
    }
  });

  const worker = config.jobWorker
    ? new JobWorker(db, {
        config,
        mailer,
        concurrency: config.jobConcurrency,
        staleMs: config.jobStaleSeconds * 1000,
        log: {
          info: (m) => app.log.info(m),
          warn: (m) => app.log.warn(m),
          error: (m) => app.log.error(m),
        },
      })
    : null;
  app.decorate('jobWorker', worker);
  app.addHook('onReady', async () => worker?.start());
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onClose', async () => {
    await worker?.stop(config.shutdownTimeoutSeconds * 1000);
  });
}

export const opsPlugin = fp(ops, { name: 'samverka-ops' });
