/**
 * The page where an organisation's admins and editors accept or decline being named as a
 * co-organiser by another organisation (docs/permissions.md). Same use cases as the API.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { UnauthenticatedError } from '../../platform/errors.js';
import { Table } from '../../web/components.js';
import { Csrf } from '../../web/form-fields.js';
import { Layout } from '../../web/layout.js';
import { t } from './i18n.js';
import { formatWhen } from './views.js';
import { req as rq } from './requests-i18n.js';
import * as svc from './service.js';

export async function meetingRequestPages(app: FastifyInstance, { db }: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const hide = { hide: true } as const;

  r.get('/meetings/requests', { schema: { ...hide } }, async (req, reply) => {
    if (!req.user) throw new UnauthenticatedError();
    const l = req.locale;
    const s = rq[l];
    const { items } = await svc.listOrganiserRequests(db.orm, req.actor);
    return reply.html(
      <Layout req={req} title={s.title} crumbs={[{ href: '/meetings', label: t[l].meetings }]}>
        <h1 class="ds-heading" data-size="lg">
          {s.title}
        </h1>
        <p class="ds-paragraph">{s.lead}</p>
        {items.length === 0 ? (
          <p class="ds-paragraph">{s.none}</p>
        ) : (
          <Table caption={s.title} head={[s.meeting, s.when, s.by, s.organiser, { hidden: `${s.accept} / ${s.decline}` }]}>
            {items.map((x) => (
              <tr>
                <td>
                  <a class="ds-link" href={`/meetings/${x.meeting.id}`} lang={x.meeting.lang !== l ? x.meeting.lang : undefined}>
                    {x.meeting.title}
                  </a>
                </td>
                <td>{formatWhen(l, x.meeting)}</td>
                <td>{x.lead?.name ?? ''}</td>
                <td>{x.organisation.name}</td>
                <td>
                  <form method="post" action={`/meetings/${x.meeting.id}/organisers/${x.organisation.id}/accept`} class="inline-form">
                    <Csrf req={req} />
                    <button class="ds-button" data-variant="secondary" data-size="sm" type="submit">
                      {s.accept}
                      <span class="visually-hidden">: {x.meeting.title}, {x.organisation.name}</span>
                    </button>
                  </form>{' '}
                  <form method="post" action={`/meetings/${x.meeting.id}/organisers/${x.organisation.id}/decline`} class="inline-form">
                    <Csrf req={req} />
                    <button class="ds-button" data-variant="tertiary" data-size="sm" type="submit">
                      {s.decline}
                      <span class="visually-hidden">: {x.meeting.title}, {x.organisation.name}</span>
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Layout>,
    );
  });

  const Params = z.object({ id: z.string().max(100), organisationId: z.string().max(100) });
  const Form = z.record(z.string(), z.unknown());
  r.post('/meetings/:id/organisers/:organisationId/accept', { schema: { ...hide, params: Params, body: Form } }, async (req, reply) => {
    await svc.acceptOrganiser(db, req.actor, req.params.id, req.params.organisationId);
    return reply.redirect('/meetings/requests', 303);
  });
  r.post('/meetings/:id/organisers/:organisationId/decline', { schema: { ...hide, params: Params, body: Form } }, async (req, reply) => {
    await svc.declineOrganiser(db, req.actor, req.params.id, req.params.organisationId);
    return reply.redirect('/meetings/requests', 303);
  });
}
