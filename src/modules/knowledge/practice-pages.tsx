/**
 * The good-practice pages: the list, the form, a practice with its evidence panel, reviews and
 * adoptions, and its files.
 * Why this file is long: not yet split. The same cut as event-pages.tsx (form, views, routes) is
 * the obvious next step; until then the pieces sit in that order here.
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
import { Alert, ButtonLink, Table, InlineLinks } from '../../web/components.js';
import { Csrf, emptyForm, ErrorSummary, FileField, SelectField, TextArea, TextField, type FormState } from '../../web/form-fields.js';
import { formValues, handleForm } from '../../web/forms.js';
import { formatNumber, type Locale } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { directory } from '../directory/index.js';
import { LANG_LABEL, pt } from './i18n.js';
import { canManageAny, managesSomething } from './policy.js';
import { addPracticeFile, deletePracticeFile, practiceFileForDownload, adoptPractice, allThemes, listPractices, practiceForReader, practiceIndicatorLines, practiceOrgIds, practicesWaitingFor, reviewPractice, savePractice, type PracticeView } from './practices.js';
import { MUNICIPALITY_SIZES, type PracticeRow } from './schema.js';

const Id = z.object({ id: z.string().min(1).max(100) });
const Form = z.record(z.string(), z.unknown());
const COUNTRIES = { SE: { en: 'Sweden', sv: 'Sverige', nb: 'Sverige', da: 'Sverige' }, NO: { en: 'Norway', sv: 'Norge', nb: 'Norge', da: 'Norge' }, DK: { en: 'Denmark', sv: 'Danmark', nb: 'Danmark', da: 'Danmark' } } as const;
const countryName = (l: Locale, c: string | null) => (c && c in COUNTRIES ? COUNTRIES[c as keyof typeof COUNTRIES][l] : (c ?? ''));

const TEXT_FIELDS = ['startingPoint', 'whatWasDone', 'whoWasInvolved', 'resources', 'results', 'keyFigures', 'lessons', 'transfer', 'contacts'] as const;


/** Form bodies: multiple-select organisations arrive as an array, the shared schema takes a list. */
function practiceFromForm(body: unknown) {
  const v = formValues(body);
  const orgs = (body as Record<string, unknown>).organisationIds;
  return { ...v, organisationIds: Array.isArray(orgs) ? orgs : v.organisationIds ? [v.organisationIds] : [] };
}
const rerender = (body: unknown) => {
  const v = formValues(body);
  const orgs = (body as Record<string, unknown>).organisationIds;
  if (Array.isArray(orgs)) v.organisationIds = orgs.join(',');
  return v;
};

function Paragraphs({ text }: { text: string }) {
  return (
    <>
      {text
        .split(/\n{2,}/)
        .filter(Boolean)
        .map((p) => (
          <p class="ds-paragraph">{p}</p>
        ))}
    </>
  );
}

