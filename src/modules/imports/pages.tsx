/** The import pages: upload a file, map its columns, check it, commit it; the batches imports made. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import { Layout } from '../../web/layout.js';
import { Alert, Csrf, Table } from '../../web/components.js';
import { formatDateTime } from '../../web/i18n/index.js';
import { ValidationError } from '../../platform/errors.js';
import {
  assertCanImport,
  canImport,
  canManageReferenceData,
  formatNumber,
  indicatorTexts as t,
  Styles,
  bdLabel,
  type ImportReport,
} from '../indicators/index.js';
import { FORMATS, type ImportFormat } from '../indicator-model/index.js';
import * as q from './queries.js';
import { referenceImportPages } from './reference-pages.js';
import { rt } from './reference-i18n.js';
import { mappingPages, mt } from './mapping-pages.js';
import { bufferOf } from './uploads.js';
import { checkUpload, commitUpload, receiveUpload, uploadFor } from './upload-flow.js';
import { importProgress } from './jobs.js';
import { COLUMN_ROLES, DIM_ROLES, FileFormatError } from './importers/index.js';
import { asUploadedFile, registerMultipart, textFields } from '../../web/multipart.js';
import { previewSafely } from './parse-pool.js';

/** The mapping step's code lines, `CODE = area key | file | skip`, one per line; blank and malformed lines are ignored. */
function parseCodeLines(text: string | undefined): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const line of (text ?? '').split(/\r?\n/).slice(0, 2000)) {
    const m = line.match(/^\s*([^=]{1,60}?)\s*=\s*([a-z0-9-]{1,40})\s*$/i);
    if (m) out[m[1]!] = m[2]!.toLowerCase();
  }
  return Object.keys(out).length ? out : undefined;
}

/** The mapping step's form as a mapping: column and dimension roles, fixed values, code lines, country. */
function mappingFromForm(body: Record<string, string>): Record<string, unknown> {
  const columns: Record<string, string> = {};
  const dims: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k.startsWith('col:') && (COLUMN_ROLES as readonly string[]).includes(v)) columns[k.slice(4)] = v;
    if (k.startsWith('dim:') && (DIM_ROLES as readonly string[]).includes(v)) dims[k.slice(4)] = v;
  }
  const country = ['SE', 'NO', 'DK'].includes(body.country ?? '') ? body.country : undefined;
  return {
    ...(Object.keys(columns).length ? { columns } : {}),
    ...(Object.keys(dims).length ? { dims } : {}),
    ...(body.indicator?.trim() ? { indicator: body.indicator.trim() } : {}),
    ...(body.area?.trim() ? { area: body.area.trim().toLowerCase() } : {}),
    ...(parseCodeLines(body.codes) ? { codes: parseCodeLines(body.codes) } : {}),
    ...(body.indicatorPrefix?.trim() ? { indicatorPrefix: body.indicatorPrefix.trim() } : {}),
    ...(country ? { country } : {}),
  };
}

