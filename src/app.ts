import Fastify, { type FastifyInstance } from 'fastify';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from './config.js';
import type { Database } from './platform/db/index.js';
import { createMailer, type Mailer } from './platform/mail.js';
import { webContext } from './web/context.js';
import { freshness } from './web/freshness.js';
import { registerErrorHandling } from './web/errors.js';
import { accountsModule, authenticator } from './modules/accounts/index.js';
import { directoryModule } from './modules/directory/index.js';
import { meetingsModule } from './modules/meetings/index.js';
import { indicatorsModule } from './modules/indicators/index.js';
import { importsModule } from './modules/imports/index.js';
import { compareModule } from './modules/compare/index.js';
import { projectsModule } from './modules/projects/index.js';
import { plansModule } from './modules/plans/index.js';
import { challengesModule } from './modules/challenges/index.js';
import { searchModule } from './modules/search/index.js';
import { knowledgeModule } from './modules/knowledge/index.js';
import { indicatorTargetStatus, progressModule } from './modules/progress/index.js';
import { homePage } from './web/home.js';
import { createExtensions, type AppDeps } from './platform/http.js';
import { opsPlugin } from './platform/ops.js';
import { loggerOptions } from './platform/log.js';
import { databaseRateLimitStore } from './platform/rate-limit.js';

declare module 'fastify' {
  interface FastifyInstance {
    writeRoutes: { method: string; url: string }[];
  }
}


const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
/** A package's folder; some packages' export maps hide package.json, so look for the folder itself. */
function pkgDir(name: string): string {
  for (let dir = here; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) return path.dirname(require.resolve(`${name}/package.json`));
  }
}

export async function buildApp(opts: {
  config: Config;
  db: Database;
  secret: string;
  mailer?: Mailer;
  logger?: boolean;
  /** Bound of the anonymous page cache (default 48 MB; 0 turns it off, as the benchmark's uncached run does). */
  pageCacheBytes?: number;
}): Promise<FastifyInstance> {
  const { config, db, secret } = opts;
  const mailer = opts.mailer ?? createMailer(config);
  const app = Fastify({
    logger: opts.logger === false ? false : loggerOptions(config),
    trustProxy: config.trustProxy,
    bodyLimit: 2 * 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  // Every route with an unsafe method, so a test can prove each one is covered by the rejection tests.
  const writeRoutes: { method: string; url: string }[] = [];
  app.addHook('onRoute', (r) => {
    for (const m of [r.method].flat()) if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(m)) writeRoutes.push({ method: m, url: r.url });
  });
  app.decorate('writeRoutes', writeRoutes);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Brotli or gzip for every compressible answer (HTML, JSON, CSS, JavaScript, SVG, Atom) over 1 kB.
  // Per-request Brotli stays at quality 4 (fast); static files and cached pages bring their own
  // copies compressed harder once. Registered before every route: it attaches itself per route.
  await app.register(compress, { global: true, encodings: ['br', 'gzip'], threshold: 1024 });
  await app.register(cookie);
  await app.register(formbody);
  // Rate limits are opt-in per route (sign-in, password reset); the rest of the site is not throttled here.
  // Counted in the database, so the limits hold across every app server.
  await app.register(rateLimit, { global: false, store: databaseRateLimitStore(db) as never });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Samverka API',
        version: '1',
        description:
          'JSON API of Samverka. Reads are public. Writes need a signed-in session plus the CSRF token in the `x-csrf-token` header, or an API token as `Authorization: Bearer …`. Errors are `application/problem+json` with a stable `code`.',
      },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          apiToken: { type: 'http', scheme: 'bearer', description: 'A personal API token, created on the account page.' },
          session: { type: 'apiKey', in: 'cookie', name: 'samverka_session' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  // Static assets are served from installed packages: nothing is fetched from other hosts.
  // The production build (scripts/build.mjs) copies the vendor files into dist/vendor with Brotli and gzip
  // copies beside them; there @fastify/static sends those. Run from the sources, they are compressed per request.
  const vendor = (name: string, fallback: string) => {
    const built = path.join(here, '..', 'vendor', name);
    return existsSync(built) ? { root: built, preCompressed: true } : { root: fallback, preCompressed: false };
  };
  const builtAssets = existsSync(path.join(here, 'web/assets/app.css.br'));
  await app.register(fastifyStatic, { root: path.join(here, 'web/assets'), preCompressed: builtAssets, prefix: '/assets/', decorateReply: false, maxAge: '1h' });
  await app.register(fastifyStatic, { ...vendor('ds-dist', path.join(pkgDir('@digdir/designsystemet-css'), 'dist')), prefix: '/assets/ds-dist/', decorateReply: false, maxAge: '1d' });
  await app.register(fastifyStatic, { root: pkgDir('@fontsource/inter'), prefix: '/assets/inter/', decorateReply: false, maxAge: '7d' });
  await app.register(fastifyStatic, { ...vendor('htmx', path.join(pkgDir('htmx.org'), 'dist')), prefix: '/assets/htmx/', decorateReply: false, maxAge: '1d' });

  await app.register(webContext, { config, secret, auth: authenticator(db, config) });
  registerErrorHandling(app);
  // ETags, 304s and the anonymous page cache for every route that declares `config.freshness`.
  await app.register(freshness, { db, ...(opts.pageCacheBytes !== undefined ? { cacheBytes: opts.pageCacheBytes } : {}) });

  const deps: AppDeps = { config, db, secret, extensions: createExtensions() };
  await app.register(homePage, deps);
  await app.register(accountsModule, deps);
  await app.register(directoryModule, deps);
  await app.register(meetingsModule, deps);
  await app.register(indicatorsModule, deps);
  await app.register(importsModule, deps);
  await app.register(compareModule, deps);
  await app.register(projectsModule, deps);
  // A plan action's status follows its linked indicators' targets, which the progress module keeps.
  await app.register(plansModule, { ...deps, indicatorTargets: indicatorTargetStatus });
  await app.register(challengesModule, deps);
  await app.register(searchModule, deps);
  await app.register(knowledgeModule, deps);
  await app.register(progressModule, deps);

  // Browsers ask for /favicon.ico whatever the page says.
  app.get('/favicon.ico', { schema: { hide: true } }, (_req, reply) => reply.redirect('/assets/favicon.svg', 301));
  // Mail is sent by the job worker (platform/outbox.ts), so the mailer goes to it, not to the modules.
  await app.register(opsPlugin, { config, db, mailer });
  return app;
}
