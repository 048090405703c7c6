/** A network's projects overview (/projects/networks/{slug}) and the form setting its exchange rates; the view is in network-views.tsx. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { ValidationError } from '../../platform/errors.js';
import type { FormState } from '../../web/form-fields.js';
import { formValues } from '../../web/forms.js';
import { directory } from '../directory/index.js';
import { NetworkOverviewPage } from './network-views.js';
import { networkOverview } from './overview.js';
import { CURRENCIES, type Currency } from './schema.js';
import * as svc from './service.js';

const Slug = z.object({ slug: z.string().min(1).max(200) });

export async function networkPages(app: FastifyInstance, { db }: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const hide = { hide: true } as const;

  const renderOverview = async (req: FastifyRequest, reply: FastifyReply, slug: string, currency: Currency | null, ratesForm?: FormState, status = 200) => {
    const o = await networkOverview(db.orm, req.actor, slug, currency);
    const canRates = await directory.canManageOrganisation(db.orm, req.actor, o.network.id);
    return reply.html(<NetworkOverviewPage req={req} o={o} currency={currency} canRates={canRates} ratesForm={ratesForm} />, status);
  };

  r.get('/projects/networks/:slug', { schema: { ...hide, params: Slug, querystring: z.object({ currency: z.enum(CURRENCIES).or(z.literal('')).optional() }) } }, async (req, reply) =>
    renderOverview(req, reply, req.params.slug, req.query.currency || null));

  r.post('/projects/networks/:slug/rates', { schema: { ...hide, params: Slug } }, async (req, reply) => {
    const values = formValues(req.body);
    const rates = (values.ratesText ?? '')
      .split(/\r?\n/)
      .map((x) => x.trim())
      .filter(Boolean)
      .map((line) => {
        const [year = '', from = '', to = '', rate = ''] = line.split(/\s+/);
        return { year, from: from.toUpperCase(), to: to.toUpperCase(), rate };
      });
    try {
      await svc.setExchangeRates(db, req.actor, req.params.slug, { rates });
      return reply.redirect(`/projects/networks/${req.params.slug}`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const first = err.fields[0];
      const line = first ? Number(first.field.split('.')[1]) + 1 : 0;
      return renderOverview(req, reply, req.params.slug, null, { values, errors: { ratesText: `${line ? `${line}: ` : ''}${first?.message ?? ''}` } }, 422);
    }
  });
}
