/**
 * The checks every imported row passes before it is written: its area exists and was valid in the
 * row's years (an outdated code is named with its successor), its indicator exists, its value is
 * finite, its period well formed, its texts free of control characters, and the actor may write
 * the area's figures. A whole file is checked in one call; a file that arrives in chunks (issue
 * #12) chunk by chunk, each before it is written, with the same checks: what the database says
 * about an area or an indicator is asked once, when a chunk first names it.
 */
import { rawQuery, type Executor } from '../../platform/db/index.js';
import type { Actor } from '../../platform/audit.js';
import { dictFlags, distinctOf, eachRow, type PackedResult, type RowError } from '../indicator-model/index.js';
import { textProblem } from '../../platform/text.js';

/** What the parsers produce (normalisePeriod): years from 1000, quarters, months, year ranges. */
const PERIOD_RE = /^[1-9]\d{3}(-Q[1-4]|-(0[1-9]|1[0-2])|-[1-9]\d{3})?$/;

type Dated = { key: string; name: string; from_year: number | null; to_year: number | null; successors: string[] | null; predecessors: string[] | null };
type ChainLink = { key: string; from_year: number | null; to_year: number | null; depth: number };

export class RowChecks {
  /** Area key → id, for the areas the rows named that exist. */
  readonly areaId = new Map<string, string>();
  /** The indicators the rows named that exist, in the order the database gave them. */
  readonly indRows: { id: string; code: string }[] = [];
  private readonly known: Set<string>;
  private readonly seenAreas = new Set<string>();
  private readonly seenCodes = new Set<string>();
  private readonly validity = new Map<string, Dated>();
  private readonly chains = new Map<string, ChainLink[]>();
  /** Areas whose figures the actor may not write, with the organisations that govern them. */
  private readonly denied = new Map<string, string>();

  /** `metaCodes`: the indicators the file defines itself, which need not exist yet. */
  constructor(private readonly actor: Actor, metaCodes: string[]) {
    this.known = new Set(metaCodes);
  }

  /** Asks the database about the areas and indicators these rows name that no earlier rows named. */
  async lookUp(ex: Executor, cols: PackedResult): Promise<void> {
    const areaKeys = distinctOf(cols, cols.area).filter((k) => !this.seenAreas.has(k));
    const codes = distinctOf(cols, cols.indicator).filter((c) => !this.seenCodes.has(c));
    for (const k of areaKeys) this.seenAreas.add(k);
    for (const c of codes) this.seenCodes.add(c);
    if (areaKeys.length) {
      const areaRows = await rawQuery<{ id: string; key: string }>(ex, 'SELECT id, key FROM areas WHERE key = ANY($1::text[])', [areaKeys]);
      for (const a of areaRows) this.areaId.set(a.key, a.id);
      // Areas that reforms created or ended: a code is valid only for data of its own years.
      const dated = await rawQuery<Dated>(
        ex,
        `SELECT a.key, a.name, extract(year FROM a.valid_from)::int AS from_year, extract(year FROM a.valid_to)::int AS to_year,
           (SELECT array_agg(s.key ORDER BY s.key) FROM area_changes c JOIN areas s ON s.id = c.successor_id WHERE c.predecessor_id = a.id) AS successors,
           (SELECT array_agg(p.key ORDER BY p.key) FROM area_changes c JOIN areas p ON p.id = c.predecessor_id WHERE c.successor_id = a.id) AS predecessors
         FROM areas a WHERE a.key = ANY($1::text[]) AND (a.valid_from IS NOT NULL OR a.valid_to IS NOT NULL)`,
        [areaKeys],
      );
      for (const d of dated) this.validity.set(d.key, d);
      // Successors of successors (0702 Holmestrand -> 0715 in 2018 -> 3802 in 2020 -> 3903 in 2024): an
      // outdated code is offered the one of its line that is valid in the row's year. The depth is
      // capped, so that a cycle in a hand-written change file ends instead of recursing for ever.
      const outdated = dated.filter((d) => d.to_year !== null).map((d) => d.key);
      if (outdated.length) {
        const rowsOfChain = await rawQuery<ChainLink & { root: string }>(
          ex,
          `WITH RECURSIVE chain(root, id, depth) AS (
             SELECT a.id, a.id, 0 FROM areas a WHERE a.key = ANY($1::text[])
             UNION SELECT c.root, ch.successor_id, c.depth + 1 FROM chain c JOIN area_changes ch ON ch.predecessor_id = c.id WHERE c.depth < 20)
           SELECT r.key AS root, s.key, extract(year FROM s.valid_from)::int AS from_year, extract(year FROM s.valid_to)::int AS to_year, min(c.depth)::int AS depth
           FROM chain c JOIN areas r ON r.id = c.root JOIN areas s ON s.id = c.id WHERE c.depth > 0
           GROUP BY r.key, s.key, s.valid_from, s.valid_to ORDER BY depth, s.key`,
          [outdated],
        );
        for (const c of rowsOfChain) {
          let list = this.chains.get(c.root);
          if (!list) this.chains.set(c.root, (list = []));
          list.push(c);
        }
      }
      if (!this.actor.isPlatformAdmin) for (const [k, who] of await areasNotWritable(ex, this.actor, areaRows)) this.denied.set(k, who);
    }
    if (codes.length) {
      const indRows = await rawQuery<{ id: string; code: string }>(ex, 'SELECT id, code FROM ind_indicators WHERE code = ANY($1::text[])', [codes]);
      for (const i of indRows) {
        this.indRows.push(i);
        this.known.add(i.code);
      }
    }
  }

