/**
 * One challenge's page: its live indicator gap, the responses this reader may see with the owner's
 * accept and decline, starting a plan action from an accepted response, and the response form.
 */
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../platform/http.js';
import { Alert, Button, ButtonLink } from '../../web/components.js';
import { Csrf, ErrorSummary, PostButton, SelectField, TextArea, TextField, type FormState } from '../../web/form-fields.js';
import { formatDate, formatNumber } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { directory, orgKindLabel } from '../directory/index.js';
import { plans } from '../plans/index.js';
import { ct, helpLabel } from './i18n.js';
import { canManage } from './policy.js';
import * as q from './queries.js';
import { RESPONDER_KINDS } from './schema.js';
import { goalName, StateTag } from './views.js';

export async function challengePage(deps: AppDeps, req: FastifyRequest, id: string, respForm: FormState, notice?: string) {
  const { db } = deps;
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
                    {/* A draft or a closed challenge refuses an acceptance (the service's rule); declining stays. */}
                    {c.state !== 'draft' && c.state !== 'closed' && (
                      <>
                        <PostButton req={req} action={`/challenges/${c.id}/responses/${v.response.id}/accept`} variant="secondary" size="md">
                          {t.accept}
                          <span class="visually-hidden">: {v.responder?.name ?? v.response.newOrgName}</span>
                        </PostButton>{' '}
                      </>
                    )}
                    <PostButton req={req} action={`/challenges/${c.id}/responses/${v.response.id}/decline`} size="md">
                      {t.decline}
                      <span class="visually-hidden">: {v.responder?.name ?? v.response.newOrgName}</span>
                    </PostButton>
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
            <TextArea name="offer" label={t.offer} form={respForm} rows={4} required />
            <TextField name="contactName" label={t.contactName} form={respForm} />
            <TextField name="contactEmail" label={t.contactEmail} form={respForm} type="email" required />
            <Button>{t.send}</Button>
          </form>
        )}
      </section>
    </Layout>
  );
}