function PracticeForm({ req, form, action, orgs, editing }: { req: FastifyRequest; form: FormState; action: string; orgs: { id: string; name: string; kind: string }[]; editing: boolean }) {
  const l = req.locale;
  const t = pt[l];
  const chosen = new Set((form.values.organisationIds ?? '').split(',').filter(Boolean));
  const labels: Record<string, string> = { title: t.title, lang: t.lang, organisationIds: t.organisations, reviewerOrgId: t.reviewer, themes: t.themes, sdgTargets: t.sdgTargets, periodStart: t.periodStart, periodEnd: t.periodEnd, originUrl: t.originUrl, indicators: t.indicators };
  for (const f of TEXT_FIELDS) labels[f] = t[f];
  return (
    <form method="post" action={action} class="stack">
      <Csrf req={req} />
      <ErrorSummary req={req} form={form} labels={labels} />
      <TextField name="title" label={t.title} form={form} required />
      <SelectField name="lang" label={t.lang} form={form} required options={(['sv', 'nb', 'da', 'en'] as const).map((k) => ({ value: k, label: LANG_LABEL[l][k] }))} />
      <div class="ds-field">
        <label class="ds-label" for="f-organisationIds">
          {t.organisations}
        </label>
        <p class="ds-paragraph field-desc" data-size="sm" id="f-organisationIds-desc">
          {t.organisationsHelp}
        </p>
        <select class="ds-input" id="f-organisationIds" name="organisationIds" multiple size={6} required aria-describedby="f-organisationIds-desc" aria-invalid={form.errors.organisationIds ? 'true' : undefined}>
          {orgs.map((o) => (
            <option value={o.id} selected={chosen.has(o.id)}>
              {o.name}
            </option>
          ))}
        </select>
        {form.errors.organisationIds && <p class="ds-validation-message" data-color="danger">{form.errors.organisationIds}</p>}
      </div>
      <SelectField name="reviewerOrgId" label={t.reviewer} form={form} required description={t.reviewerHelp} options={[{ value: '', label: '–' }, ...orgs.filter((o) => o.kind === 'network').map((o) => ({ value: o.id, label: o.name }))]} />
      <TextField name="themes" label={t.themes} form={form} />
      <TextField name="sdgTargets" label={t.sdgTargets} form={form} description={t.sdgTargetsHelp} />
      <TextField name="periodStart" label={t.periodStart} form={form} type="number" />
      <TextField name="periodEnd" label={t.periodEnd} form={form} type="number" />
      {TEXT_FIELDS.map((f) => (
        <TextArea name={f} label={t[f]} form={form} rows={f === 'contacts' || f === 'keyFigures' ? 3 : 5} />
      ))}
      <TextField name="originUrl" label={t.originUrl} form={form} />
      <TextArea name="indicators" label={t.indicators} form={form} description={t.indicatorsHelp} rows={3} />
      <button class="ds-button" data-variant="primary" type="submit">
        {editing ? t.saveChanges : t.save}
      </button>
    </form>
  );
}

function EditPage({ req, form, orgs, practice }: { req: FastifyRequest; form: FormState; orgs: { id: string; name: string; kind: string }[]; practice: PracticeRow | null }) {
  const t = pt[req.locale];
  return (
    <Layout req={req} title={practice ? t.edit : t.submit} crumbs={[{ href: '/practices', label: t.practices }]}>
      <h1 class="ds-heading" data-size="lg">
        {practice ? t.edit : t.submit}
      </h1>
      <PracticeForm req={req} form={form} action={practice ? `/practices/${practice.id}/edit` : '/practices'} orgs={orgs} editing={!!practice} />
    </Layout>
  );
}

const fmtChange = (l: Locale, v: number, decimals: number) => `${v > 0 ? '+' : v < 0 ? '−' : '±'}${formatNumber(l, Math.abs(v), { maximumFractionDigits: decimals, minimumFractionDigits: 0 })}`;

