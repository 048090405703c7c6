/**
 * The page where an indicator's owner or a platform admin chooses its headline series (the API
 * route is PUT /api/indicators/{code}/headline; both call setIndicatorHeadline).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { Alert, Button } from '../../web/components.js';
import { Csrf, ErrorSummary, type FormState } from '../../web/form-fields.js';
import { handleForm } from '../../web/forms.js';
import { Layout } from '../../web/layout.js';
import { formatNumber } from '../../web/i18n/index.js';
import { headlineChoices, indicatorOwner, setIndicatorHeadline } from './headline.js';
import { ht } from './headline-i18n.js';
import { t } from './i18n.js';
import { labelBook } from './labels.js';
import { breakdownText, type LabelBook } from '../indicator-model/index.js';
import { assertCanEditIndicator } from './policy.js';
import { getIndicator, type IndicatorInfo } from './queries.js';

export async function headlinePages(app: FastifyInstance, { db }: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const params = z.object({ code: z.string().max(80) });

  const page = (req: FastifyRequest, ind: IndicatorInfo, choices: { breakdown: string; values: number }[], book: LabelBook, form: FormState) => {
    const l = req.locale;
    const chosen = form.values.breakdown ?? ind.headline_breakdown;
    return (
      <Layout req={req} title={ht[l].headlineTitle(ind.name)} crumbs={[{ href: '/indicators', label: t[l].indicators }, { href: `/indicators/${encodeURIComponent(ind.code)}`, label: ind.name }]}>
        <h1 class="ds-heading" data-size="lg">
          {ht[l].headlineTitle(ind.name)}
        </h1>
        <ErrorSummary req={req} form={form} labels={{ breakdown: ht[l].headlineLabel }} />
        <p class="ds-paragraph">{ht[l].headlineIntro}</p>
        {choices.length === 0 ? (
          <Alert>{ht[l].noChoices}</Alert>
        ) : (
          <form method="post" action={`/indicators/${encodeURIComponent(ind.code)}/headline`}>
            <Csrf req={req} />
            <fieldset class="ds-fieldset" id="f-breakdown">
              <legend class="ds-label">{ht[l].headlineLabel}</legend>
              {form.errors.breakdown && (
                <div class="ds-validation-message" data-color="danger">
                  {form.errors.breakdown}
                </div>
              )}
              {choices.map((c, i) => (
                <div class="ds-field">
                  <input class="ds-input" type="radio" name="breakdown" id={`hb-${i}`} value={c.breakdown} checked={c.breakdown === chosen} />
                  <label class="ds-label" for={`hb-${i}`} data-weight="regular">
                    {breakdownText(c.breakdown, book, ht[l].headlineTotal)} ({ht[l].values(formatNumber(l, c.values))})
                  </label>
                </div>
              ))}
            </fieldset>
            <Button>{ht[l].save}</Button>
          </form>
        )}
      </Layout>
    );
  };

  const load = async (req: FastifyRequest, code: string) => {
    const ind = await getIndicator(db.orm, code);
    assertCanEditIndicator(req.actor, { owner_user_id: await indicatorOwner(db, ind.id) });
    const [choices, book] = await Promise.all([headlineChoices(db, ind.id), labelBook(db.orm, ind.id)]);
    return { ind, choices, book };
  };

  r.get('/indicators/:code/headline', { schema: { hide: true, params } }, async (req, reply) => {
    const { ind, choices, book } = await load(req, req.params.code);
    return reply.html(page(req, ind, choices, book, { values: {}, errors: {} }));
  });

  r.post(
    '/indicators/:code/headline',
    { schema: { hide: true, params, body: z.object({ breakdown: z.string().max(1000).default('') }).passthrough() } },
    async (req, reply) => {
      const { ind, choices, book } = await load(req, req.params.code);
      const res = await handleForm(req, (v) => setIndicatorHeadline(db, req.actor, ind.code, v.breakdown ?? ''));
      if (!res.ok) return reply.html(page(req, ind, choices, book, res.form), 422);
      return reply.redirect(`/indicators/${encodeURIComponent(ind.code)}`, 303);
    },
  );
}
