/**
 * Consent between organisations (docs/permissions.md): a municipality lets a network it is a
 * member of write its area's figures, and an organisation confirms (or declines) being named
 * "on behalf of" in another organisation's membership. Same use cases as the API.
 */
import { requireUser } from '../../web/context.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { ForbiddenError } from '../../platform/errors.js';
import { Button, Table } from '../../web/components.js';
import { Csrf, emptyForm, ErrorSummary, SelectField, type FormState } from '../../web/form-fields.js';
import { handleForm } from '../../web/forms.js';
import { defineCatalog, formatDate } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { dir, roleLabel } from './i18n.js';
import * as policy from './policy.js';
import * as delegations from './delegations.js';
import * as memberships from './memberships.js';
import * as reads from './reads.js';
import { orgHref, personHref } from './views.js';

export const consent = defineCatalog(
  {
    delegationsTitle: (org: string) => `Who writes the figures of ${org}`,
    delegationsLead: (org: string) =>
      `The figures of the area ${org} governs are written by its own admins and editors. Its admins may let a network ${org} is a member of write them too, and stop it again at any time.`,
    delegationsLink: 'Who writes our figures',
    noDelegations: 'No network writes these figures.',
    network: 'Network',
    since: 'Since',
    revoke: 'Revoke',
    delegate: 'Let a network write our figures',
    delegateButton: 'Delegate',
    noNetworks: 'This organisation is not a current member of any network.',
    noArea: 'This organisation governs no area, so it has no figures to delegate.',
    adminsOnly: 'Only the organisation’s admins can delegate or revoke.',
    requestsTitle: 'Awaiting your confirmation',
    requestsLink: 'Requests awaiting confirmation',
    requestsLead: 'Roles in other organisations that name an organisation you act for as “on behalf of”. Until you confirm, they are not shown among its representatives.',
    noRequests: 'Nothing awaits your confirmation.',
    who: 'Who',
    where: 'Role in',
    onBehalfOf: 'On behalf of',
    confirm: 'Confirm',
    decline: 'Decline',
  },
  {
    sv: {
      delegationsTitle: (org: string) => `Vem som skriver siffrorna för ${org}`,
      delegationsLead: (org: string) =>
        `Siffrorna för det område ${org} styr skrivs av dess egna administratörer och redaktörer. Administratörerna kan låta ett nätverk som ${org} är medlem i skriva dem också, och när som helst sluta.`,
      delegationsLink: 'Vem som skriver våra siffror',
      noDelegations: 'Inget nätverk skriver de här siffrorna.',
      network: 'Nätverk',
      since: 'Sedan',
      revoke: 'Återkalla',
      delegate: 'Låt ett nätverk skriva våra siffror',
      delegateButton: 'Delegera',
      noNetworks: 'Organisationen är inte medlem i något nätverk just nu.',
      noArea: 'Organisationen styr inget område och har därför inga siffror att delegera.',
      adminsOnly: 'Bara organisationens administratörer kan delegera eller återkalla.',
      requestsTitle: 'Väntar på din bekräftelse',
      requestsLink: 'Förfrågningar som väntar på bekräftelse',
      requestsLead: 'Roller i andra organisationer som anger att de är ”för” en organisation du företräder. Tills du bekräftar visas de inte bland dess representanter.',
      noRequests: 'Inget väntar på din bekräftelse.',
      who: 'Vem',
      where: 'Roll i',
      onBehalfOf: 'För',
      confirm: 'Bekräfta',
      decline: 'Avböj',
    },
    nb: {
      delegationsTitle: (org: string) => `Hvem som skriver tallene for ${org}`,
      delegationsLead: (org: string) =>
        `Tallene for området ${org} styrer, skrives av egne administratorer og redaktører. Administratorene kan la et nettverk ${org} er medlem av skrive dem også, og stoppe det når som helst.`,
      delegationsLink: 'Hvem som skriver tallene våre',
      noDelegations: 'Ingen nettverk skriver disse tallene.',
      network: 'Nettverk',
      since: 'Siden',
      revoke: 'Trekk tilbake',
      delegate: 'La et nettverk skrive tallene våre',
      delegateButton: 'Deleger',
      noNetworks: 'Organisasjonen er ikke medlem av noe nettverk nå.',
      noArea: 'Organisasjonen styrer ikke noe område og har derfor ingen tall å delegere.',
      adminsOnly: 'Bare organisasjonens administratorer kan delegere eller trekke tilbake.',
      requestsTitle: 'Venter på din bekreftelse',
      requestsLink: 'Forespørsler som venter på bekreftelse',
      requestsLead: 'Roller i andre organisasjoner som oppgir å være «på vegne av» en organisasjon du representerer. Til du bekrefter, vises de ikke blant representantene.',
      noRequests: 'Ingenting venter på din bekreftelse.',
      who: 'Hvem',
      where: 'Rolle i',
      onBehalfOf: 'På vegne av',
      confirm: 'Bekreft',
      decline: 'Avslå',
    },
    da: {
      delegationsTitle: (org: string) => `Hvem der skriver tallene for ${org}`,
      delegationsLead: (org: string) =>
        `Tallene for det område, ${org} styrer, skrives af egne administratorer og redaktører. Administratorerne kan lade et netværk, ${org} er medlem af, skrive dem også og stoppe det når som helst.`,
      delegationsLink: 'Hvem der skriver vores tal',
      noDelegations: 'Intet netværk skriver disse tal.',
      network: 'Netværk',
      since: 'Siden',
      revoke: 'Tilbagekald',
      delegate: 'Lad et netværk skrive vores tal',
      delegateButton: 'Uddeleger',
      noNetworks: 'Organisationen er ikke medlem af noget netværk lige nu.',
      noArea: 'Organisationen styrer intet område og har derfor ingen tal at uddelegere.',
      adminsOnly: 'Kun organisationens administratorer kan uddelegere eller tilbagekalde.',
      requestsTitle: 'Venter på din bekræftelse',
      requestsLink: 'Anmodninger, der venter på bekræftelse',
      requestsLead: 'Roller i andre organisationer, der angiver at være »på vegne af« en organisation, du repræsenterer. Indtil du bekræfter, vises de ikke blandt dens repræsentanter.',
      noRequests: 'Intet venter på din bekræftelse.',
      who: 'Hvem',
      where: 'Rolle i',
      onBehalfOf: 'På vegne af',
      confirm: 'Bekræft',
      decline: 'Afvis',
    },
  },
);

