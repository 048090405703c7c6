/**
 * The import pages' views: the upload form with the recent batches, an upload's mapping step and
 * report, and a batch's changes. The mapping form's fields are read back by mapping-form.ts.
 */
import type { FastifyRequest } from 'fastify';
import { Layout } from '../../web/layout.js';
import { Alert, Table } from '../../web/components.js';
import { Csrf, emptyForm, ErrorSummary, TextField, type FormState } from '../../web/form-fields.js';
import { formatDateTime } from '../../web/i18n/index.js';
import { formatNumber, Styles, bdLabel, type ImportReport } from '../indicators/index.js';
import { t } from './i18n.js';
import { mt } from './mapping-pages.js';
import { rt } from './reference-i18n.js';
import { COLUMN_ROLES, DIM_ROLES } from './importers/index.js';
import type { ImportsOverview, UploadView as UploadData } from './upload-flow.js';
import type { Change, getBatch } from './queries.js';

/** The imports page: the upload form (for those who may import), links to mappings and reference data, recent batches. */
export function ImportsView({ req, overview, error }: { req: FastifyRequest; overview: ImportsOverview; error?: string | undefined }) {
  const l = req.locale;
  const { batches, allowed, canManageReference } = overview;
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
          {canManageReference && (
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
}

/** An upload: its progress while running, its report, and (until done) the preview and the mapping form. */
/** `form` carries what a refused check sent back: the name to save the mapping under, and why it was refused. */
export function UploadView({ req, data, form = emptyForm() }: { req: FastifyRequest; data: UploadData; form?: FormState }) {
  const l = req.locale;
  const { upload: u, preview, saved, progress: pct } = data;
  const mapping = u.mapping as Record<string, any>;
  const report = u.report as Partial<ImportReport>;
  const isRunning = u.status === 'running';
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
          <ErrorSummary req={req} form={form} labels={{ saveAs: t[l].saveMappingAs }} />
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
                <TextField name="saveAs" label={t[l].saveMappingAs} form={form} />
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
}

/** A batch: who brought it in and when, its counts, and the values it replaced. */
export function BatchView({ req, batch: b, changes }: { req: FastifyRequest; batch: Awaited<ReturnType<typeof getBatch>>; changes: Change[] }) {
  const l = req.locale;
  return (
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
    </Layout>
  );
}
