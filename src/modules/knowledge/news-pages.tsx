import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireUser } from '../../web/context.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database, Executor } from '../../platform/db/index.js';
import { ForbiddenError, NotFoundError } from '../../platform/errors.js';
import type { AppDeps, OrganisationRef } from '../../platform/http.js';
import type { FileStorage } from '../../platform/storage/index.js';
import { Alert, ButtonLink, Pager } from '../../web/components.js';
import { Csrf, emptyForm, ErrorSummary, FileField, SelectField, TextArea, TextField, type FormState } from '../../web/form-fields.js';
import { handleForm } from '../../web/forms.js';
import { formatDate } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { directory } from '../directory/index.js';
import { renderAtom } from './atom.js';
import { LANG_LABEL, nt } from './i18n.js';
import { deleteNews, draftsFor, getNewsRow, listPublishedNews, newsForReader, newsImageUrl, publishNews, saveNews } from './news.js';
import { canManageAny, managesSomething } from './policy.js';
import { richTextToPlain } from '../../web/richtext.js';
import type { NewsRow } from './schema.js';
import { asUploadedFile, textFields } from '../../web/multipart.js';

const Id = z.object({ id: z.string().min(1).max(100) });
const Form = z.record(z.string(), z.unknown());

/** The organisation and every body below it (working groups), through the directory: one recursive query. */
export async function withDescendants(db: Executor, orgId: string): Promise<string[]> {
  return [orgId, ...(await directory.descendantIds(db, orgId)).filter((id) => id !== orgId)];
}

async function orgNames(db: Executor, ids: string[]): Promise<Map<string, { name: string; slug: string }>> {
  const map = new Map<string, { name: string; slug: string }>();
  for (const o of await directory.getOrganisationsByIds(db, ids)) map.set(o.id, { name: o.name, slug: o.slug });
  return map;
}

/** Organisations this actor may write news for, for the form's select. */
async function writableOrgs(db: Executor, req: FastifyRequest) {
  const all = await directory.organisationOptions(db);
  if (req.actor.isPlatformAdmin) return all;
  const out = [];
  for (const o of all) if (await canManageAny(db, req.actor, [o.id])) out.push(o);
  return out;
}

export function NewsList({ req, items, orgs }: { req: FastifyRequest; items: NewsRow[]; orgs: Map<string, { name: string; slug: string }> }) {
  const l = req.locale;
  return (
    <ul class="entity-list news-list">
      {items.map((n) => (
        <li lang={n.lang !== l ? n.lang : undefined}>
          <a class="ds-link" href={`/news/${n.id}`}>
            {n.title}
          </a>
          <p class="ds-paragraph muted" data-size="sm" lang={l}>
            {n.status === 'published' && n.publishedAt ? formatDate(l, n.publishedAt) : nt[l].draft}
            {orgs.get(n.organisationId) ? ` · ${orgs.get(n.organisationId)!.name}` : ''}
          </p>
          {n.lead && <p class="ds-paragraph" data-size="sm">{n.lead}</p>}
        </li>
      ))}
    </ul>
  );
}

