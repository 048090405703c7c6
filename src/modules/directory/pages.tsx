/**
 * The directory's HTML pages: organisations, people, commitments and memberships, their lists,
 * forms and ends, and the organisation page with the sections other modules add.
 * Why this file is long: its 29 routes share the list query, the form values and the end-date
 * form; not yet split. Splitting it per entity, as service.ts was (issue #9), is the next step.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireUser } from '../../web/context.js';
import type { VNode } from 'preact';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { listAudit, presentAuditEvent } from '../../platform/audit.js';
import { ForbiddenError, ValidationError } from '../../platform/errors.js';
import { ButtonLink, contentFirst, KeyFigures, PageHeader, Pager, Section, Table, type Figure } from '../../web/components.js';
import { emptyForm, type FormState } from '../../web/form-fields.js';
import { ov } from './overview.js';
import { actorName, changeLines, historySentence } from './history.js';
import { consent } from './consent-pages.js';
import { handleForm } from '../../web/forms.js';
import { common } from '../../web/i18n/common.js';
import { formatDate, formatDateTime, sortByText } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { parseInput, partialDate } from './inputs.js';
import { CommitmentForm, EndForm, MembershipForm, OrganisationForm, PersonForm } from './forms.js';
import { dir, orgKindLabel } from './i18n.js';
import * as policy from './policy.js';
import { ORG_KINDS, type OrganisationRow } from './schema.js';
import * as svc from './service.js';
import * as memberships from './memberships.js';
import * as profiles from './profiles.js';
import * as reads from './reads.js';
import { CurrentAndPast, KindTag, orgHref, personHref, SignatureTable } from './views.js';

const Slug = z.object({ slug: z.string().min(1).max(200) });
const Id = z.object({ id: z.string().min(1).max(100) });
const Form = z.record(z.string(), z.unknown());
const ListQuery = z.object({
  q: z.string().max(200).optional(),
  kind: z.enum(ORG_KINDS).or(z.literal('')).optional(),
  page: z.coerce.number().int().min(1).max(100_000).optional(),
});

/** The optional end date of an "end" form, validated like every other date. */
const endDateFrom = (body: unknown, field: 'endedOn' | 'endDate') =>
  parseInput(z.object({ [field]: z.preprocess((v) => (v === '' ? null : v), partialDate.nullable().optional()) }), body)[field] as string | null | undefined;


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

