import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';
import type { VNode } from 'preact';
import { render } from 'preact-render-to-string';
import type { Config } from '../config.js';
import { anonymousActor, type Actor } from '../platform/audit.js';
import { hmac, randomToken, safeEqual } from '../platform/crypto.js';
import { CsrfError, UnauthenticatedError, ValidationError } from '../platform/errors.js';
import { findTextProblem } from '../platform/text.js';
import { isLocale, negotiateLocale, type Locale } from './i18n/index.js';

export type SignedInUser = { id: string; email: string; displayName: string; isPlatformAdmin: boolean };
/** The signed-in user of a request, or a 401 (pages answer it with the sign-in page): one check for every page handler. */
export function requireUser(req: FastifyRequest): SignedInUser {
  if (!req.user) throw new UnauthenticatedError();
  return req.user;
}

export type Authentication = { user: SignedInUser; actor: Actor; via: 'session' | 'token'; sessionId?: string };

/** Supplied by the accounts module, so the web layer does not reach into its tables. */
export type Authenticator = {
  bySession(token: string): Promise<Authentication | null>;
  byApiToken(token: string): Promise<Authentication | null>;
};

declare module 'fastify' {
  interface FastifyContextConfig {
    /** An unsafe-method route that anonymous visitors may use (sign-in and the like). */
    public?: boolean;
  }
  interface FastifyRequest {
    locale: Locale;
    user: SignedInUser | null;
    actor: Actor;
    authVia: 'session' | 'token' | null;
    sessionId: string | null;
    csrfToken: string;
  }
  interface FastifyReply {
    /** Renders a page (a Preact tree) as a complete HTML document. */
    html(node: VNode, status?: number): FastifyReply;
    /**
     * Gives the browser a new CSRF seed, and this request the token of it: called when a session
     * starts, so a token learnt or planted before sign-in does not work after it.
     */
    renewCsrf(): void;
  }
}

export const SESSION_COOKIE = 'samverka_session';
export const CSRF_COOKIE = 'samverka_csrf';
export const LANG_COOKIE = 'samverka_lang';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function cookieOptions(config: Config, maxAgeSeconds?: number) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: config.cookieSecure,
    ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}),
  };
}

// htmx (17 kB compressed, and a walk over the whole document when it starts) is loaded only by
// pages that use it: most pages are plain links and forms, and on a long page such as an area with
// hundreds of indicators its start was a large part of the main thread's work on a phone.
const HTMX_SCRIPT = '<script src="/assets/htmx/htmx.min.js" defer></script>';
const USES_HTMX = /\shx-(?:get|post|put|patch|delete|trigger|boost)=/;
function withHtmxWhereUsed(html: string): string {
  if (!USES_HTMX.test(html)) return html;
  const end = html.lastIndexOf('</body>');
  return end < 0 ? html : `${html.slice(0, end)}${HTMX_SCRIPT}${html.slice(end)}`;
}

/**
 * Per-request context: language, who is signed in, and the CSRF token.
 * CSRF uses a signed double-submit: an httpOnly random cookie, and a form/header
 * token that is the HMAC of it under the server secret. Bearer-token API calls
 * carry no ambient credentials and are exempt.
 */
