/** The upload page's mapping form (views.tsx: UploadView) read back into a mapping. */
import { COLUMN_ROLES, DIM_ROLES } from './importers/index.js';

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
export function mappingFromForm(body: Record<string, string>): Record<string, unknown> {
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