export async function directoryPages(app: FastifyInstance, { db, extensions }: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const hide = { hide: true } as const;

  // --- Organisations -------------------------------------------------------

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

  // --- Memberships ---------------------------------------------------------

  const renderNewMember = async (req: FastifyRequest, o: OrganisationRow, form: FormState) => {
    const t = dir[req.locale];
    const [orgs, ppl] = await Promise.all([profiles.organisationOptions(db.orm), profiles.personOptions(db.orm)]);
    return (
      <Layout req={req} title={`${t.addMember}: ${o.name}`} crumbs={[{ href: '/organisations', label: t.organisations }, { href: orgHref(o), label: o.name }]}>
        <h1 class="ds-heading" data-size="lg">
          {t.addMember}: {o.name}
        </h1>
        <MembershipForm req={req} form={form} action={`${orgHref(o)}/members`} orgs={orgs.filter((x) => x.id !== o.id)} people={ppl} submit={common[req.locale].save} />
      </Layout>
    );
  };

  r.get('/organisations/:slug/members/new', { schema: { ...hide, params: Slug } }, async (req, reply) => {
    requireUser(req);
    const o = await reads.getOrganisation(db.orm, req.params.slug);
    await policy.assertCanManageOrganisation(db.orm, req.actor, o.id);
    return reply.html(await renderNewMember(req, o, emptyForm({ role: 'member' })));
  });

  r.post('/organisations/:slug/members', { schema: { ...hide, params: Slug, body: Form } }, async (req, reply) => {
    const o = await reads.getOrganisation(db.orm, req.params.slug);
    const res = await handleForm(req, async (v) => {
      const { newPersonName, newPersonTitle, ...rest } = v;
      const input = { ...rest, organisationId: o.id };
      if (newPersonName?.trim()) {
        if (rest.personId || rest.memberOrganisationId) {
          throw new ValidationError([{ field: 'newPersonName', message: 'Choose either an existing member or a new person, not both' }]);
        }
        return memberships.createMembership(db, req.actor, input, { name: newPersonName, title: newPersonTitle, lang: req.locale });
      }
      return memberships.createMembership(db, req.actor, input);
    });
    if (res.ok) return reply.redirect(orgHref(o), 303);
    return reply.html(await renderNewMember(req, o, res.form), 422);
  });

  const renderEditMembership = async (req: FastifyRequest, id: string, form: FormState) => {
    const t = dir[req.locale];
    const m = await reads.getMembership(db.orm, id);
    const o = await reads.getOrganisation(db.orm, m.organisationId);
    const who = m.personId ? (await reads.getPerson(db.orm, m.personId)).name : (await reads.getOrganisation(db.orm, m.memberOrganisationId!)).name;
    const orgs = await profiles.organisationOptions(db.orm);
    return (
      <Layout req={req} title={t.editMembership} crumbs={[{ href: '/organisations', label: t.organisations }, { href: orgHref(o), label: o.name }]}>
        <h1 class="ds-heading" data-size="lg">
          {t.editMembership}: {who}, {o.name}
        </h1>
        <MembershipForm req={req} form={form} action={`/memberships/${m.id}/edit`} orgs={orgs} people={[]} submit={common[req.locale].save} editing />
        {!m.endDate && (
          <details class="ds-details danger-zone">
            <summary>{t.endMembership}</summary>
            <EndForm req={req} action={`/memberships/${m.id}/end`} label={t.endMembership} field="endDate" />
          </details>
        )}
      </Layout>
    );
  };

  r.get('/memberships/:id/edit', { schema: { ...hide, params: Id } }, async (req, reply) => {
    requireUser(req);
    const m = await reads.getMembership(db.orm, req.params.id);
    await policy.assertCanManageOrganisation(db.orm, req.actor, m.organisationId);
    const form = emptyForm({ role: m.role, label: m.label ?? '', onBehalfOfId: m.onBehalfOfId ?? '', startDate: m.startDate ?? '', endDate: m.endDate ?? '' });
    return reply.html(await renderEditMembership(req, m.id, form));
  });

  r.post('/memberships/:id/edit', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) => {
    const m = await reads.getMembership(db.orm, req.params.id);
    const res = await handleForm(req, (v) => memberships.updateMembership(db, req.actor, m.id, v));
    if (res.ok) return reply.redirect(orgHref(await reads.getOrganisation(db.orm, m.organisationId)), 303);
    return reply.html(await renderEditMembership(req, m.id, res.form), 422);
  });

  r.post('/memberships/:id/end', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) => {
    const m = await reads.getMembership(db.orm, req.params.id);
    const endDate = endDateFrom(req.body, 'endDate');
    await memberships.endMembership(db, req.actor, m.id, endDate);
    return reply.redirect(orgHref(await reads.getOrganisation(db.orm, m.organisationId)), 303);
  });

  // --- People --------------------------------------------------------------

  r.get('/people', { schema: { ...hide, querystring: ListQuery.pick({ q: true, page: true }) } }, async (req, reply) => {
    const l = req.locale;
    const t = dir[l];
    const page = req.query.page ?? 1;
    const res = await reads.listPeople(db.orm, { search: req.query.q, page, pageSize: 50, locale: req.locale });
    return reply.html(
      <Layout req={req} title={t.people}>
        <h1 class="ds-heading" data-size="lg">
          {t.people}
        </h1>
        {policy.canCreateTopLevel(req.actor) && <ButtonLink href="/people/new">{t.newPerson}</ButtonLink>}
        <form method="get" action="/people" class="filter-form" role="search">
          <div class="ds-field">
            <label class="ds-label" for="q">
              {t.name}
            </label>
            <input class="ds-input" type="search" id="q" name="q" value={req.query.q ?? ''} />
          </div>
          <button class="ds-button" data-variant="secondary" type="submit">
            {common[l].search}
          </button>
        </form>
        <p class="ds-paragraph" role="status">
          {t.results(res.total)}
        </p>
        <ul class="entity-list">
          {sortByText(l, res.items, (p) => p.name).map((p) => (
            <li>
              <a class="ds-link" href={personHref(p)}>
                {p.name}
              </a>
              {p.title && <span class="muted"> · {p.title}</span>}
            </li>
          ))}
        </ul>
        <Pager req={req} page={page} hasMore={page * res.pageSize < res.total} base={`/people?${new URLSearchParams(req.query.q ? { q: req.query.q } : {})}`} />
      </Layout>,
    );
  });

  const renderPersonForm = (req: FastifyRequest, form: FormState, action: string, title: string, submit: string) => (
    <Layout req={req} title={title} crumbs={[{ href: '/people', label: dir[req.locale].people }]}>
      <h1 class="ds-heading" data-size="lg">
        {title}
      </h1>
      <PersonForm req={req} form={form} action={action} submit={submit} />
    </Layout>
  );

  r.get('/people/new', { schema: hide }, async (req, reply) => {
    requireUser(req);
    if (!policy.canCreateTopLevel(req.actor)) throw new ForbiddenError();
    return reply.html(renderPersonForm(req, emptyForm({ lang: req.locale }), '/people', dir[req.locale].newPerson, common[req.locale].create));
  });

  r.post('/people', { schema: { ...hide, body: Form } }, async (req, reply) => {
    const res = await handleForm(req, (v) => svc.createPerson(db, req.actor, v));
    if (res.ok) return reply.redirect(personHref(res.result), 303);
    return reply.html(renderPersonForm(req, res.form, '/people', dir[req.locale].newPerson, common[req.locale].create), 422);
  });

  r.get('/people/:slug', { schema: { ...hide, params: Slug } }, async (req, reply) => {
    const l = req.locale;
    const t = dir[l];
    const { person, roles } = await profiles.personProfile(db.orm, req.params.slug);
    const canEdit = await policy.canEditPerson(db.orm, req.actor, person.id);
    return reply.html(
      <Layout req={req} title={person.name} crumbs={[{ href: '/people', label: t.people }]}>
        <h1 class="ds-heading" data-size="lg">
          {person.name}
          {person.endedOn && <span class="muted"> ({t.ended})</span>}
        </h1>
        {person.title && (
          <p class="ds-paragraph" lang={person.lang}>
            {person.title}
          </p>
        )}
        {(person.email || person.phone) && (
          <dl class="facts">
            {person.email && (
              <>
                <dt>{t.email}</dt>
                <dd>
                  <a class="ds-link" href={`mailto:${person.email}`}>
                    {person.email}
                  </a>
                </dd>
              </>
            )}
            {person.phone && (
              <>
                <dt>{t.phone}</dt>
                <dd>{person.phone}</dd>
              </>
            )}
          </dl>
        )}
        {canEdit && (
          <div class="actions">
            <ButtonLink href={`${personHref(person)}/edit`}>{t.editPerson}</ButtonLink>
          </div>
        )}
        <CurrentAndPast req={req} id="roles" entries={roles} show="organisation" title={t.roles} empty={t.noMemberships} whenEmpty={{ text: t.noMemberships, always: true }} />
        {canEdit && !person.endedOn && (
          <details class="ds-details danger-zone">
            <summary>{t.endPerson}</summary>
            <EndForm req={req} action={`${personHref(person)}/end`} label={t.endPerson} />
          </details>
        )}
      </Layout>,
    );
  });

  r.get('/people/:slug/edit', { schema: { ...hide, params: Slug } }, async (req, reply) => {
    requireUser(req);
    const p = await reads.getPerson(db.orm, req.params.slug);
    await policy.assertCanEditPerson(db.orm, req.actor, p.id);
    const form = emptyForm({ name: p.name, title: p.title ?? '', lang: p.lang, email: p.email ?? '', phone: p.phone ?? '' });
    return reply.html(renderPersonForm(req, form, `${personHref(p)}/edit`, `${dir[req.locale].editPerson}: ${p.name}`, common[req.locale].save));
  });

  r.post('/people/:slug/edit', { schema: { ...hide, params: Slug, body: Form } }, async (req, reply) => {
    const p = await reads.getPerson(db.orm, req.params.slug);
    const res = await handleForm(req, (v) => svc.updatePerson(db, req.actor, p.id, v));
    if (res.ok) return reply.redirect(personHref(res.result), 303);
    return reply.html(renderPersonForm(req, res.form, `${personHref(p)}/edit`, `${dir[req.locale].editPerson}: ${p.name}`, common[req.locale].save), 422);
  });

  r.post('/people/:slug/end', { schema: { ...hide, params: Slug, body: Form } }, async (req, reply) => {
    const p = await reads.getPerson(db.orm, req.params.slug);
    const endedOn = endDateFrom(req.body, 'endedOn');
    await svc.endPerson(db, req.actor, p.id, endedOn);
    return reply.redirect(personHref(p), 303);
  });

  // --- Commitments ---------------------------------------------------------

  r.get('/commitments', { schema: { ...hide, querystring: ListQuery.pick({ page: true }) } }, async (req, reply) => {
    const l = req.locale;
    const t = dir[l];
    const page = req.query.page ?? 1;
    const res = await reads.listCommitments(db.orm, { page });
    return reply.html(
      <Layout req={req} title={t.commitments}>
        <h1 class="ds-heading" data-size="lg">
          {t.commitments}
        </h1>
        {policy.canCreateTopLevel(req.actor) && <ButtonLink href="/commitments/new">{t.newCommitment}</ButtonLink>}
        <Table caption={t.commitments} head={[t.title, t.dated, t.signatories]}>
          {sortByText(l, res.items, (c) => c.title).map((c) => (
            <tr>
              <td>
                <a class="ds-link" href={`/commitments/${c.slug}`} lang={c.lang !== l ? c.lang : undefined}>
                  {c.title}
                </a>
                {c.endedOn && <span class="muted"> ({t.ended})</span>}
              </td>
              <td>{c.datedOn ? formatDate(l, c.datedOn, 'medium') : ''}</td>
              <td>{c.signatories}</td>
            </tr>
          ))}
        </Table>
        <Pager req={req} page={page} hasMore={page * res.pageSize < res.total} base="/commitments" />
      </Layout>,
    );
  });

  const renderCommitmentForm = (req: FastifyRequest, form: FormState, action: string, title: string, submit: string) => (
    <Layout req={req} title={title} crumbs={[{ href: '/commitments', label: dir[req.locale].commitments }]}>
      <h1 class="ds-heading" data-size="lg">
        {title}
      </h1>
      <CommitmentForm req={req} form={form} action={action} submit={submit} />
    </Layout>
  );

  r.get('/commitments/new', { schema: hide }, async (req, reply) => {
    requireUser(req);
    if (!policy.canCreateTopLevel(req.actor)) throw new ForbiddenError();
    return reply.html(renderCommitmentForm(req, emptyForm({ lang: req.locale }), '/commitments', dir[req.locale].newCommitment, common[req.locale].create));
  });

  r.post('/commitments', { schema: { ...hide, body: Form } }, async (req, reply) => {
    const res = await handleForm(req, (v) => svc.createCommitment(db, req.actor, v));
    if (res.ok) return reply.redirect(`/commitments/${res.result.slug}`, 303);
    return reply.html(renderCommitmentForm(req, res.form, '/commitments', dir[req.locale].newCommitment, common[req.locale].create), 422);
  });

  // Shared by the GET and the rejected signatory POST, which differ only in status.
  const page = (node: VNode, status: number) => ({ node, status });
  const renderCommitment = async (req: FastifyRequest, slug: string, signForm: FormState, status = 200) => {
    const l = req.locale;
    const t = dir[l];
    const { commitment: c, signatories } = await profiles.commitmentProfile(db.orm, slug);
    const canEdit = await policy.canEditCommitment(db.orm, req.actor, c.id);
    // Only organisations the user manages can be offered as new signatories.
    const manageable = req.user
      ? (
          await Promise.all(
            (await profiles.organisationOptions(db.orm)).map(async (o) => ((await policy.canManageOrganisation(db.orm, req.actor, o.id)) ? o : null)),
          )
        ).filter((o): o is NonNullable<typeof o> => !!o)
      : [];
    const managedIds = new Set(manageable.map((o) => o.id));
    return page(
      <Layout req={req} title={c.title} crumbs={[{ href: '/commitments', label: t.commitments }]}>
        <h1 class="ds-heading" data-size="lg" lang={c.lang}>
          {c.title}
          {c.endedOn && <span class="muted"> ({t.ended})</span>}
        </h1>
        {c.datedOn && (
          <p class="ds-paragraph">
            {t.dated}: {formatDate(l, c.datedOn)}
          </p>
        )}
        {c.body && (
          <div class="ds-paragraph description" lang={c.lang}>
            {c.body}
          </div>
        )}
        {c.url && (
          <p class="ds-paragraph">
            <a class="ds-link" href={c.url} rel="noopener noreferrer">
              {t.source}
            </a>
          </p>
        )}
        {canEdit && (
          <div class="actions">
            <ButtonLink href={`/commitments/${c.slug}/edit`}>{t.editCommitment}</ButtonLink>
          </div>
        )}
        <section aria-labelledby="signatories" class="section">
          <h2 class="ds-heading" data-size="sm" id="signatories">
            {t.signatories}
          </h2>
          {signatories.length === 0 ? (
            <p class="ds-paragraph">{t.noSignatories}</p>
          ) : (
            <SignatureTable req={req} entries={signatories} show="organisation" caption={t.signatories} canEnd={req.user ? (e) => managedIds.has(e.organisation.id) : undefined} />
          )}
        </section>
        {manageable.length > 0 && !c.endedOn && (
          <section aria-labelledby="sign" class="section">
            <h2 class="ds-heading" data-size="sm" id="sign">
              {t.addSignatory}
            </h2>
            <form method="post" action={`/commitments/${c.slug}/signatories`} class="form" novalidate>
              <input type="hidden" name="_csrf" value={req.csrfToken} />
              {Object.keys(signForm.errors).length > 0 && (
                <div class="ds-error-summary" role="alert">
                  <ul class="ds-list">
                    {Object.entries(signForm.errors).map(([k, v]) => (
                      <li>
                        <a class="ds-link" href={`#f-${k}`}>
                          {v}
                        </a>
                      </li>
                    ))}
                  </ul>
                </div>
              )}
              <div class="ds-field">
                <label class="ds-label" for="f-organisationId">
                  {t.signatory}
                </label>
                <select class="ds-input" id="f-organisationId" name="organisationId" aria-invalid={signForm.errors.organisationId ? 'true' : undefined}>
                  {manageable.map((o) => (
                    <option value={o.id} selected={signForm.values.organisationId === o.id}>
                      {o.name}
                    </option>
                  ))}
                </select>
              </div>
              <div class="ds-field">
                <label class="ds-label" for="f-signedOn">
                  {t.signedOn} ({common[l].optional})
                </label>
                <p class="ds-paragraph field-desc" data-size="sm" id="f-signedOn-desc">
                  {t.dateHelp}
                </p>
                <input class="ds-input" type="text" inputMode="numeric" aria-describedby="f-signedOn-desc" id="f-signedOn" name="signedOn" value={signForm.values.signedOn ?? ''} aria-invalid={signForm.errors.signedOn ? 'true' : undefined} />
              </div>
              <div class="ds-field">
                <label class="ds-label" for="f-note">
                  {t.note} ({common[l].optional})
                </label>
                <input class="ds-input" type="text" id="f-note" name="note" value={signForm.values.note ?? ''} />
              </div>
              <button class="ds-button" data-variant="primary" type="submit">
                {t.addSignatory}
              </button>
            </form>
          </section>
        )}
        {canEdit && !c.endedOn && (
          <details class="ds-details danger-zone">
            <summary>{t.endCommitment}</summary>
            <EndForm req={req} action={`/commitments/${c.slug}/end`} label={t.endCommitment} />
          </details>
        )}
      </Layout>,
      status,
    );
  };

  r.get('/commitments/:slug', { schema: { ...hide, params: Slug } }, async (req, reply) => {
    const { node, status } = await renderCommitment(req, req.params.slug, emptyForm());
    return reply.html(node, status);
  });

  r.post('/commitments/:slug/signatories', { schema: { ...hide, params: Slug, body: Form } }, async (req, reply) => {
    const c = await reads.getCommitment(db.orm, req.params.slug);
    const res = await handleForm(req, (v) => svc.signCommitment(db, req.actor, c.id, v));
    if (res.ok) return reply.redirect(`/commitments/${c.slug}`, 303);
    const { node } = await renderCommitment(req, c.slug, res.form);
    return reply.html(node, 422);
  });

  r.get('/commitments/:slug/edit', { schema: { ...hide, params: Slug } }, async (req, reply) => {
    requireUser(req);
    const c = await reads.getCommitment(db.orm, req.params.slug);
    await policy.assertCanEditCommitment(db.orm, req.actor, c.id);
    const form = emptyForm({ title: c.title, lang: c.lang, datedOn: c.datedOn ?? '', body: c.body, url: c.url ?? '' });
    return reply.html(renderCommitmentForm(req, form, `/commitments/${c.slug}/edit`, `${dir[req.locale].editCommitment}: ${c.title}`, common[req.locale].save));
  });

  r.post('/commitments/:slug/edit', { schema: { ...hide, params: Slug, body: Form } }, async (req, reply) => {
    const c = await reads.getCommitment(db.orm, req.params.slug);
    const res = await handleForm(req, (v) => svc.updateCommitment(db, req.actor, c.id, v));
    if (res.ok) return reply.redirect(`/commitments/${res.result.slug}`, 303);
    return reply.html(renderCommitmentForm(req, res.form, `/commitments/${c.slug}/edit`, `${dir[req.locale].editCommitment}: ${c.title}`, common[req.locale].save), 422);
  });

  r.post('/commitments/:slug/end', { schema: { ...hide, params: Slug, body: Form } }, async (req, reply) => {
    const c = await reads.getCommitment(db.orm, req.params.slug);
    const endedOn = endDateFrom(req.body, 'endedOn');
    await svc.endCommitment(db, req.actor, c.id, endedOn);
    return reply.redirect(`/commitments/${c.slug}`, 303);
  });

  r.post('/signatures/:id/end', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) => {
    const s = await svc.endSignature(db, req.actor, req.params.id, null);
    const c = await reads.getCommitment(db.orm, s.commitmentId);
    return reply.redirect(`/commitments/${c.slug}`, 303);
  });
  // The /search page belongs to the search module (src/modules/search), over the shared index.

}
