/** How a good practice looks: its page with the evidence panel, reviews and adoptions, and the small pieces the list shares. */
import type { FastifyRequest } from 'fastify';
import { Alert, ButtonLink, Table, InlineLinks } from '../../web/components.js';
import { Csrf, emptyForm, ErrorSummary, FileField, PostButton, SelectField, TextArea, TextField, type FormState } from '../../web/form-fields.js';
import { formatNumber, type Locale } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { pt } from './i18n.js';
import { type PracticeView } from './practices.js';

const COUNTRIES = { SE: { en: 'Sweden', sv: 'Sverige', nb: 'Sverige', da: 'Sverige' }, NO: { en: 'Norway', sv: 'Norge', nb: 'Norge', da: 'Norge' }, DK: { en: 'Denmark', sv: 'Danmark', nb: 'Danmark', da: 'Danmark' } } as const;
export const countryName = (l: Locale, c: string | null) => (c && c in COUNTRIES ? COUNTRIES[c as keyof typeof COUNTRIES][l] : (c ?? ''));

export const TEXT_FIELDS = ['startingPoint', 'whatWasDone', 'whoWasInvolved', 'resources', 'results', 'keyFigures', 'lessons', 'transfer', 'contacts'] as const;

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

export function PracticePage({ req, view, reviewForm = emptyForm(), adoptForm = emptyForm(), adoptOrgs }: { req: FastifyRequest; view: PracticeView; reviewForm?: FormState; adoptForm?: FormState; adoptOrgs: { id: string; name: string }[] }) {
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
                  <PostButton req={req} action={`/practices/${p.id}/files/${f.id}/delete`}>
                    {t.remove}
                  </PostButton>
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