function NewsForm({ req, form, action, orgs, row }: { req: FastifyRequest; form: FormState; action: string; orgs: { id: string; name: string }[]; row: NewsRow | null }) {
  const l = req.locale;
  const t = nt[l];
  const labels = { organisationId: t.organisation, title: t.title, lead: t.lead, body: t.body, lang: t.lang, authorName: t.author, sdgGoals: t.sdgGoals, topics: t.topics, image: t.image, imageAlt: t.imageAlt };
  return (
    <form method="post" action={action} enctype="multipart/form-data" class="stack">
      <Csrf req={req} />
      <ErrorSummary req={req} form={form} labels={labels} />
      <SelectField name="organisationId" label={t.organisation} form={form} required options={[{ value: '', label: t.chooseOrg }, ...orgs.map((o) => ({ value: o.id, label: o.name }))]} />
      <TextField name="title" label={t.title} form={form} required />
      <TextArea name="lead" label={t.lead} form={form} description={t.leadHelp} rows={3} />
      <TextArea name="body" label={t.body} form={form} description={t.bodyHelp} rows={12} />
      <SelectField name="lang" label={t.lang} form={form} required options={(['sv', 'nb', 'da', 'en'] as const).map((k) => ({ value: k, label: LANG_LABEL[l][k] }))} />
      <TextField name="authorName" label={t.author} form={form} />
      <TextField name="sdgGoals" label={t.sdgGoals} form={form} description={t.sdgGoalsHelp} />
      <TextField name="topics" label={t.topics} form={form} description={t.topicsHelp} />
      {row?.imageKey && (
        <figure class="news-image">
          <img src={newsImageUrl(row)!} alt={row.imageAlt ?? ''} width={320} />
        </figure>
      )}
      <FileField name="image" label={t.image} form={form} description={t.imageHelp} accept="image/png,image/jpeg" />
      <TextField name="imageAlt" label={t.imageAlt} form={form} description={t.imageAltHelp} />
      {row?.imageKey && (
        <div class="ds-field">
          <label class="ds-label" data-weight="regular">
            <input class="ds-input" type="checkbox" name="removeImage" value="true" /> {t.removeImage}
          </label>
        </div>
      )}
      <button class="ds-button" data-variant="primary" type="submit">
        {row ? t.saveChanges : t.save}
      </button>
    </form>
  );
}

const formOf = (n: NewsRow): Record<string, string> => ({
  organisationId: n.organisationId,
  title: n.title,
  lead: n.lead,
  body: n.body,
  lang: n.lang,
  authorName: n.authorName,
  sdgGoals: n.sdgGoals.join(', '),
  topics: n.topics.join(', '),
  imageAlt: n.imageAlt ?? '',
});


/** The organisation page's news section: its own and its working groups' latest articles. */
export function organisationNewsSection(db: Database) {
  return async (req: FastifyRequest, org: OrganisationRef) => {
    const l = req.locale;
    const ids = await withDescendants(db.orm, org.id);
    const res = await listPublishedNews(db.orm, { organisationIds: ids, pageSize: 5 });
    const canWrite = await canManageAny(db.orm, req.actor, [org.id]);
    if (!res.items.length && !canWrite) return null;
    return (
      <section aria-labelledby="org-news" class="section">
        <h2 class="ds-heading" data-size="sm" id="org-news">
          {nt[l].news}
        </h2>
        {res.items.length ? <NewsList req={req} items={res.items} orgs={await orgNames(db.orm, res.items.map((n) => n.organisationId))} /> : <p class="ds-paragraph">{nt[l].noneCanWrite}</p>}
        <p class="ds-paragraph">
          <a class="ds-link" href={`/news?org=${org.id}`}>
            {nt[l].newsOf(org.name)}
          </a>{' '}
          · <a class="ds-link" href={`/news/feeds/${org.slug}`}>{nt[l].feed}</a>
          {canWrite && (
            <>
              {' '}
              · <a class="ds-link" href={`/news/new?org=${org.id}`}>{nt[l].newArticle}</a>
            </>
          )}
        </p>
      </section>
    );
  };
}

