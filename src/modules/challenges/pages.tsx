/**
 * Challenge pages: the public list with filters, one challenge with its live indicator gap and the
 * responses this reader may see, the forms, and the four-promises panel on organisation pages.
 */
import { requireUser } from '../../web/context.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { Alert, Button, ButtonLink } from '../../web/components.js';
import { Csrf, emptyForm, ErrorSummary, SelectField, TextArea, TextField, type FormState } from '../../web/form-fields.js';
import { handleForm } from '../../web/forms.js';
import { common } from '../../web/i18n/common.js';
import { formatDate, formatNumber, LOCALES, LOCALE_NAMES, type Locale } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { directory, orgKindLabel } from '../directory/index.js';
import { areaIndicators, SDG_GOALS } from '../indicators/index.js';
import { plans } from '../plans/index.js';
import { ct, helpLabel, STATE_ICON, stateLabel } from './i18n.js';
import { assertCanManage, canManage } from './policy.js';
import * as q from './queries.js';
import { CHALLENGE_STATES, HELP_KINDS, RESPONDER_KINDS, type ChallengeRow, type ChallengeState, type HelpKind } from './schema.js';
import * as svc from './service.js';

const Id = z.object({ id: z.string().min(1).max(100) });
const Rid = z.object({ id: z.string().min(1).max(100), rid: z.string().min(1).max(100) });
const Form = z.record(z.string(), z.unknown());
const hide = { hide: true } as const;
const STAVANGER = 'stavangererklaeringen';

function rawBody(req: FastifyRequest): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries((req.body ?? {}) as Record<string, unknown>)) if (k !== '_csrf') out[k] = v;
  return out;
}
const asValues = (raw: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v == null ? '' : String(v)]));