const Slug = z.object({ slug: z.string().min(1).max(200) });
const Form = z.record(z.string(), z.unknown());

export async function consentPages(app: FastifyInstance, { db }: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const hide = { hide: true } as const;

  const delegationsPage = async (req: FastifyRequest, slug: string, form?: FormState) => {
    const l = req.locale;
    const t = consent[l];
    const org = await reads.getOrganisation(db.orm, slug);
    // Those who manage the organisation see who writes its figures; only its admins change that.
    if (!(await policy.canManageOrganisation(db.orm, req.actor, org.id))) throw new ForbiddenError();
    const isAdmin = await policy.isAdminOf(db.orm, req.actor, org.id);
    const [{ items: list }, options] = await Promise.all([delegations.listDelegations(db.orm, org.id), delegations.delegationOptions(db.orm, org.id)]);
    const open = options.filter((o) => !list.some((d) => d.network.id === o.id));
    const f = form ?? emptyForm({ networkId: open[0]?.id ?? '' });
    return (
      <Layout req={req} title={t.delegationsTitle(org.name)} crumbs={[{ href: '/organisations', label: dir[l].organisations }, { href: orgHref(org), label: org.name }]}>
        <h1 class="ds-heading" data-size="lg">
          {t.delegationsTitle(org.name)}
        </h1>
        <p class="ds-paragraph">{t.delegationsLead(org.name)}</p>
        {list.length === 0 ? (
          <p class="ds-paragraph">{t.noDelegations}</p>
        ) : (
          <Table caption={t.delegationsTitle(org.name)} head={[t.network, t.since, ...(isAdmin ? [{ hidden: t.revoke }] : [])]}>
            {list.map((d) => (
              <tr>
                <td>
                  <a class="ds-link" href={orgHref(d.network)}>
                    {d.network.name}
                  </a>
                </td>
                <td>{formatDate(l, d.createdAt.toISOString().slice(0, 10))}</td>
                {isAdmin && (
                  <td>
                    <form method="post" action={`${orgHref(org)}/delegations/${d.network.id}/revoke`} class="inline-form">
                      <Csrf req={req} />
                      <button class="ds-button" data-variant="tertiary" data-size="sm" type="submit">
                        {t.revoke}
                        <span class="visually-hidden">: {d.network.name}</span>
                      </button>
                    </form>
                  </td>
                )}
              </tr>
            ))}
          </Table>
        )}
        <section aria-labelledby="delegate" class="section">
          <h2 class="ds-heading" data-size="sm" id="delegate">
            {t.delegate}
          </h2>
          {!isAdmin ? (
            <p class="ds-paragraph">{t.adminsOnly}</p>
          ) : !org.areaId ? (
            <p class="ds-paragraph">{t.noArea}</p>
          ) : open.length === 0 && !form ? (
            <p class="ds-paragraph">{t.noNetworks}</p>
          ) : (
            <form method="post" action={`${orgHref(org)}/delegations`} class="form narrow" novalidate>
              <Csrf req={req} />
              <ErrorSummary req={req} form={f} labels={{ networkId: t.network }} />
              <SelectField name="networkId" label={t.network} form={f} sort={l} options={open.map((o) => ({ value: o.id, label: o.name }))} required />
              <Button>{t.delegateButton}</Button>
            </form>
          )}
        </section>
      </Layout>
    );
  };

  r.get('/organisations/:slug/delegations', { schema: { ...hide, params: Slug } }, async (req, reply) => {
    requireUser(req);
    return reply.html(await delegationsPage(req, req.params.slug));
  });
  r.post('/organisations/:slug/delegations', { schema: { ...hide, params: Slug, body: Form } }, async (req, reply) => {
    const res = await handleForm(req, (v) => delegations.delegateAreaFigures(db, req.actor, req.params.slug, { networkId: v.networkId || undefined }));
    if (!res.ok) return reply.html(await delegationsPage(req, req.params.slug, res.form), 422);
    return reply.redirect(`/organisations/${encodeURIComponent(req.params.slug)}/delegations`, 303);
  });
  r.post('/organisations/:slug/delegations/:networkId/revoke', { schema: { ...hide, params: Slug.extend({ networkId: z.string().min(1).max(100) }), body: Form } }, async (req, reply) => {
    await delegations.revokeAreaDelegation(db, req.actor, req.params.slug, req.params.networkId);
    return reply.redirect(`/organisations/${encodeURIComponent(req.params.slug)}/delegations`, 303);
  });

  r.get('/memberships/requests', { schema: { ...hide } }, async (req, reply) => {
    requireUser(req);
    const l = req.locale;
    const t = consent[l];
    const { items } = await memberships.listOnBehalfRequests(db.orm, req.actor);
    return reply.html(
      <Layout req={req} title={t.requestsTitle} crumbs={[{ href: '/organisations', label: dir[l].organisations }]}>
        <h1 class="ds-heading" data-size="lg">
          {t.requestsTitle}
        </h1>
        <p class="ds-paragraph">{t.requestsLead}</p>
        {items.length === 0 ? (
          <p class="ds-paragraph">{t.noRequests}</p>
        ) : (
          <Table caption={t.requestsTitle} head={[t.who, t.where, t.onBehalfOf, { hidden: `${t.confirm} / ${t.decline}` }]}>
            {items.map((e) => {
              const who = e.person ?? e.memberOrganisation;
              return (
                <tr>
                  <td>{who && <a class="ds-link" href={e.person ? personHref(e.person) : orgHref(e.memberOrganisation!)}>{who.name}</a>}</td>
                  <td>
                    <a class="ds-link" href={orgHref(e.organisation)}>
                      {e.organisation.name}
                    </a>{' '}
                    ({roleLabel(l, e.membership.role)})
                  </td>
                  <td>{e.onBehalfOfPending.name}</td>
                  <td>
                    <form method="post" action={`/memberships/${e.membership.id}/on-behalf/confirm`} class="inline-form">
                      <Csrf req={req} />
                      <button class="ds-button" data-variant="secondary" data-size="sm" type="submit">
                        {t.confirm}
                        <span class="visually-hidden">: {who?.name}, {e.organisation.name}</span>
                      </button>
                    </form>{' '}
                    <form method="post" action={`/memberships/${e.membership.id}/on-behalf/decline`} class="inline-form">
                      <Csrf req={req} />
                      <button class="ds-button" data-variant="tertiary" data-size="sm" type="submit">
                        {t.decline}
                        <span class="visually-hidden">: {who?.name}, {e.organisation.name}</span>
                      </button>
                    </form>
                  </td>
                </tr>
              );
            })}
          </Table>
        )}
      </Layout>,
    );
  });
  const Id = z.object({ id: z.string().min(1).max(100) });
  r.post('/memberships/:id/on-behalf/confirm', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) => {
    await memberships.confirmOnBehalf(db, req.actor, req.params.id);
    return reply.redirect('/memberships/requests', 303);
  });
  r.post('/memberships/:id/on-behalf/decline', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) => {
    await memberships.declineOnBehalf(db, req.actor, req.params.id);
    return reply.redirect('/memberships/requests', 303);
  });
}
