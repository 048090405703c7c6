/**
 * Follow-up items on the meeting's own page: the list, with a state form per item, and the form to
 * add one, shown to those who manage one of the meeting's organising bodies. The meetings module
 * shows this through its extension slot (platform/http.ts `meetingSections`), so it does not
 * depend on plans. A rejected form comes back on a page of its own with the errors and the input.
 */
import { requireUser } from '../../web/context.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../platform/audit.js';
import type { Database } from '../../platform/db/index.js';
import type { MeetingRef, MeetingSection } from '../../platform/http.js';
import { Button, InlineLinks } from '../../web/components.js';
import { Csrf, emptyForm, ErrorSummary, SelectField, TextField, type FormState } from '../../web/form-fields.js';
import { handleForm } from '../../web/forms.js';
import { common } from '../../web/i18n/common.js';
import { formatDate } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { directory } from '../directory/index.js';
import { meetingRefFor } from '../meetings/index.js';
import { followupStateLabel, pt } from './i18n.js';
import { canManage } from './policy.js';
import * as q from './queries.js';
import { FOLLOWUP_STATES, type FollowupRow } from './schema.js';
import * as svc from './service.js';

const ids = z.object({ id: z.string().min(1).max(100) });
const Form = z.record(z.string(), z.unknown());

async function canWrite(db: Database, actor: Actor, m: MeetingRef) {
  if (!actor.userId && !actor.isPlatformAdmin) return false;
  for (const o of m.organiserIds) if (await canManage(db.orm, actor, o)) return true;
  return actor.isPlatformAdmin;
}

/** What a follow-up links to, as links the reader may follow (links to drafts they cannot see were dropped with the item). */
async function linksOf(db: Database, actor: Actor, f: FollowupRow) {
  const out: { href: string; label: string }[] = [];
  if (f.actionId) {
    const a = await svc.getAction(db.orm, actor, f.actionId).catch(() => null);
    if (a) out.push({ href: `/actions/${a.action.id}`, label: `${a.action.identifier} ${a.action.title}` });
  }
  if (f.priorityId) {
    const p = await svc.getPriority(db.orm, actor, f.priorityId).catch(() => null);
    const o = p ? await directory.getOrganisation(db.orm, p.organisationId).catch(() => null) : null;
    if (p && o) out.push({ href: `/organisations/${o.slug}/priorities#p-${p.id}`, label: p.title });
  }
  if (f.indicatorCode) out.push({ href: `/indicators/${encodeURIComponent(f.indicatorCode)}`, label: f.indicatorCode });
  return out;
}

/** The actions and priorities the writer may link to (drafts only where they may see them). */
async function linkOptions(db: Database, actor: Actor) {
  const plans = await q.listPlans(db.orm, actor);
  const acts = await q.planActions(db.orm, plans.map((p) => p.id));
  const planTitle = new Map(plans.map((p) => [p.id, p.title]));
  const prios = await q.listPriorities(db.orm, actor);
  return {
    actions: acts.map((a) => ({ value: a.id, label: `${a.identifier} ${a.title} (${planTitle.get(a.planId) ?? ''})` })),
    priorities: prios.map((p) => ({ value: p.id, label: p.title })),
  };
}

function FollowupForm({ req, m, form, options, embedded = false }: { req: FastifyRequest; m: MeetingRef; form: FormState; options: Awaited<ReturnType<typeof linkOptions>>; embedded?: boolean }) {
  const l = req.locale;
  const t = pt[l];
  const none = { value: '', label: t.choose };
  return (
    <form method="post" action={`/meetings/${m.id}/followups`} class="form no-print" novalidate>
      <Csrf req={req} />
      <h3 class="ds-heading" data-size="xs">
        {t.addFollowupHere}
      </h3>
      <ErrorSummary req={req} form={form} labels={{ agendaItemId: t.agendaItem, what: t.followupWhat, who: t.followupWho, dueDate: t.due, state: t.state, actionId: t.linkAction, priorityId: t.linkPriority, indicatorCode: t.linkIndicator }} />
      {embedded ? (
        // On the meeting page the meetings module's upload form already has an `f-agendaItemId`: ids must stay unique.
        <div class="ds-field">
          <label class="ds-label" for="fu-agendaItemId">
            {t.agendaItem}
          </label>
          <select class="ds-input" id="fu-agendaItemId" name="agendaItemId" required>
            {[none, ...m.items.map((i) => ({ value: i.id, label: i.label }))].map((o) => (
              <option value={o.value}>{o.label}</option>
            ))}
          </select>
        </div>
      ) : (
        <SelectField name="agendaItemId" label={t.agendaItem} form={form} required options={[none, ...m.items.map((i) => ({ value: i.id, label: i.label }))]} />
      )}
      <TextField name="what" label={t.followupWhat} form={form} required />
      <TextField name="who" label={t.followupWho} form={form} />
      <TextField name="dueDate" label={t.due} form={form} type="date" />
      <SelectField name="state" label={t.state} form={form} options={FOLLOWUP_STATES.map((x) => ({ value: x, label: followupStateLabel(l, x) }))} />
      <p class="ds-paragraph field-desc" data-size="sm">
        {t.linkHelp}
      </p>
      <SelectField name="actionId" label={t.linkAction} form={form} options={[none, ...options.actions]} sort={l} />
      <SelectField name="priorityId" label={t.linkPriority} form={form} options={[none, ...options.priorities]} sort={l} />
      <TextField name="indicatorCode" label={t.linkIndicator} form={form} />
      <Button variant="secondary">{common[l].save}</Button>
    </form>
  );
}

