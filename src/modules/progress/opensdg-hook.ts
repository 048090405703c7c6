/**
 * The progress module's listener for Open SDG metadata that comes with an indicator import
 * (`opensdg-dir`, `import opensdg --meta`): the target in
 * `progress_calculation_options` / `graph_target_lines` and a manual `progress_status` become the
 * area's target for the indicator, through the same use case as the targets import. Handed to
 * the indicators CLI in app wiring (src/cli.ts), so the indicators module never imports progress.
 */
import type { OpenSdgMetadataListener } from '../../platform/import-hooks.js';
import { NotFoundError } from '../../platform/errors.js';
import { directory } from '../directory/index.js';
import { getIndicator } from '../indicators/index.js';
import { importTargets } from './service.js';
import { targetFromOpenSdg } from './transfer.js';
import { TargetInput } from './inputs.js';

export const openSdgTargetsListener: OpenSdgMetadataListener = async (db, actor, ev) => {
  let fields: Record<string, unknown>;
  try {
    fields = targetFromOpenSdg(ev.metadata);
  } catch {
    return null; // the indicators module has read this metadata already; nothing here for progress
  }
  // A target needs a value; metadata without one (most files) holds nothing for progress.
  if (fields.value === undefined || !ev.area) return null;
  // The same metadata imported again changes nothing: no rewrite, no audit row, no recompute.
  const wanted = TargetInput.safeParse({ ...fields, indicator: ev.indicator, level: 'area', area: ev.area });
  if (wanted.success) {
    const w = wanted.data;
    // The indicator and the area are read through their modules' faces; a missing one means no target yet.
    const absent = (err: unknown) => {
      if (err instanceof NotFoundError) return null;
      throw err;
    };
    const [ind, area] = await Promise.all([getIndicator(db.orm, ev.indicator).catch(absent), directory.getAreaByKey(db.orm, ev.area).catch(absent)]);
    const [cur] = ind && area
      ? await db.query<{ value: number; target_year: number; baseline_year: number; limit_value: number | null; bound: number | null; green: number | null; red: number | null; manual_status: string | null; manual_reason: string; source: string }>(
          `SELECT value, target_year, baseline_year, limit_value, bound, green, red, manual_status, manual_reason, source
           FROM prog_targets WHERE indicator_id = $1 AND level = 'area' AND area_id = $2 AND breakdown = ''`,
          [ind.id, area.id],
        )
      : [];
    const same =
      cur &&
      cur.value === w.value &&
      cur.target_year === (w.targetYear ?? 2030) &&
      cur.baseline_year === (w.baselineYear ?? 2015) &&
      cur.limit_value === (w.limit ?? null) &&
      cur.bound === (w.bound ?? null) &&
      cur.green === (w.green ?? null) &&
      cur.red === (w.red ?? null) &&
      cur.manual_status === (w.manualStatus ?? null) &&
      cur.manual_reason === (w.manualReason ?? '') &&
      cur.source === (w.source ?? '');
    if (same) return null;
  }
  const r = await importTargets(db, actor, { format: 'opensdg', content: ev.metadata, dryRun: ev.dryRun, scope: { indicator: ev.indicator, level: 'area', area: ev.area } });
  return r.created ? 'target created' : r.updated ? 'target updated' : null;
};
