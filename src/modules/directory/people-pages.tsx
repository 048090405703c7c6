/** The people pages: the list, a person's page with current and past roles, creating, editing and ending. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireUser } from '../../web/context.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/http.js';
import { ForbiddenError } from '../../platform/errors.js';
import { ButtonLink, Pager } from '../../web/components.js';
import { emptyForm, type FormState } from '../../web/form-fields.js';
import { handleForm } from '../../web/forms.js';
import { common } from '../../web/i18n/common.js';
import { sortByText } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { EndForm, PersonForm } from './forms.js';
import { dir } from './i18n.js';
import * as policy from './policy.js';
import * as svc from './service.js';
import * as profiles from './profiles.js';
import * as reads from './reads.js';
import { CurrentAndPast, personHref } from './views.js';
import { Form, hide, ListQuery, endDateFrom, Slug } from './page-inputs.js';

export function peoplePages(app: FastifyInstance, { db }: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

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

}
