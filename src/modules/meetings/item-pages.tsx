/**
 * The pages of a meeting's case items, its minutes (recording decisions) and its printable
 * agenda and minutes. The meeting page itself, its forms, participants and files are in pages.tsx.
 */
import { requireUser } from '../../web/context.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { NotFoundError } from '../../platform/errors.js';
import type { FileStorage } from '../../platform/storage/index.js';
import { ButtonLink } from '../../web/components.js';
import { Csrf, emptyForm, ErrorSummary, TextArea, type FormState } from '../../web/form-fields.js';
import { formValues, handleForm } from '../../web/forms.js';
import { common } from '../../web/i18n/common.js';
import { dateTimeFormat, INTL_TAG } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { Checkbox, ItemForm } from './forms.js';
import { t } from './i18n.js';
import { meetingView, type MeetingView } from './queries.js';
import * as svc from './service.js';
import * as agendaSvc from './agenda.js';
import { ClosedTag, FileList, formatWhen, itemHref, ItemBody, itemLabel, meetingHref, MeetingMeta, PostButton, PrintCss, RichText } from './views.js';
import { Form, hide, Id, ItemRef, organisationChoices, requireEdit, itemFieldMap, itemFormValues, itemInputFromForm } from './form-input.js';

export async function meetingItemPages(app: FastifyInstance, deps: AppDeps & { storage: FileStorage }) {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const allOrgs = () => organisationChoices(db);

  // Items --------------------------------------------------------------------------------------------------
  const renderItemForm = async (req: FastifyRequest, v: MeetingView, form: FormState, itemId?: string) => {
    const s = t[req.locale];
    const title = itemId ? s.editItem : s.addItem;
    return (
      <Layout req={req} title={title} crumbs={[{ href: '/meetings', label: s.meetings }, { href: meetingHref(v.meeting.id), label: v.meeting.title }]}>
        <h1 class="ds-heading" data-size="lg">
          {title}
        </h1>
        <ItemForm req={req} form={form} action={itemId ? `/meetings/${v.meeting.id}/items/${itemId}/edit` : `/meetings/${v.meeting.id}/items`} orgs={await allOrgs()} submit={itemId ? common[req.locale].save : common[req.locale].create} />
        {itemId && (
          <div class="editor-panel">
            <PostButton req={req} action={`/meetings/${v.meeting.id}/items/${itemId}/delete`} label={s.deleteItem} variant="secondary" />
          </div>
        )}
      </Layout>
    );
  };

  r.get('/meetings/:id/items/new', { schema: { ...hide, params: Id } }, async (req, reply) => {
    const v = await meetingView(db.orm, req.actor, req.params.id);
    requireEdit(req, v);
    const next = v.items.length ? '' : '1';
    return reply.html(await renderItemForm(req, v, emptyForm({ isPublic: 'on', lang: v.meeting.lang, number: next, caseLeadBodyId: '' })));
  });

  r.post('/meetings/:id/items', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) => {
    const v = await meetingView(db.orm, req.actor, req.params.id);
    requireEdit(req, v);
    const res = await handleForm(req, async () => agendaSvc.addItem(db, req.actor, req.params.id, itemInputFromForm(req.body)), { multi: ['caseOtherBodyIds'], mapField: itemFieldMap });
    if (res.ok) return reply.redirect(`${meetingHref(req.params.id)}#item-${res.result.id}`, 303);
    return reply.html(await renderItemForm(req, v, res.form), 422);
  });

  r.get('/meetings/:id/items/:itemId', { schema: { ...hide, params: ItemRef } }, async (req, reply) => {
    const s = t[req.locale];
    const v = await meetingView(db.orm, req.actor, req.params.id);
    const it = v.items.find((i) => i.id === req.params.itemId);
    if (!it) throw new NotFoundError('agenda item', req.params.itemId);
    return reply.html(
      <Layout req={req} title={itemLabel(it)} crumbs={[{ href: '/meetings', label: s.meetings }, { href: meetingHref(v.meeting.id), label: v.meeting.title }]}>
        <PrintCss />
        <p class="ds-paragraph" data-size="sm">
          {s.item} {it.number ?? ''} · {formatWhen(req.locale, v.meeting)}
        </p>
        <h1 class="ds-heading" data-size="lg" lang={it.lang}>
          {itemLabel(it)} {!it.isPublic && <ClosedTag locale={req.locale} />}
        </h1>
        <ItemBody req={req} v={v} it={it} heading="h2" />
        {v.access.edit && <ButtonLink href={`/meetings/${v.meeting.id}/items/${it.id}/edit`}>{s.editItem}</ButtonLink>}
        <p class="ds-paragraph">
          <a class="ds-link" href={meetingHref(v.meeting.id)}>
            {s.backToMeeting}
          </a>
        </p>
      </Layout>,
    );
  });

  r.get('/meetings/:id/items/:itemId/edit', { schema: { ...hide, params: ItemRef } }, async (req, reply) => {
    const v = await meetingView(db.orm, req.actor, req.params.id);
    requireEdit(req, v);
    const it = v.items.find((i) => i.id === req.params.itemId);
    if (!it) await svc.getItemRow(db.orm, v.meeting.id, req.params.itemId);
    return reply.html(await renderItemForm(req, v, emptyForm(itemFormValues(it!)), it!.id));
  });

  r.post('/meetings/:id/items/:itemId/edit', { schema: { ...hide, params: ItemRef, body: Form } }, async (req, reply) => {
    const v = await meetingView(db.orm, req.actor, req.params.id);
    requireEdit(req, v);
    await svc.getItemRow(db.orm, v.meeting.id, req.params.itemId);
    const res = await handleForm(req, async () => agendaSvc.updateItem(db, req.actor, req.params.id, req.params.itemId, itemInputFromForm(req.body)), { multi: ['caseOtherBodyIds'], mapField: itemFieldMap });
    if (res.ok) return reply.redirect(itemHref(req.params.id, req.params.itemId), 303);
    return reply.html(await renderItemForm(req, v, res.form, req.params.itemId), 422);
  });

  r.post('/meetings/:id/items/:itemId/move', { schema: { ...hide, params: ItemRef, body: z.object({ _csrf: z.string().optional(), to: z.enum(['up', 'down']) }) } }, async (req, reply) => {
    requireUser(req);
    await agendaSvc.moveItem(db, req.actor, req.params.id, req.params.itemId, req.body.to);
    return reply.redirect(`${meetingHref(req.params.id)}#item-${req.params.itemId}`, 303);
  });

  r.post('/meetings/:id/items/:itemId/delete', { schema: { ...hide, params: ItemRef, body: Form } }, async (req, reply) => {
    requireUser(req);
    await agendaSvc.deleteItem(db, req.actor, req.params.id, req.params.itemId);
    return reply.redirect(meetingHref(req.params.id), 303);
  });

  // Minutes: record decisions --------------------------------------------------------------------------------
  const renderDecisions = (req: FastifyRequest, v: MeetingView, form: FormState) => {
    const s = t[req.locale];
    const labels: Record<string, string> = { minutesNotes: s.minutesNotes };
    for (const it of v.items) {
      labels[`decision_${it.id}`] = `${s.decision} – ${itemLabel(it)}`;
      labels[`result_${it.id}`] = `${s.result} – ${itemLabel(it)}`;
    }
    return (
      <Layout req={req} title={s.recordDecisions} crumbs={[{ href: '/meetings', label: s.meetings }, { href: meetingHref(v.meeting.id), label: v.meeting.title }]}>
        <h1 class="ds-heading" data-size="lg">
          {s.recordDecisions}
        </h1>
        <ErrorSummary req={req} form={form} labels={labels} />
        <form method="post" action={`/meetings/${v.meeting.id}/decisions`} novalidate>
          <Csrf req={req} />
          {v.items.map((it) => (
            <fieldset class="ds-fieldset agenda-item">
              <legend class="ds-heading" data-size="xs" lang={it.lang}>
                {itemLabel(it)} {!it.isPublic && `(${s.closed})`}
              </legend>
              {it.recommendation && (
                <>
                  <p class="ds-paragraph" data-size="sm">
                    <strong>{s.recommendation}:</strong>
                  </p>
                  <RichText html={it.recommendation} lang={it.lang} />
                </>
              )}
              <TextArea name={`decision_${it.id}`} label={`${s.decision} – ${itemLabel(it)}`} form={form} rows={3} lang={it.lang} />
              <div class="ds-field">
                <label class="ds-label" for={`f-result_${it.id}`}>
                  {`${s.result} – ${itemLabel(it)}`}
                </label>
                <input class="ds-input" id={`f-result_${it.id}`} name={`result_${it.id}`} value={form.values[`result_${it.id}`] ?? ''} lang={it.lang} />
              </div>
            </fieldset>
          ))}
          <TextArea name="minutesNotes" label={s.minutesNotes} form={form} rows={4} lang={v.meeting.lang} description={s.richTextHelp} />
          <Checkbox name="markHeld" label={s.markHeld} form={form} />
          <button class="ds-button" data-variant="primary" type="submit">
            {common[req.locale].save}
          </button>
        </form>
      </Layout>
    );
  };

  r.get('/meetings/:id/decisions', { schema: { ...hide, params: Id } }, async (req, reply) => {
    const v = await meetingView(db.orm, req.actor, req.params.id);
    requireEdit(req, v);
    const values: Record<string, string> = { minutesNotes: v.meeting.minutesNotes, markHeld: v.meeting.state === 'held' || v.meeting.startsAt < new Date() ? 'on' : '' };
    for (const it of v.items) {
      values[`decision_${it.id}`] = it.decision ?? '';
      values[`result_${it.id}`] = it.result ?? '';
    }
    return reply.html(renderDecisions(req, v, emptyForm(values)));
  });

  r.post('/meetings/:id/decisions', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) => {
    const v = await meetingView(db.orm, req.actor, req.params.id);
    requireEdit(req, v);
    const values = formValues(req.body);
    const items = v.items.filter((it) => `decision_${it.id}` in values).map((it) => ({ id: it.id, decision: values[`decision_${it.id}`] ?? '', result: values[`result_${it.id}`] ?? '' }));
    const res = await handleForm(req, () => agendaSvc.recordDecisions(db, req.actor, req.params.id, { minutesNotes: values.minutesNotes ?? '', markHeld: values.markHeld === 'on', items }), {
      // A decision's field path (items.2.result) names the form field of that item.
      mapField: (f) => {
        const [head, idx, sub] = f.split('.');
        if (head === 'items' && idx !== undefined) return `${sub === 'result' ? 'result' : 'decision'}_${items[Number(idx)]?.id ?? ''}`;
        return head || '_';
      },
    });
    if (res.ok) return reply.redirect(`${meetingHref(req.params.id)}`, 303);
    return reply.html(renderDecisions(req, v, res.form), 422);
  });

  // Printable agenda and minutes ---------------------------------------------------------------------------------------
  const renderPrint = async (req: FastifyRequest, reply: FastifyReply, id: string, kind: 'agenda' | 'minutes') => {
    const s = t[req.locale];
    const v = await meetingView(db.orm, req.actor, id);
    if (kind === 'agenda' ? !v.agendaVisible : !v.minutesVisible) throw new NotFoundError(kind, id);
    const m = v.meeting;
    const heading = kind === 'agenda' ? s.agenda : s.minutes;
    const published = kind === 'agenda' ? m.agendaPublishedAt : m.minutesPublishedAt;
    return reply.html(
      <Layout req={req} title={`${heading}: ${m.title}`} crumbs={[{ href: meetingHref(m.id), label: m.title }]}>
        <PrintCss />
        <article class="print-doc">
          <p class="ds-paragraph no-print">
            <button type="button" class="ds-button" data-variant="primary" data-print hidden>
              {s.print}
            </button>
            <noscript>{s.print}: Ctrl+P / ⌘P</noscript>
          </p>
          <script src="/meetings/assets/print.js" defer></script>
          <p class="ds-paragraph" data-size="sm">
            {heading}
            {published && ` · ${(kind === 'agenda' ? s.agendaPublishedOn : s.minutesPublishedOn)(dateTimeFormat(INTL_TAG[req.locale], { dateStyle: 'long', timeZone: m.timeZone }).format(published))}`}
          </p>
          <h1 class="ds-heading" data-size="lg" lang={m.lang}>
            {m.title}
          </h1>
          <MeetingMeta req={req} v={v} />
          {kind === 'minutes' && v.participants.length > 0 && (
            <>
              <h2 class="ds-heading" data-size="sm">
                {s.participants}
              </h2>
              <ul>
                {v.participants.map((p) => (
                  <li>
                    {p.person?.name} – {s[`role_${p.role}`]}, {s[`att_${p.attendance}`]}
                  </li>
                ))}
              </ul>
            </>
          )}
          {v.items.map((it) => (
            <section class="agenda-item" aria-labelledby={`p-${it.id}`}>
              <h2 class="ds-heading" data-size="sm" id={`p-${it.id}`} lang={it.lang}>
                {itemLabel(it)} {!it.isPublic && <ClosedTag locale={req.locale} />}
              </h2>
              <ItemBody req={req} v={v} it={it} heading="h2" showDecision={kind === 'minutes'} showContent={kind === 'agenda' || !it.decision} />
            </section>
          ))}
          {kind === 'minutes' && v.minutesNotes && (
            <>
              <h2 class="ds-heading" data-size="sm">
                {s.minutesNotes}
              </h2>
              <RichText html={v.minutesNotes} lang={m.lang} />
            </>
          )}
          {kind === 'minutes' && v.files.filter((f) => f.role === 'minutes').length > 0 && <FileList req={req} files={v.files.filter((f) => f.role === 'minutes')} />}
        </article>
      </Layout>,
    );
  };
  r.get('/meetings/:id/agenda', { schema: { ...hide, params: Id } }, async (req, reply) => renderPrint(req, reply, req.params.id, 'agenda'));
  r.get('/meetings/:id/minutes', { schema: { ...hide, params: Id } }, async (req, reply) => renderPrint(req, reply, req.params.id, 'minutes'));

}
