/**
 * Outputs other than pages: the deadlines as iCalendar (RFC 5545), and the
 * projects with partners and funding as CSV and XLSX. Only what the reader may
 * see goes out (the same reads as the pages). Spreadsheet cells that a
 * spreadsheet program would run as a formula are neutralised.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import writeXlsxFile from 'write-excel-file/node';
import { z } from 'zod';
import type { Actor } from '../../platform/audit.js';
import type { AppDeps } from '../../platform/http.js';
import { ListFilter } from './inputs.js';
import { toDecimal } from './money.js';
import { listProjects, milestonesOf, projectView, visibleLinks, type ListEntry } from './queries.js';
import type { MilestoneRow, ProjectRow } from './schema.js';

// --- iCalendar ---------------------------------------------------------------

// The shared primitives (src/web/ical.ts), which also strip control characters from TEXT.
import { escapeIcalText as escapeText, foldLine } from '../../web/ical.js';

const icsDay = (d: string) => d.replace(/-/g, '');
const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/**
 * All-day events: a deadline on its day, a phase from its start through its end.
 * Calendar days have no time zone, so none is needed.
 */
export function deadlinesCalendar(name: string, base: string, entries: { project: ProjectRow; milestones: MilestoneRow[] }[], now = new Date()): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Samverka//Projects//EN', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', `X-WR-CALNAME:${escapeText(name)}`];
  for (const { project: p, milestones } of entries)
    for (const m of milestones) {
      const start = m.kind === 'phase' && m.startDate ? m.startDate : m.dueDate;
      lines.push(
        'BEGIN:VEVENT',
        `UID:project-milestone-${m.id}@samverka`,
        `DTSTAMP:${stamp(now)}`,
        `DTSTART;VALUE=DATE:${icsDay(start)}`,
        `DTEND;VALUE=DATE:${icsDay(nextDay(m.dueDate))}`,
        `SUMMARY:${escapeText(`${m.title} – ${p.acronym ?? p.name}`)}`,
        `DESCRIPTION:${escapeText(p.name)}`,
        `URL:${base}/projects/${p.slug}`,
        `CATEGORIES:${m.kind === 'deadline' ? 'DEADLINE' : 'PHASE'}`,
        `LAST-MODIFIED:${stamp(p.updatedAt)}`,
        'TRANSP:TRANSPARENT',
        'END:VEVENT',
      );
    }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

// --- Spreadsheets --------------------------------------------------------------

/** A leading = + - @ tab or CR makes spreadsheet programs read a cell as a formula: prefix an apostrophe. */
export const neutralise = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

export const EXPORT_COLUMNS = ['record', 'project', 'name', 'acronym', 'owner', 'state', 'start', 'end', 'organisation', 'role', 'programme', 'grant_reference', 'own_financing', 'year', 'currency', 'amount', 'link', 'link_url'] as const;
type ExportRow = Record<(typeof EXPORT_COLUMNS)[number], string | number | null>;

/**
 * One table for projects, partners, funding and links: a `project` row per project, then a
 * `partner` row per partner, a `funding` row per amount, and a `plan_action` or `challenge` row per
 * link the reader may see (`links`, from visibleLinks), each carrying the project's slug. Amounts
 * are exact decimals in major units.
 */
export function exportRows(items: ListEntry[], links: Map<string, Awaited<ReturnType<typeof visibleLinks>>> = new Map()): ExportRow[] {
  const rows: ExportRow[] = [];
  const blank = { organisation: null, role: null, programme: null, grant_reference: null, own_financing: null, year: null, currency: null, amount: null, link: null, link_url: null };
  for (const e of items) {
    const p = e.project;
    const common = { project: p.slug, name: p.name, acronym: p.acronym, owner: e.owner.name, state: p.state };
    rows.push({ record: 'project', ...common, start: p.startDate, end: p.endDate, ...blank });
    for (const x of e.partners) rows.push({ record: 'partner', ...common, ...blank, start: x.startDate, end: x.endDate, organisation: x.organisation.name, role: x.role });
    for (const s of e.funding)
      for (const a of s.amounts)
        rows.push({ record: 'funding', ...common, start: null, end: null, ...blank, organisation: s.funder.name, programme: s.programme, grant_reference: s.grantReference, own_financing: s.isOwn ? 'yes' : 'no', year: a.year, currency: a.currency, amount: toDecimal(a.amountMinor) });
    const l = links.get(p.id);
    for (const a of l?.planActions ?? []) rows.push({ record: 'plan_action', ...common, start: null, end: null, ...blank, link: `${a.identifier} ${a.title} (${a.plan.title})`, link_url: `/actions/${a.id}` });
    for (const c of l?.challenges ?? []) rows.push({ record: 'challenge', ...common, start: null, end: null, ...blank, link: c.title, link_url: `/challenges/${c.id}` });
  }
  return rows;
}