async function FollowupList({ req, db, m, rows, editable }: { req: FastifyRequest; db: Database; m: MeetingRef; rows: FollowupRow[]; editable: boolean }) {
  const l = req.locale;
  const t = pt[l];
  const label = new Map(m.items.map((i) => [i.id, i.label]));
  const links = await Promise.all(rows.map((f) => linksOf(db, req.actor, f)));
  if (!rows.length) return <p class="ds-paragraph">{t.noFollowups}</p>;
  return (
    <ul class="entity-list">
      {rows.map((f, n) => (
        <li id={`followup-${f.id}`}>
          <strong>{f.what}</strong>
          <span class="muted"> ({label.get(f.agendaItemId ?? '') ?? ''})</span>
          <br />
          {t.state}: {followupStateLabel(l, f.state)}
          {f.who && <> · {t.followupWho}: {f.who}</>}
          {f.dueDate && <> · {t.due}: {formatDate(l, f.dueDate)}</>}
          {links[n]!.length > 0 && (
            <>
              {' '}
              · {t.linkedTo}:{' '}
              <InlineLinks links={links[n]!} />
            </>
          )}
          {editable && (
            <form method="post" action={`/followups/${f.id}/state`} class="inline-actions no-print">
              <Csrf req={req} />
              <label class="ds-label" for={`fs-${f.id}`}>
                {t.changeState}
                <span class="visually-hidden">: {f.what}</span>
              </label>
              <select class="ds-input" id={`fs-${f.id}`} name="state">
                {FOLLOWUP_STATES.map((x) => (
                  <option value={x} selected={x === f.state}>
                    {followupStateLabel(l, x)}
                  </option>
                ))}
              </select>
              <Button variant="tertiary">
                {common[l].save}
                <span class="visually-hidden">: {f.what}</span>
              </Button>
            </form>
          )}
        </li>
      ))}
    </ul>
  );
}

/** The section on /meetings/{id}: nothing at all where there are no items to follow up and nobody to add them. */
export function meetingFollowupsSection(db: Database): MeetingSection {
  return async (req, m) => {
    const rows = await q.meetingFollowups(db.orm, req.actor, m.id);
    const editable = m.items.length > 0 && (await canWrite(db, req.actor, m));
    if (!rows.length && !editable) return null;
    const t = pt[req.locale];
    return (
      <section class="section" id="followups" aria-labelledby="followups-h">
        <h2 class="ds-heading" data-size="md" id="followups-h">
          {t.followups}
        </h2>
        {await FollowupList({ req, db, m, rows, editable })}
        {editable && <FollowupForm req={req} m={m} form={emptyForm({ state: 'open' })} options={await linkOptions(db, req.actor)} embedded />}
      </section>
    );
  };
}

export async function followupPages(app: FastifyInstance, deps: { db: Database }) {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const raw = (req: FastifyRequest) => Object.fromEntries(Object.entries((req.body ?? {}) as Record<string, unknown>).filter(([k]) => k !== '_csrf'));

  r.post('/meetings/:id/followups', { schema: { hide: true, params: ids, body: Form } }, async (req, reply) => {
    requireUser(req);
    const m = await meetingRefFor(db.orm, req.actor, req.params.id);
    const out = await handleForm(req, () => svc.createFollowup(db, req.actor, raw(req), { meetingId: m.id }));
    if (out.ok) return reply.redirect(`/meetings/${m.id}#followup-${out.result.id}`, 303);
    const t = pt[req.locale];
    return reply.html(
      <Layout req={req} title={`${t.addFollowupHere}: ${m.title}`} crumbs={[{ href: '/meetings', label: t.meetings }, { href: `/meetings/${m.id}`, label: m.title }]}>
        <h1 class="ds-heading" data-size="lg">
          {t.addFollowupHere}: {m.title}
        </h1>
        <FollowupForm req={req} m={m} form={out.form} options={await linkOptions(db, req.actor)} />
      </Layout>,
      422,
    );
  });

  r.post('/followups/:id/state', { schema: { hide: true, params: ids, body: Form } }, async (req, reply) => {
    requireUser(req);
    const out = await handleForm(req, () => svc.setFollowupState(db, req.actor, req.params.id, raw(req)));
    if (out.ok) return reply.redirect(`/meetings/${out.result.meetingId}#followup-${out.result.id}`, 303);
    // Only a state outside the list gets here: say so on a page of its own.
    const t = pt[req.locale];
    return reply.html(
      <Layout req={req} title={t.changeState}>
        <h1 class="ds-heading" data-size="lg">
          {t.changeState}
        </h1>
        <ErrorSummary req={req} form={out.form} labels={{ state: t.state }} />
      </Layout>,
      422,
    );
  });
}