function EvidencePanel({ req, view }: { req: FastifyRequest; view: PracticeView }) {
  const l = req.locale;
  const t = pt[l];
  if (!view.evidence.length) return null;
  const p = view.practice;
  return (
    <section aria-labelledby="pr-evidence" class="section">
      <h2 class="ds-heading" data-size="sm" id="pr-evidence">
        {t.evidence}
      </h2>
      <p class="ds-paragraph">{t.evidenceIntro}</p>
      {!p.areaId || !p.periodStart ? (
        <p class="ds-paragraph">{t.evidenceNeeds}</p>
      ) : (
        <Table caption={t.evidence} head={[t.indicator, t.period, t.here(view.area?.name ?? ''), t.median]}>
          {view.evidence.map((e) => (
            <tr>
              <td>
                {e.evidence ? (
                  <a class="ds-link" href={`/indicators/${encodeURIComponent(e.code)}`} lang={e.evidence.indicator.lang !== l ? e.evidence.indicator.lang : undefined}>
                    {e.evidence.indicator.name}
                  </a>
                ) : (
                  e.code
                )}
                {e.evidence?.indicator.unit ? <span class="muted"> ({e.evidence.indicator.unit})</span> : null}
              </td>
              <td>{e.evidence?.area ? t.from(e.evidence.area.fromPeriod, e.evidence.area.toPeriod) : '–'}</td>
              <td>
                {e.evidence?.area
                  ? `${fmtChange(l, e.evidence.area.change, e.evidence.indicator.decimals)} (${formatNumber(l, e.evidence.area.fromValue, { maximumFractionDigits: e.evidence.indicator.decimals })} → ${formatNumber(l, e.evidence.area.toValue, { maximumFractionDigits: e.evidence.indicator.decimals })})`
                  : t.noData}
              </td>
              <td>
                {e.evidence?.area && e.evidence.comparison.medianChange !== null
                  ? `${fmtChange(l, e.evidence.comparison.medianChange, e.evidence.indicator.decimals)} · ${t.group(countryName(l, e.evidence.comparison.label), e.evidence.comparison.areas)}`
                  : '–'}
              </td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}

function PracticePage({ req, view, reviewForm = emptyForm(), adoptForm = emptyForm(), adoptOrgs }: { req: FastifyRequest; view: PracticeView; reviewForm?: FormState; adoptForm?: FormState; adoptOrgs: { id: string; name: string }[] }) {
  const l = req.locale;
  const t = pt[l];
  const p = view.practice;
  return (
    <Layout req={req} title={p.title} crumbs={[{ href: '/practices', label: t.practices }]}>
      <article lang={p.lang !== l ? p.lang : undefined}>
        <h1 class="ds-heading" data-size="lg">
          {p.title}
        </h1>
        {p.status !== 'published' && (
          <div lang={l}>
            <Alert color={p.status === 'returned' ? 'warning' : 'info'}>{t[`status_${p.status}`]}</Alert>
            {p.reviewNote && (
              <p class="ds-paragraph">
                <strong>{t.reviewNote}:</strong> {p.reviewNote}
              </p>
            )}
          </div>
        )}
        <dl class="facts" lang={l}>
          <dt>{t.organisations}</dt>
          <dd>
            <InlineLinks links={view.organisations.map((o) => ({ href: `/organisations/${o.slug}`, label: o.name }))} />
          </dd>
          {view.area && (
            <>
              <dt>{t.municipality}</dt>
              <dd>
                <a class="ds-link" href={`/areas/${view.area.key}`}>
                  {view.area.name}
                </a>{' '}
                ({countryName(l, p.country)})
              </dd>
            </>
          )}
          {p.periodStart && (
            <>
              <dt>{t.period}</dt>
              <dd>
                {p.periodStart}–{p.periodEnd ?? ''}
              </dd>
            </>
          )}
          {p.sdgTargets.length > 0 && (
            <>
              <dt>{t.sdgTargets}</dt>
              <dd>{p.sdgTargets.join(', ')}</dd>
            </>
          )}
          {p.themes.length > 0 && (
            <>
              <dt>{t.themes}</dt>
              <dd lang={p.lang}>{p.themes.join(', ')}</dd>
            </>
          )}
          {view.reviewer && (
            <>
              <dt>{t.reviewer}</dt>
              <dd>
                <a class="ds-link" href={`/organisations/${view.reviewer.slug}`}>
                  {view.reviewer.name}
                </a>
              </dd>
            </>
          )}
        </dl>
        {TEXT_FIELDS.filter((f) => p[f]).map((f) => (
          <section aria-labelledby={`pr-${f}`} class="section">
            <h2 class="ds-heading" data-size="sm" id={`pr-${f}`} lang={l}>
              {t[f]}
            </h2>
            <Paragraphs text={p[f]} />
          </section>
        ))}
        {p.originUrl && (
          <p class="ds-paragraph" lang={l}>
            {t.origin}:{' '}
            <a class="ds-link" href={p.originUrl}>
              {p.originUrl}
            </a>
          </p>
        )}
      </article>
      {(view.files.length > 0 || view.canEdit || view.canReview) && (
        <section aria-labelledby="pr-files" class="section">
          <h2 class="ds-heading" data-size="sm" id="pr-files">
            {t.attachments}
          </h2>
          <ul class="entity-list">
            {view.files.map((f) => (
              <li>
                <a class="ds-link" href={`/practices/${p.id}/files/${f.id}`}>
                  {f.title}
                </a>
                {(view.canEdit || view.canReview) && (
                  <form method="post" action={`/practices/${p.id}/files/${f.id}/delete`} class="inline-form">
                    <Csrf req={req} />
                    <button class="ds-button" data-variant="tertiary" data-size="sm" type="submit">
                      {t.remove}
                    </button>
                  </form>
                )}
              </li>
            ))}
          </ul>
          {(view.canEdit || view.canReview) && (
            <form method="post" action={`/practices/${p.id}/files`} enctype="multipart/form-data" class="stack" aria-labelledby="pr-add-file">
              <h3 class="ds-heading" data-size="xs" id="pr-add-file">
                {t.addAttachment}
              </h3>
              <Csrf req={req} />
              <TextField name="title" label={t.fileTitle} form={emptyForm()} />
              <FileField name="file" label={t.file} form={emptyForm()} required />
              <button class="ds-button" data-variant="secondary" type="submit">
                {t.upload}
              </button>
            </form>
          )}
        </section>
      )}
      <EvidencePanel req={req} view={view} />
      <section aria-labelledby="pr-adopted" class="section">
        <h2 class="ds-heading" data-size="sm" id="pr-adopted">
          {t.adoptedBy}
        </h2>
        {view.adoptions.length === 0 ? (
          <p class="ds-paragraph">{t.noAdoptions}</p>
        ) : (
          <ul class="entity-list">
            {view.adoptions.map((a) => (
              <li>
                {a.organisation ? (
                  <a class="ds-link" href={`/organisations/${a.organisation.slug}`}>
                    {a.organisation.name}
                  </a>
                ) : null}
                {a.adoptedOn ? ` (${a.adoptedOn})` : ''}
                {a.note ? ` · ${a.note}` : ''}
              </li>
            ))}
          </ul>
        )}
        {p.status === 'published' && adoptOrgs.length > 0 && (
          <form method="post" action={`/practices/${p.id}/adoptions`} class="stack">
            <h3 class="ds-heading" data-size="xs">
              {t.adopt}
            </h3>
            <Csrf req={req} />
            <ErrorSummary req={req} form={adoptForm} labels={{ organisationId: t.adoptOrg, adoptedOn: t.adoptedOn, note: t.note }} />
            <SelectField name="organisationId" label={t.adoptOrg} form={adoptForm} required options={adoptOrgs.map((o) => ({ value: o.id, label: o.name }))} />
            <TextField name="adoptedOn" label={t.adoptedOn} form={adoptForm} />
            <TextArea name="note" label={t.note} form={adoptForm} rows={2} />
            <button class="ds-button" data-variant="secondary" type="submit">
              {t.record}
            </button>
          </form>
        )}
      </section>
      {(view.canEdit || view.canReview) && (
        <section aria-labelledby="pr-manage" class="section">
          <h2 class="ds-heading" data-size="sm" id="pr-manage">
            {t.review}
          </h2>
          <p class="ds-paragraph">
            <ButtonLink href={`/practices/${p.id}/edit`}>{t.edit}</ButtonLink>
          </p>
          {view.canReview && (
            <form method="post" action={`/practices/${p.id}/review`} class="stack">
              <Csrf req={req} />
              <ErrorSummary req={req} form={reviewForm} labels={{ decision: t.decision, note: t.note }} />
              <SelectField name="decision" label={t.decision} form={reviewForm} options={(['in_review', 'publish', 'return'] as const).map((d) => ({ value: d, label: t[`decision_${d}`] }))} />
              <TextArea name="note" label={t.note} form={reviewForm} rows={3} />
              <button class="ds-button" data-variant="primary" type="submit">
                {t.record}
              </button>
            </form>
          )}
        </section>
      )}
    </Layout>
  );
}

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
          {(res.page > 1 || res.hasMore) && (
            <nav aria-label={t.practices} class="pager">
              {res.page > 1 && (
                <a class="ds-link" rel="prev" href={`/practices?${qs}&page=${res.page - 1}`}>
                  ←
                </a>
              )}
              {res.hasMore && (
                <a class="ds-link" rel="next" href={`/practices?${qs}&page=${res.page + 1}`}>
                  →
                </a>
              )}
            </nav>
          )}
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
