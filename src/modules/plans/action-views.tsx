/** How an action looks: its page (status, milestones, measured change, budget, updates, follow-ups) and the page of an import's errors. */
import type { FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { Alert, Button, ButtonLink, InlineLinks, PageSection } from '../../web/components.js';
import { Csrf, ErrorSummary, SelectField, TextArea, TextField, type FormState } from '../../web/form-fields.js';
import { common } from '../../web/i18n/common.js';
import { formatDate, formatNumber } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { directionLabel, followupStateLabel, pt } from './i18n.js';
import type { ActionDetail } from './queries.js';
import { FOLLOWUP_STATES, type PlanRow } from './schema.js';
import { Lang, money, period, SdgTargets, StatusTag, WideTable } from './views.js';

/**
 * An action's page. `items`: the agenda items a follow-up may be recorded on (none: no follow-up
 * form); `extra`: other modules' sections through the action slot; `updateForm` and
 * `followupForm`: the two forms' state.
 */
export function ActionPage({ req, d, items, extra, updateForm, followupForm }: { req: FastifyRequest; d: ActionDetail; items: { value: string; label: string }[]; extra: (VNode | null)[]; updateForm: FormState; followupForm: FormState }) {
  const l = req.locale;
  const t = pt[l];
  const a = d.action;
  const fmt = (v: number | null | undefined, unit: string) => (v == null ? '–' : `${formatNumber(l, v, { maximumFractionDigits: 2 })} ${unit}`);
  return (
    <Layout req={req} title={`${a.identifier} ${a.title}`} crumbs={[{ href: '/plans', label: t.plans }, { href: `/plans/${d.plan.id}`, label: d.plan.title }]}>
      <h1 class="ds-heading" data-size="lg">
        {a.identifier}{' '}
        <Lang lang={a.lang} page={l}>
          {a.title}
        </Lang>
      </h1>
      <p class="ds-paragraph lead">
        <StatusTag l={l} status={d.status.status} /> <span class="muted">({d.status.manual ? t.statusSetByHand : t.statusComputed})</span>
        {d.status.manual && d.status.reason && (
          <>
            {' '}
            <span lang={a.lang}>{d.status.reason}</span>
          </>
        )}
        {!d.status.manual && d.status.lateMilestones.length > 0 && <> · {t.lateMilestones(d.status.lateMilestones.length)}</>}
      </p>
      {a.description && (
        <p class="ds-paragraph description" lang={a.lang}>
          {a.description}
        </p>
      )}
      <dl class="facts" style="overflow-wrap: anywhere">
        <dt>{t.plan}</dt>
        <dd>
          <a class="ds-link" href={`/plans/${d.plan.id}`}>
            {d.plan.title}
          </a>
        </dd>
        <dt>{t.primaryOrg}</dt>
        <dd>{d.owner ? <a class="ds-link" href={`/organisations/${d.owner.slug}`}>{d.owner.name}</a> : '–'}</dd>
        {d.collaborators.length > 0 && (
          <>
            <dt>{t.collaborators}</dt>
            <dd>
              <InlineLinks links={d.collaborators.map((o) => ({ href: `/organisations/${o.slug}`, label: o.name }))} />
            </dd>
          </>
        )}
        {d.contacts.length > 0 && (
          <>
            <dt>{t.contacts}</dt>
            <dd>
              <InlineLinks links={d.contacts.map((p) => ({ href: `/people/${p.slug}`, label: p.name }))} />
            </dd>
          </>
        )}
        <dt>{t.period}</dt>
        <dd>{period(l, { periodStart: a.startDate, periodEnd: a.endDate })}</dd>
        {a.sdgTargets.length > 0 && (
          <>
            <dt>{t.sdgTargets}</dt>
            <dd>
              <SdgTargets l={l} codes={a.sdgTargets} />
            </dd>
          </>
        )}
      </dl>
      {d.canEdit && (
        <p class="actions">
          <ButtonLink href={`/actions/${a.id}/edit`}>{t.editAction}</ButtonLink>
        </p>
      )}
      {a.milestones.length > 0 && (
        <PageSection id="ms-h" title={t.milestones}>
          <WideTable label={t.milestones} head={[t.milestone, t.due, t.completedOn]}>
            {a.milestones.map((m) => (
              <tr>
                <td lang={a.lang}>{m.title}</td>
                <td>{formatDate(l, m.due)}</td>
                <td>{m.completedOn ? formatDate(l, m.completedOn) : d.status.lateMilestones.includes(m) ? <StatusTag l={l} status="late" /> : t.notCompleted}</td>
              </tr>
            ))}
          </WideTable>
        </PageSection>
      )}
      {d.indicators.length > 0 && (
        <PageSection id="ind-h" title={t.measuredChange}>
          <WideTable label={t.measuredChange} head={[t.indicators, t.expected, t.baseline, t.latest, t.change]}>
            {d.indicators.map((c) => (
              <tr>
                <td>
                  <a class="ds-link" href={`/indicators/${encodeURIComponent(c.code)}`}>
                    {c.name}
                  </a>
                </td>
                <td>{directionLabel(l, c.direction)}</td>
                <td>{c.baseline ? `${fmt(c.baseline.value, c.unit)} (${c.baseline.period})` : t.noData}</td>
                <td>{c.latest ? `${fmt(c.latest.value, c.unit)} (${c.latest.period})` : '–'}</td>
                <td>
                  {c.change == null ? '–' : `${c.change > 0 ? '+' : ''}${fmt(c.change, c.unit)}`}
                  {c.asExpected != null && <> ({c.asExpected ? `✔ ${t.asExpected}` : `⚠ ${t.notAsExpected}`})</>}
                </td>
              </tr>
            ))}
          </WideTable>
        </PageSection>
      )}
      {a.budget.length > 0 && (
        <PageSection id="budget-h" title={t.budget}>
          <WideTable label={t.budget} head={[t.year, t.amount]}>
            {a.budget.map((b) => (
              <tr>
                <td>{b.year}</td>
                <td>{money(l, b.amount, a.currency)}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">{t.total}</th>
              <td>{money(l, a.budget.reduce((s, b) => s + b.amount, 0), a.currency)}</td>
            </tr>
          </WideTable>
        </PageSection>
      )}
      <PageSection id="upd-h" title={t.updates}>
        {d.updates.length === 0 ? (
          <p class="ds-paragraph">{t.noUpdates}</p>
        ) : (
          <ul class="entity-list">
            {d.updates.map((u) => (
              <li>
                <strong>{formatDate(l, u.onDate)}</strong>: <span lang={a.lang}>{u.body}</span> <span class="muted">– {u.authorLabel}</span>
              </li>
            ))}
          </ul>
        )}
        {d.canEdit && (
          <form method="post" action={`/actions/${a.id}/updates`} class="form">
            <Csrf req={req} />
            <h3 class="ds-heading" data-size="xs">
              {t.addUpdate}
            </h3>
            <ErrorSummary req={req} form={updateForm} labels={{ onDate: t.updateDate, body: t.updateText }} />
            <TextField name="onDate" label={t.updateDate} form={updateForm} type="date" required />
            <TextArea name="body" label={t.updateText} form={updateForm} rows={3} />
            <Button variant="secondary">{common[l].save}</Button>
          </form>
        )}
      </PageSection>
      <PageSection id="mt-h" title={t.discussedIn}>
        {d.followups.length === 0 ? (
          <p class="ds-paragraph">{t.notDiscussed}</p>
        ) : (
          <ul class="entity-list">
            {d.followups.map((f) => (
              <li>
                {f.item ? (
                  <a class="ds-link" href={`/meetings/${f.item.meetingId}#item-${f.item.id}`}>
                    {f.item.meetingTitle}
                    {f.item.number ? `, ${f.item.number}` : ''}
                  </a>
                ) : null}
                {f.item && <span class="muted"> ({formatDate(l, f.item.startsAt)})</span>}: {f.what}
                {f.who && <> · {t.followupWho}: {f.who}</>}
                {f.dueDate && <> · {t.due}: {formatDate(l, f.dueDate)}</>}
              </li>
            ))}
          </ul>
        )}
        {items.length > 0 && (
          <form method="post" action={`/actions/${a.id}/followups`} class="form">
            <Csrf req={req} />
            <h3 class="ds-heading" data-size="xs">
              {t.addFollowup}
            </h3>
            <ErrorSummary req={req} form={followupForm} labels={{ agendaItemId: t.agendaItem, what: t.followupWhat, dueDate: t.due }} />
            <SelectField name="agendaItemId" label={t.agendaItem} form={followupForm} required options={[{ value: '', label: t.choose }, ...items]} />
            <TextField name="what" label={t.followupWhat} form={followupForm} required />
            <TextField name="who" label={t.followupWho} form={followupForm} />
            <TextField name="dueDate" label={t.due} form={followupForm} type="date" />
            <SelectField name="state" label={t.state} form={followupForm} options={FOLLOWUP_STATES.map((x) => ({ value: x, label: followupStateLabel(l, x) }))} />
            <Button variant="secondary">{common[l].save}</Button>
          </form>
        )}
      </PageSection>
      {extra}
    </Layout>
  );
}

/** The rows an import refused, each with its column and reason (status 422: nothing was written). */
export function ImportErrorsPage({ req, plan, rows }: { req: FastifyRequest; plan: PlanRow; rows: { row: number; column: string; message: string }[] }) {
  const t = pt[req.locale];
  return (
    <Layout req={req} title={t.importTitle} crumbs={[{ href: '/plans', label: t.plans }, { href: `/plans/${plan.id}`, label: plan.title }]}>
      <h1 class="ds-heading" data-size="lg">
        {t.importTitle}
      </h1>
      <Alert color="danger">{t.importErrors}</Alert>
      <WideTable caption={t.importErrors} label={t.importErrors} head={[t.row, t.field, t.reason]}>
        {rows.map((e) => (
          <tr>
            <td>{e.row}</td>
            <td>{e.column}</td>
            <td>{e.message}</td>
          </tr>
        ))}
      </WideTable>
      <p>
        <a class="ds-link" href={`/plans/${plan.id}`}>
          {plan.title}
        </a>
      </p>
    </Layout>
  );
}
