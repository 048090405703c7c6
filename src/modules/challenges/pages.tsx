/**
 * Challenge pages: the public list with filters and the forms. One challenge's page is in
 * challenge-page.tsx, the four-promises panel on organisation pages in promises.tsx.
 */
import { requireUser } from '../../web/context.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { Button, ButtonLink } from '../../web/components.js';
import { Csrf, emptyForm, ErrorSummary, SelectField, TextArea, TextField, type FormState } from '../../web/form-fields.js';
import { handleForm } from '../../web/forms.js';
import { common } from '../../web/i18n/common.js';
import { formatDate, LOCALES, LOCALE_NAMES } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { directory } from '../directory/index.js';
import { SDG_GOALS } from '../indicators/index.js';
import { plans } from '../plans/index.js';
import { ct, helpLabel, stateLabel } from './i18n.js';
import { assertCanManage, canManage } from './policy.js';
import * as q from './queries.js';
import { CHALLENGE_STATES, HELP_KINDS, type ChallengeRow, type HelpKind } from './schema.js';
import * as svc from './service.js';
import { challengePage as renderChallengePage } from './challenge-page.js';
import { promisesSection } from './promises.js';
import { StateTag } from './views.js';

const Id = z.object({ id: z.string().min(1).max(100) });
const Rid = z.object({ id: z.string().min(1).max(100), rid: z.string().min(1).max(100) });
const Form = z.record(z.string(), z.unknown());
const hide = { hide: true } as const;

function rawBody(req: FastifyRequest): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries((req.body ?? {}) as Record<string, unknown>)) if (k !== '_csrf') out[k] = v;
  return out;
}
const asValues = (raw: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v == null ? '' : String(v)]));

