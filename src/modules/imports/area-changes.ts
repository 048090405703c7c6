/**
 * Changes of area codes over time: mergers, splits and renumberings (Norway 2020 and 2024).
 * Read from a tab-separated file (the project ships data/area-changes.tsv; the format is in
 * docs/indicators.md). Applying it gives predecessors an end date, successors a start date,
 * and links each pair, so that an import resolves a code by the data's year and reports an
 * outdated code with its successor instead of rejecting the file silently.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from '../../platform/db/index.js';
import { recordAudit, type Actor } from '../../platform/audit.js';
import { FileFormatError } from './importers/table.js';
import { rawQuery } from '../../platform/db/index.js';

export const SHIPPED_AREA_CHANGES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'data/area-changes.tsv');

export type AreaChange = { date: string; country: string; level: 'region' | 'municipality' | 'district'; oldCode: string; oldName: string; newCode: string; newName: string; line: number };

const COLUMNS = ['date', 'country', 'level', 'old_code', 'old_name', 'new_code', 'new_name'];

export function parseAreaChanges(text: string): AreaChange[] {
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  const out: AreaChange[] = [];
  let header: string[] | null = null;
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim() || raw.startsWith('#')) return;
    const cells = raw.split('\t').map((c) => c.trim());
    if (!header) {
      header = cells;
      if (COLUMNS.some((c, j) => header![j] !== c)) throw new FileFormatError(`Line ${line}: the header must be ${COLUMNS.join(', ')} (tab-separated).`);
      return;
    }
    const [date, country, level, oldCode, oldName, newCode, newName] = cells;
    if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) throw new FileFormatError(`Line ${line}: "${date ?? ''}" is not a date (YYYY-MM-DD).`);
    if (!country || !/^[A-Z]{2}$/.test(country)) throw new FileFormatError(`Line ${line}: "${country ?? ''}" is not a country code.`);
    if (level !== 'region' && level !== 'municipality' && level !== 'district') throw new FileFormatError(`Line ${line}: "${level ?? ''}" is not region, municipality or district.`);
    if (!oldCode || !newCode || !/^[0-9a-z]+$/i.test(oldCode) || !/^[0-9a-z]+$/i.test(newCode)) throw new FileFormatError(`Line ${line}: old_code and new_code must be codes.`);
    // The same code on both sides says the area lives on through the change (others joined it).
    if (oldCode === newCode && oldName !== newName) throw new FileFormatError(`Line ${line}: an area that keeps its code (${oldCode}) needs the same name on both sides.`);
    if (!oldName || !newName) throw new FileFormatError(`Line ${line}: both names are needed.`);
    out.push({ date, country, level, oldCode, oldName, newCode, newName, line });
  });
  if (!out.length) throw new FileFormatError('The file holds no changes.');
  return out;
}

const dayBefore = (d: string) => new Date(Date.parse(d) - 86_400_000).toISOString().slice(0, 10);

/** Applies the changes in one transaction; running the same file again changes nothing. */
export async function applyAreaChanges(db: Database, actor: Actor, changes: AreaChange[]): Promise<{ read: number; created: number; changed: number }> {
  return db.orm.transaction(async (tx) => {
    let created = 0;
    let changed = 0;
    const ensure = async (country: string, level: string, code: string, name: string, set: { validFrom?: string; validTo?: string }) => {
      const key = `${country.toLowerCase()}-${code.toLowerCase()}`;
      const [have] = await rawQuery<{ id: string; valid_from: string | null; valid_to: string | null }>(tx, `SELECT id, valid_from::text, valid_to::text FROM areas WHERE key = $1`, [key]);
      if (!have) {
        const [row] = await rawQuery<{ id: string }>(
          tx,
          `INSERT INTO areas (key, country, level, code, name, parent_id, valid_from, valid_to)
           VALUES ($1, $2, $3, $4, $5, (SELECT id FROM areas WHERE key = $6), $7, $8) RETURNING id`,
          [key, country, level, code, name, country.toLowerCase(), set.validFrom ?? null, set.validTo ?? null],
        );
        created++;
        return row!.id;
      }
      // A stated end or start is only filled in, never moved: an area split twice keeps its first end.
      const from = have.valid_from ?? set.validFrom ?? null;
      const to = have.valid_to ?? set.validTo ?? null;
      if (from !== have.valid_from || to !== have.valid_to) {
        await rawQuery(tx, `UPDATE areas SET valid_from = $2, valid_to = $3, updated_at = now() WHERE id = $1`, [have.id, from, to]);
        changed++;
      }
      return have.id;
    };
    // Areas that keep their code through a change (Stavanger 2020) get no start date from the
    // areas that joined them: their data before the change is still theirs.
    const continues = new Set(changes.filter((c) => c.oldCode === c.newCode).map((c) => `${c.date}|${c.country}|${c.level}|${c.newCode}`));
    for (const c of changes) {
      if (c.oldCode === c.newCode) {
        await ensure(c.country, c.level, c.newCode, c.newName, {});
        continue;
      }
      const keeps = continues.has(`${c.date}|${c.country}|${c.level}|${c.newCode}`);
      const oldId = await ensure(c.country, c.level, c.oldCode, c.oldName, { validTo: dayBefore(c.date) });
      const newId = await ensure(c.country, c.level, c.newCode, c.newName, keeps ? {} : { validFrom: c.date });
      const linked = await rawQuery(tx, `INSERT INTO area_changes (predecessor_id, successor_id, changed_on) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1`, [oldId, newId, c.date]);
      changed += linked.length;
    }
    if (created + changed > 0) await recordAudit(tx, actor, { action: 'area.changes.import', entityType: 'area', entityId: changes[0]!.country.toLowerCase(), summary: `${changes.length} area changes: ${created} areas created, ${changed} changes` });
    return { read: changes.length, created, changed };
  });
}

export const loadShippedAreaChanges = (db: Database, actor: Actor) => applyAreaChanges(db, actor, parseAreaChanges(readFileSync(SHIPPED_AREA_CHANGES, 'utf8')));