export const webContext = fp(
  async (app: FastifyInstance, opts: { config: Config; secret: string; auth: Authenticator }) => {
    const { config, secret, auth } = opts;
    app.decorateRequest('locale', 'en');
    app.decorateRequest('user', null);
    app.decorateRequest('actor', null as unknown as Actor);
    app.decorateRequest('authVia', null);
    app.decorateRequest('sessionId', null);
    app.decorateRequest('csrfToken', '');
    app.decorateReply('html', function (this: FastifyReply, node: VNode, status = 200) {
      return this.code(status).type('text/html; charset=utf-8').send(`<!doctype html>${withHtmxWhereUsed(render(node))}`);
    });
    const newCsrfSeed = (req: FastifyRequest, reply: FastifyReply) => {
      const seed = randomToken(24);
      reply.setCookie(CSRF_COOKIE, seed, cookieOptions(config));
      // Remember it for this request too, so the page rendered now carries a valid token.
      req.cookies[CSRF_COOKIE] = seed;
      req.csrfToken = hmac(secret, seed);
    };
    app.decorateReply('renewCsrf', function (this: FastifyReply) {
      newCsrfSeed(this.request, this);
    });

    // Defence in depth on top of escaping: no inline or foreign scripts, no framing, no sniffing.
    // @fastify/helmet sets the headers when a request arrives, so a route that sets its own policy
    // later (downloads are sandboxed) replaces it.
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'same-origin' },
      // Only a site published over HTTPS tells browsers to insist on it: a plain-HTTP development
      // server must not pin localhost to HTTPS.
      strictTransportSecurity: config.publicUrl.startsWith('https:') ? { maxAge: 180 * 24 * 3600 } : false,
    });
    // The API docs (Swagger UI) bring their own inline styles and scripts, so they go without the policy.
    app.addHook('onRequest', async (req, reply) => {
      if (req.url.startsWith('/api/docs')) reply.removeHeader('content-security-policy');
    });

    app.addHook('onRequest', async (req, reply) => {
      const langCookie = req.cookies[LANG_COOKIE];
      req.locale = isLocale(langCookie) ? langCookie : negotiateLocale(req.headers['accept-language']);
      req.actor = anonymousActor();

      const csrfSeed = req.cookies[CSRF_COOKIE];
      if (!csrfSeed || csrfSeed.length < 20) newCsrfSeed(req, reply);
      else req.csrfToken = hmac(secret, csrfSeed);

      const authz = req.headers.authorization;
      if (authz?.startsWith('Bearer ')) {
        const a = await auth.byApiToken(authz.slice(7).trim());
        // A script with a bad token must hear so, not be served as an anonymous visitor.
        if (!a) throw new UnauthenticatedError('The API token is invalid or has been revoked.');
        req.user = a.user;
        req.actor = a.actor;
        req.authVia = 'token';
        return;
      }
      const sid = req.cookies[SESSION_COOKIE];
      if (sid) {
        const a = await auth.bySession(sid);
        if (a) {
          req.user = a.user;
          req.actor = a.actor;
          req.authVia = 'session';
          req.sessionId = a.sessionId ?? null;
        }
      }
    });

    // Writes need someone signed in, checked first (before the CSRF token and the body), so an
    // anonymous caller learns to sign in (401, as the API documents) rather than how to shape the request.
    // Routes that anonymous visitors must reach (sign-in, password reset) say `config: { public: true }`.
    app.addHook('preValidation', async (req) => {
      if (!UNSAFE.has(req.method) || req.user) return;
      if ((req.routeOptions.config as { public?: boolean } | undefined)?.public) return;
      throw new UnauthenticatedError();
    });

    // The token comes in a header or a form field, never in the query string: URLs end up in
    // logs, browser history and Referer headers.
    const csrfCheck = async (req: FastifyRequest) => {
      if (!UNSAFE.has(req.method) || req.authVia === 'token') return;
      const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
      const header = req.headers['x-csrf-token'];
      const sent = typeof header === 'string' ? header : typeof fromBody === 'string' ? fromBody : '';
      if (!sent || !safeEqual(sent, req.csrfToken)) throw new CsrfError();
    };

    // One input guard for every route: NUL and other control characters, and lone surrogates,
    // are refused with a 422 naming the field before any route sees them (issue #8).
    const textGuard = async (req: FastifyRequest) => {
      const problem =
        findTextProblem(req.params, { multiline: false, prefix: 'params' }) ??
        findTextProblem(req.query, { multiline: false, prefix: 'query' }) ??
        findTextProblem(req.body, { multiline: true });
      if (problem) throw new ValidationError([problem], 'The request contains characters that are not allowed.');
    };

    // Both read the body, so they run as route-level hooks: Fastify runs those after every scope's
    // own hooks, among them the one a module's multipart parser reads the form in
    // (src/web/multipart.ts). Each route gets them last, in this order.
    app.addHook('onRoute', (r) => {
      r.preValidation = [...[r.preValidation ?? []].flat(), csrfCheck, textGuard] as typeof r.preValidation;
    });
  },
  { name: 'samverka-web-context' },
);

/** Only local paths may be redirect targets, so links cannot bounce users to other sites. */
export function safeNext(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return fallback;
  return next;
}

export type PageRequest = FastifyRequest;
