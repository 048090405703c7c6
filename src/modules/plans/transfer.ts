/**
 * Actions to and from CSV and XLSX. The columns are the action's fields, with organisations and
 * people by their directory slug and the list fields written the way the forms take them
 * (milestones, indicators and budget one per line, `a | b | c`). An import is all-or-nothing:
 * every row is checked first, and any bad row gives a report of row, field and reason with
 * nothing written; a row whose identifier the plan already has updates that action.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit, type Actor } from '../../platform/audit.js';
import type { Database } from '../../platform/db/index.js';
import { NotFoundError, ValidationError, type FieldError } from '../../platform/errors.js';
import { textProblem } from '../../platform/text.js';
import { write, writeErrors } from '../../web/api.js';
import { registerMultipart } from '../../web/multipart.js';
import { directory } from '../directory/index.js';
import { ActionInput, type ActionInput as ActionInputT } from './inputs.js';
import { assertCanManage } from './policy.js';
import { actions, type ActionRow } from './schema.js';
import { actionValues, checkActionRefs, getPlan, reindexPlan } from './service.js';
import { planActions } from './queries.js';
import { eq } from 'drizzle-orm';

export const COLUMNS = [
  'identifier', 'title', 'lang', 'description', 'primary_organisation', 'collaborators', 'contacts', 'start', 'end',
  'milestones', 'sdg_targets', 'indicators', 'currency', 'budget', 'manual_status', 'manual_reason',
] as const;
type Column = (typeof COLUMNS)[number];
/** Which column a field error of ActionInput belongs to. */
const FIELD_COLUMN: Record<string, Column> = {
  identifier: 'identifier', title: 'title', lang: 'lang', description: 'description', primaryOrgId: 'primary_organisation', collaboratorIds: 'collaborators',
  contactIds: 'contacts', startDate: 'start', endDate: 'end', milestones: 'milestones', sdgTargets: 'sdg_targets', indicators: 'indicators', currency: 'currency',
  budget: 'budget', manualStatus: 'manual_status', manualReason: 'manual_reason',
};

export type RowError = { row: number; column: string; message: string };

/** Spreadsheet programs run cells starting with = + - @ as formulas: such text is exported with a leading apostrophe. */
const safeCell = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

async function rowsFor(db: Database, list: ActionRow[]): Promise<Record<Column, string>[]> {
  const slug = new Map<string, string>();
  const orgSlug = async (id: string) => {
    if (!slug.has(id)) slug.set(id, (await directory.getOrganisation(db.orm, id).catch(() => null))?.slug ?? id);
    return slug.get(id)!;
  };
  const personSlug = async (id: string) => (await directory.getPerson(db.orm, id).catch(() => null))?.slug ?? id;
  const out: Record<Column, string>[] = [];
  for (const a of list) {
    out.push({
      identifier: a.identifier, title: a.title, lang: a.lang, description: a.description, primary_organisation: await orgSlug(a.primaryOrgId),
      collaborators: (await Promise.all(a.collaboratorIds.map(orgSlug))).join(', '), contacts: (await Promise.all(a.contactIds.map(personSlug))).join(', '),
      start: a.startDate ?? '', end: a.endDate ?? '',
      milestones: a.milestones.map((m) => [m.due, m.title, m.completedOn ?? ''].join(' | ').replace(/ \| $/, '')).join('\n'),
      sdg_targets: a.sdgTargets.join(', '), indicators: a.indicators.map((i) => `${i.code} | ${i.direction}`).join('\n'), currency: a.currency ?? '',
      budget: a.budget.map((b) => `${b.year} | ${b.amount}`).join('\n'), manual_status: a.manualStatus ?? '', manual_reason: a.manualReason ?? '',
    });
  }
  return out;
}

const csvQuote = (s: string) => (/[",\n\r;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export async function exportActions(db: Database, actor: Actor, planId: string, format: 'csv' | 'xlsx'): Promise<{ body: Buffer; type: string; filename: string }> {
  const plan = await getPlan(db.orm, actor, planId);
  const rows = await rowsFor(db, await planActions(db.orm, [plan.id]));
  const filename = `actions-${plan.id.slice(0, 8)}.${format}`;
  if (format === 'csv') {
    const text = [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => csvQuote(safeCell(r[c]))).join(','))].join('\r\n') + '\r\n';
    return { body: Buffer.from(`\ufeff${text}`, 'utf8'), type: 'text/csv; charset=utf-8', filename };
  }
  const { default: writeXlsxFile } = await import('write-excel-file/node');
  const data = [COLUMNS.map((c) => ({ value: c, fontWeight: 'bold' as const })), ...rows.map((r) => COLUMNS.map((c) => ({ value: r[c], type: String })))];
  const body = await writeXlsxFile(data as never).toBuffer();
  return { body, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', filename };
}

