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

const NAV = [
  { href: '/', key: 'navHome' },
  { href: '/organisations', key: 'navOrganisations' },
  { href: '/people', key: 'navPeople' },
  { href: '/commitments', key: 'navCommitments' },
  { href: '/meetings', key: 'navMeetings' },
  { href: '/indicators', key: 'navIndicators' },
  { href: '/search', key: 'navSearch' },
  { href: '/api/docs', key: 'navApi' },
] as const;

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
        <script src="/assets/htmx/htmx.min.js" defer></script>
        <meta name="csrf-token" content={req.csrfToken} />
      </head>
      <body hx-headers={JSON.stringify({ 'x-csrf-token': req.csrfToken })}>
        <a class="ds-skiplink" href="#main">
          {t.skipToContent}
        </a>
        <header class="site-header">
          <div class="site-header__inner">
            <a class="site-logo" href="/">
              {t.siteName}
            </a>
            <nav aria-label={t.mainNav} class="site-nav">
              <ul>
                {NAV.map((n) => (
                  <li>
                    <a
                      class="ds-link"
                      href={n.href}
                      aria-current={(n.href === '/' ? path === '/' : path.startsWith(n.href)) ? 'page' : undefined}
                    >
                      {t[n.key]}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
            <div class="site-user">
              {req.user ? (
                <>
                  <a class="ds-link" href="/account">
                    {t.navAccount}
                  </a>
                  {req.user.isPlatformAdmin && (
                    <a class="ds-link" href="/admin">
                      {t.navAdmin}
                    </a>
                  )}
                  <form method="post" action="/signout" class="inline-form">
                    <input type="hidden" name="_csrf" value={req.csrfToken} />
                    <button type="submit" class="ds-button" data-variant="tertiary" data-size="sm">
                      {t.signOut}
                    </button>
                  </form>
                </>
              ) : (
                <a class="ds-link" href={`/signin?next=${encodeURIComponent(here)}`}>
                  {t.signIn}
                </a>
              )}
            </div>
          </div>
          <nav aria-label={t.language} class="lang-switch">
            <ul>
              {LOCALES.map((l) => (
                <li>
                  <a
                    class="ds-link"
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
          <p class="ds-paragraph" data-size="sm">
            {t.footerText}
          </p>
        </footer>
      </body>
    </html>
  );
}
