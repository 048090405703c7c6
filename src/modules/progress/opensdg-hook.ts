/**
 * The progress module's listener for Open SDG metadata that comes with an indicator import
 * (`opensdg-dir`, `import opensdg --meta`): the target in
 * `progress_calculation_options` / `graph_target_lines` and a manual `progress_status` become the
 * area's target for the indicator, through the same use case as the targets import. Handed to
 * the indicators CLI in app wiring (src/cli.ts), so the indicators module never imports progress.
 */
import type { OpenSdgMetadataListener } from '../../platform/import-hooks.js';
import { importTargets } from './service.js';
import { targetFromOpenSdg } from './transfer.js';

export const openSdgTargetsListener: OpenSdgMetadataListener = async (db, actor, ev) => {
  let fields: Record<string, unknown>;
  try {
    fields = targetFromOpenSdg(ev.metadata);
  } catch {
    return null; // the indicators module has read this metadata already; nothing here for progress
  }
  // A target needs a value; metadata without one (most files) holds nothing for progress.
  if (fields.value === undefined || !ev.area) return null;
  const r = await importTargets(db, actor, { format: 'opensdg', content: ev.metadata, dryRun: ev.dryRun, scope: { indicator: ev.indicator, level: 'area', area: ev.area } });
  return r.created ? 'target created' : r.updated ? 'target updated' : null;
};