export async function importPages(app: FastifyInstance, deps: AppDeps) {
  const { db, config } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

  // Imports --------------------------------------------------------------------------------
  const importsPage = async (req: FastifyRequest, status = 200, error?: string) => {
    const l = req.locale;
    // Who imported what is shown to signed-in users only (by name; never their e-mail address).
    const batches = req.actor.userId ? await q.listBatches(db.orm, 30) : [];
    const allowed = canImport(req.actor);
    return (
      <Layout req={req} title={t[l].imports}>
        <Styles />
        <h1 class="ds-heading" data-size="lg">
          {t[l].imports}
        </h1>
        <p class="ds-paragraph">{t[l].importsIntro}</p>
        {!allowed ? (
          <Alert color="info">{t[l].importNeedsRole}</Alert>
        ) : (
          <form method="post" action="/imports" enctype="multipart/form-data" class="ind-upload">
            <h2 class="ds-heading" data-size="md">
              {t[l].upload}
            </h2>
            {error && <Alert color="danger">{error}</Alert>}
            <input type="hidden" name="_csrf" value={req.csrfToken} />
            <div class="ds-field">
              <label class="ds-label" for="f-format">
                {t[l].format}
              </label>
              <select class="ds-input" id="f-format" name="format">
                <option value="long">{t[l].fmtLong}</option>
                <option value="opensdg">{t[l].fmtOpensdg}</option>
                <option value="jsonstat">{t[l].fmtJsonstat}</option>
                <option value="kolada">{t[l].fmtKolada}</option>
              </select>
            </div>
            <div class="ds-field">
              <label class="ds-label" for="f-file">
                {t[l].file}
              </label>
              <input class="ds-input" id="f-file" name="file" type="file" accept=".csv,.xlsx,.json,text/csv,application/json" />
            </div>
            <div class="ds-field">
              <label class="ds-label" for="f-meta">
                {t[l].metaFile}
              </label>
              <input class="ds-input" id="f-meta" name="meta" type="file" accept=".md,.yml,.yaml,text/markdown,text/yaml" />
            </div>
            <div class="ds-field">
              <label class="ds-label" for="f-text">
                {t[l].orPaste}
              </label>
              <textarea class="ds-input" id="f-text" name="text" rows={5}></textarea>
            </div>
            <button class="ds-button" data-variant="primary" type="submit">
              {t[l].next}
            </button>
          </form>
        )}
        {allowed && (
          <ul class="ds-list">
            <li>
              <a class="ds-link" href="/imports/mappings">
                {mt[l].link}
              </a>
            </li>
            {canManageReferenceData(req.actor) && (
              <li>
                <a class="ds-link" href="/imports/reference">
                  {rt[l].link}
                </a>
              </li>
            )}
          </ul>
        )}
        <h2 class="ds-heading" data-size="md">
          {t[l].recentBatches}
        </h2>
        {batches.length === 0 ? (
          <p class="ds-paragraph">{t[l].noData}</p>
        ) : (
          <div class="ind-table-wrap">
            <Table head={[t[l].batch, t[l].when, t[l].who, t[l].format, t[l].inserted, t[l].updated, t[l].unchanged]}>
              {batches.map((b) => (
                <tr>
                  <td>
                    <a class="ds-link" href={`/imports/batches/${b.id}`}>
                      #{b.id} {b.filename}
                    </a>
                  </td>
                  <td>{formatDateTime(l, b.created_at)}</td>
                  <td>{b.actor_label}</td>
                  <td>{b.format}</td>
                  <td data-align="right">{formatNumber(l, b.rows_inserted)}</td>
                  <td data-align="right">{formatNumber(l, b.rows_updated)}</td>
                  <td data-align="right">{formatNumber(l, b.rows_unchanged)}</td>
                </tr>
              ))}
            </Table>
          </div>
        )}
      </Layout>
    );
  };

  r.get('/imports', { schema: { hide: true } }, async (req, reply) => reply.html(await importsPage(req)));

  // Uploads arrive as multipart (a file input); the shared parser is scoped to this plugin.
  registerMultipart(app, config.uploadMaxBytes);

  referenceImportPages(app, db);
  mappingPages(app, db);

  app.post('/imports', { schema: { hide: true } }, async (req, reply) => {
    assertCanImport(req.actor);
    const l = req.locale;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const fields = textFields(body);
    const format = (fields.format ?? 'long') as ImportFormat;
    if (!(FORMATS as readonly string[]).includes(format)) throw new ValidationError([{ field: 'format', message: 'unknown format' }]);
    const file = asUploadedFile(body.file);
    const text = (fields.text ?? '').trim();
    const content = file && file.data.length ? bufferOf(file) : text ? Buffer.from(text, 'utf8') : null;
    if (!content) return reply.html(await importsPage(req, 422, t[l].fileRequired), 422);
    const filename = file?.fileName || (format === 'jsonstat' || format === 'kolada' ? 'pasted.json' : 'pasted.csv');
    const meta = asUploadedFile(body.meta);
    let id: string;
    try {
      id = await receiveUpload(db, req.actor, { format, filename, content, meta: meta ? bufferOf(meta) : null });
    } catch (err) {
      if (err instanceof FileFormatError) return reply.html(await importsPage(req, 422, err.message), 422);
      throw err;
    }
    return reply.redirect(`/imports/uploads/${id}`, 303);
  });

  const uploadPage = async (req: FastifyRequest, id: string) => {
    const l = req.locale;
    const u = await uploadFor(db, req.actor, id);
    const preview = await previewSafely({ format: u.format, filename: u.filename, buf: u.content }).catch((err) => {
      if (err instanceof FileFormatError) return null;
      throw err;
    });
    const mapping = u.mapping as Record<string, any>;
    const report = u.report as Partial<ImportReport>;
    const saved = await q.listMappings(db.orm, u.format);
    const isRunning = u.status === 'running';
    const pct = isRunning ? await importProgress(db, u.id) : 0;
    const roleLabel = (r: string) =>
      ({
        period: t[l].rolePeriod,
        area: t[l].roleArea,
        indicator: t[l].roleIndicator,
        value: t[l].roleValue,
        unit: t[l].roleUnit,
        status: t[l].roleStatus,
        note: t[l].roleNote,
        breakdown: t[l].roleBreakdown,
        ignore: t[l].roleIgnore,
        fixed: t[l].roleFixed,
      })[r] ?? r;
    return (
      <Layout req={req} title={`${t[l].imports}: ${u.filename}`} crumbs={[{ href: '/imports', label: t[l].imports }]}>
        <Styles />
        <h1 class="ds-heading" data-size="lg">
          {u.filename}
        </h1>
        {isRunning && (
          // With JavaScript, htmx reloads the page body every second until the import is done; without, a link does.
          <div role="status" hx-get={`/imports/uploads/${u.id}`} hx-trigger="every 1s" hx-select="#main" hx-target="#main" hx-swap="outerHTML">
            <p class="ds-paragraph">{t[l].running(pct)}</p>
            <progress max={100} value={pct} aria-label={t[l].running(pct)} />
            <p class="ds-paragraph">
              <a class="ds-link" href={`/imports/uploads/${u.id}`}>
                {t[l].refresh}
              </a>
            </p>
          </div>
        )}
        {u.status === 'done' && (
          <Alert color="success">
            <p class="ds-paragraph">{report.batchId ? t[l].done : t[l].nothingNew}</p>
            {report.ok && <p class="ds-paragraph">{t[l].reportOk(report.rowsTotal ?? 0, report.inserted ?? 0, report.updated ?? 0, report.unchanged ?? 0)}</p>}
            {(report.notes ?? []).map((n) => (
              <p class="ds-paragraph" lang="en">
                {n}
              </p>
            ))}
            {report.batchId && (
              <p class="ds-paragraph">
                <a class="ds-link" href={`/imports/batches/${report.batchId}`}>
                  {t[l].batch} #{report.batchId}
                </a>
              </p>
            )}
          </Alert>
        )}
        {(u.status === 'checked' || u.status === 'failed') && report && (
          <section aria-labelledby="report-h">
            <h2 class="ds-heading" data-size="md" id="report-h">
              {t[l].reportTitle}
            </h2>
            {report.ok ? (
              <Alert color="success">{t[l].reportOk(report.rowsTotal ?? 0, report.inserted ?? 0, report.updated ?? 0, report.unchanged ?? 0)}</Alert>
            ) : (
              <>
                <Alert color="danger">{u.status === 'failed' && !report.errors?.length ? t[l].failed : t[l].reportErrors(report.errorCount ?? report.errors?.length ?? 0)}</Alert>
                <div class="ind-table-wrap">
                  <Table head={[t[l].row, t[l].field, t[l].reason]}>
                    {(report.errors ?? []).slice(0, 500).map((e) => (
                      <tr>
                        <td>{e.line || '–'}</td>
                        <td>{e.field}</td>
                        <td lang="en">{e.message}</td>
                      </tr>
                    ))}
                  </Table>
                </div>
              </>
            )}
          </section>
        )}
        {preview && u.status !== 'done' && !isRunning && (
          <>
            <h2 class="ds-heading" data-size="md">
              {t[l].preview}
            </h2>
            {preview.kind === 'table' && (
              <div class="ind-table-wrap">
                <Table caption={t[l].lines(preview.rowCount)} head={preview.headers}>
                  {preview.sample.map((row) => (
                    <tr>
                      {row.map((c) => (
                        <td>{c}</td>
                      ))}
                    </tr>
                  ))}
                </Table>
              </div>
            )}
            {preview.kind === 'jsonstat' && (
              <p class="ds-paragraph">
                {preview.label} · {t[l].cells(preview.cells)} · {preview.dims.map((d) => `${d.label} (${d.ids.length})`).join(' × ')}
              </p>
            )}
            {preview.kind === 'kolada' && <p class="ds-paragraph">{t[l].lines(preview.entries)}</p>}
            <form method="post" action={`/imports/uploads/${u.id}`}>
              <Csrf req={req} />
              {preview.kind !== 'kolada' && (
                <fieldset class="ds-fieldset">
                  <legend class="ds-heading" data-size="sm">
                    {t[l].mapping}
                  </legend>
                  <p class="ds-paragraph" data-size="sm">
                    {t[l].mappingHelp}
                  </p>
                  {saved.length > 0 && (
                    <div class="ds-field">
                      <label class="ds-label" for="f-saved">
                        {t[l].savedMappings}
                      </label>
                      <select class="ds-input" id="f-saved" name="useSaved">
                        <option value="">–</option>
                        {saved.map((s) => (
                          <option value={s.id}>{s.name}</option>
                        ))}
                      </select>
                    </div>
                  )}
                  {preview.kind === 'table' &&
                    preview.headers.map((h, i) => (
                      <div class="ds-field">
                        <label class="ds-label" for={`f-col-${i}`}>
                          {t[l].columnRole(h)}
                        </label>
                        <select class="ds-input" id={`f-col-${i}`} name={`col:${h}`}>
                          {COLUMN_ROLES.map((role) => (
                            <option value={role} selected={(mapping.columns?.[h] ?? preview.mapping.columns[h]) === role}>
                              {roleLabel(role)}
                            </option>
                          ))}
                        </select>
                      </div>
                    ))}
                  {preview.kind === 'jsonstat' &&
                    preview.dims.map((d, i) => (
                      <div class="ds-field">
                        <label class="ds-label" for={`f-dim-${i}`}>
                          {t[l].dimRole(d.label)}
                        </label>
                        <select class="ds-input" id={`f-dim-${i}`} name={`dim:${d.id}`}>
                          {DIM_ROLES.map((role) => (
                            <option value={role} selected={(mapping.dims?.[d.id] ?? preview.mapping.dims[d.id]) === role}>
                              {roleLabel(role)}
                            </option>
                          ))}
                        </select>
                      </div>
                    ))}
                  <div class="ds-field">
                    <label class="ds-label" for="f-indicator">
                      {t[l].fixedIndicator}
                    </label>
                    <input class="ds-input" id="f-indicator" name="indicator" value={String(mapping.indicator ?? '')} />
                  </div>
                  {(
                    <div class="ds-field">
                      <label class="ds-label" for="f-fixedarea">
                        {t[l].fixedArea}
                      </label>
                      <input class="ds-input" id="f-fixedarea" name="area" value={String(mapping.area ?? '')} />
                    </div>
                  )}
                  {(
                    <div class="ds-field">
                      <label class="ds-label" for="f-codes">
                        {t[l].codeMapping}
                      </label>
                      <div class="ds-paragraph" data-size="sm" id="f-codes-help">
                        {t[l].codeMappingHelp}
                      </div>
                      <textarea class="ds-input" id="f-codes" name="codes" rows={4} aria-describedby="f-codes-help">
                        {Object.entries((mapping.codes as Record<string, string> | undefined) ?? {})
                          .map(([k, v]) => `${k} = ${v}`)
                          .join('\n')}
                      </textarea>
                    </div>
                  )}
                  {preview.kind === 'jsonstat' && (
                    <div class="ds-field">
                      <label class="ds-label" for="f-prefix">
                        {t[l].indicatorPrefix}
                      </label>
                      <input class="ds-input" id="f-prefix" name="indicatorPrefix" value={String(mapping.indicatorPrefix ?? '')} />
                    </div>
                  )}
                  <div class="ds-field">
                    <label class="ds-label" for="f-country">
                      {t[l].country}
                    </label>
                    <select class="ds-input" id="f-country" name="country">
                      <option value="">{t[l].countryNone}</option>
                      {(['SE', 'NO', 'DK'] as const).map((c) => (
                        <option value={c} selected={mapping.country === c}>
                          {c}
                        </option>
                      ))}
                    </select>
                  </div>
                  <div class="ds-field">
                    <label class="ds-label" for="f-savename">
                      {t[l].saveMappingAs}
                    </label>
                    <input class="ds-input" id="f-savename" name="saveAs" value="" />
                  </div>
                </fieldset>
              )}
              <div class="ind-filters">
                <button class="ds-button" data-variant="secondary" type="submit" name="action" value="check">
                  {t[l].dryRun}
                </button>
                {u.status === 'checked' && report.ok && (
                  <button class="ds-button" data-variant="primary" type="submit" name="action" value="commit">
                    {t[l].commit}
                  </button>
                )}
              </div>
            </form>
          </>
        )}
        <p class="ds-paragraph">
          <a class="ds-link" href="/imports">
            {t[l].backToImports}
          </a>
        </p>
      </Layout>
    );
  };

  r.get('/imports/uploads/:id', { schema: { hide: true, params: z.object({ id: z.string().max(80) }) } }, async (req, reply) => {
    return reply.html(await uploadPage(req, req.params.id));
  });

  r.post(
    '/imports/uploads/:id',
    { schema: { hide: true, params: z.object({ id: z.string().max(80) }), body: z.record(z.string(), z.union([z.string(), z.array(z.string())])) } },
    async (req, reply) => {
      const body = req.body as Record<string, string>;
      const id =
        body.action === 'commit'
          ? await commitUpload(db, req.actor, req.params.id)
          : await checkUpload(db, req.actor, req.params.id, { mapping: mappingFromForm(body), savedMappingId: body.useSaved || undefined, saveAs: body.saveAs });
      return reply.redirect(`/imports/uploads/${id}`, 303);
    },
  );

  r.get('/imports/batches/:id', { schema: { hide: true, params: z.object({ id: z.string().max(20) }) } }, async (req, reply) => {
    const l = req.locale;
    const b = await q.getBatch(db.orm, req.params.id);
    const changes = await q.batchChanges(db.orm, b.id);
    return reply.html(
      <Layout req={req} title={`${t[l].batch} #${b.id}`} crumbs={[{ href: '/imports', label: t[l].imports }]}>
        <Styles />
        <h1 class="ds-heading" data-size="lg">
          {t[l].batch} #{b.id} {b.filename}
        </h1>
        <dl class="ind-meta">
          <dt>{t[l].when}</dt>
          <dd>{formatDateTime(l, b.created_at)}</dd>
          <dt>{t[l].who}</dt>
          <dd>{b.actor_label}</dd>
          <dt>{t[l].format}</dt>
          <dd>{b.format}</dd>
          <dt>{t[l].rows}</dt>
          <dd>
            {t[l].reportOk(b.rows_total, b.rows_inserted, b.rows_updated, b.rows_unchanged)}
          </dd>
        </dl>
        <h2 class="ds-heading" data-size="md">
          {t[l].changes}
        </h2>
        {changes.length === 0 ? (
          <p class="ds-paragraph">{t[l].noChanges}</p>
        ) : (
          <div class="ind-table-wrap">
            <Table caption={t[l].changesIntro} head={[t[l].indicator, t[l].area, t[l].period, t[l].breakdown, t[l].oldValue, t[l].newValue, t[l].fromBatch]}>
              {changes.map((c) => (
                <tr>
                  <td>{c.indicator}</td>
                  <td>{c.area_key}</td>
                  <td>{c.period}</td>
                  <td>{bdLabel(l, c.breakdown)}</td>
                  <td data-align="right">{c.old_value === null ? '–' : formatNumber(l, c.old_value)}</td>
                  <td data-align="right">{c.new_value === null ? '–' : formatNumber(l, c.new_value)}</td>
                  <td>
                    <a class="ds-link" href={`/imports/batches/${c.old_batch}`}>
                      #{c.old_batch}
                    </a>
                  </td>
                </tr>
              ))}
            </Table>
          </div>
        )}
      </Layout>,
    );
  });
}
