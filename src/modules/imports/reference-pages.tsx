/**
 * The web form for reference data (frameworks, area lists, groups, boundaries): upload a file,
 * say what it holds, then follow its import on a status page until it shows what changed or why
 * the file was refused. Platform administrators only. The form queues the same job as the API
 * (startReferenceImport); the job runs the same `importReference` as the CLI.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Database } from '../../platform/db/index.js';
import { ValidationError } from '../../platform/errors.js';
import { Layout } from '../../web/layout.js';
import { Alert, Button, Table } from '../../web/components.js';
import { Csrf, ErrorSummary, FileField, SelectField, TextField, type FormState } from '../../web/form-fields.js';
import { formatNumber, type Locale } from '../../web/i18n/index.js';
import { assertCanManageReferenceData } from '../indicators/index.js';
import { REFERENCE_KINDS, ReferenceOptions, type ReferenceKind, type ReferenceResult } from './reference.js';
import { getReferenceImport, startReferenceImport, type ReferenceImportView } from './jobs.js';
import { rt } from './reference-i18n.js';
import { asUploadedFile, textFields } from '../../web/multipart.js';
import { bufferOf } from './uploads.js';

const kindLabel = (l: Locale, k: ReferenceKind): string =>
  ({
    'framework-ks': rt[l].kindFrameworkKs,
    'framework-u4ssc': rt[l].kindFrameworkU4ssc,
    'framework-un-sdg': rt[l].kindFrameworkUnSdg,
    'kolada-kpis': rt[l].kindKoladaKpis,
    'areas-se': rt[l].kindAreasSe,
    'areas-no': rt[l].kindAreasNo,
    'areas-dk': rt[l].kindAreasDk,
    'kolada-areas': rt[l].kindKoladaAreas,
    'areas-any': rt[l].kindAreasAny,
    'area-changes': rt[l].kindAreaChanges,
    'kolada-groups': rt[l].kindKoladaGroups,
    geojson: rt[l].kindGeojson,
  })[k];

function resultLine(l: Locale, r: ReferenceResult): string {
  if (r.kind === 'geojson') return rt[l].resultBoundaries(r.changed);
  if (r.nodes !== undefined) return rt[l].resultFramework(r.read, r.nodes, r.changed);
  if (r.kind === 'kolada-groups') return rt[l].resultGroups(r.read, r.created, r.changed);
  return rt[l].resultAreas(r.read, r.created, r.changed);
}

const FIELDS = ['kind', 'file', 'regions', 'country', 'property', 'prefix'] as const;

export function referenceImportPages(app: FastifyInstance, db: Database) {
  /** The outcome of an import: what changed, or why nothing did. */
  const outcomeOf = (l: Locale, outcome: { result?: ReferenceResult | null; error?: string | null; details?: string[] }) => {
    const r = outcome.result;
    return (
      <>
        {r && (
          <div role="status">
            <Alert color="success">
              <p class="ds-paragraph">{resultLine(l, r)}</p>
              {r.unknown.length > 0 && <p class="ds-paragraph">{rt[l].unknownAreas(r.unknown.length, r.unknown.slice(0, 30).join(', ') + (r.unknown.length > 30 ? ' …' : ''))}</p>}
            </Alert>
            {r.skipped.length > 0 && (
              <section aria-labelledby="skipped-h">
                <h2 class="ds-heading" data-size="sm" id="skipped-h">
                  {rt[l].skippedTitle}
                </h2>
                <Table caption={rt[l].skippedIntro(r.skipped.length)} head={[rt[l].row, rt[l].field, rt[l].reason]}>
                  {r.skipped.slice(0, 200).map((e) => (
                    <tr>
                      <td>{e.line}</td>
                      <td>{e.field}</td>
                      <td lang="en">{e.message}</td>
                    </tr>
                  ))}
                </Table>
              </section>
            )}
          </div>
        )}
        {outcome.error && (
          <Alert color="danger">
            <p class="ds-paragraph">{rt[l].rejected}</p>
            <p class="ds-paragraph" lang="en">
              {outcome.error}
            </p>
            {outcome.details?.map((d) => (
              <p class="ds-paragraph" lang="en">
                {d}
              </p>
            ))}
          </Alert>
        )}
      </>
    );
  };

  const page = (req: FastifyRequest, form: FormState) => {
    const l = req.locale;
    const labels: Record<string, string> = { kind: rt[l].kind, file: rt[l].file, regions: rt[l].regions, country: rt[l].country, property: rt[l].property, prefix: rt[l].prefix };
    return (
      <Layout req={req} title={rt[l].title} crumbs={[{ href: '/imports', label: rt[l].back }]}>
        <h1 class="ds-heading" data-size="lg">
          {rt[l].title}
        </h1>
        <p class="ds-paragraph">{rt[l].intro}</p>
        <ErrorSummary req={req} form={form} labels={labels} />
        <form method="post" action="/imports/reference" enctype="multipart/form-data">
          <Csrf req={req} />
          <SelectField name="kind" label={rt[l].kind} form={form} required options={REFERENCE_KINDS.map((k) => ({ value: k, label: kindLabel(l, k) }))} />
          <FileField name="file" label={rt[l].file} form={form} required accept=".csv,.tsv,.json,.geojson,text/csv,text/tab-separated-values,application/json,application/geo+json" />
          <FileField name="regions" label={rt[l].regions} description={rt[l].regionsHelp} form={form} accept=".geojson,.json,application/geo+json,application/json" />
          <SelectField name="country" label={rt[l].country} form={form} options={[{ value: '', label: '–' }, ...(['NO', 'SE', 'DK'] as const).map((c) => ({ value: c, label: c }))]} />
          <TextField name="property" label={rt[l].property} form={form} />
          <TextField name="prefix" label={rt[l].prefix} form={form} />
          <Button>{rt[l].submit}</Button>
        </form>
        <p class="ds-paragraph">
          <a class="ds-link" href="/imports">
            {rt[l].back}
          </a>
        </p>
      </Layout>
    );
  };
  const statusPage = (req: FastifyRequest, v: ReferenceImportView) => {
    const l = req.locale;
    const active = v.status === 'queued' || v.status === 'running';
    const url = `/imports/reference/${v.id}`;
    // Only the reasons that name something other than the file's own message add to it.
    const details = (v.error?.fields ?? []).map((f) => `${f.field}: ${f.message}`).filter((d) => !d.endsWith(`: ${v.error?.message}`));
    return (
      <Layout req={req} title={`${rt[l].title}: ${v.filename || kindLabel(l, v.kind)}`} crumbs={[{ href: '/imports', label: rt[l].back }, { href: '/imports/reference', label: rt[l].title }]}>
        <h1 class="ds-heading" data-size="lg">
          {v.filename || kindLabel(l, v.kind)}
        </h1>
        <p class="ds-paragraph">{kindLabel(l, v.kind)}</p>
        {active && (
          // With JavaScript, htmx reloads the page body every second until the import has ended; without, a link does.
          <div role="status" hx-get={url} hx-trigger="every 1s" hx-select="#main" hx-target="#main" hx-swap="outerHTML">
            <p class="ds-paragraph">{v.status === 'queued' ? rt[l].queued : rt[l].running(formatNumber(l, v.progress))}</p>
            <progress max={100} value={v.progress} aria-label={rt[l].running(formatNumber(l, v.progress))} />
            <p class="ds-paragraph">
              <a class="ds-link" href={url}>
                {rt[l].refresh}
              </a>
            </p>
          </div>
        )}
        {!active && outcomeOf(l, { result: v.result, error: v.error?.message ?? null, details })}
        <p class="ds-paragraph">
          <a class="ds-link" href="/imports/reference">
            {rt[l].importAnother}
          </a>
        </p>
      </Layout>
    );
  };

  const defaults = { kind: 'framework-ks', country: 'NO', property: 'kommunenummer', prefix: 'kolada' };

  app.get('/imports/reference', { schema: { hide: true } }, async (req, reply) => {
    assertCanManageReferenceData(req.actor);
    return reply.html(page(req, { values: defaults, errors: {} }));
  });

  // The body arrives through the shared multipart parser (src/web/multipart.ts, registered by pages.tsx); its fields are checked with Zod here.
  app.post('/imports/reference', { schema: { hide: true } }, async (req, reply) => {
    assertCanManageReferenceData(req.actor);
    const l = req.locale;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const fields = textFields(body);
    const values: Record<string, string> = {};
    for (const f of FIELDS) if (typeof fields[f] === 'string') values[f] = fields[f];
    const parsed = ReferenceOptions.extend({ kind: z.enum(REFERENCE_KINDS) }).safeParse({
      kind: values.kind,
      country: values.country || undefined,
      property: values.property?.trim() || undefined,
      prefix: values.prefix?.trim() || undefined,
    });
    const errors: Record<string, string> = {};
    if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'kind')] ??= issue.message;
    const file = asUploadedFile(body.file);
    const regions = asUploadedFile(body.regions);
    if (!file?.data.length) errors.file = rt[l].fileRequired;
    if (Object.keys(errors).length || !parsed.success || !file) return reply.html(page(req, { values, errors }), 422);
    try {
      const id = await startReferenceImport(db, req.actor, {
        ...parsed.data,
        file: bufferOf(file),
        regions: regions ? bufferOf(regions) : undefined,
        source: file.fileName,
      });
      return reply.redirect(`/imports/reference/${id}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) {
        const fieldErrors: Record<string, string> = {};
        for (const e of err.fields) fieldErrors[(FIELDS as readonly string[]).includes(e.field) ? e.field : 'file'] ??= e.message;
        return reply.html(page(req, { values, errors: fieldErrors }), 422);
      }
      throw err;
    }
  });

  // Any app server shows the import's state: it is in the database, its progress in the job's row.
  app.get('/imports/reference/:id', { schema: { hide: true } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    return reply.html(statusPage(req, await getReferenceImport(db, req.actor, String(id).slice(0, 40))));
  });
}
