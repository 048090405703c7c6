/**
 * SDG target titles in more languages than the English the project ships (issue #10: "names in
 * several languages where the sources have them"). The UN framework as open-sdg/sdg-translations
 * publishes it (in ../shared/data/sdg-framework) has English and Norwegian bokmål; no Swedish or
 * Danish version exists there. Files named `<lang>[_REGION]_global_targets.yml` with keys such as
 * `1-1-title` are read; the titles are merged into each target's `names`, so readers in that
 * language see them and everyone else keeps the visible English fallback.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { Database } from '../../platform/db/index.js';
import { recordAudit, type Actor } from '../../platform/audit.js';
import { FileFormatError } from './importers/index.js';
import { rawQuery } from '../../platform/db/index.js';

const LANGS: Record<string, 'sv' | 'nb' | 'da'> = { sv: 'sv', nb: 'nb', no: 'nb', da: 'da' };

/** Target code → title from one translation file's text (`1-1-title: …` → `1.1`). */
export function parseTargetTitles(text: string): Map<string, string> {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new FileFormatError(`The targets file is not YAML: ${(e as Error).message}`);
  }
  if (!doc || typeof doc !== 'object') throw new FileFormatError('The targets file holds no titles.');
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
    const m = /^(\d{1,2})-([0-9a-z]{1,2})-title$/.exec(k);
    if (m && typeof v === 'string' && v.trim()) out.set(`${m[1]}.${m[2]}`, v.replace(/\s+/g, ' ').trim());
  }
  return out;
}

/**
 * Reads every `*_global_targets.yml` in `dir` for Swedish, Norwegian or Danish and stores the titles
 * as those languages' names of the SDG targets (loaded first with loadSdgFramework). Idempotent:
 * only names that differ are written, and one audit row says how many.
 */
export async function loadSdgTranslations(db: Database, actor: Actor, dir: string): Promise<{ languages: string[]; changed: number }> {
  const files = readdirSync(dir).filter((f) => /_?global_targets\.ya?ml$/.test(f));
  const byLang = new Map<string, Map<string, string>>();
  for (const f of files) {
    const lang = LANGS[f.split(/[_.]/)[0]!.toLowerCase()];
    if (lang) byLang.set(lang, parseTargetTitles(readFileSync(path.join(dir, f), 'utf8')));
  }
  if (!byLang.size) return { languages: [], changed: 0 };
  return db.orm.transaction(async (tx) => {
    const [fw] = await rawQuery<{ id: string }>(tx, `SELECT id FROM ind_frameworks WHERE key = 'sdg'`);
    if (!fw) throw new FileFormatError('Load the SDG framework first (indicators sdg).');
    let changed = 0;
    for (const [lang, titles] of byLang) {
      const rows = await rawQuery<{ n: number | string }>(
        tx,
        `WITH t AS (SELECT * FROM unnest($1::text[], $2::text[]) AS t(code, title)),
         u AS (
           UPDATE ind_framework_nodes n SET names = n.names || jsonb_build_object($3::text, t.title)
           FROM t, ind_frameworks f
           WHERE f.key = 'sdg' AND n.framework_id = f.id AND n.level = 'target' AND n.code = t.code
             AND n.names->>$3::text IS DISTINCT FROM t.title
           RETURNING 1)
         SELECT count(*) AS n FROM u`,
        [[...titles.keys()], [...titles.values()], lang],
      );
      changed += Number(rows[0]?.n ?? 0);
    }
    if (changed) await recordAudit(tx, actor, { action: 'indicators.framework.load', entityType: 'framework', entityId: fw.id, summary: `sdg translations: ${[...byLang.keys()].join(', ')}; ${changed} titles` });
    return { languages: [...byLang.keys()], changed };
  });
}