const csvCell = (v: string | number | null) => {
  if (v === null) return '';
  const s = typeof v === 'number' ? String(v) : neutralise(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function toCsv(rows: ExportRow[]): string {
  // The BOM makes Excel read the file as UTF-8 (å, ä, ö, æ, ø).
  return '\ufeff' + [EXPORT_COLUMNS.join(','), ...rows.map((r) => EXPORT_COLUMNS.map((c) => csvCell(r[c])).join(','))].join('\r\n') + '\r\n';
}

export async function toXlsx(rows: ExportRow[]): Promise<Buffer> {
  const data = [
    EXPORT_COLUMNS.map((c) => ({ value: c, fontWeight: 'bold' as const })),
    ...rows.map((r) =>
      EXPORT_COLUMNS.map((c) => {
        const v = r[c];
        if (v === null) return null;
        if (c === 'amount') return { value: Number(v), type: Number, format: '#,##0.00' };
        if (typeof v === 'number') return { value: v, type: Number };
        return { value: neutralise(v), type: String };
      }),
    ),
  ];
  return (await writeXlsxFile(data as never, { sheet: 'Projects' }).toBuffer()) as Buffer;
}

export async function projectFeeds(app: FastifyInstance, { db, config }: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = config.publicUrl;
  const tags = ['Projects'];

  r.get('/projects/deadlines.ics', { schema: { tags, summary: 'Phases and deadlines of the projects you may read, as iCalendar', querystring: ListFilter } }, async (req, reply) => {
    const items = await listProjects(db.orm, req.actor, req.query);
    const ms = await milestonesOf(db.orm, items.map((e) => e.project.id));
    const cal = deadlinesCalendar('Samverka – projects', base, items.map((e) => ({ project: e.project, milestones: ms.filter((m) => m.projectId === e.project.id) })));
    return reply.type('text/calendar; charset=utf-8').header('content-disposition', 'inline; filename="projects.ics"').send(cal);
  });

  r.get('/projects/:slug/deadlines.ics', { schema: { tags, summary: 'A project’s phases and deadlines as iCalendar', params: z.object({ slug: z.string().min(1).max(200) }) } }, async (req, reply) => {
    const v = await projectView(db.orm, req.actor, req.params.slug);
    return reply.type('text/calendar; charset=utf-8').header('content-disposition', `inline; filename="${v.project.slug}.ics"`).send(deadlinesCalendar(v.project.name, base, [{ project: v.project, milestones: v.milestones }]));
  });

  // The links each reader may see (another organisation's drafts are left out, as on the page).
  const exportFor = async (actor: Actor, f: ListFilter) => {
    const items = await listProjects(db.orm, actor, f);
    const links = new Map<string, Awaited<ReturnType<typeof visibleLinks>>>();
    for (const e of items) links.set(e.project.id, await visibleLinks(db.orm, actor, e.project.id));
    return exportRows(items, links);
  };

  r.get('/projects/export.csv', { schema: { tags, summary: 'Projects with partners and funding as CSV (same filters as the list)', querystring: ListFilter } }, async (req, reply) => {
    const rows = await exportFor(req.actor, req.query);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="projects.csv"').send(toCsv(rows));
  });

  r.get('/projects/export.xlsx', { schema: { tags, summary: 'Projects with partners and funding as XLSX (same filters as the list)', querystring: ListFilter } }, async (req, reply) => {
    const rows = await exportFor(req.actor, req.query);
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', 'attachment; filename="projects.xlsx"')
      .send(await toXlsx(rows));
  });
}