function StateTag({ l, state }: { l: Locale; state: ChallengeState }) {
  return (
    <span class={`status-tag challenge-${state}`}>
      <span aria-hidden="true">{STATE_ICON[state]} </span>
      {stateLabel(l, state)}
    </span>
  );
}
const goalName = (l: Locale, code: string) => SDG_GOALS.find((g) => g.code === code)?.short[l] ?? '';

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
          <TextArea name="problem" label={t.problem} form={form} />
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

  // --- One challenge ---
  const challengePage = async (req: FastifyRequest, id: string, respForm: FormState, notice?: string) => {
    const l = req.locale;
    const t = ct[l];
    const d = await q.challengeDetail(db.orm, req.actor, id);
    const c = d.challenge;
    const canEdit = await canManage(db.orm, req.actor, c.organisationId);
    const myOrgs = req.user ? (await directory.organisationOptions(db.orm)).filter((o) => req.actor.isPlatformAdmin || req.actor.orgRoles.has(o.id)) : [];
    const open = c.state === 'open' || c.state === 'in_dialogue';
    const fmt = (v: number) => formatNumber(l, v, { maximumFractionDigits: d.gap?.decimals ?? 1 });
    const accepted = d.responses.filter((v) => v.response.state === 'accepted');
    // An accepted response can start an action in one of the owner's current plans.
    const ownerPlans = canEdit && accepted.length ? (await plans.listPlans(db.orm, req.actor, { organisationId: c.organisationId })).filter((p) => p.state !== 'ended') : [];
    // Other modules' sections (the projects answering this challenge, and starting one), through the slot.
    const extra = await Promise.all((deps.extensions?.challengeSections ?? []).map((section) => section(req, { id: c.id, organisationId: c.organisationId, canManage: canEdit })));
    return (
      <Layout req={req} title={c.title} crumbs={[{ href: '/challenges', label: t.challenges }]}>
        <h1 class="ds-heading" data-size="lg">
          <span lang={c.lang !== l ? c.lang : undefined}>{c.title}</span>
        </h1>
        {notice && <Alert color="success">{notice}</Alert>}
        <p class="ds-paragraph lead">
          <StateTag l={l} state={c.state} />
          {d.owner && (
            <>
              {' '}
              · {t.owner}: <a class="ds-link" href={`/organisations/${d.owner.slug}`}>{d.owner.name}</a>
            </>
          )}
        </p>
        <h2 class="ds-heading" data-size="md">
          {t.problem}
        </h2>
        <p class="ds-paragraph description" lang={c.lang}>
          {c.problem}
        </p>
        <dl class="facts" style="overflow-wrap: anywhere">
          {d.priority && (
            <>
              <dt>{t.priority}</dt>
              <dd>{d.owner ? <a class="ds-link" href={`/organisations/${d.owner.slug}/priorities#p-${d.priority.id}`}>{d.priority.title}</a> : d.priority.title}</dd>
            </>
          )}
          {c.sdgTargets.length > 0 && (
            <>
              <dt>{t.sdgTargets}</dt>
              <dd>{c.sdgTargets.map((x) => `${x} (${goalName(l, x.split('.')[0]!)})`).join(', ')}</dd>
            </>
          )}
          {c.helpKinds.length > 0 && (
            <>
              <dt>{t.helpKinds}</dt>
              <dd>{c.helpKinds.map((h) => helpLabel(l, h)).join(', ')}</dd>
            </>
          )}
          {c.deadline && (
            <>
              <dt>{t.deadline}</dt>
              <dd>{formatDate(l, c.deadline)}</dd>
            </>
          )}
          <dt>{t.contact}</dt>
          <dd>
            {c.contactName} <a class="ds-link" href={`mailto:${c.contactEmail}`}>{c.contactEmail}</a>
          </dd>
        </dl>
        {d.gap && (
          <section class="section" aria-labelledby="gap-h">
            <h2 class="ds-heading" data-size="md" id="gap-h">
              {t.indicatorGap}
            </h2>
            <dl class="facts" style="overflow-wrap: anywhere">
              <dt>{t.indicator}</dt>
              <dd>
                <a class="ds-link" href={`/indicators/${encodeURIComponent(d.gap.code)}`}>
                  {d.gap.name}
                </a>
              </dd>
              <dt>{t.currentValue}</dt>
              <dd>{d.gap.current ? `${fmt(d.gap.current.value)} ${d.gap.unit} (${d.gap.current.period})` : t.noCurrentValue}</dd>
              {d.gap.target != null && (
                <>
                  <dt>{t.targetValue}</dt>
                  <dd>
                    {fmt(d.gap.target)} {d.gap.unit}
                  </dd>
                </>
              )}
              {d.gap.gap != null && (
                <>
                  <dt>{t.gap}</dt>
                  <dd>
                    {d.gap.gap > 0 ? '+' : ''}
                    {fmt(d.gap.gap)} {d.gap.unit}
                  </dd>
                </>
              )}
            </dl>
          </section>
        )}
        {canEdit && (
          <p class="actions">
            <ButtonLink href={`/challenges/${c.id}/edit`}>{t.editChallenge}</ButtonLink>
          </p>
        )}
        {accepted.length > 0 && (
          <section class="section" aria-labelledby="partners-h">
            <h2 class="ds-heading" data-size="md" id="partners-h">
              {t.partners}
            </h2>
            <ul class="entity-list">
              {accepted.map((v) => (
                <li>{v.responder ? <a class="ds-link" href={`/organisations/${v.responder.slug}`}>{v.responder.name}</a> : v.response.newOrgName}</li>
              ))}
            </ul>
            {canEdit &&
              ownerPlans.map((p) => (
                <form method="get" action={`/plans/${p.id}/actions/new`} class="inline-form">
                  <input type="hidden" name="title" value={c.title} />
                  <input type="hidden" name="description" value={c.problem.slice(0, 5000)} />
                  <input type="hidden" name="lang" value={c.lang} />
                  <input type="hidden" name="sdgTargets" value={c.sdgTargets.join(', ')} />
                  {c.indicatorCode && <input type="hidden" name="indicator" value={c.indicatorCode} />}
                  <input type="hidden" name="collaboratorIds" value={accepted.map((v) => v.responder?.id).filter(Boolean).join(',')} />
                  <Button variant="secondary">{t.startAction(p.title)}</Button>{' '}
                </form>
              ))}
          </section>
        )}
        {extra}
        <section class="section" aria-labelledby="resp-h">
          <h2 class="ds-heading" data-size="md" id="resp-h">
            {t.responses}
          </h2>
          <p class="ds-paragraph muted">{t.responsesPrivate}</p>
          {d.responses.length === 0 ? (
            <p class="ds-paragraph">{t.noResponses}</p>
          ) : (
            <ul class="entity-list">
              {d.responses.map((v) => (
                <li class="response">
                  <strong>{v.responder ? v.responder.name : v.response.newOrgName}</strong>
                  {!v.responder && <span class="muted"> ({t.pendingNewOrg})</span>}:{' '}
                  <span>{v.response.offer}</span>{' '}
                  <span class="muted">
                    · {v.response.state === 'accepted' ? t.accepted : v.response.state === 'declined' ? t.declined : t.pending}
                    {v.contact && (
                      <>
                        {' '}
                        · {v.contact.name} {v.contact.email}
                      </>
                    )}
                  </span>
                  {canEdit && v.response.state === 'pending' && (
                    <span class="inline-form">
                      <form method="post" action={`/challenges/${c.id}/responses/${v.response.id}/accept`} style="display: inline">
                        <Csrf req={req} />
                        <Button variant="secondary">
                          {t.accept}
                          <span class="visually-hidden">: {v.responder?.name ?? v.response.newOrgName}</span>
                        </Button>
                      </form>{' '}
                      <form method="post" action={`/challenges/${c.id}/responses/${v.response.id}/decline`} style="display: inline">
                        <Csrf req={req} />
                        <Button variant="tertiary">
                          {t.decline}
                          <span class="visually-hidden">: {v.responder?.name ?? v.response.newOrgName}</span>
                        </Button>
                      </form>
                    </span>
                  )}
                </li>
              ))}
            </ul>
          )}
          {open && !req.user && (
            <p class="ds-paragraph">
              <a class="ds-link" href={`/signin?next=${encodeURIComponent(`/challenges/${c.id}`)}`}>
                {t.respondSignIn}
              </a>
            </p>
          )}
          {!open && <p class="ds-paragraph">{t.notTakingResponses}</p>}
          {open && req.user && (
            <form method="post" action={`/challenges/${c.id}/responses`} class="form" novalidate>
              <Csrf req={req} />
              <h3 class="ds-heading" data-size="sm">
                {t.respond}
              </h3>
              <ErrorSummary req={req} form={respForm} labels={{ responderOrgId: t.respondFor, newOrgName: t.newOrgName, newOrgKind: t.newOrgKind, offer: t.offer, contactEmail: t.contactEmail }} />
              <SelectField name="responderOrgId" label={t.respondFor} form={respForm} options={[{ value: '', label: t.none }, ...myOrgs.map((o) => ({ value: o.id, label: o.name }))]} />
              <p class="ds-paragraph field-desc" data-size="sm">
                {t.respondNew}
              </p>
              <TextField name="newOrgName" label={t.newOrgName} form={respForm} />
              <SelectField name="newOrgKind" label={t.newOrgKind} form={respForm} options={[{ value: '', label: t.none }, ...RESPONDER_KINDS.map((k) => ({ value: k, label: orgKindLabel(l, k) }))]} />
              <TextArea name="offer" label={t.offer} form={respForm} rows={4} />
              <TextField name="contactName" label={t.contactName} form={respForm} />
              <TextField name="contactEmail" label={t.contactEmail} form={respForm} type="email" required />
              <Button>{t.send}</Button>
            </form>
          )}
        </section>
      </Layout>
    );
  };
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

  // --- The four promises, on the page of each signatory of the Stavanger declaration ---
  deps.extensions?.organisationSections.push(async (req, org) => {
    if (!(await directory.hasOpenSignature(db.orm, org.id, STAVANGER))) return null;
    const l = req.locale;
    const t = ct[l];
    const withData = org.areaId ? (await areaIndicators(db.orm, org.areaId)).filter((r) => r.latest_value != null).length : 0;
    const planEv = await plans.promiseEvidence(db.orm, org);
    const mob = await q.mobilisation(db.orm, org.id);
    const area = !org.areaId ? null : org.area !== undefined ? org.area : await directory.getAreaById(db.orm, org.areaId);
    const Promise = ({ n, title, have, text, missing, links }: { n: number; title: string; have: boolean; text: string; missing: string; links: { href: string; label: string }[] }) => (
      <li class="promise">
        <h3 class="ds-heading" data-size="xs">
          {n}. {title}
        </h3>
        <p class="ds-paragraph">
          <span aria-hidden="true">{have ? '✔ ' : '○ '}</span>
          {have ? text : missing}{' '}
          {links.map((x) => (
            <>
              {' '}
              <a class="ds-link" href={x.href}>
                {x.label}
              </a>
            </>
          ))}
        </p>
      </li>
    );
    return (
      <section class="section promises" aria-labelledby="promises-h">
        <h2 class="ds-heading" data-size="md" id="promises-h">
          {t.promisesTitle}
        </h2>
        <p class="ds-paragraph">{t.promisesIntro}</p>
        <ol class="entity-list" style="list-style: none; padding-left: 0">
          <Promise n={1} title={t.promise1} have={withData > 0} text={`${t.p1Have(withData)} ${t.p1Targets}`} missing={`${t.p1Missing} ${t.p1Targets}`} links={area ? [{ href: `/areas/${area.key}`, label: t.seeIndicators }] : []} />
          <Promise
            n={2}
            title={t.promise2}
            have={planEv.adoptedPlans.length > 0}
            text={t.p2Have(planEv.adoptedPlans.length, planEv.linkedActions)}
            missing={t.p2Missing}
            links={planEv.adoptedPlans.map((p) => ({ href: `/plans/${p.id}`, label: p.title }))}
          />
          <Promise n={3} title={t.promise3} have={mob.challenges > 0} text={t.p3Have(mob.challenges, mob.partners)} missing={t.p3Missing} links={mob.challenges ? [{ href: `/challenges?organisation=${org.slug}`, label: t.seeChallenges }] : []} />
          <Promise n={4} title={t.promise4} have={planEv.measuredActions > 0} text={t.p4Have(planEv.measuredActions)} missing={t.p4Missing} links={planEv.adoptedPlans.length ? [{ href: `/organisations/${org.slug}/priorities`, label: t.seePriorities }] : []} />
        </ol>
      </section>
    );
  });
}
