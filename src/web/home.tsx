import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clockMinute } from './freshness.js';
import type { AppDeps } from '../platform/http.js';
import { cookieOptions, LANG_COOKIE, safeNext } from './context.js';
import { common } from './i18n/common.js';
import { defineCatalog, LOCALES } from './i18n/index.js';
import { Layout } from './layout.js';
import { Section } from './components.js';
import { designPage } from './design.js';

const home = defineCatalog(
  {
    lead: 'Who works with whom in the Nordic sustainability networks: organisations, people, roles, working groups and commitments.',
    networks: 'Networks',
    municipalities: 'Municipalities',
    browse: 'Browse all organisations',
    exports: 'Open data',
    popolo: 'The directory as Popolo JSON',
    openapi: 'The API description (OpenAPI 3.1)',
  },
  {
    sv: {
      lead: 'Vem som arbetar med vem i de nordiska hållbarhetsnätverken: organisationer, personer, roller, arbetsgrupper och åtaganden.',
      networks: 'Nätverk',
      municipalities: 'Kommuner',
      browse: 'Visa alla organisationer',
      exports: 'Öppna data',
      popolo: 'Katalogen som Popolo JSON',
      openapi: 'API-beskrivningen (OpenAPI 3.1)',
    },
    nb: {
      lead: 'Hvem som jobber med hvem i de nordiske bærekraftsnettverkene: organisasjoner, personer, roller, arbeidsgrupper og forpliktelser.',
      networks: 'Nettverk',
      municipalities: 'Kommuner',
      browse: 'Vis alle organisasjoner',
      exports: 'Åpne data',
      popolo: 'Katalogen som Popolo JSON',
      openapi: 'API-beskrivelsen (OpenAPI 3.1)',
    },
    da: {
      lead: 'Hvem der arbejder med hvem i de nordiske bæredygtighedsnetværk: organisationer, personer, roller, arbejdsgrupper og forpligtelser.',
      networks: 'Netværk',
      municipalities: 'Kommuner',
      browse: 'Vis alle organisationer',
      exports: 'Åbne data',
      popolo: 'Kataloget som Popolo JSON',
      openapi: 'API-beskrivelsen (OpenAPI 3.1)',
    },
  },
);

export async function homePage(app: FastifyInstance, { config, extensions }: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // The overview answers "what is going on": each module adds its part (key figures, networks,
  // meetings, indicators, and later events and news) through extensions.homeSections, in the
  // order the modules are registered. A part that fails is left out rather than failing the page.
  // Gathers from every module, upcoming meetings included: every domain, and the clock (src/web/freshness.ts).
  r.get('/', { schema: { hide: true }, config: { freshness: { domains: '*', version: clockMinute } } }, async (req, reply) => {
    const l = req.locale;
    const t = home[l];
    const c = common[l];
    const parts = await Promise.all(
      (extensions?.homeSections ?? []).map((section) =>
        section(req).catch((err: unknown) => {
          req.log.error({ err }, 'home section failed');
          return null;
        }),
      ),
    );
    return reply.html(
      <Layout req={req} title={c.tagline}>
        <div class="home-hero">
          <h1 class="ds-heading" data-size="xl">
            {c.siteName}
          </h1>
          <p class="ds-paragraph lead">{t.lead}</p>
          <form method="get" action="/search" role="search" class="filter-form">
            <div class="ds-field">
              <label class="ds-label" for="home-q">
                {c.searchLabel}
              </label>
              <input class="ds-input" type="search" id="home-q" name="q" />
            </div>
            <button class="ds-button" data-variant="primary" type="submit">
              {c.search}
            </button>
          </form>
        </div>
        {parts}
        <Section id="home-open" title={t.exports}>
          <ul class="entity-list">
            <li>
              <a class="ds-link" href="/api/export/popolo">
                {t.popolo}
              </a>
            </li>
            <li>
              <a class="ds-link" href="/api/openapi.json">
                {t.openapi}
              </a>
            </li>
          </ul>
        </Section>
      </Layout>,
    );
  });

  await designPage(app);

  // Language choice: a plain link, so it works without JavaScript; remembered for a year.
  r.get('/lang/:locale', { schema: { hide: true, params: z.object({ locale: z.enum(LOCALES) }), querystring: z.object({ next: z.string().max(2000).optional() }) } }, async (req, reply) => {
    reply.setCookie(LANG_COOKIE, req.params.locale, { ...cookieOptions(config, 365 * 24 * 3600), httpOnly: false });
    return reply.redirect(safeNext(req.query.next), 303);
  });
}
