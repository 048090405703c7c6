/** The indicator list: every indicator with a count, paged, filtered by framework, SDG goal, source and text. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { Layout } from '../../web/layout.js';
import { InLanguage, Pager, Table } from '../../web/components.js';
import { sdgColours } from '../../web/sdg.js';
import { sortByText } from '../../web/i18n/index.js';
import { li } from './list-i18n.js';
import { t } from './i18n.js';
import * as q from './queries.js';
import { ft } from './frameworks-pages.js';
import { formatNumber, Styles } from './views.js';

export async function indicatorListPage(app: FastifyInstance, deps: AppDeps) {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

  // Indicator list ----------------------------------------------------------
  // The list pages through every indicator with a count, filtered by framework, SDG goal, source and text.
  const LIST_PAGE = 50;
  r.get(
    '/indicators',
    {
      schema: {
        hide: true,
        querystring: z.object({
          q: z.string().max(200).optional(),
          goal: z.string().regex(/^\d{1,2}$/).optional().or(z.literal('')),
          framework: z.string().max(80).optional(),
          source: z.string().max(300).optional(),
          page: z.coerce.number().int().min(1).max(100_000).optional(),
        }),
      },
    },
    async (req, reply) => {
      const l = req.locale;
      const page = req.query.page ?? 1;
      const filter = { q: req.query.q || undefined, goal: req.query.goal || undefined, framework: req.query.framework || undefined, source: req.query.source || undefined };
      const [res, goals, frameworks, sources] = await Promise.all([
        q.indicatorPage(db.orm, filter, LIST_PAGE, (page - 1) * LIST_PAGE),
        q.sdgGoals(db.orm, l),
        q.listFrameworks(db.orm),
        q.indicatorSources(db.orm),
      ]);
      const goalName = new Map(goals.map((g) => [g.code, g.name]));
      const items = res.items;
      const params = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => Boolean(e[1])));
      const base = `/indicators${params.size ? `?${params}` : ''}`;
      const from = res.total === 0 ? 0 : (page - 1) * LIST_PAGE + 1;
      const to = Math.min(res.total, page * LIST_PAGE);
      return reply.html(
        <Layout req={req} title={t[l].indicators}>
          <Styles />
          <h1 class="ds-heading" data-size="lg">
            {t[l].indicators}
          </h1>
          <p class="ds-paragraph">{t[l].indicatorsIntro}</p>
          <ul class="ds-list">
            <li>
              <a class="ds-link" href="/compare">
                {t[l].compareWith}
              </a>
            </li>
            <li>
              <a class="ds-link" href="/imports">
                {t[l].imports}
              </a>
            </li>
          </ul>
          <form method="get" action="/indicators" class="ind-filters" role="search">
            <div class="ds-field">
              <label class="ds-label" for="f-q">
                {t[l].search}
              </label>
              <input class="ds-input" id="f-q" name="q" type="search" value={req.query.q ?? ''} />
            </div>
            <div class="ds-field">
              <label class="ds-label" for="f-framework">
                {li[l].framework}
              </label>
              <select class="ds-input" id="f-framework" name="framework">
                <option value="">{li[l].allFrameworks}</option>
                {sortByText(l, frameworks, (f) => q.pickName(f.names, l) || f.key).map((f) => (
                  <option value={f.key} selected={f.key === filter.framework}>
                    {q.pickName(f.names, l) || f.key}
                  </option>
                ))}
              </select>
            </div>
            <p class="ds-paragraph" data-size="sm">
              <a class="ds-link" href={filter.framework ? `/frameworks/${encodeURIComponent(filter.framework)}` : '/frameworks'}>
                {ft[l].browse}
              </a>
            </p>
            <div class="ds-field">
              <label class="ds-label" for="f-goal">
                {t[l].goal}
              </label>
              <select class="ds-input" id="f-goal" name="goal">
                <option value="">{t[l].allGoals}</option>
                {goals.map((g) => (
                  <option value={g.code} selected={g.code === req.query.goal}>
                    {t[l].goalN(g.code, g.name)}
                  </option>
                ))}
              </select>
            </div>
            <div class="ds-field">
              <label class="ds-label" for="f-source">
                {li[l].source}
              </label>
              <select class="ds-input" id="f-source" name="source">
                <option value="">{li[l].allSources}</option>
                {sortByText(l, sources, (x) => x).map((x) => (
                  <option value={x} selected={x === filter.source}>
                    {x}
                  </option>
                ))}
              </select>
            </div>
            <button class="ds-button" data-variant="secondary" type="submit">
              {t[l].filter}
            </button>
          </form>
          <p class="ds-paragraph" role="status">
            <strong>{li[l].count(res.total, formatNumber(l, res.total))}</strong>
            {res.total > LIST_PAGE && ` ${li[l].shown(formatNumber(l, from), formatNumber(l, to), formatNumber(l, res.total))}`}
          </p>
          {items.length === 0 ? (
            <p class="ds-paragraph">{t[l].noIndicators}</p>
          ) : (
            <div class="ind-table-wrap">
              <Table head={[t[l].name, t[l].goal, t[l].unit, t[l].areasWithData, t[l].code]}>
                {items.map((i) => (
                  <tr>
                    <td>
                      <a class="ds-link" href={`/indicators/${encodeURIComponent(i.code)}`}>
                        <InLanguage text={i.name} lang={i.lang ?? l} locale={l} />
                      </a>
                    </td>
                    <td>
                      {i.goals.map((g) => (
                        <a class="ind-goal-chip" href={`/indicators?goal=${g}`} style={`--sdg-bg:${sdgColours(g).background};--sdg-fg:${sdgColours(g).text}`} title={goalName.get(g)}>
                          <span class="visually-hidden">{t[l].goalN(g, goalName.get(g) ?? '')}</span>
                          <span aria-hidden="true">{g}</span>
                        </a>
                      ))}
                    </td>
                    <td>{i.unit}</td>
                    <td>{formatNumber(l, i.areas)}</td>
                    <td>
                      <code>{i.code}</code>
                    </td>
                  </tr>
                ))}
              </Table>
            </div>
          )}
          <Pager req={req} page={page} hasMore={page * LIST_PAGE < res.total} base={base} />
        </Layout>,
      );
    },
  );
}
