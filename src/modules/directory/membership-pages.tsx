/** The membership pages: adding a member (a new person in the same step), editing and ending a membership. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireUser } from '../../web/context.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/http.js';
import { ValidationError } from '../../platform/errors.js';
import { emptyForm, type FormState } from '../../web/form-fields.js';
import { handleForm } from '../../web/forms.js';
import { common } from '../../web/i18n/common.js';
import { Layout } from '../../web/layout.js';
import { EndForm, MembershipForm } from './forms.js';
import { dir } from './i18n.js';
import * as policy from './policy.js';
import { type OrganisationRow } from './schema.js';
import * as memberships from './memberships.js';
import * as profiles from './profiles.js';
import * as reads from './reads.js';
import { orgHref } from './views.js';
import { Form, hide, Id, endDateFrom, Slug } from './page-inputs.js';

export function membershipPages(app: FastifyInstance, { db }: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

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

}
