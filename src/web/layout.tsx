import type { ComponentChildren } from 'preact';
import type { FastifyRequest } from 'fastify';
import { common } from './i18n/common.js';
import { LOCALES, LOCALE_NAMES, type Locale } from './i18n/index.js';

export type LayoutProps = {
  req: FastifyRequest;
  title: string;
  children: ComponentChildren;
  /** Breadcrumb trail, shown above the heading. */
  crumbs?: { href: string; label: string }[];
};

/**
 * The main navigation. New modules add their entry here (the lead keeps the
 * order). The header holds about a dozen entries on one or two lines at
 * 1280 px; below 60 rem the same list folds into a "Menu" disclosure that
 * works without JavaScript. The API documentation is linked from the footer.
 */
const NAV = [
  { href: '/', key: 'navHome' },
  { href: '/organisations', key: 'navOrganisations' },
  { href: '/people', key: 'navPeople' },
  { href: '/commitments', key: 'navCommitments' },
  { href: '/meetings', key: 'navMeetings' },
  { href: '/indicators', key: 'navIndicators' },
  { href: '/projects', key: 'navProjects' },
  { href: '/plans', key: 'navPlans' },
  { href: '/challenges', key: 'navChallenges' },
  { href: '/news', key: 'navNews' },
  { href: '/events', key: 'navEvents' },
  { href: '/practices', key: 'navPractices' },
  { href: '/search', key: 'navSearch' },
] as const;

function NavList({ path, t }: { path: string; t: (typeof common)[Locale] }) {
  return (
    <ul>
      {NAV.map((n) => (
        <li>
          <a href={n.href} aria-current={(n.href === '/' ? path === '/' : path === n.href || path.startsWith(`${n.href}/`)) ? 'page' : undefined}>
            {t[n.key]}
          </a>
        </li>
      ))}
    </ul>
  );
}

export function Layout({ req, title, children, crumbs }: LayoutProps) {
  const locale: Locale = req.locale;
  const t = common[locale];
  const path = req.url.split('?')[0] ?? '/';
  const here = req.url;
  return (
    <html lang={locale} data-color-scheme="light">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} – ${t.siteName}`}</title>
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/assets/inter/400.css" />
        <link rel="stylesheet" href="/assets/inter/600.css" />
        <link rel="stylesheet" href="/assets/ds-dist/theme/designsystemet.css" />
        <link rel="stylesheet" href="/assets/ds-dist/src/index.css" />
        <link rel="stylesheet" href="/assets/app.css" />
        {/* The two Inter files every page's text needs, asked for with the stylesheets (after them: those
            block the first paint and should have the connections first). Fetched only once the first
            layout had found text, each file arrived later and made the browser lay the whole page out
            again (and shift it, the fallback font being narrower): 25–30 ms of main thread each on a fast
            desktop, Lighthouse's total blocking time on a phone. Same-origin fonts are still fetched in
            CORS mode, hence crossorigin, or the preload is wasted. */}
        <link rel="preload" href="/assets/inter/files/inter-latin-400-normal.woff2" as="font" type="font/woff2" crossorigin="anonymous" />
        <link rel="preload" href="/assets/inter/files/inter-latin-600-normal.woff2" as="font" type="font/woff2" crossorigin="anonymous" />
        <script src="/assets/app.js" defer></script>
        <meta name="csrf-token" content={req.csrfToken} />
      </head>
      <body hx-headers={JSON.stringify({ 'x-csrf-token': req.csrfToken })}>
        <a class="ds-skiplink" href="#main">
          {t.skipToContent}
        </a>
        <header class="site-header">
          <div class="site-header__bar">
            <a class="site-logo" href="/">
              <img src="/assets/favicon.svg" alt="" width="28" height="28" />
              <span>{t.siteName}</span>
            </a>
            <nav aria-label={t.language} class="lang-switch">
              <ul>
                {LOCALES.map((l) => (
                  <li>
                    <a
                      href={`/lang/${l}?next=${encodeURIComponent(here)}`}
                      lang={l}
                      hreflang={l}
                      aria-current={l === locale ? 'true' : undefined}
                    >
                      {LOCALE_NAMES[l]}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
            <div class="site-user">
              {req.user ? (
                <>
                  <a href="/account" title={t.signedInAs(req.user.displayName)}>
                    {t.navAccount}
                  </a>
                  {req.user.isPlatformAdmin && <a href="/admin">{t.navAdmin}</a>}
                  <form method="post" action="/signout" class="inline-form">
                    <input type="hidden" name="_csrf" value={req.csrfToken} />
                    <button type="submit" class="ds-button" data-variant="secondary" data-size="sm">
                      {t.signOut}
                    </button>
                  </form>
                </>
              ) : (
                <a class="ds-button" data-variant="secondary" data-size="sm" href={`/signin?next=${encodeURIComponent(here)}`}>
                  {t.signIn}
                </a>
              )}
            </div>
          </div>
          <nav aria-label={t.mainNav} class="site-nav">
            <NavList path={path} t={t} />
          </nav>
          <details class="site-menu">
            <summary>{t.menu}</summary>
            <nav aria-label={t.mainNav}>
              <NavList path={path} t={t} />
            </nav>
          </details>
        </header>
        <main id="main" tabindex={-1} class="site-main">
          {crumbs && crumbs.length > 0 && (
            <nav aria-label={t.breadcrumbs} class="crumbs">
              <ol>
                {crumbs.map((c) => (
                  <li>
                    <a class="ds-link" href={c.href}>
                      {c.label}
                    </a>
                  </li>
                ))}
              </ol>
            </nav>
          )}
          {children}
        </main>
        <footer class="site-footer">
          <div class="site-footer__inner">
            <p class="ds-paragraph" data-size="sm">
              {t.footerText}
            </p>
            <ul class="site-footer__links">
              <li>
                <a class="ds-link" href="/api/docs">
                  {t.apiDocs}
                </a>
              </li>
              <li>
                <a class="ds-link" href="/api/openapi.json">
                  {t.openApi}
                </a>
              </li>
            </ul>
          </div>
        </footer>
      </body>
    </html>
  );
}
