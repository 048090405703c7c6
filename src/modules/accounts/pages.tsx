/**
 * The account pages: sign-in and sign-out, forgotten and reset passwords, accepting an invitation,
 * one's account and API tokens, the platform admin page, and an organisation's access page.
 * Why this file is long: nineteen short routes that share the Submit button and the form handling;
 * split by flow (sign-in and passwords, invitations and access, tokens) when it grows further.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { ForbiddenError } from '../../platform/errors.js';
import { Alert, Table } from '../../web/components.js';
import { Csrf, emptyForm, ErrorSummary, SelectField, TextField, type FormState } from '../../web/form-fields.js';
import { cookieOptions, safeNext, SESSION_COOKIE, requireUser } from '../../web/context.js';
import { handleForm } from '../../web/forms.js';
import { common } from '../../web/i18n/common.js';
import { formatDateTime, type Locale } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { directory } from '../directory/index.js';
import { acc } from './i18n.js';
import { ORG_ROLES, type OrgRole } from './schema.js';
import * as svc from './service.js';

const Form = z.record(z.string(), z.unknown());
const TokenParam = z.object({ token: z.string().min(10).max(200) });

export const orgRoleLabel = (l: Locale, r: OrgRole) => ({ admin: acc[l].roleAdmin, editor: acc[l].roleEditor, member: acc[l].roleMember })[r];


function Submit({ label }: { label: string }) {
  return (
    <div class="form-actions">
      <button class="ds-button" data-variant="primary" type="submit">
        {label}
      </button>
    </div>
  );
}

export async function accountPages(app: FastifyInstance, { db, config }: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const hide = { hide: true } as const;
  // A new session in this browser also gets a new CSRF seed, so a token learnt or planted before
  // sign-in does not work after it. (The session it replaces was ended by the use case.)
  const setSession = (reply: FastifyReply, token: string) => {
    reply.setCookie(SESSION_COOKIE, token, cookieOptions(config, config.sessionTtlHours * 3600));
    reply.renewCsrf();
  };
  const signinLimit = { public: true, rateLimit: { max: config.signinRateLimit, timeWindow: '1 minute' } };
  // The limit above counts per address; this one per account, so guesses at one account from many
  // addresses share one budget (issue #8). In memory: one process serves the app.
  const accountAttempts = new Map<string, { n: number; since: number }>();
  const assertAccountBudget = (email: unknown) => {
    const key = String(email ?? '').trim().toLowerCase().slice(0, 320);
    if (!key) return;
    const now = Date.now();
    if (accountAttempts.size > 10_000) for (const [k, v] of accountAttempts) if (now - v.since > 60_000) accountAttempts.delete(k);
    const a = accountAttempts.get(key);
    if (!a || now - a.since > 60_000) {
      accountAttempts.set(key, { n: 1, since: now });
      return;
    }
    if (++a.n > config.signinRateLimit) throw Object.assign(new Error('Too many sign-in attempts for this account. Wait a minute and try again.'), { statusCode: 429 });
  };

  // --- Sign in / out -------------------------------------------------------

  const signInPage = (req: FastifyRequest, form: FormState, next: string, error?: string) => {
    const t = acc[req.locale];
    return (
      <Layout req={req} title={t.signInTitle}>
        <h1 class="ds-heading" data-size="lg">
          {t.signInTitle}
        </h1>
        {error && <Alert color="danger">{error}</Alert>}
        <form method="post" action={`/signin?next=${encodeURIComponent(next)}`} class="form narrow">
          <Csrf req={req} />
          <TextField name="email" type="email" label={t.email} form={form} required autocomplete="username" />
          <TextField name="password" type="password" label={t.password} form={form} required autocomplete="current-password" />
          <Submit label={t.signInButton} />
        </form>
        <p class="ds-paragraph">
          <a class="ds-link" href="/forgot-password">
            {t.forgotLink}
          </a>
        </p>
      </Layout>
    );
  };

  r.get('/signin', { schema: { ...hide, querystring: z.object({ next: z.string().max(2000).optional() }) } }, async (req, reply) =>
    reply.html(signInPage(req, emptyForm(), safeNext(req.query.next))),
  );

  r.post('/signin', { config: signinLimit, schema: { ...hide, body: Form, querystring: z.object({ next: z.string().max(2000).optional() }) } }, async (req, reply) => {
    const next = safeNext(req.query.next);
    const body = req.body as Record<string, unknown>;
    assertAccountBudget(body.email);
    try {
      const { token } = await svc.signIn(db, config, { email: body.email, password: body.password }, req.headers['user-agent'], req.cookies[SESSION_COOKIE]);
      setSession(reply, token);
      return reply.redirect(next === '/signin' ? '/' : next, 303);
    } catch (err) {
      if (err instanceof svc.InvalidCredentialsError) {
        return reply.html(signInPage(req, emptyForm({ email: String(body.email ?? '') }), next, acc[req.locale].wrongCredentials), 401);
      }
      throw err;
    }
  });

  r.post('/signout', { config: { public: true }, schema: { ...hide, body: Form } }, async (req, reply) => {
    if (req.sessionId) await svc.signOut(db, req.sessionId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/', 303);
  });

  // --- Password reset ------------------------------------------------------

  const forgotPage = (req: FastifyRequest, form: FormState, sent = false) => {
    const t = acc[req.locale];
    return (
      <Layout req={req} title={t.forgotTitle}>
        <h1 class="ds-heading" data-size="lg">
          {t.forgotTitle}
        </h1>
        {sent ? (
          <Alert color="success">{t.forgotSent}</Alert>
        ) : (
          <>
            <p class="ds-paragraph">{t.forgotLead}</p>
            <form method="post" action="/forgot-password" class="form narrow" novalidate>
              <Csrf req={req} />
              <ErrorSummary req={req} form={form} labels={{ email: t.email }} />
              <TextField name="email" type="email" label={t.email} form={form} required autocomplete="username" />
              <Submit label={t.forgotButton} />
            </form>
          </>
        )}
      </Layout>
    );
  };

  r.get('/forgot-password', { schema: hide }, async (req, reply) => reply.html(forgotPage(req, emptyForm())));
  r.post('/forgot-password', { config: signinLimit, schema: { ...hide, body: Form } }, async (req, reply) => {
    const res = await handleForm(req, (v) => svc.requestPasswordReset(db, config, v.email));
    return res.ok ? reply.html(forgotPage(req, emptyForm(), true)) : reply.html(forgotPage(req, res.form), 422);
  });

  const resetPage = (req: FastifyRequest, token: string, form: FormState) => {
    const t = acc[req.locale];
    return (
      <Layout req={req} title={t.resetTitle}>
        <h1 class="ds-heading" data-size="lg">
          {t.resetTitle}
        </h1>
        <form method="post" action={`/reset-password/${token}`} class="form narrow" novalidate>
          <Csrf req={req} />
          <ErrorSummary req={req} form={form} labels={{ password: t.newPassword }} />
          <TextField name="password" type="password" label={t.newPassword} form={form} required autocomplete="new-password" description={t.passwordHelp} />
          <Submit label={t.resetButton} />
        </form>
      </Layout>
    );
  };

  r.get('/reset-password/:token', { schema: { ...hide, params: TokenParam } }, async (req, reply) => {
    await svc.checkResetToken(db, req.params.token);
    return reply.html(resetPage(req, req.params.token, emptyForm()));
  });
  r.post('/reset-password/:token', { config: signinLimit, schema: { ...hide, params: TokenParam, body: Form } }, async (req, reply) => {
    const res = await handleForm(req, (v) => svc.resetPassword(db, req.params.token, v.password));
    if (!res.ok) return reply.html(resetPage(req, req.params.token, res.form), 422);
    const t = acc[req.locale];
    return reply.html(
      <Layout req={req} title={t.resetTitle}>
        <h1 class="ds-heading" data-size="lg">
          {t.resetTitle}
        </h1>
        <Alert color="success">{t.resetDone}</Alert>
        <p class="ds-paragraph">
          <a class="ds-link" href="/signin">
            {common[req.locale].signIn}
          </a>
        </p>
      </Layout>,
    );
  });

  // --- Invitations ---------------------------------------------------------

  const invitePage = async (req: FastifyRequest, token: string, form: FormState) => {
    const t = acc[req.locale];
    const inv = await svc.getInvitation(db, token);
    return (
      <Layout req={req} title={t.inviteTitle}>
        <h1 class="ds-heading" data-size="lg">
          {t.inviteTitle}
        </h1>
        <p class="ds-paragraph">{t.inviteLead(inv.email)}</p>
        {inv.organisation && inv.role && <p class="ds-paragraph">{t.inviteRole(orgRoleLabel(req.locale, inv.role).toLowerCase(), inv.organisation.name)}</p>}
        <form method="post" action={`/invitations/${token}`} class="form narrow" novalidate>
          <Csrf req={req} />
          <ErrorSummary req={req} form={form} labels={{ displayName: t.displayName, password: t.password, email: t.email }} />
          {form.errors.email && <Alert color="danger">{form.errors.email}</Alert>}
          <TextField name="displayName" label={t.displayName} form={form} required autocomplete="name" />
          <TextField name="password" type="password" label={t.password} form={form} required autocomplete="new-password" description={t.passwordHelp} />
          <Submit label={t.createAccount} />
        </form>
      </Layout>
    );
  };

  r.get('/invitations/:token', { schema: { ...hide, params: TokenParam } }, async (req, reply) => reply.html(await invitePage(req, req.params.token, emptyForm())));
  r.post('/invitations/:token', { config: signinLimit, schema: { ...hide, params: TokenParam, body: Form } }, async (req, reply) => {
    const res = await handleForm(req, (v) => svc.acceptInvitation(db, config, req.params.token, { displayName: v.displayName, password: v.password }, req.headers['user-agent'], req.cookies[SESSION_COOKIE]));
    if (!res.ok) return reply.html(await invitePage(req, req.params.token, res.form), 422);
    setSession(reply, res.result.token);
    return reply.redirect('/account', 303);
  });

  // --- Account -------------------------------------------------------------

  const accountPage = async (req: FastifyRequest, opts: { pwForm?: FormState; tokenForm?: FormState; newToken?: string; notice?: string } = {}) => {
    const user = requireUser(req);
    const l = req.locale;
    const t = acc[l];
    const [tokens, roles] = await Promise.all([svc.listApiTokens(db.orm, user.id), svc.listRolesOfUser(db.orm, user.id)]);
    const orgs = await Promise.all(roles.map(async (r) => ({ ...r, org: await directory.getOrganisation(db.orm, r.organisationId) })));
    const pwForm = opts.pwForm ?? emptyForm();
    const tokenForm = opts.tokenForm ?? emptyForm();
    return (
      <Layout req={req} title={t.accountTitle}>
        <h1 class="ds-heading" data-size="lg">
          {t.accountTitle}
        </h1>
        {opts.notice && <Alert color="success">{opts.notice}</Alert>}
        <dl class="facts">
          <dt>{t.name}</dt>
          <dd>{user.displayName}</dd>
          <dt>{t.email}</dt>
          <dd>{user.email}</dd>
          {user.isPlatformAdmin && (
            <>
              <dt>{t.role}</dt>
              <dd>{t.platformAdmin}</dd>
            </>
          )}
        </dl>
        <section aria-labelledby="my-roles" class="section">
          <h2 class="ds-heading" data-size="sm" id="my-roles">
            {t.myRoles}
          </h2>
          {orgs.length === 0 ? (
            <p class="ds-paragraph">{t.noRoles}</p>
          ) : (
            <ul class="entity-list">
              {orgs.map((o) => (
                <li>
                  <a class="ds-link" href={`/organisations/${o.org.slug}`}>
                    {o.org.name}
                  </a>
                  : {orgRoleLabel(l, o.role)}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="tokens" class="section">
          <h2 class="ds-heading" data-size="sm" id="tokens">
            {t.apiTokens}
          </h2>
          <p class="ds-paragraph">{t.apiTokensLead}</p>
          {opts.newToken && (
            <Alert color="success">
              <p class="ds-paragraph">{t.tokenCreated}</p>
              <code class="token" id="new-token">
                {opts.newToken}
              </code>
            </Alert>
          )}
          {tokens.length === 0 ? (
            <p class="ds-paragraph">{t.noTokens}</p>
          ) : (
            <Table caption={t.apiTokens} head={[t.tokenName, t.created, t.lastUsed, { hidden: t.revoke }]}>
                {tokens.map((tk) => (
                  <tr>
                    <td>
                      {tk.name} <code>{tk.prefix}…</code>
                      {tk.revokedAt && <span class="muted"> ({t.revoked})</span>}
                    </td>
                    <td>{formatDateTime(l, tk.createdAt)}</td>
                    <td>{tk.lastUsedAt ? formatDateTime(l, tk.lastUsedAt) : t.never}</td>
                    <td>
                      {!tk.revokedAt && (
                        <form method="post" action={`/account/tokens/${tk.id}/revoke`} class="inline-form">
                          <Csrf req={req} />
                          <button class="ds-button" data-variant="tertiary" data-size="sm" type="submit">
                            {t.revoke}
                            <span class="visually-hidden">: {tk.name}</span>
                          </button>
                        </form>
                      )}
                    </td>
                  </tr>
                ))}
            </Table>
          )}
          <form method="post" action="/account/tokens" class="form narrow" novalidate>
            <Csrf req={req} />
            <TextField name="name" label={t.tokenName} form={tokenForm} required />
            <Submit label={t.createToken} />
          </form>
        </section>
        <section aria-labelledby="pw" class="section">
          <h2 class="ds-heading" data-size="sm" id="pw">
            {t.changePassword}
          </h2>
          <form method="post" action="/account/password" class="form narrow" novalidate>
            <Csrf req={req} />
            <ErrorSummary req={req} form={pwForm} labels={{ current: t.currentPassword, password: t.newPassword }} />
            <TextField name="current" type="password" label={t.currentPassword} form={pwForm} required autocomplete="current-password" />
            <TextField name="password" type="password" label={t.newPassword} form={pwForm} required autocomplete="new-password" description={t.passwordHelp} />
            <Submit label={t.changePassword} />
          </form>
        </section>
      </Layout>
    );
  };

  r.get('/account', { schema: hide }, async (req, reply) => reply.html(await accountPage(req)));
  r.post('/account/password', { schema: { ...hide, body: Form } }, async (req, reply) => {
    requireUser(req);
    const res = await handleForm(req, (v) => svc.changePassword(db, req.actor, { current: v.current, password: v.password }, req.sessionId));
    if (!res.ok) return reply.html(await accountPage(req, { pwForm: res.form }), 422);
    return reply.html(await accountPage(req, { notice: acc[req.locale].passwordChanged }));
  });
  r.post('/account/tokens', { schema: { ...hide, body: Form } }, async (req, reply) => {
    requireUser(req);
    const res = await handleForm(req, (v) => svc.createApiToken(db, req.actor, { name: v.name }));
    if (!res.ok) return reply.html(await accountPage(req, { tokenForm: res.form }), 422);
    return reply.html(await accountPage(req, { newToken: res.result.token }));
  });
  r.post('/account/tokens/:id/revoke', { schema: { ...hide, params: z.object({ id: z.string().max(100) }), body: Form } }, async (req, reply) => {
    await svc.revokeApiToken(db, req.actor, req.params.id);
    return reply.redirect('/account', 303);
  });

  // --- Platform administration --------------------------------------------

  const adminPage = async (req: FastifyRequest, form: FormState, link?: string) => {
    const l = req.locale;
    const t = acc[l];
    const users = await svc.listUsers(db.orm, req.actor);
    const orgs = await directory.organisationOptions(db.orm);
    return (
      <Layout req={req} title={t.adminTitle}>
        <h1 class="ds-heading" data-size="lg">
          {t.adminTitle}
        </h1>
        <section aria-labelledby="invite" class="section">
          <h2 class="ds-heading" data-size="sm" id="invite">
            {t.inviteUser}
          </h2>
          {link && (
            <Alert color="success">
              <p class="ds-paragraph">{t.inviteSent}</p>
              <code class="token" id="invite-link">
                {link}
              </code>
            </Alert>
          )}
          <form method="post" action="/admin/invitations" class="form narrow" novalidate>
            <Csrf req={req} />
            <ErrorSummary req={req} form={form} labels={{ email: t.email, organisationId: t.organisation, role: t.role }} />
            <TextField name="email" type="email" label={t.email} form={form} required autocomplete="off" />
            <SelectField name="organisationId" label={t.organisation} form={form} options={[{ value: '', label: t.noOrganisation }, ...orgs.map((o) => ({ value: o.id, label: o.name }))]} />
            <SelectField name="role" label={t.role} form={form} options={[{ value: '', label: t.noRole }, ...ORG_ROLES.map((r) => ({ value: r, label: orgRoleLabel(l, r) }))]} />
            <Submit label={t.invite} />
          </form>
        </section>
        <section aria-labelledby="users" class="section">
          <h2 class="ds-heading" data-size="sm" id="users">
            {t.users}
          </h2>
          <Table caption={t.users} head={[t.name, t.email, t.role, t.created]}>
              {users.map((u) => (
                <tr>
                  <td>{u.displayName}</td>
                  <td>{u.email}</td>
                  <td>{u.isPlatformAdmin ? t.platformAdmin : ''}</td>
                  <td>{formatDateTime(l, u.createdAt)}</td>
                </tr>
              ))}
          </Table>
        </section>
      </Layout>
    );
  };

  r.get('/admin', { schema: hide }, async (req, reply) => {
    requireUser(req);
    if (!req.actor.isPlatformAdmin) throw new ForbiddenError();
    return reply.html(await adminPage(req, emptyForm()));
  });
  r.post('/admin/invitations', { schema: { ...hide, body: Form } }, async (req, reply) => {
    requireUser(req);
    if (!req.actor.isPlatformAdmin) throw new ForbiddenError();
    const res = await handleForm(req, (v) => svc.createInvitation(db, config, req.actor, v));
    if (!res.ok) return reply.html(await adminPage(req, res.form), 422);
    return reply.html(await adminPage(req, emptyForm(), res.result.link));
  });

  // --- Organisation access -------------------------------------------------

  const accessPage = async (req: FastifyRequest, slug: string, opts: { grantForm?: FormState; inviteForm?: FormState; link?: string } = {}) => {
    const l = req.locale;
    const t = acc[l];
    const org = await directory.getOrganisation(db.orm, slug);
    if (!(await directory.isAdminOf(db.orm, req.actor, org.id))) throw new ForbiddenError();
    const roles = await svc.listOrgRoles(db.orm, org.id);
    const roleOptions = ORG_ROLES.map((r) => ({ value: r, label: orgRoleLabel(l, r) }));
    const grantForm = opts.grantForm ?? emptyForm({ role: 'editor' });
    const inviteForm = opts.inviteForm ?? emptyForm({ role: 'editor' });
    return (
      <Layout req={req} title={t.accessTitle(org.name)} crumbs={[{ href: '/organisations', label: common[l].navOrganisations }, { href: `/organisations/${org.slug}`, label: org.name }]}>
        <h1 class="ds-heading" data-size="lg">
          {t.accessTitle(org.name)}
        </h1>
        <p class="ds-paragraph">{t.accessLead}</p>
        {roles.length === 0 ? (
          <p class="ds-paragraph">{t.noAccessEntries}</p>
        ) : (
          <Table caption={t.accessTitle(org.name)} head={[t.name, t.email, t.role, { hidden: t.remove }]}>
              {roles.map((r) => (
                <tr>
                  <td>{r.displayName}</td>
                  <td>{r.email}</td>
                  <td>{orgRoleLabel(l, r.role)}</td>
                  <td>
                    <form method="post" action={`/organisations/${org.slug}/access/${r.userId}/remove`} class="inline-form">
                      <Csrf req={req} />
                      <button class="ds-button" data-variant="tertiary" data-size="sm" type="submit">
                        {t.remove}
                        <span class="visually-hidden">: {r.displayName}</span>
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
          </Table>
        )}
        <section aria-labelledby="grant" class="section">
          <h2 class="ds-heading" data-size="sm" id="grant">
            {t.grantRole}
          </h2>
          <form method="post" action={`/organisations/${org.slug}/access`} class="form narrow" novalidate>
            <Csrf req={req} />
            <ErrorSummary req={req} form={grantForm} labels={{ email: t.email, role: t.role }} />
            <TextField name="email" type="email" label={t.email} form={grantForm} required autocomplete="off" />
            <SelectField name="role" label={t.role} form={grantForm} options={roleOptions} />
            <Submit label={t.grant} />
          </form>
        </section>
        <section aria-labelledby="invite-new" class="section">
          <h2 class="ds-heading" data-size="sm" id="invite-new">
            {t.inviteToOrg}
          </h2>
          {opts.link && (
            <Alert color="success">
              <p class="ds-paragraph">{t.inviteSent}</p>
              <code class="token" id="invite-link">
                {opts.link}
              </code>
            </Alert>
          )}
          <form method="post" action={`/organisations/${org.slug}/invitations`} class="form narrow" novalidate>
            <Csrf req={req} />
            <ErrorSummary req={req} form={inviteForm} labels={{ email: t.email, role: t.role }} />
            <TextField name="email" type="email" label={t.email} form={inviteForm} required autocomplete="off" />
            <SelectField name="role" label={t.role} form={inviteForm} options={roleOptions} />
            <Submit label={t.invite} />
          </form>
        </section>
      </Layout>
    );
  };

  const Slug = z.object({ slug: z.string().min(1).max(200) });
  r.get('/organisations/:slug/access', { schema: { ...hide, params: Slug } }, async (req, reply) => {
    requireUser(req);
    return reply.html(await accessPage(req, req.params.slug));
  });
  r.post('/organisations/:slug/access', { schema: { ...hide, params: Slug, body: Form } }, async (req, reply) => {
    const res = await handleForm(req, (v) => svc.grantOrgRole(db, req.actor, req.params.slug, v));
    if (!res.ok) return reply.html(await accessPage(req, req.params.slug, { grantForm: res.form }), 422);
    return reply.redirect(`/organisations/${req.params.slug}/access`, 303);
  });
  r.post('/organisations/:slug/access/:userId/remove', { schema: { ...hide, params: Slug.extend({ userId: z.string().max(100) }), body: Form } }, async (req, reply) => {
    await svc.revokeOrgRole(db, req.actor, req.params.slug, req.params.userId);
    return reply.redirect(`/organisations/${req.params.slug}/access`, 303);
  });
  r.post('/organisations/:slug/invitations', { schema: { ...hide, params: Slug, body: Form } }, async (req, reply) => {
    const org = await directory.getOrganisation(db.orm, req.params.slug);
    const res = await handleForm(req, (v) => svc.createInvitation(db, config, req.actor, { ...v, organisationId: org.id }));
    if (!res.ok) return reply.html(await accessPage(req, req.params.slug, { inviteForm: res.form }), 422);
    return reply.html(await accessPage(req, req.params.slug, { link: res.result.link }));
  });
}