  private successorFor(key: string, year: number, direct: string[]) {
    const valid = (this.chains.get(key) ?? []).filter((c) => (c.from_year === null || c.from_year <= year) && (c.to_year === null || year <= c.to_year));
    if (!valid.length) return direct.join(' or ');
    const via = (this.chains.get(key) ?? []).filter((c) => c.depth < valid[0]!.depth).map((c) => c.key);
    return `${valid.map((v) => v.key).join(' or ')}${via.length ? ` (via ${via.join(', ')})` : ''}`;
  }

  /** The rows' problems, in row order (lookUp first). */
  rowErrors(cols: PackedResult): RowError[] {
    const errors: RowError[] = [];
    const { validity, areaId, known } = this;
    // Only rows that one of the checks below can fault are visited: the checks are made once per
    // distinct string first, so the other rows cost a few integer reads.
    const areaSuspect = dictFlags(cols, (k) => validity.has(k) || !areaId.has(k));
    const codeSuspect = dictFlags(cols, (c) => !known.has(c));
    const periodSuspect = dictFlags(cols, (p) => !PERIOD_RE.test(p));
    const textSuspect = dictFlags(cols, (t) => t !== '' && (textProblem(t, { multiline: true }) !== null || textProblem(t, { multiline: false }) !== null));
    const confidential = dictFlags(cols, (s) => s === 'confidential');
    const suspect = (i: number) =>
      !!(areaSuspect[cols.area[i]!] || codeSuspect[cols.indicator[i]!] || periodSuspect[cols.period[i]!] || textSuspect[cols.note[i]!] || textSuspect[cols.breakdown[i]!] || textSuspect[cols.status[i]!]) ||
      (!cols.isNull[i] && (!Number.isFinite(cols.value[i]!) || confidential[cols.status[i]!] === 1));
    for (const r of eachRow(cols, suspect)) {
      const v = validity.get(r.area);
      if (v) {
        const first = Number(r.period.slice(0, 4));
        const last = /^\d{4}-\d{4}$/.test(r.period) ? Number(r.period.slice(5)) : first;
        if (v.to_year !== null && first > v.to_year) {
          const to = v.successors?.length ? `; map it to ${this.successorFor(r.area, first, v.successors)}` : '';
          errors.push({ line: r.line, field: 'area', message: `"${r.area}" (${v.name}) was replaced after ${v.to_year}, so it has no data for ${r.period}${to}` });
        } else if (v.from_year !== null && last < v.from_year) {
          const from = v.predecessors?.length ? `; for earlier years use ${v.predecessors.join(' or ')}` : '';
          errors.push({ line: r.line, field: 'area', message: `"${r.area}" (${v.name}) exists from ${v.from_year}, so it has no data for ${r.period}${from}` });
        }
      }
      if (!areaId.has(r.area)) errors.push({ line: r.line, field: 'area', message: `unknown area "${r.area}"` });
      if (!known.has(r.indicator)) errors.push({ line: r.line, field: 'indicator', message: `unknown indicator "${r.indicator}"` });
      // Whatever importer made the row: no Infinity, no impossible period, no control characters.
      if (r.value !== null && !Number.isFinite(r.value)) errors.push({ line: r.line, field: 'value', message: `${r.value} is not a finite number` });
      // Every page, comparison and export shows a stored value: one the source withholds must not be stored.
      else if (r.value !== null && r.status === 'confidential') errors.push({ line: r.line, field: 'value', message: `the row is confidential but has the value ${r.value}; leave the value empty, or remove the status if the value may be published` });
      if (!PERIOD_RE.test(r.period)) errors.push({ line: r.line, field: 'period', message: `"${r.period}" is not a period` });
      for (const [field, text, multiline] of [['note', r.note, true], ['breakdown', r.breakdown, false], ['status', r.status, false]] as const) {
        const problem = text ? textProblem(text, { multiline }) : null;
        if (problem) errors.push({ line: r.line, field, message: `the ${field} ${problem}` });
      }
    }
    return errors;
  }

