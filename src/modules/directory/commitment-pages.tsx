/** The commitment pages: the list, a commitment with its signatories and signing it, creating, editing and ending; ending a signature. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireUser } from '../../web/context.js';
import type { VNode } from 'preact';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/http.js';
import { ForbiddenError } from '../../platform/errors.js';
import { ButtonLink, Pager, Table } from '../../web/components.js';
import { emptyForm, type FormState } from '../../web/form-fields.js';
import { handleForm } from '../../web/forms.js';
import { common } from '../../web/i18n/common.js';
import { formatDate, sortByText } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { CommitmentForm, EndForm } from './forms.js';
import { dir } from './i18n.js';
import * as policy from './policy.js';
import * as svc from './service.js';
import * as profiles from './profiles.js';
import * as reads from './reads.js';
import { SignatureTable } from './views.js';
import { Form, hide, Id, ListQuery, endDateFrom, Slug } from './page-inputs.js';

export function commitmentPages(app: FastifyInstance, { db }: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

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
}
