/** The organisation pages: the list, creating one, the organisation page with the sections other modules add, editing, ending, and its history. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireUser } from '../../web/context.js';
import type { VNode } from 'preact';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { listAudit, presentAuditEvent } from '../../platform/audit.js';
import { ForbiddenError } from '../../platform/errors.js';
import { ButtonLink, contentFirst, KeyFigures, PageHeader, Pager, Section, Table, type Figure } from '../../web/components.js';
import { emptyForm, type FormState } from '../../web/form-fields.js';
import { ov } from './overview.js';
import { actorName, changeLines, historySentence } from './history.js';
import { consent } from './consent-pages.js';
import { handleForm } from '../../web/forms.js';
import { common } from '../../web/i18n/common.js';
import { formatDate, formatDateTime, sortByText } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { EndForm, OrganisationForm } from './forms.js';
import { dir, orgKindLabel } from './i18n.js';
import * as policy from './policy.js';
import { ORG_KINDS, type OrganisationRow } from './schema.js';
import * as svc from './service.js';
import * as profiles from './profiles.js';
import * as reads from './reads.js';
import { CurrentAndPast, KindTag, orgHref, SignatureTable } from './views.js';
import { Form, hide, ListQuery, endDateFrom, Slug } from './page-inputs.js';

const orgFormValues = (o: OrganisationRow, areaCode: string | null, country: string | null): Record<string, string> => ({
  name: o.name,
  shortName: o.shortName ?? '',
  kind: o.kind,
  parentId: o.parentId ?? '',
  country: country ?? '',
  areaCode: areaCode ?? '',
  lang: o.lang,
  description: o.description,
  website: o.website ?? '',
  foundedOn: o.foundedOn ?? '',
});

export function organisationPages(app: FastifyInstance, { db, extensions }: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/organisations', { schema: { ...hide, querystring: ListQuery } }, async (req, reply) => {
    const l = req.locale;
    const t = dir[l];
    const page = req.query.page ?? 1;
    const kind = req.query.kind || undefined;
    const res = await reads.listOrganisations(db.orm, { search: req.query.q, kind, page, pageSize: 50, locale: req.locale });
    const base = `/organisations?${new URLSearchParams({ ...(req.query.q ? { q: req.query.q } : {}), ...(kind ? { kind } : {}) })}`;
    return reply.html(
      <Layout req={req} title={t.organisations}>
        <h1 class="ds-heading" data-size="lg">
          {t.organisations}
        </h1>
        {policy.canCreateTopLevel(req.actor) && <ButtonLink href="/organisations/new">{t.newOrganisation}</ButtonLink>}
        <form method="get" action="/organisations" class="filter-form" role="search">
          <div class="ds-field">
            <label class="ds-label" for="q">
              {t.name}
            </label>
            <input class="ds-input" type="search" id="q" name="q" value={req.query.q ?? ''} />
          </div>
          <div class="ds-field">
            <label class="ds-label" for="kind">
              {t.filterKind}
            </label>
            <select class="ds-input" id="kind" name="kind">
              <option value="">{t.allKinds}</option>
              {sortByText(l, ORG_KINDS, (k) => orgKindLabel(l, k)).map((k) => (
                <option value={k} selected={k === kind}>
                  {orgKindLabel(l, k)}
                </option>
              ))}
            </select>
          </div>
          <button class="ds-button" data-variant="secondary" type="submit">
            {common[l].search}
          </button>
        </form>
        <p class="ds-paragraph" role="status">
          {t.results(res.total)}
        </p>
        <ul class="entity-list">
          {sortByText(l, res.items, (o) => o.name).map((o) => (
            <li>
              <a class="ds-link" href={orgHref(o)}>
                {o.name}
              </a>{' '}
              <KindTag locale={l} kind={o.kind} />
            </li>
          ))}
        </ul>
        <Pager req={req} page={page} hasMore={page * res.pageSize < res.total} base={base} />
      </Layout>,
    );
  });

  const renderNewOrg = async (req: FastifyRequest, form: FormState, status = 200) => {
    const t = dir[req.locale];
    const orgs = await profiles.organisationOptions(db.orm);
    return (
      <Layout req={req} title={t.newOrganisation} crumbs={[{ href: '/organisations', label: t.organisations }]}>
        <h1 class="ds-heading" data-size="lg">
          {t.newOrganisation}
        </h1>
        <OrganisationForm req={req} form={form} action="/organisations" orgs={orgs} submit={common[req.locale].create} />
      </Layout>
    );
  };

  r.get('/organisations/new', { schema: { ...hide, querystring: z.object({ parent: z.string().uuid().optional(), kind: z.enum(ORG_KINDS).optional() }) } }, async (req, reply) => {
    requireUser(req);
    const parentId = req.query.parent;
    if (parentId) await policy.assertCanManageOrganisation(db.orm, req.actor, (await reads.getOrganisation(db.orm, parentId)).id);
    else if (!policy.canCreateTopLevel(req.actor)) throw new ForbiddenError();
    const form = emptyForm({ lang: req.locale, kind: req.query.kind ?? (parentId ? 'working_group' : 'network'), parentId: parentId ?? '' });
    return reply.html(await renderNewOrg(req, form));
  });

  r.post('/organisations', { schema: { ...hide, body: Form } }, async (req, reply) => {
    const res = await handleForm(req, (v) => svc.createOrganisation(db, req.actor, v));
    if (res.ok) return reply.redirect(orgHref(res.result), 303);
    return reply.html(await renderNewOrg(req, res.form), 422);
  });

  r.get('/organisations/:slug', { schema: { ...hide, params: Slug } }, async (req, reply) => {
    const l = req.locale;
    const t = dir[l];
    const p = await profiles.organisationProfile(db.orm, req.params.slug);
    const o = p.organisation;
    const canEdit = await policy.canManageOrganisation(db.orm, req.actor, o.id);
    const isTerritorial = o.kind === 'municipality' || o.kind === 'county' || o.kind === 'region';
    const sigCanEnd = canEdit ? () => true : undefined;
    // The area read once here, not again by each section that shows the area's figures.
    const ref = { id: o.id, slug: o.slug, name: o.name, kind: o.kind, areaId: o.areaId, area: p.area };
    const [extra, extraFigures] = await Promise.all([
      Promise.all((extensions?.organisationSections ?? []).map((section) => section(req, ref))),
      Promise.all((extensions?.organisationFigures ?? []).map((figures) => figures(req, ref).catch(() => []))),
    ]);
    const o2 = ov[l];
    const children = sortByText(l, p.children, (x) => x.name);
    const liveChildren = children.filter((x) => !x.endedOn);
    const currentMembers = p.members.filter((e) => e.current);
    const currentNetworks = p.membershipsElsewhere.filter((e) => e.current);
    const currentCommitments = p.commitments.filter((e) => e.current);
    // Overview first: what the organisation is made of, then the lists, those with content before the empty ones.
    const figures: Figure[] = [
      ...(currentMembers.length || !isTerritorial ? [{ label: o2.members, value: currentMembers.length, href: '#members' }] : []),
      ...(isTerritorial || currentNetworks.length ? [{ label: o2.networks, value: currentNetworks.length, href: '#memberships' }] : []),
      { label: o2.groups, value: liveChildren.length, href: '#children' },
      { label: o2.commitments, value: currentCommitments.length, href: '#commitments' },
      ...extraFigures.flat(),
    ];
    const sections = contentFirst([
      {
        empty: p.membershipsElsewhere.length === 0,
        node: <CurrentAndPast req={req} id="memberships" entries={p.membershipsElsewhere} show="organisation" title={t.memberships} empty={t.noMemberships} whenEmpty={{ text: t.noMemberships, always: isTerritorial }} />,
      },
      {
        empty: p.representatives.length === 0,
        node: <CurrentAndPast req={req} id="representatives" entries={p.representatives} show="representative" title={t.representatives} empty={t.noRepresentatives} />,
      },
      {
        empty: p.members.length === 0,
        node: (
          <CurrentAndPast
            req={req}
            id="members"
            entries={p.members}
            show="member"
            title={t.members}
            empty={t.noMembers}
            canEdit={canEdit}
            whenEmpty={{ text: o2.noMembers, action: canEdit ? { href: `${orgHref(o)}/members/new`, label: o2.addMember } : undefined }}
          />
        ),
      },
      {
        empty: children.length === 0,
        node: (
          <Section
            id="children"
            title={t.subOrganisations}
            count={liveChildren.length}
            empty={children.length === 0}
            whenEmpty={{ text: o2.noGroups, action: canEdit ? { href: `/organisations/new?parent=${o.id}`, label: o2.addGroup } : undefined }}
          >
            <ul class="entity-list">
              {children.map((ch) => (
                <li>
                  <a class="ds-link" href={orgHref(ch)}>
                    {ch.name}
                  </a>{' '}
                  <KindTag locale={l} kind={ch.kind} />
                  {ch.endedOn && <span class="muted"> ({t.ended})</span>}
                </li>
              ))}
            </ul>
          </Section>
        ),
      },
      ...extra.filter((x): x is VNode => x != null).map((node) => ({ empty: false, node })),
      {
        empty: p.commitments.length === 0,
        node: (
          <Section
            id="commitments"
            title={t.signedCommitments}
            count={currentCommitments.length}
            empty={p.commitments.length === 0}
            whenEmpty={{ text: o2.noCommitments, action: canEdit ? { href: '/commitments', label: o2.signOne } : undefined }}
          >
            <SignatureTable req={req} entries={p.commitments} show="commitment" caption={t.signedCommitments} canEnd={sigCanEnd} />
          </Section>
        ),
      },
    ]);
    return reply.html(
      <Layout req={req} title={o.name}>
        <PageHeader
          req={req}
          title={o.endedOn ? `${o.name} (${t.ended})` : o.name}
          crumbs={[{ href: '/organisations', label: t.organisations }, ...p.ancestors.map((a) => ({ href: orgHref(a), label: a.name }))]}
          meta={
            <>
              <KindTag locale={l} kind={o.kind} />
              {p.area && (
                <span>
                  {t.area}: {p.area.name} ({p.area.country} {p.area.code})
                </span>
              )}
              {p.parent && (
                <span>
                  {t.parent}:{' '}
                  <a class="ds-link" href={orgHref(p.parent)}>
                    {p.parent.name}
                  </a>
                </span>
              )}
            </>
          }
          lead={
            o.description ? (
              <p class="description" lang={o.lang !== l ? o.lang : undefined}>
                {o.description}
              </p>
            ) : undefined
          }
          actions={
            canEdit ? (
              <>
                <ButtonLink href={`${orgHref(o)}/edit`}>{t.editOrganisation}</ButtonLink>
                <ButtonLink href={`${orgHref(o)}/members/new`}>{t.addMember}</ButtonLink>
                <ButtonLink href={`/organisations/new?parent=${o.id}`}>{t.newSubOrganisation}</ButtonLink>
                <ButtonLink href={`${orgHref(o)}/access`}>{t.manageAccess}</ButtonLink>
              </>
            ) : undefined
          }
        />
        <KeyFigures locale={l} label={o2.keyFigures} figures={figures} />
        {(o.website || o.foundedOn || o.endedOn) && (
          <dl class="facts">
            {o.website && (
              <>
                <dt>{t.website}</dt>
                <dd>
                  <a class="ds-link" href={o.website} rel="noopener noreferrer">
                    {o.website}
                  </a>
                </dd>
              </>
            )}
            {o.foundedOn && (
              <>
                <dt>{t.foundedOn}</dt>
                <dd>{formatDate(l, o.foundedOn)}</dd>
              </>
            )}
            {o.endedOn && (
              <>
                <dt>{t.endedOn}</dt>
                <dd>{formatDate(l, o.endedOn)}</dd>
              </>
            )}
          </dl>
        )}
        {isTerritorial && <p class="ds-paragraph muted">{t.municipalityLead(o.name)}</p>}
        {sections.map((x) => x.node)}

        <p class="ds-paragraph">
          <a class="ds-link" href={`${orgHref(o)}/history`}>
            {t.history}
          </a>
        </p>
        {canEdit && (
          <p class="ds-paragraph">
            {isTerritorial && (
              <a class="ds-link" href={`${orgHref(o)}/delegations`}>
                {consent[l].delegationsLink}
              </a>
            )}{' '}
            <a class="ds-link" href="/memberships/requests">
              {consent[l].requestsLink}
            </a>
          </p>
        )}
        {canEdit && !o.endedOn && (
          <details class="ds-details danger-zone">
            <summary>{t.endOrganisation}</summary>
            <EndForm req={req} action={`${orgHref(o)}/end`} label={t.endOrganisation} />
          </details>
        )}
      </Layout>,
    );
  });

  const renderEditOrg = async (req: FastifyRequest, o: OrganisationRow, form: FormState) => {
    const t = dir[req.locale];
    const orgs = (await profiles.organisationOptions(db.orm)).filter((x) => x.id !== o.id);
    return (
      <Layout req={req} title={t.editOrganisation} crumbs={[{ href: '/organisations', label: t.organisations }, { href: orgHref(o), label: o.name }]}>
        <h1 class="ds-heading" data-size="lg">
          {t.editOrganisation}: {o.name}
        </h1>
        <OrganisationForm req={req} form={form} action={`${orgHref(o)}/edit`} orgs={orgs} submit={common[req.locale].save} />
      </Layout>
    );
  };

  r.get('/organisations/:slug/edit', { schema: { ...hide, params: Slug } }, async (req, reply) => {
    requireUser(req);
    const o = await reads.getOrganisation(db.orm, req.params.slug);
    await policy.assertCanManageOrganisation(db.orm, req.actor, o.id);
    const area = o.areaId ? await reads.getAreaById(db.orm, o.areaId) : null;
    return reply.html(await renderEditOrg(req, o, emptyForm(orgFormValues(o, area?.code ?? null, area?.country ?? null))));
  });

  r.post('/organisations/:slug/edit', { schema: { ...hide, params: Slug, body: Form } }, async (req, reply) => {
    const o = await reads.getOrganisation(db.orm, req.params.slug);
    const res = await handleForm(req, (v) => svc.updateOrganisation(db, req.actor, o.id, v));
    if (res.ok) return reply.redirect(orgHref(res.result), 303);
    return reply.html(await renderEditOrg(req, o, res.form), 422);
  });

  r.post('/organisations/:slug/end', { schema: { ...hide, params: Slug, body: Form } }, async (req, reply) => {
    const o = await reads.getOrganisation(db.orm, req.params.slug);
    const endedOn = endDateFrom(req.body, 'endedOn');
    await svc.endOrganisation(db, req.actor, o.id, endedOn);
    return reply.redirect(orgHref(o), 303);
  });

  r.get('/organisations/:slug/history', { schema: { ...hide, params: Slug } }, async (req, reply) => {
    const l = req.locale;
    const t = dir[l];
    const o = await reads.getOrganisation(db.orm, req.params.slug);
    const member = await policy.isMemberOf(db.orm, req.actor, o.id);
    const events = (await listAudit(db.orm, { organisationId: o.id, limit: 200 })).map((e) => presentAuditEvent(e, { member }));
    return reply.html(
      <Layout req={req} title={t.historyTitle(o.name)} crumbs={[{ href: '/organisations', label: t.organisations }, { href: orgHref(o), label: o.name }]}>
        <h1 class="ds-heading" data-size="lg">
          {t.historyTitle(o.name)}
        </h1>
        {events.length === 0 ? (
          <p class="ds-paragraph">{t.historyEmpty}</p>
        ) : (
          <Table caption={t.history} head={[t.historyWhen, t.historyWho, t.historyWhat]}>
            {events.map((e) => {
              const lines = changeLines(l, { ...e, actorLabel: e.actor }, (k) => {
                const label = (t as Record<string, unknown>)[k];
                return typeof label === 'string' ? label : k;
              });
              return (
                <tr>
                  <td>
                    <time dateTime={new Date(e.at).toISOString()}>{formatDateTime(l, new Date(e.at))}</time>
                  </td>
                  {/* The presenter gives the name only; e-mail addresses and closed details stay private. */}
                  <td>{actorName(l, e.actor)}</td>
                  <td>
                    {e.hidden ? <em>{t.historyHidden}</em> : historySentence(l, { ...e, actorLabel: e.actor }, o)}
                    {lines.length > 0 && (
                      <ul class="changes">
                        {lines.map((x) => (
                          <li>{x}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              );
            })}
          </Table>
        )}
      </Layout>,
    );
  });

}
