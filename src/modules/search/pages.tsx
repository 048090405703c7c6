import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/http.js';
import { Alert, Pager } from '../../web/components.js';
import { formatNumber, type Locale } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { directory } from '../directory/index.js';
import { DOC_TYPES, docTypeLabel, LANG_NAMES, st } from './i18n.js';
import { SearchQuery } from './inputs.js';
import { queryProblem, search, searchGrouped, snippetParts, type SearchHit, type SearchResult } from './service.js';

/** The matched words as <mark>, everything else as text: Preact escapes both. */
function Snippet({ text }: { text: string }) {
  const parts = snippetParts(text);
  if (!parts.length) return null;
  return (
    <p class="ds-paragraph search-snippet" data-size="sm">
      {parts.map((p) => (p.hit ? <mark>{p.text}</mark> : p.text))}
    </p>
  );
}

function HitItem({ l, hit, uiLang }: { l: Locale; hit: SearchHit; uiLang: Locale }) {
  return (
    <li lang={hit.lang && hit.lang !== uiLang ? hit.lang : undefined}>
      <a class="ds-link" href={hit.url}>
        {hit.title}
      </a>
      {hit.restricted && (
        <span class="ds-tag" data-color="warning" data-size="sm" lang={uiLang}>
          <span aria-hidden="true">🔒 </span>
          {st[l].restricted}
        </span>
      )}
      <Snippet text={hit.snippet} />
    </li>
  );
}