  /** The rows whose area's figures the actor may not write (none for a platform admin). */
  deniedErrors(cols: PackedResult): RowError[] {
    const errors: RowError[] = [];
    if (this.actor.isPlatformAdmin) return errors;
    const deniedArea = dictFlags(cols, (k) => this.denied.has(k));
    for (const r of eachRow(cols, (i) => deniedArea[cols.area[i]!] === 1)) {
      const who = this.denied.get(r.area);
      if (who !== undefined) errors.push({ line: r.line, field: 'area', message: `you may not write figures for "${r.area}": only editors of ${who || 'the organisation governing it'}, of a network it has delegated its figures to, or a platform admin may` });
    }
    return errors;
  }
}

/**
 * Areas whose figures the actor may not write, with the name of the organisation that governs
 * each: observations for an area are written by the admins and editors of the organisation bound
 * to it (or of a body above it), or by platform admins. An area no organisation governs is
 * reference territory (countries, unclaimed regions): platform admins only, named by ''.
 */
async function areasNotWritable(ex: Executor, actor: Actor, areaRows: { id: string; key: string }[]): Promise<Map<string, string>> {
  const denied = new Map<string, string>();
  if (!areaRows.length) return denied;
  const bound = await rawQuery<{ area_id: string; id: string; name: string }>(ex, 'SELECT area_id, id, name FROM organisations WHERE area_id = ANY($1::uuid[]) AND ended_on IS NULL', [areaRows.map((a) => a.id)]);
  // Loaded lazily, as in importAreas: the directory owns organisations and who manages them.
  const { directory } = await import('../directory/index.js');
  const may = new Map<string, boolean>();
  for (const b of bound) if (!may.has(b.id)) may.set(b.id, await directory.mayWriteAreaFigures(ex, actor, b.id));
  for (const a of areaRows) {
    const orgs = bound.filter((b) => b.area_id === a.id);
    if (!orgs.some((o) => may.get(o.id))) denied.set(a.key, orgs.map((o) => o.name).join(', '));
  }
  return denied;
}