export async function newsPages(app: FastifyInstance, { db, config, storage }: AppDeps & { storage: FileStorage }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const hide = { hide: true } as const;
  const base = config.publicUrl.replace(/\/$/, '');

  r.get('/news', { schema: { ...hide, querystring: z.object({ org: z.string().uuid().optional(), sdg: z.coerce.number().int().min(1).max(17).optional().or(z.literal('').transform(() => undefined)), page: z.coerce.number().int().min(1).max(10_000).optional() }) } }, async (req, reply) => {
    const l = req.locale;
    const t = nt[l];
    const org = req.query.org ? await directory.getOrganisation(db.orm, req.query.org).catch(() => null) : null;
    if (req.query.org && !org) throw new NotFoundError('organisation', req.query.org);
    const ids = org ? await withDescendants(db.orm, org.id) : undefined;
    const res = await listPublishedNews(db.orm, { organisationIds: ids, sdg: req.query.sdg ?? null, page: req.query.page ?? 1 });
    const drafts = !org ? await draftsFor(db.orm, req.actor) : [];
    const orgs = await orgNames(db.orm, [...res.items, ...drafts].map((n) => n.organisationId));
    const canWrite = managesSomething(req.actor);
    const title = org ? t.newsOf(org.name) : t.news;
    const qs = new URLSearchParams();
    if (org) qs.set('org', org.id);
    if (req.query.sdg) qs.set('sdg', String(req.query.sdg));
    return reply.html(
      <Layout req={req} title={title}>
        <link rel="alternate" type="application/atom+xml" href={org ? `/news/feeds/${org.slug}` : '/news/feed.atom'} title={t.feed} />
        <h1 class="ds-heading" data-size="lg">
          {title}
        </h1>
        {org && <p class="ds-paragraph">{t.fromGroups}</p>}
        <p class="ds-paragraph">
          {canWrite && (
            <>
              <ButtonLink href={org ? `/news/new?org=${org.id}` : '/news/new'} variant="primary">
                {t.newArticle}
              </ButtonLink>{' '}
            </>
          )}
          <a class="ds-link" href={org ? `/news/feeds/${org.slug}` : '/news/feed.atom'}>
            {t.feed}
          </a>
        </p>
        <form method="get" action="/news" class="filter-form">
          {org && <input type="hidden" name="org" value={org.id} />}
          <div class="ds-field">
            <label class="ds-label" for="news-sdg">
              {t.filterSdg}
            </label>
            <select class="ds-input" id="news-sdg" name="sdg">
              <option value="">{t.anySdg}</option>
              {Array.from({ length: 17 }, (_, i) => i + 1).map((n) => (
                <option value={String(n)} selected={req.query.sdg === n}>
                  {t.goal(n)}
                </option>
              ))}
            </select>
          </div>
          <button class="ds-button" data-variant="secondary" type="submit">
            {t.filter}
          </button>
        </form>
        {drafts.length > 0 && (
          <section aria-labelledby="news-drafts" class="section">
            <h2 class="ds-heading" data-size="sm" id="news-drafts">
              {t.drafts}
            </h2>
            <NewsList req={req} items={drafts} orgs={orgs} />
          </section>
        )}
        <section aria-labelledby="news-list" class="section">
          <h2 class="ds-heading" data-size="sm" id="news-list">
            {t.published}
          </h2>
          {res.items.length ? <NewsList req={req} items={res.items} orgs={orgs} /> : <p class="ds-paragraph">{canWrite ? t.noneCanWrite : t.none}</p>}
          <Pager req={req} page={res.page} hasMore={res.hasMore} base={`/news${qs.size ? `?${qs}` : ''}`} />
        </section>
      </Layout>,
    );
  });

  r.get('/news/feed.atom', { schema: hide }, async (_req, reply) => {
    const res = await listPublishedNews(db.orm, { pageSize: 50 });
    return reply.type('application/atom+xml; charset=utf-8').send(await feed(db.orm, base, res.items, { id: `${base}/news`, title: nt.en.siteFeedTitle, self: `${base}/news/feed.atom`, alt: `${base}/news` }));
  });

  r.get('/news/feeds/:slug', { schema: { ...hide, params: z.object({ slug: z.string().min(1).max(200) }) } }, async (req, reply) => {
    const org = await directory.getOrganisation(db.orm, req.params.slug.replace(/\.atom$/, ''));
    const res = await listPublishedNews(db.orm, { organisationIds: await withDescendants(db.orm, org.id), pageSize: 50 });
    return reply
      .type('application/atom+xml; charset=utf-8')
      .send(await feed(db.orm, base, res.items, { id: `${base}/news?org=${org.id}`, title: nt[org.lang].newsOf(org.name), self: `${base}/news/feeds/${org.slug}`, alt: `${base}/news?org=${org.id}`, lang: org.lang }));
  });

  r.get('/news/new', { schema: { ...hide, querystring: z.object({ org: z.string().max(100).optional() }) } }, async (req, reply) => {
    requireUser(req);
    const orgs = await writableOrgs(db.orm, req);
    return reply.html(<NewsEditPage req={req} form={emptyForm({ organisationId: req.query.org ?? '', lang: req.locale })} orgs={orgs} row={null} />);
  });

  r.post('/news', { schema: { ...hide, body: Form } }, async (req, reply) => {
    const fields = textFields(req.body);
    const res = await handleForm(req, () => saveNews(db, storage, req.actor, null, fields, { upload: asUploadedFile((req.body as Record<string, unknown>).image), maxBytes: config.uploadMaxBytes }));
    if (res.ok) return reply.redirect(`/news/${res.result.id}`, 303);
    return reply.html(<NewsEditPage req={req} form={res.form} orgs={await writableOrgs(db.orm, req)} row={null} />, 422);
  });

  r.get('/news/:id', { schema: { ...hide, params: Id } }, async (req, reply) => {
    const l = req.locale;
    const t = nt[l];
    const { row: n, canEdit } = await newsForReader(db.orm, req.actor, req.params.id);
    const org = await directory.getOrganisation(db.orm, n.organisationId);
    return reply.html(
      <Layout req={req} title={n.title} crumbs={[{ href: '/news', label: t.news }]}>
        <article lang={n.lang !== l ? n.lang : undefined}>
          <h1 class="ds-heading" data-size="lg">
            {n.title}
          </h1>
          <p class="ds-paragraph muted" lang={l}>
            {n.status === 'published' && n.publishedAt ? t.publishedOn(formatDate(l, n.publishedAt)) : t.draft} ·{' '}
            <a class="ds-link" href={`/organisations/${org.slug}`}>
              {org.name}
            </a>
            {n.authorName ? ` · ${t.by(n.authorName)}` : ''}
          </p>
          {n.status !== 'published' && (
            <div lang={l}>
              <Alert color="warning">{t.draftNote}</Alert>
            </div>
          )}
          {n.lead && (
            <p class="ds-paragraph" data-size="lg">
              {n.lead}
            </p>
          )}
          {n.imageKey && (
            <figure class="news-image">
              <img src={newsImageUrl(n)!} alt={n.imageAlt ?? ''} style="max-width:100%;height:auto" />
            </figure>
          )}
          {/* Stored sanitised through the strict allow-list in richtext.ts. */}
          <div class="rich-text" dangerouslySetInnerHTML={{ __html: n.body }} />
          {(n.sdgGoals.length > 0 || n.topics.length > 0) && (
            <ul class="tag-list" aria-label={t.topics} lang={l}>
              {n.sdgGoals.map((g) => (
                <li>
                  <a class="ds-tag" href={`/news?sdg=${g}`}>
                    {t.goal(g)}
                  </a>
                </li>
              ))}
              {n.topics.map((x) => (
                <li>
                  <span class="ds-tag" lang={n.lang}>
                    {x}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </article>
        {canEdit && (
          <section aria-labelledby="news-manage" class="section">
            <h2 class="ds-heading" data-size="sm" id="news-manage">
              {t.editArticle}
            </h2>
            <p class="ds-paragraph">
              <ButtonLink href={`/news/${n.id}/edit`}>{t.editArticle}</ButtonLink>
            </p>
            <form method="post" action={`/news/${n.id}/publish`}>
              <Csrf req={req} />
              <input type="hidden" name="publish" value={n.status === 'published' ? 'false' : 'true'} />
              <button class="ds-button" data-variant={n.status === 'published' ? 'secondary' : 'primary'} type="submit">
                {n.status === 'published' ? t.withdraw : t.publish}
              </button>
            </form>
            <form method="post" action={`/news/${n.id}/delete`}>
              <Csrf req={req} />
              <button class="ds-button" data-variant="tertiary" data-color="danger" type="submit">
                {t.delete}
              </button>
            </form>
          </section>
        )}
      </Layout>,
    );
  });

  r.get('/news/:id/image', { schema: { ...hide, params: Id } }, async (req, reply) => {
    const { row } = await newsForReader(db.orm, req.actor, req.params.id);
    if (!row.imageKey || !row.imageMime) throw new NotFoundError('image', req.params.id);
    const data = await storage.get(row.imageKey);
    return reply
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', row.status === 'published' ? 'public, max-age=3600' : 'private, no-store')
      .type(row.imageMime)
      .send(data);
  });

  r.get('/news/:id/edit', { schema: { ...hide, params: Id } }, async (req, reply) => {
    requireUser(req);
    // A draft is not found by those who may not edit it; a published article is there for all
    // to read, and its form is refused as its save would be (403, as the event's).
    const { row, canEdit } = await newsForReader(db.orm, req.actor, req.params.id);
    if (!canEdit) throw new ForbiddenError('Only the organisation’s admins and editors can change this article.');
    return reply.html(<NewsEditPage req={req} form={emptyForm(formOf(row))} orgs={await writableOrgs(db.orm, req)} row={row} />);
  });

  r.post('/news/:id/edit', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) => {
    const fields = textFields(req.body);
    const res = await handleForm(req, () =>
      saveNews(db, storage, req.actor, req.params.id, fields, { upload: asUploadedFile((req.body as Record<string, unknown>).image), removeImage: fields.removeImage === 'true', maxBytes: config.uploadMaxBytes }),
    );
    if (res.ok) return reply.redirect(`/news/${res.result.id}`, 303);
    const row = await getNewsRow(db.orm, req.params.id);
    return reply.html(<NewsEditPage req={req} form={res.form} orgs={await writableOrgs(db.orm, req)} row={row} />, 422);
  });

  r.post('/news/:id/publish', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) => {
    await publishNews(db, req.actor, req.params.id, textFields(req.body));
    return reply.redirect(`/news/${req.params.id}`, 303);
  });

  r.post('/news/:id/delete', { schema: { ...hide, params: Id, body: Form } }, async (req, reply) => {
    await deleteNews(db, req.actor, req.params.id);
    return reply.redirect('/news', 303);
  });
}

function NewsEditPage({ req, form, orgs, row }: { req: FastifyRequest; form: FormState; orgs: { id: string; name: string }[]; row: NewsRow | null }) {
  const t = nt[req.locale];
  return (
    <Layout req={req} title={row ? t.editArticle : t.newArticle} crumbs={[{ href: '/news', label: t.news }]}>
      <h1 class="ds-heading" data-size="lg">
        {row ? t.editArticle : t.newArticle}
      </h1>
      <NewsForm req={req} form={form} action={row ? `/news/${row.id}/edit` : '/news'} orgs={orgs} row={row} />
    </Layout>
  );
}

async function feed(db: Executor, base: string, items: NewsRow[], f: { id: string; title: string; self: string; alt: string; lang?: string }) {
  const orgs = await orgNames(db, items.map((n) => n.organisationId));
  return renderAtom({
    id: f.id,
    title: f.title,
    selfUrl: f.self,
    alternateUrl: f.alt,
    updated: items.reduce((d, n) => (n.updatedAt > d ? n.updatedAt : d), new Date(0)),
    author: 'Samverka',
    ...(f.lang ? { lang: f.lang } : {}),
    entries: items.map((n) => ({
      id: `${base}/news/${n.id}`,
      title: n.title,
      updated: n.updatedAt,
      ...(n.publishedAt ? { published: n.publishedAt } : {}),
      link: `${base}/news/${n.id}`,
      ...(n.lead ? { summary: n.lead } : {}),
      content: richTextToPlain(n.body),
      categories: [...n.sdgGoals.map((g) => `SDG ${g}`), ...n.topics],
      lang: n.lang,
      author: n.authorName || orgs.get(n.organisationId)?.name || 'Samverka',
    })),
  });
}