export async function searchPages(app: FastifyInstance, { db }: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/search', { schema: { hide: true, querystring: SearchQuery } }, async (req, reply) => {
    const l = req.locale;
    const t = st[l];
    const q = req.query;
    const text = q.q.trim();
    const params = { q: text, type: q.type, org: q.org, sdg: q.sdg, year: q.year, lang: q.lang, page: q.page ?? 1, pageSize: 20 };
    let res: SearchResult | null = null;
    let problem: string | null = null;
    if (text) {
      try {
        res = q.type ? await search(db.orm, req.actor, params) : await searchGrouped(db.orm, req.actor, params);
      } catch (err) {
        const p = queryProblem(err);
        if (!p) throw err;
        problem = p === 'too_long' ? t.tooLong : t.noWords;
      }
    }
    const orgs = await directory.organisationOptions(db.orm);
    const link = (over: Record<string, string | number | undefined>) => {
      const u = new URLSearchParams();
      const all = { q: text.slice(0, 500), type: q.type, org: q.org, sdg: q.sdg, year: q.year, lang: q.lang, ...over };
      for (const [k, v] of Object.entries(all)) if (v !== undefined && v !== '') u.set(k, String(v));
      return `/search?${u}`;
    };
    const typesShown = res ? Object.entries(res.counts).sort((a, b) => b[1] - a[1]) : [];
    // Counts stop at COUNT_CAP per kind (service.ts); a capped one says "more than", never a made-up number.
    const countText = (type: string, n: number) => (res?.capped.includes(type) ? t.countMore(formatNumber(l, n)) : formatNumber(l, n));
    const title = text && !problem ? `${t.title}: ${text.slice(0, 80)}` : t.title;
    return reply.html(
      <Layout req={req} title={title}>
        <h1 class="ds-heading" data-size="lg">
          {t.title}
        </h1>
        <form method="get" action="/search" role="search" class="filter-form search-form">
          <div class="ds-field">
            <label class="ds-label" for="search-q">
              {t.label}
            </label>
            <p class="ds-paragraph field-desc" data-size="sm" id="search-hint">
              {t.hint}
            </p>
            {/* With JavaScript, results follow the typing (the last word is a prefix); without it, the form submits as usual. */}
            <input
              class="ds-input"
              type="search"
              id="search-q"
              name="q"
              value={text.slice(0, 500)}
              aria-describedby="search-hint"
              aria-controls="search-results"
              hx-get="/search"
              hx-trigger="input changed delay:300ms, search"
              hx-include="closest form"
              hx-target="#search-results"
              hx-select="#search-results"
              hx-swap="outerHTML"
              hx-push-url="true"
            />
          </div>
          <fieldset class="ds-fieldset search-filters">
            <legend class="ds-label">{t.filters}</legend>
            <div class="ds-field">
              <label class="ds-label" for="search-type">
                {t.type}
              </label>
              <select class="ds-input" id="search-type" name="type">
                <option value="">{t.anyType}</option>
                {DOC_TYPES.map((k) => (
                  <option value={k} selected={q.type === k}>
                    {docTypeLabel(l, k)}
                  </option>
                ))}
              </select>
            </div>
            <div class="ds-field">
              <label class="ds-label" for="search-org">
                {t.organisation}
              </label>
              <select class="ds-input" id="search-org" name="org">
                <option value="">{t.anyOrganisation}</option>
                {orgs.map((o) => (
                  <option value={o.id} selected={q.org === o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
            </div>
            <div class="ds-field">
              <label class="ds-label" for="search-sdg">
                {t.sdg}
              </label>
              <select class="ds-input" id="search-sdg" name="sdg">
                <option value="">{t.anySdg}</option>
                {Array.from({ length: 17 }, (_, i) => i + 1).map((n) => (
                  <option value={String(n)} selected={q.sdg === n}>
                    {t.sdgGoal(n)}
                  </option>
                ))}
              </select>
            </div>
            <div class="ds-field">
              <label class="ds-label" for="search-year">
                {t.year}
              </label>
              <input class="ds-input" type="number" id="search-year" name="year" min="1900" max="2200" inputmode="numeric" value={q.year ? String(q.year) : ''} />
            </div>
            <div class="ds-field">
              <label class="ds-label" for="search-lang">
                {t.lang}
              </label>
              <select class="ds-input" id="search-lang" name="lang">
                <option value="">{t.anyLang}</option>
                {(['sv', 'nb', 'da', 'en'] as const).map((k) => (
                  <option value={k} selected={q.lang === k}>
                    {LANG_NAMES[l][k]}
                  </option>
                ))}
              </select>
            </div>
          </fieldset>
          <button class="ds-button" data-variant="primary" type="submit">
            {t.apply}
          </button>
        </form>
        <div id="search-results" aria-live="polite">
          {problem && <Alert color="warning">{problem}</Alert>}
          {res && (
            <>
              <p class="ds-paragraph" role="status">
                {res.total === 0 ? t.noResults : res.totalCapped ? t.resultsMore(formatNumber(l, res.total)) : t.results(res.total)}
              </p>
              {typesShown.length > 0 && (
                <nav aria-label={t.byType}>
                  <ul class="search-facets">
                    {typesShown.map(([type, n]) => (
                      <li>
                        {q.type === type ? (
                          <strong aria-current="true">
                            {docTypeLabel(l, type)} ({countText(type, n)})
                          </strong>
                        ) : (
                          <a class="ds-link" href={link({ type, page: undefined })}>
                            {docTypeLabel(l, type)} ({countText(type, n)})
                          </a>
                        )}
                      </li>
                    ))}
                    {q.type && (
                      <li>
                        <a class="ds-link" href={link({ type: undefined, page: undefined })}>
                          {t.anyType}
                        </a>
                      </li>
                    )}
                  </ul>
                </nav>
              )}
              {q.type ? (
                <section aria-labelledby="res-list" class="section">
                  <h2 class="ds-heading" data-size="sm" id="res-list">
                    {t.resultsOf(docTypeLabel(l, q.type))}
                  </h2>
                  <ul class="entity-list search-hits">
                    {res.hits.map((h) => (
                      <HitItem l={l} hit={h} uiLang={l} />
                    ))}
                  </ul>
                  <Pager req={req} page={res.page} hasMore={res.page * res.pageSize < res.total} base={link({ page: undefined })} />
                </section>
              ) : (
                typesShown.map(([type, n]) => (
                  <section aria-labelledby={`res-${type}`} class="section">
                    <h2 class="ds-heading" data-size="sm" id={`res-${type}`}>
                      {docTypeLabel(l, type)} ({countText(type, n)})
                    </h2>
                    <ul class="entity-list search-hits">
                      {res!.hits
                        .filter((h) => h.type === type)
                        .map((h) => (
                          <HitItem l={l} hit={h} uiLang={l} />
                        ))}
                    </ul>
                    {n > res!.pageSize && (
                      <p class="ds-paragraph">
                        <a class="ds-link" href={link({ type })}>
                          {res!.capped.includes(type) ? t.showMore(formatNumber(l, n), docTypeLabel(l, type)) : t.showAll(n, docTypeLabel(l, type))}
                        </a>
                      </p>
                    )}
                  </section>
                ))
              )}
            </>
          )}
        </div>
      </Layout>,
      problem ? 422 : 200,
    );
  });
}