/** Reads a CSV or XLSX file into header-keyed rows; a file that cannot be read is one error on row 1. */
export async function readTable(content: Buffer, format: 'csv' | 'xlsx'): Promise<{ rows: Record<string, string>[]; errors: RowError[] }> {
  let table: unknown[][];
  try {
    if (format === 'csv') {
      let text = content.toString('utf8').replace(/^\ufeff/, '');
      const first = text.split('\n', 1)[0] ?? '';
      const delimiter = (first.match(/;/g)?.length ?? 0) > (first.match(/,/g)?.length ?? 0) ? ';' : ',';
      text = text.trimEnd();
      table = parseCsv(text, { delimiter, relax_column_count: true, skip_empty_lines: true }) as string[][];
    } else {
      const { default: readXlsxFile } = await import('read-excel-file/node');
      const sheets = (await readXlsxFile(content)) as unknown;
      table = Array.isArray(sheets) && sheets[0] && typeof sheets[0] === 'object' && 'data' in (sheets[0] as object) ? (sheets[0] as { data: unknown[][] }).data : (sheets as unknown[][]);
    }
  } catch (err) {
    return { rows: [], errors: [{ row: 1, column: '', message: `The file could not be read as ${format.toUpperCase()}: ${(err as Error).message}` }] };
  }
  const [head, ...rest] = table;
  if (!head) return { rows: [], errors: [{ row: 1, column: '', message: 'The file is empty.' }] };
  const headers = head.map((h) => String(h ?? '').trim().toLowerCase());
  const missing = ['identifier', 'title', 'primary_organisation'].filter((c) => !headers.includes(c));
  if (missing.length) return { rows: [], errors: missing.map((c) => ({ row: 1, column: c, message: 'This column is missing from the header row.' })) };
  const unknown = headers.filter((h) => h && !(COLUMNS as readonly string[]).includes(h));
  if (unknown.length) return { rows: [], errors: unknown.map((c) => ({ row: 1, column: c, message: 'Unknown column.' })) };
  const errors: RowError[] = [];
  const rows = rest.map((cells, n) => {
    const r: Record<string, string> = {};
    headers.forEach((h, i) => {
      const v = cells[i];
      // Undo the formula guard of our own export.
      r[h] = v == null ? '' : String(v instanceof Date ? v.toISOString().slice(0, 10) : v).replace(/^'(?=[=+\-@])/, '');
      // A file is not checked by the request guard as a form is: a NUL byte would reach the database.
      const problem = textProblem(r[h]);
      if (problem) errors.push({ row: n + 2, column: h, message: `The text ${problem}` });
    });
    return r;
  });
  return errors.length ? { rows: [], errors } : { rows, errors: [] };
}

/** Imports every row or none. Returns the number of actions created or updated. */
export async function importActions(db: Database, actor: Actor, planId: string, content: Buffer, format: 'csv' | 'xlsx'): Promise<{ created: number; updated: number }> {
  // Who may import, and into which plan, is answered before the file is read: an outsider's
  // malformed file is refused for who they are (403), and an unknown plan is not found (404),
  // not reported as the file's faults. The transaction checks again against what it writes.
  await assertCanManage(db.orm, actor, (await getPlan(db.orm, actor, planId)).organisationId);
  const { rows, errors } = await readTable(content, format);
  if (errors.length) throw new ImportRowsError(errors);
  if (!rows.length) throw new ImportRowsError([{ row: 1, column: '', message: 'The file has no rows below the header.' }]);
  return db.orm.transaction(async (tx) => {
    const plan = await getPlan(tx, actor, planId);
    await assertCanManage(tx, actor, plan.organisationId);
    const existing = new Map((await planActions(tx, [plan.id])).map((a) => [a.identifier, a]));
    const rowErrors: RowError[] = [];
    const seen = new Map<string, number>();
    const parsed: { line: number; input: ActionInputT }[] = [];
    const orgId = async (ref: string, line: number, column: string) => {
      try {
        return (await directory.getOrganisation(tx, ref)).id;
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
        rowErrors.push({ row: line, column, message: `No organisation “${ref}” in the directory` });
        return null;
      }
    };
    const personId = async (ref: string, line: number) => {
      try {
        return (await directory.getPerson(tx, ref)).id;
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
        rowErrors.push({ row: line, column: 'contacts', message: `No person “${ref}” in the directory` });
        return null;
      }
    };
    const split = (s: string | undefined) => (s ?? '').split(/[,;\n]+/).map((x) => x.trim()).filter(Boolean);
    for (const [i, r] of rows.entries()) {
      const line = i + 2; // the header is line 1
      const before = rowErrors.length;
      const primary = r.primary_organisation ? await orgId(r.primary_organisation, line, 'primary_organisation') : '';
      const collaborators = [];
      for (const c of split(r.collaborators)) collaborators.push(await orgId(c, line, 'collaborators'));
      const contacts = [];
      for (const c of split(r.contacts)) contacts.push(await personId(c, line));
      if (rowErrors.length > before) continue;
      const res = ActionInput.safeParse({
        identifier: r.identifier, title: r.title, lang: r.lang || plan.lang, description: r.description ?? '', primaryOrgId: primary, collaboratorIds: collaborators, contactIds: contacts,
        startDate: r.start, endDate: r.end, milestones: r.milestones, sdgTargets: r.sdg_targets, indicators: r.indicators, currency: r.currency, budget: r.budget,
        manualStatus: r.manual_status, manualReason: r.manual_reason,
      });
      if (!res.success) {
        for (const iss of res.error.issues) rowErrors.push({ row: line, column: FIELD_COLUMN[String(iss.path[0])] ?? String(iss.path[0] ?? ''), message: iss.message });
        continue;
      }
      const refs = await checkActionRefs(tx, res.data);
      for (const e of refs) rowErrors.push({ row: line, column: FIELD_COLUMN[e.field.split('.')[0]!] ?? e.field, message: e.message });
      if (seen.has(res.data.identifier)) rowErrors.push({ row: line, column: 'identifier', message: `The identifier is also on row ${seen.get(res.data.identifier)}` });
      seen.set(res.data.identifier, line);
      parsed.push({ line, input: res.data });
    }
    if (rowErrors.length) throw new ImportRowsError(rowErrors);
    let created = 0;
    let updated = 0;
    for (const { input } of parsed) {
      const old = existing.get(input.identifier);
      if (old) {
        await tx.update(actions).set({ ...actionValues(input), updatedAt: new Date() }).where(eq(actions.id, old.id));
        updated++;
      } else {
        await tx.insert(actions).values({ planId: plan.id, ...actionValues(input) });
        created++;
      }
    }
    await reindexPlan(tx, plan);
    await recordAudit(tx, actor, { action: 'action.import', entityType: 'plan', entityId: plan.id, organisationId: plan.state === 'draft' ? null : plan.organisationId, summary: `${created} created, ${updated} updated from ${format.toUpperCase()}` });
    return { created, updated };
  });
}

/** A rejected import: a 422 whose fields are `rows.<row>.<column>`, so API clients get the same report. */
export class ImportRowsError extends ValidationError {
  constructor(readonly rows: RowError[]) {
    super(rows.map((r): FieldError => ({ field: `rows.${r.row}${r.column ? `.${r.column}` : ''}`, message: r.message })), 'The import was refused; nothing was changed.');
  }
}

export const formatOf = (filename: string): 'csv' | 'xlsx' | null => (/\.xlsx$/i.test(filename) ? 'xlsx' : /\.(csv|txt)$/i.test(filename) ? 'csv' : null);

/**
 * The export downloads and the import routes (a multipart form for people, base64 JSON for the API).
 * Registered inside the pages plugin so the multipart parser (src/web/multipart.ts) stays scoped to it.
 */
export function registerImportRoutes(app: FastifyInstance, db: Database, maxBytes = 20 * 1024 * 1024) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const Id = z.object({ id: z.string().min(1).max(100) });
  // Scoped to the pages plugin that calls this: fields at the top level (the CSRF check reads `_csrf` there), the file beside them.
  registerMultipart(app, maxBytes);
  for (const format of ['csv', 'xlsx'] as const) {
    r.get(`/plans/:id/actions.${format}`, { schema: { hide: true, params: Id } }, async (req, reply) => {
      const out = await exportActions(db, req.actor, req.params.id, format);
      return reply.type(out.type).header('content-disposition', `attachment; filename="${out.filename}"`).send(out.body);
    });
    r.get(`/api/plans/:id/actions.${format}`, { schema: { tags: ['Actions'], summary: `Export a plan’s actions as ${format.toUpperCase()}`, params: Id } }, async (req, reply) => {
      const out = await exportActions(db, req.actor, req.params.id, format);
      return reply.type(out.type).header('content-disposition', `attachment; filename="${out.filename}"`).send(out.body);
    });
  }
  r.post('/api/plans/:id/actions/import', {
    schema: {
      tags: ['Actions'], summary: 'Import actions from CSV or XLSX (all rows or none; a bad row gives 422 with fields rows.<row>.<column>)', ...write, params: Id,
      body: z.object({ format: z.enum(['csv', 'xlsx']), content: z.string().min(1).max(Math.ceil((maxBytes * 4) / 3)).describe('The file, base64-encoded') }),
      response: { 200: z.object({ created: z.number().int(), updated: z.number().int() }), ...writeErrors },
    },
    bodyLimit: Math.ceil((maxBytes * 4) / 3) + 1024,
  }, async (req) => importActions(db, req.actor, req.params.id, Buffer.from(req.body.content, 'base64'), req.body.format));
}
