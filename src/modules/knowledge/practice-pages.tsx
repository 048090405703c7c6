/**
 * The good-practice routes: the list, submitting and editing, a practice with its reviews and
 * adoptions, and its files. The practice page is in practice-views.tsx, the form in practice-form.tsx.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireUser } from '../../web/context.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Executor } from '../../platform/db/index.js';
import { ForbiddenError } from '../../platform/errors.js';
import type { AppDeps } from '../../platform/http.js';
import type { FileStorage } from '../../platform/storage/index.js';
import { asUploadedFile, textFields } from '../../web/multipart.js';
import { Alert, ButtonLink, Pager } from '../../web/components.js';
import { emptyForm, type FormState } from '../../web/form-fields.js';
import { formValues, handleForm } from '../../web/forms.js';
import { Layout } from '../../web/layout.js';
import { directory } from '../directory/index.js';
import { pt } from './i18n.js';
import { canManageAny, managesSomething } from './policy.js';
import { addPracticeFile, deletePracticeFile, practiceFileForDownload, adoptPractice, allThemes, listPractices, practiceForReader, practiceIndicatorLines, practiceOrgIds, practicesWaitingFor, reviewPractice, savePractice } from './practices.js';
import { MUNICIPALITY_SIZES, type PracticeRow } from './schema.js';
import { EditPage, practiceFromForm, rerender } from './practice-form.js';
import { PracticePage, TEXT_FIELDS, countryName } from './practice-views.js';

const Id = z.object({ id: z.string().min(1).max(100) });
const Form = z.record(z.string(), z.unknown());

async function orgOptions(db: Executor) {
  return directory.organisationOptions(db);
}
async function managedOrgs(db: Executor, req: FastifyRequest) {
  const all = await directory.organisationOptions(db);
  if (req.actor.isPlatformAdmin) return all;
  if (!managesSomething(req.actor)) return [];
  const out = [];
  for (const o of all) if (await canManageAny(db, req.actor, [o.id])) out.push(o);
  return out;
}

export async function practicePages(app: FastifyInstance, { db, config, storage }: AppDeps & { storage: FileStorage }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const hide = { hide: true } as const;
  const blankNum = z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(1).max(17).optional());

  r.get('/practices', { schema: { ...hide, querystring: z.object({ sdg: blankNum, theme: z.string().max(60).optional(), country: z.enum(['SE', 'NO', 'DK', '']).optional(), size: z.enum([...MUNICIPALITY_SIZES, '']).optional(), page: z.coerce.number().int().min(1).max(10_000).optional() }) } }, async (req, reply) => {
    const l = req.locale;
    const t = pt[l];
    const q = req.query;
    const [res, themes, waiting] = await Promise.all([
      listPractices(db.orm, { sdg: q.sdg ?? null, theme: q.theme || null, country: q.country || null, size: q.size || null, page: q.page ?? 1 }),
      allThemes(db.orm),
      practicesWaitingFor(db.orm, req.actor),
    ]);
    const List = ({ items }: { items: PracticeRow[] }) => (
      <ul class="entity-list">
        {items.map((p) => (
          <li lang={p.lang !== l ? p.lang : undefined}>
            <a class="ds-link" href={`/practices/${p.id}`}>
              {p.title}
            </a>
            <p class="ds-paragraph muted" data-size="sm" lang={l}>
              {[countryName(l, p.country), p.periodStart ? String(p.periodStart) : '', p.status !== 'published' ? t[`status_${p.status}`] : ''].filter(Boolean).join(' · ')}
            </p>
          </li>
        ))}
      </ul>
    );
    const qs = new URLSearchParams(Object.entries({ sdg: q.sdg ? String(q.sdg) : '', theme: q.theme ?? '', country: q.country ?? '', size: q.size ?? '' }).filter(([, v]) => v));
    return reply.html(
      <Layout req={req} title={t.practices}>
        <h1 class="ds-heading" data-size="lg">
          {t.practices}
        </h1>
        <p class="ds-paragraph">{t.intro}</p>
        {managesSomething(req.actor) && (
          <p class="ds-paragraph">
            <ButtonLink href="/practices/new" variant="primary">
              {t.submit}
            </ButtonLink>
          </p>
        )}
        {waiting.length > 0 && (
          <section aria-labelledby="pr-waiting" class="section">
            <h2 class="ds-heading" data-size="sm" id="pr-waiting">
              {t.waiting}
            </h2>
            <List items={waiting} />
          </section>
        )}
        <form method="get" action="/practices" class="filter-form">
          <div class="ds-field">
            <label class="ds-label" for="pr-sdg">
              {t.sdg}
            </label>
            <select class="ds-input" id="pr-sdg" name="sdg">
              <option value="">{t.anySdg}</option>
              {Array.from({ length: 17 }, (_, i) => i + 1).map((n) => (
                <option value={String(n)} selected={q.sdg === n}>
                  {t.goal(n)}
                </option>
              ))}
            </select>
          </div>
          <div class="ds-field">
            <label class="ds-label" for="pr-theme">
              {t.theme}
            </label>
            <select class="ds-input" id="pr-theme" name="theme">
              <option value="">{t.anyTheme}</option>
              {themes.map((th) => (
                <option value={th} selected={q.theme === th}>
                  {th}
                </option>
              ))}
            </select>
          </div>
          <div class="ds-field">
            <label class="ds-label" for="pr-country">
              {t.country}
            </label>
            <select class="ds-input" id="pr-country" name="country">
              <option value="">{t.anyCountry}</option>
              {(['SE', 'NO', 'DK'] as const).map((c) => (
                <option value={c} selected={q.country === c}>
                  {countryName(l, c)}
                </option>
              ))}
            </select>
          </div>
          <div class="ds-field">
            <label class="ds-label" for="pr-size">
              {t.size}
            </label>
            <p class="ds-paragraph field-desc" data-size="sm" id="pr-size-hint">
              {t.sizeHint}
            </p>
            <select class="ds-input" id="pr-size" name="size" aria-describedby="pr-size-hint">
              <option value="">{t.anySize}</option>
              {MUNICIPALITY_SIZES.map((sz) => (
                <option value={sz} selected={q.size === sz}>
                  {t[`size_${sz}`]}
                </option>
              ))}
            </select>
          </div>
          <button class="ds-button" data-variant="secondary" type="submit">
            {t.filter}
          </button>
        </form>
        <section aria-labelledby="pr-list" class="section">
          <h2 class="ds-heading" data-size="sm" id="pr-list">
            {t.status_published}
          </h2>
          {res.items.length ? <List items={res.items} /> : <p class="ds-paragraph">{t.none}</p>}
          {/* The shared pager: its links are named in words ("Next"), not arrows a screen reader cannot name. */}
          <Pager req={req} page={res.page} hasMore={res.hasMore} base={qs.size ? `/practices?${qs}` : '/practices'} />
        </section>
      </Layout>,
    );
  });

  r.get('/practices/new', { schema: hide }, async (req, reply) => {
    requireUser(req);
    return reply.html(<EditPage req={req} form={emptyForm({ lang: req.locale })} orgs={await orgOptions(db.orm)} practice={null} />);
  });
  r.post('/practices', { schema: { ...hide, body: Form } }, async (req, reply) => {
    const res = await handleForm(req, () => savePractice(db, req.actor, null, practiceFromForm(req.body)));
    if (res.ok) return reply.redirect(`/practices/${res.result.id}`, 303);
    return reply.html(<EditPage req={req} form={{ ...res.form, values: rerender(req.body) }} orgs={await orgOptions(db.orm)} practice={null} />, 422);
  });

  const show = async (req: FastifyRequest, id: string, forms: { review?: FormState; adopt?: FormState } = {}) => {
    const view = await practiceForReader(db.orm, req.actor, id);
    return <PracticePage req={req} view={view} reviewForm={forms.review} adoptForm={forms.adopt} adoptOrgs={await managedOrgs(db.orm, req)} />;
  };
  r.get('/practices/:id', { schema: { ...hide, params: Id } }, async (req, reply) => reply.html(await show(req, req.params.id)));

  r.get('/practices/:id/edit', { schema: { ...hide, params: Id } }, async (req, reply) => {
    requireUser(req);
    const view = await practiceForReader(db.orm, req.actor, req.params.id);
    if (!view.canEdit && !view.canReview) throw new ForbiddenError();
    const p = view.practice;
    const values: Record<string, string> = {
      title: p.title,
      lang: p.lang,
      organisationIds: (await practiceOrgIds(db.orm, p.id)).join(','),
      reviewerOrgId: p.reviewerOrgId,
      themes: p.themes.join(', '),
      sdgTargets: p.sdgTargets.join(', '),
      periodStart: p.periodStart ? String(p.periodStart) : '',
      periodEnd: p.periodEnd ? String(p.periodEnd) : '',
      originUrl: p.originUrl ?? '',
      indicators: await practiceIndicatorLines(db.orm, p.id),
    };
    for (const f of TEXT_FIELDS) values[f] = p[f];
    return reply.html(<EditPage req={req} form={emptyForm(values)} orgs={await orgOptions(db.orm)} practice={p} />);
  });
  r.post('/practices/:id/edit', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) => {
    const res = await handleForm(req, () => savePractice(db, req.actor, req.params.id, practiceFromForm(req.body)));
    if (res.ok) return reply.redirect(`/practices/${res.result.id}`, 303);
    const view = await practiceForReader(db.orm, req.actor, req.params.id);
    return reply.html(<EditPage req={req} form={{ ...res.form, values: rerender(req.body) }} orgs={await orgOptions(db.orm)} practice={view.practice} />, 422);
  });
  r.post('/practices/:id/review', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) => {
    const res = await handleForm(req, () => reviewPractice(db, req.actor, req.params.id, formValues(req.body)));
    if (res.ok) return reply.redirect(`/practices/${req.params.id}`, 303);
    return reply.html(await show(req, req.params.id, { review: res.form }), 422);
  });
  r.post('/practices/:id/files', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) => {
    const f = textFields(req.body);
    const res = await handleForm(req, () => addPracticeFile(db, storage, req.actor, req.params.id, asUploadedFile((req.body as Record<string, unknown>).file), f.title ?? null, config.uploadMaxBytes));
    if (res.ok) return reply.redirect(`/practices/${req.params.id}`, 303);
    const view = await practiceForReader(db.orm, req.actor, req.params.id);
    return reply.html(
      <Layout req={req} title={view.practice.title} crumbs={[{ href: `/practices/${req.params.id}`, label: view.practice.title }]}>
        <h1 class="ds-heading" data-size="lg">
          {view.practice.title}
        </h1>
        <Alert color="danger">{Object.values(res.form.errors).join(' ')}</Alert>
        <p class="ds-paragraph">
          <a class="ds-link" href={`/practices/${req.params.id}`}>
            {view.practice.title}
          </a>
        </p>
      </Layout>,
      422,
    );
  });
  r.post('/practices/:id/files/:fileId/delete', { schema: { ...hide, params: z.object({ id: z.string().max(100), fileId: z.string().max(100) }), body: Form } }, async (req, reply) => {
    await deletePracticeFile(db, req.actor, req.params.id, req.params.fileId);
    return reply.redirect(`/practices/${req.params.id}`, 303);
  });
  r.get('/practices/:id/files/:fileId', { schema: { ...hide, params: z.object({ id: z.string().max(100), fileId: z.string().max(100) }) } }, async (req, reply) => {
    const f = await practiceFileForDownload(db.orm, req.actor, req.params.id, req.params.fileId);
    const inline = f.mimeType === 'application/pdf' || f.mimeType.startsWith('image/');
    return reply
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(f.fileName)}`)
      .type(f.mimeType)
      .send(await storage.get(f.storageKey));
  });
  r.post('/practices/:id/adoptions', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) => {
    const res = await handleForm(req, () => adoptPractice(db, req.actor, req.params.id, formValues(req.body)));
    if (res.ok) return reply.redirect(`/practices/${req.params.id}`, 303);
    return reply.html(await show(req, req.params.id, { adopt: res.form }), res.form.errors.organisationId && /already/.test(res.form.errors.organisationId) ? 409 : 422);
  });
}