export async function challengePages(app: FastifyInstance, deps: AppDeps) {
  const { db, config } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

  // --- The public list ---
  const Filter = z.object({
    sdg: z.string().regex(/^(1[0-7]|[1-9])$/).optional().or(z.literal('')),
    organisation: z.string().max(200).optional(),
    country: z.enum(['SE', 'NO', 'DK']).optional().or(z.literal('')),
    help: z.enum(HELP_KINDS).optional().or(z.literal('')),
  });
  r.get('/challenges', { schema: { ...hide, querystring: Filter } }, async (req, reply) => {
    const l = req.locale;
    const t = ct[l];
    const f = { sdg: req.query.sdg || undefined, organisation: req.query.organisation || undefined, country: req.query.country || undefined, help: (req.query.help || undefined) as HelpKind | undefined };
    const items = await q.listChallenges(db.orm, req.actor, f);
    const owners = (await q.listChallenges(db.orm, req.actor, {})).map((i) => i.owner).filter((o): o is q.OrgRef => !!o);
    const ownerOptions = [...new Map(owners.map((o) => [o.slug, o])).values()].sort((a, b) => a.name.localeCompare(b.name, l));
    const canCreate = !!req.user && (req.actor.isPlatformAdmin || [...req.actor.orgRoles.values()].some((x) => x !== 'member'));
    return reply.html(
      <Layout req={req} title={t.challenges}>
        <h1 class="ds-heading" data-size="lg">
          {t.challenges}
        </h1>
        <p class="ds-paragraph lead">{t.intro}</p>
        {canCreate && <ButtonLink href="/challenges/new">{t.newChallenge}</ButtonLink>}
        <form method="get" action="/challenges" class="filter-form" role="search">
          <div class="ds-field">
            <label class="ds-label" for="f-sdg">
              {t.sdgGoal}
            </label>
            <select class="ds-input" id="f-sdg" name="sdg">
              <option value="">{t.all}</option>
              {SDG_GOALS.map((g) => (
                <option value={g.code} selected={g.code === f.sdg}>
                  {g.code} {g.short[l]}
                </option>
              ))}
            </select>
          </div>
          <div class="ds-field">
            <label class="ds-label" for="f-organisation">
              {t.municipality}
            </label>
            <select class="ds-input" id="f-organisation" name="organisation">
              <option value="">{t.all}</option>
              {ownerOptions.map((o) => (
                <option value={o.slug} selected={o.slug === f.organisation}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
          <div class="ds-field">
            <label class="ds-label" for="f-country">
              {t.country}
            </label>
            <select class="ds-input" id="f-country" name="country">
              <option value="">{t.allCountries}</option>
              {(['SE', 'NO', 'DK'] as const).map((c) => (
                <option value={c} selected={c === f.country}>
                  {new Intl.DisplayNames([l], { type: 'region' }).of(c)}
                </option>
              ))}
            </select>
          </div>
          <div class="ds-field">
            <label class="ds-label" for="f-help">
              {t.helpKinds}
            </label>
            <select class="ds-input" id="f-help" name="help">
              <option value="">{t.all}</option>
              {HELP_KINDS.map((h) => (
                <option value={h} selected={h === f.help}>
                  {helpLabel(l, h)}
                </option>
              ))}
            </select>
          </div>
          <Button variant="secondary">{t.filter}</Button>
        </form>
        <p class="ds-paragraph" role="status">
          {t.results(items.length)}
        </p>
        {items.length === 0 ? (
          <p class="ds-paragraph">{t.noChallenges}</p>
        ) : (
          <ul class="entity-list">
            {items.map(({ challenge: c, owner }) => (
              <li>
                <a class="ds-link" href={`/challenges/${c.id}`} lang={c.lang !== l ? c.lang : undefined}>
                  {c.title}
                </a>{' '}
                <StateTag l={l} state={c.state} />
                <span class="muted">
                  {owner ? ` · ${owner.name}` : ''}
                  {c.deadline ? ` · ${t.deadline}: ${formatDate(l, c.deadline)}` : ''}
                  {c.helpKinds.length ? ` · ${c.helpKinds.map((h) => helpLabel(l, h)).join(', ')}` : ''}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Layout>,
    );
  });

  // --- Challenge form ---
  const managed = async (req: FastifyRequest) => {
    const all = await directory.organisationOptions(db.orm);
    if (req.actor.isPlatformAdmin) return all;
    const out = [];
    for (const o of all) if (req.actor.orgRoles.has(o.id) && (await canManage(db.orm, req.actor, o.id))) out.push(o);
    return out;
  };
  const challengeForm = async (req: FastifyRequest, form: FormState, action: string, heading: string) => {
    const l = req.locale;
    const t = ct[l];
    const orgs = await managed(req);
    const orgIds = orgs.map((o) => o.id);
    const prios = orgIds.length ? await plans.listPriorities(db.orm, req.actor, { organisationIds: orgIds }) : [];
    const chosen = new Set((form.values.helpKinds ?? '').split(',').filter(Boolean));
    return (
      <Layout req={req} title={heading} crumbs={[{ href: '/challenges', label: t.challenges }]}>
        <h1 class="ds-heading" data-size="lg">
          {heading}
        </h1>
        <ErrorSummary req={req} form={form} labels={{ organisationId: t.owner, title: t.title, problem: t.problem, sdgTargets: t.sdgTargets, indicatorCode: t.indicator, indicatorTarget: t.targetValue, deadline: t.deadline, contactEmail: t.contactEmail, priorityId: t.priority }} />
        <form method="post" action={action} class="form" novalidate>
          <Csrf req={req} />
          <SelectField name="organisationId" label={t.owner} form={form} required options={[{ value: '', label: t.choose }, ...orgs.map((o) => ({ value: o.id, label: o.name }))]} />
          <TextField name="title" label={t.title} form={form} required />
          <SelectField name="lang" label={t.language} form={form} options={LOCALES.map((x) => ({ value: x, label: LOCALE_NAMES[x] }))} />
          <TextArea name="problem" label={t.problem} form={form} required />
          <SelectField name="priorityId" label={t.priority} form={form} options={[{ value: '', label: t.none }, ...prios.map((p) => ({ value: p.id, label: p.title }))]} />
          <TextField name="sdgTargets" label={t.sdgTargets} form={form} />
          <TextField name="indicatorCode" label={t.indicator} form={form} />
          <TextField name="indicatorTarget" label={t.targetValue} form={form} />
          <fieldset class="ds-fieldset" id="f-helpKinds">
            <legend class="ds-label">{t.helpKinds}</legend>
            {HELP_KINDS.map((h) => (
              <div class="ds-field">
                <input class="ds-input" type="checkbox" name="helpKinds" value={h} id={`help-${h}`} checked={chosen.has(h)} />
                <label class="ds-label" for={`help-${h}`} style="font-weight: normal">
                  {helpLabel(l, h)}
                </label>
              </div>
            ))}
          </fieldset>
          <TextField name="deadline" label={t.deadline} form={form} type="date" />
          <TextField name="contactName" label={t.contactName} form={form} />
          <TextField name="contactEmail" label={t.contactEmail} form={form} type="email" required />
          <SelectField name="state" label={t.state} form={form} options={CHALLENGE_STATES.map((s) => ({ value: s, label: stateLabel(l, s) }))} />
          <Button>{common[l].save}</Button>
        </form>
      </Layout>
    );
  };
  r.get('/challenges/new', { schema: hide }, async (req, reply) => {
    requireUser(req);
    return reply.html(await challengeForm(req, emptyForm({ lang: req.locale, state: 'open', contactEmail: req.user?.email ?? '' }), '/challenges', ct[req.locale].newChallenge));
  });
  r.post('/challenges', { schema: { ...hide, body: Form } }, async (req, reply) => {
    const raw = rawBody(req);
    const out = await handleForm(req, () => svc.createChallenge(db, req.actor, raw));
    if (out.ok) return reply.redirect(`/challenges/${out.result.id}`, 303);
    return reply.html(await challengeForm(req, { ...out.form, values: asValues(raw) }, '/challenges', ct[req.locale].newChallenge), 422);
  });
  const challengeValues = (c: ChallengeRow): Record<string, string> => ({
    organisationId: c.organisationId, title: c.title, lang: c.lang, problem: c.problem, priorityId: c.priorityId ?? '', sdgTargets: c.sdgTargets.join(', '),
    indicatorCode: c.indicatorCode ?? '', indicatorTarget: c.indicatorTarget == null ? '' : String(c.indicatorTarget), helpKinds: c.helpKinds.join(','),
    deadline: c.deadline ?? '', contactName: c.contactName, contactEmail: c.contactEmail, state: c.state,
  });
  r.get('/challenges/:id/edit', { schema: { ...hide, params: Id } }, async (req, reply) => {
    requireUser(req);
    const c = await svc.getChallenge(db.orm, req.actor, req.params.id);
    await assertCanManage(db.orm, req.actor, c.organisationId);
    return reply.html(await challengeForm(req, emptyForm(challengeValues(c)), `/challenges/${c.id}/edit`, ct[req.locale].editChallenge));
  });
  r.post('/challenges/:id/edit', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) => {
    const raw = rawBody(req);
    const out = await handleForm(req, () => svc.updateChallenge(db, req.actor, req.params.id, raw));
    if (out.ok) return reply.redirect(`/challenges/${out.result.id}`, 303);
    return reply.html(await challengeForm(req, { ...out.form, values: asValues(raw) }, `/challenges/${req.params.id}/edit`, ct[req.locale].editChallenge), 422);
  });

  const challengePage = (req: FastifyRequest, id: string, respForm: FormState, notice?: string) => renderChallengePage(deps, req, id, respForm, notice);
  r.get('/challenges/:id', { schema: { ...hide, params: Id, querystring: z.object({ sent: z.string().optional() }) } }, async (req, reply) =>
    reply.html(await challengePage(req, req.params.id, emptyForm({ contactEmail: req.user?.email ?? '', contactName: req.user?.displayName ?? '' }), req.query.sent ? ct[req.locale].responseSent : undefined)),
  );
  r.post('/challenges/:id/responses', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) => {
    const raw = rawBody(req);
    const out = await handleForm(req, () => svc.respond(db, req.actor, req.params.id, raw, config.publicUrl));
    if (out.ok) return reply.redirect(`/challenges/${req.params.id}?sent=1`, 303);
    return reply.html(await challengePage(req, req.params.id, out.form), 422);
  });
  r.post('/challenges/:id/responses/:rid/accept', { schema: { ...hide, params: Rid, body: Form.optional() } }, async (req, reply) => {
    await svc.acceptResponse(db, req.actor, req.params.id, req.params.rid);
    return reply.redirect(`/challenges/${req.params.id}`, 303);
  });
  r.post('/challenges/:id/responses/:rid/decline', { schema: { ...hide, params: Rid, body: Form.optional() } }, async (req, reply) => {
    await svc.declineResponse(db, req.actor, req.params.id, req.params.rid);
    return reply.redirect(`/challenges/${req.params.id}`, 303);
  });

  deps.extensions?.organisationSections.push(promisesSection(db));
}
