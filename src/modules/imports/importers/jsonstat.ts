import {
  areaKeyFromCode,
  breakdownKey,
  checkDuplicates,
  INDICATOR_CODE_RE,
  normalisePeriod,
  parseBreakdown,
  parseStatus,
  sourceLang,
  type CategoryLabel,
  type Country,
  type IndicatorMeta,
  type ObsRow,
  type ParseResult,
  type RowError,
} from '../../indicator-model/index.js';
import { FileFormatError, mappedCode } from './table.js';
import { checkCubeSize } from './limits.js';

/**
 * JSON-stat 2.0 datasets as PxWebApi (SSB, SCB, DST) returns them. The user maps
 * every dimension to a role; "fixed" dimensions must have one category.
 */
export const DIM_ROLES = ['area', 'period', 'indicator', 'breakdown', 'fixed'] as const;
export type DimRole = (typeof DIM_ROLES)[number];
export type JsonStatMapping = {
  dims: Record<string, DimRole>;
  country?: Country;
  /** When no dimension is the indicator: the indicator code for the whole dataset. */
  indicator?: string;
  /** Optional prefix for indicator codes taken from category ids, e.g. "ssb-". */
  indicatorPrefix?: string;
  /** When no dimension is the area (a national table, a city's own file): the area of every cell. */
  area?: string;
  /**
   * Codes of the area dimension the importer cannot read by itself (TOTAL, Landet, price regions,
   * aggregates such as EAK, an outdated municipality code): an area key, 'file' for the area above,
   * or 'skip' to leave those cells out.
   */
  codes?: Record<string, string>;
};

type Category = { index?: string[] | Record<string, number>; label?: Record<string, string>; unit?: Record<string, { label?: string; base?: string; decimals?: number }> };
export type JsonStatDataset = {
  version?: string;
  class?: string;
  label?: string;
  source?: string;
  id: string[];
  size: number[];
  role?: { time?: string[]; geo?: string[]; metric?: string[] };
  dimension: Record<string, { label?: string; category: Category }>;
  value: (number | null)[] | Record<string, number | null>;
  status?: string | (string | null)[] | Record<string, string>;
  extension?: {
    samverka?: {
      note?: Record<string, string>;
      indicators?: Record<string, { source?: string; attribution?: string; lang?: string }>;
      /** Labels of the breakdown parts Samverka's export folds into its "breakdown" dimension. */
      labels?: Record<string, Record<string, { label?: string; lang?: string; categories?: Record<string, string> }>>;
    };
    px?: { language?: string };
  } & Record<string, unknown>;
};

export type DimInfo = { id: string; label: string; ids: string[]; labels: string[] };

/** Structural checks and the ordered category ids of every dimension. */
export function readJsonStat(input: unknown): { ds: JsonStatDataset; dims: DimInfo[]; cells: number } {
  const obj = input as Record<string, unknown>;
  if (!obj || typeof obj !== 'object') throw new FileFormatError('The file is not a JSON-stat dataset.');
  // Older responses wrap datasets in a bundle: take the only one.
  const ds = (obj.class === 'dataset' || (Array.isArray(obj.id) && obj.dimension) ? obj : Object.values(obj).length === 1 ? Object.values(obj)[0] : obj) as JsonStatDataset;
  if (!ds || typeof ds !== 'object') throw new FileFormatError('The file is not a JSON-stat dataset.');
  // JSON-stat 1.0 (e.g. Statistics Denmark's JSONSTAT) keeps id, size and role inside "dimension".
  const dimAny = ds.dimension as unknown as { id?: string[]; size?: number[]; role?: JsonStatDataset['role'] } | undefined;
  if (!Array.isArray(ds.id) && dimAny && Array.isArray(dimAny.id) && Array.isArray(dimAny.size)) {
    const { id, size, role, ...rest } = dimAny as Record<string, unknown>;
    Object.assign(ds, { id, size, role: ds.role ?? role, dimension: rest });
  }
  if (!Array.isArray(ds.id) || !Array.isArray(ds.size) || !ds.dimension || ds.value === undefined) {
    throw new FileFormatError('The file is not a JSON-stat 2.0 dataset (it needs "id", "size", "dimension" and "value").');
  }
  // Types first: every value below is read as the standard says, and a file that says otherwise
  // gets a report naming the member instead of an error deep in the parse.
  if (!ds.id.every((x) => typeof x === 'string')) throw new FileFormatError('"id" must list the dimension names as strings.');
  if (typeof ds.dimension !== 'object' || Array.isArray(ds.dimension)) throw new FileFormatError('"dimension" must be an object.');
  if (ds.value === null || typeof ds.value !== 'object') throw new FileFormatError('"value" must be a list or an object of numbers.');
  if (ds.role !== undefined && (ds.role === null || typeof ds.role !== 'object' || Array.isArray(ds.role) || Object.values(ds.role).some((r) => !Array.isArray(r) || !r.every((x) => typeof x === 'string')))) {
    throw new FileFormatError('"role" must be an object whose members (time, geo, metric) list dimension names.');
  }
  if (ds.status !== undefined && ds.status !== null && typeof ds.status !== 'string' && typeof ds.status !== 'object') throw new FileFormatError('"status" must be a string, a list or an object.');
  if (ds.id.length !== ds.size.length) throw new FileFormatError(`"id" names ${ds.id.length} dimensions but "size" has ${ds.size.length}.`);
  // Declared before anything is built from it: a few bytes can promise a billion cells.
  checkCubeSize(ds.size);
  const dims: DimInfo[] = ds.id.map((id, i) => {
    const d = ds.dimension[id];
    if (!d || typeof d !== 'object' || !d.category || typeof d.category !== 'object') throw new FileFormatError(`Dimension "${id}" is listed in "id" but not described in "dimension".`);
    const idx = d.category.index;
    const label = d.category.label;
    if (label !== undefined && (label === null || typeof label !== 'object' || Object.values(label).some((l) => typeof l !== 'string'))) {
      throw new FileFormatError(`Dimension "${id}": "category.label" must map category ids to text.`);
    }
    let ids: string[];
    if (Array.isArray(idx)) {
      if (!idx.every((x) => typeof x === 'string')) throw new FileFormatError(`Dimension "${id}": "category.index" must list category ids as strings.`);
      ids = idx;
    } else if (idx && typeof idx === 'object') {
      if (Object.values(idx).some((n) => typeof n !== 'number' || !Number.isInteger(n))) throw new FileFormatError(`Dimension "${id}": "category.index" must give each category a whole-number position.`);
      ids = Object.entries(idx).sort((a, b) => a[1] - b[1]).map((e) => e[0]);
    } else if (idx !== undefined) throw new FileFormatError(`Dimension "${id}": "category.index" must be a list or an object.`);
    else ids = Object.keys(label ?? {});
    if (ids.length !== ds.size[i]) throw new FileFormatError(`Dimension "${id}" has ${ids.length} categories but "size" says ${ds.size[i]}.`);
    // Own labels only: a category id such as "constructor" must not read what every object inherits.
    return { id, label: typeof d.label === 'string' ? d.label : id, ids, labels: ids.map((c) => (label && Object.hasOwn(label, c) ? label[c]! : c)) };
  });
  const cells = ds.size.reduce((a, b) => a * b, 1);
  if (Array.isArray(ds.value) && ds.value.length !== cells) {
    throw new FileFormatError(`"size" gives ${cells} cells (${ds.size.join(' × ')}) but "value" has ${ds.value.length}.`);
  }
  if (!Array.isArray(ds.value)) {
    for (const k of Object.keys(ds.value)) {
      if (!/^\d+$/.test(k) || Number(k) >= cells) throw new FileFormatError(`"value" has key ${k}, outside the ${cells} cells "size" gives.`);
    }
  }
  if (Array.isArray(ds.status) && ds.status.length !== cells) throw new FileFormatError(`"status" has ${ds.status.length} entries but there are ${cells} cells.`);
  return { ds, dims, cells };
}

export function guessJsonStatMapping(ds: JsonStatDataset, dims: DimInfo[]): JsonStatMapping {
  const out: Record<string, DimRole> = {};
  for (const d of dims) {
    const n = d.id.toLowerCase();
    let role: DimRole = 'breakdown';
    if (ds.role?.time?.includes(d.id) || ['tid', 'time', 'år', 'year', 'tid'].includes(n)) role = 'period';
    else if (ds.role?.geo?.includes(d.id) || ['region', 'kommune', 'område', 'omrade', 'municipality'].includes(n)) role = 'area';
    else if (ds.role?.metric?.includes(d.id) || n === 'contentscode') role = 'indicator';
    // Defined, not assigned: a dimension named "__proto__" would otherwise set nothing.
    Object.defineProperty(out, d.id, { value: role, enumerable: true, writable: true, configurable: true });
  }
  return { dims: out };
}

export function parseJsonStat(input: unknown, mapping: JsonStatMapping): ParseResult {
  const { ds, dims, cells } = readJsonStat(input);
  const errors: RowError[] = [];
  // Own roles only: a dimension named "constructor" without one must be asked for, not read as inherited.
  const role = (id: string): DimRole | undefined => (Object.hasOwn(mapping.dims, id) ? mapping.dims[id] : undefined);
  for (const d of dims) {
    const r = role(d.id);
    if (!r) errors.push({ line: 0, field: d.id, message: `dimension "${d.id}" has no role` });
    else if (r === 'fixed' && d.ids.length !== 1) errors.push({ line: 0, field: d.id, message: `dimension "${d.id}" has ${d.ids.length} categories, so it cannot be fixed` });
  }
  const count = (r: DimRole) => dims.filter((d) => role(d.id) === r).length;
  if (count('area') > 1) errors.push({ line: 0, field: 'area', message: 'at most one dimension can be the area' });
  if (count('area') === 0 && !mapping.area) errors.push({ line: 0, field: 'area', message: 'choose the area dimension, or one area for the whole table (it has no geographic dimension)' });
  const fixedArea = mapping.area ? areaKeyFromCode(mapping.area, mapping.country) : null;
  if (mapping.area && !fixedArea) errors.push({ line: 0, field: 'area', message: `"${mapping.area}" is not an area key` });
  if (count('period') !== 1) errors.push({ line: 0, field: 'period', message: 'exactly one dimension must be the period' });
  if (count('indicator') > 1) errors.push({ line: 0, field: 'indicator', message: 'at most one dimension can be the indicator' });
  if (count('indicator') === 0 && (!mapping.indicator || !INDICATOR_CODE_RE.test(mapping.indicator))) {
    errors.push({ line: 0, field: 'indicator', message: 'choose an indicator dimension or give an indicator code for the dataset' });
  }
  if (errors.length) return { rows: [], errors, indicators: [] };

  // Row-major strides: the last dimension varies fastest.
  const strides = dims.map((_, i) => dims.slice(i + 1).reduce((a, d) => a * d.ids.length, 1));
  const areaDim = dims.findIndex((d) => role(d.id) === 'area');
  const periodDim = dims.findIndex((d) => role(d.id) === 'period');
  const indDim = dims.findIndex((d) => role(d.id) === 'indicator');
  const bdDims = dims.map((d, i) => [d, i] as const).filter(([d]) => role(d.id) === 'breakdown');
  const prefix = mapping.indicatorPrefix ?? '';

  // Resolve each category once rather than per cell; mapped codes first, then the code itself.
  const SKIP = '\u0000skip';
  const resolveArea = (c: string): string | null => {
    const m = mappedCode(mapping.codes, c);
    if (m === 'skip') return SKIP;
    if (m === 'file') return fixedArea;
    if (m) return areaKeyFromCode(m, mapping.country);
    return areaKeyFromCode(c, mapping.country);
  };
  const areaKeys = areaDim >= 0 ? dims[areaDim]!.ids.map(resolveArea) : [];
  const periods = dims[periodDim]!.ids.map((c) => normalisePeriod(c));
  const indCodes = indDim >= 0 ? dims[indDim]!.ids.map((c) => `${prefix}${c}`) : [];

  const indicators: IndicatorMeta[] = [];
  if (indDim >= 0) {
    const d = ds.dimension[dims[indDim]!.id]!;
    dims[indDim]!.ids.forEach((c, i) => {
      const unit = d.category.unit?.[c];
      const u = unit && typeof unit === 'object' ? unit : undefined;
      const unitText = typeof u?.label === 'string' ? u.label : typeof u?.base === 'string' ? u.base : '';
      const decimals = typeof u?.decimals === 'number' && Number.isInteger(u.decimals) && u.decimals >= 0 && u.decimals <= 10 ? u.decimals : undefined;
      // Samverka's own export names each indicator's source; re-importing it must not rewrite them.
      const ownRaw = ds.extension?.samverka?.indicators?.[c];
      const own = ownRaw && typeof ownRaw === 'object' ? ownRaw : undefined;
      const str = (v: unknown) => (typeof v === 'string' ? v : '');
      indicators.push({
        code: indCodes[i]!,
        name: dims[indDim]!.labels[i] ?? c,
        unit: unitText,
        ...(decimals !== undefined ? { decimals } : {}),
        source: own ? str(own.source) : str(ds.source),
        ...(own ? { attribution: str(own.attribution) } : {}),
        // …nor the language of its name.
        ...(own && ['sv', 'nb', 'da', 'en'].includes(str(own.lang)) ? { lang: str(own.lang) as 'sv' | 'nb' | 'da' | 'en' } : {}),
      });
    });
  }

  const values = ds.value;
  const statusAt = (i: number): string | null | undefined =>
    typeof ds.status === 'string' ? ds.status : Array.isArray(ds.status) ? ds.status[i] : ds.status?.[String(i)];
  // Samverka's export keeps per-cell notes in an object by cell number (a string there is no list of notes).
  const notesRaw: unknown = ds.extension?.samverka?.note;
  const ownNotes = notesRaw && typeof notesRaw === 'object' && !Array.isArray(notesRaw) ? (notesRaw as Record<string, unknown>) : undefined;
  const rows: ObsRow[] = [];
  for (let cell = 0; cell < cells; cell++) {
    const raw = Array.isArray(values) ? values[cell] : values[String(cell)];
    const rawStatus = statusAt(cell);
    // An empty cell without a status is no observation (dense cubes are full of them); with a
    // status (".." and the like) it is a value that is missing for a stated reason.
    if ((raw === undefined || raw === null) && !rawStatus) continue;
    const line = cell + 1;
    const pos = (d: number) => Math.floor(cell / strides[d]!) % dims[d]!.ids.length;
    const area = areaDim >= 0 ? areaKeys[pos(areaDim)] : fixedArea;
    if (area === SKIP) continue;
    const period = periods[pos(periodDim)];
    const cellErrs: RowError[] = [];
    if (!area) cellErrs.push({ line, field: dims[areaDim]!.id, message: `"${dims[areaDim]!.ids[pos(areaDim)]}" is not an area code${mapping.country ? '' : ' (choose the country)'}; map it to an area, to the whole file's area, or skip it` });
    if (!period) cellErrs.push({ line, field: dims[periodDim]!.id, message: `"${dims[periodDim]!.ids[pos(periodDim)]}" is not a period` });
    const indicator = indDim >= 0 ? indCodes[pos(indDim)]! : mapping.indicator!;
    if (!INDICATOR_CODE_RE.test(indicator)) cellErrs.push({ line, field: 'indicator', message: `"${indicator}" is not a valid indicator code` });
    let status = parseStatus(rawStatus ?? '');
    const ownNote: unknown = ownNotes && Object.hasOwn(ownNotes, String(cell)) ? ownNotes[String(cell)] : undefined;
    // A note that is not text would be stored as "[object Object]" or "7": named instead.
    if (ownNote !== undefined && ownNote !== null && typeof ownNote !== 'string') cellErrs.push({ line, field: 'note', message: `the note ${JSON.stringify(ownNote)?.slice(0, 80)} in extension.samverka.note is not text` });
    let note = typeof ownNote === 'string' ? ownNote : '';
    if (status === null) {
      note = typeof rawStatus === 'string' ? rawStatus : JSON.stringify(rawStatus) ?? '';
      status = '';
    }
    if (raw !== null && raw !== undefined && (typeof raw !== 'number' || !Number.isFinite(raw))) cellErrs.push({ line, field: 'value', message: `value ${JSON.stringify(raw)} is not a number` });
    const value = typeof raw === 'number' ? raw : null;
    if (value === null && status === '') status = 'missing';
    if (cellErrs.length) {
      errors.push(...cellErrs);
      continue;
    }
    // No prototype: a dimension named "__proto__" is a part like any other.
    const parts: Record<string, string> = Object.create(null);
    for (const [d, i] of bdDims) {
      const c = d.ids[pos(i)]!;
      // Samverka's own export carries canonical breakdown keys in a dimension called "breakdown".
      if (d.id === 'breakdown') Object.assign(parts, parseBreakdown(c === '_T' ? '' : c));
      else parts[d.id] = c;
    }
    rows.push({ line, indicator, area: area!, period: period!, breakdown: breakdownKey(parts), value, status, note });
  }
  const checked = checkDuplicates(rows, errors);
  const labels = jsonStatLabels(ds, bdDims.map(([d]) => d), indDim >= 0 ? indCodes : [mapping.indicator!], new Set(checked.map((r) => r.indicator)));
  return { rows: checked, errors, indicators, ...(labels.length ? { labels } : {}) };
}

/** Labels longer than this are not labels (and a hostile file could make them huge). */
const MAX_LABEL = 500;

/**
 * The labels the dataset gives its breakdown dimensions (`dimension.X.label`) and their
 * categories (`category.label`), for each indicator that has rows; only those that say more than
 * the code. Samverka's own export folds the parts into one "breakdown" dimension and carries
 * their labels in `extension.samverka.labels`, read back here. The language is PxWeb's
 * `extension.px.language` when the file states it.
 */
function jsonStatLabels(ds: JsonStatDataset, bdDims: DimInfo[], indicators: string[], withRows: Set<string>): CategoryLabel[] {
  const out: CategoryLabel[] = [];
  const px = ds.extension?.px;
  const lang = sourceLang(px && typeof px === 'object' ? px.language : undefined);
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' && v.length <= MAX_LABEL ? v.trim() : null);
  const inds = indicators.filter((c) => withRows.has(c));
  for (const d of bdDims) {
    if (d.id === 'breakdown') continue;
    const own: [string, string][] = [];
    const dl = text(ds.dimension[d.id]?.label);
    if (dl && dl !== d.id) own.push(['', dl]);
    d.ids.forEach((c, i) => {
      const l = text(d.labels[i]);
      if (l && l !== c) own.push([c, l]);
    });
    for (const ind of inds) for (const [code, label] of own) out.push({ indicator: ind, dimension: d.id, code, label, lang });
  }
  const saved = ds.extension?.samverka?.labels;
  if (bdDims.some((d) => d.id === 'breakdown') && saved && typeof saved === 'object') {
    for (const ind of inds) {
      const dimsOf = saved[ind];
      if (!dimsOf || typeof dimsOf !== 'object') continue;
      for (const [dim, v] of Object.entries(dimsOf)) {
        if (!v || typeof v !== 'object' || !text(dim)) continue;
        const l = sourceLang(v.lang);
        const dl = text(v.label);
        if (dl) out.push({ indicator: ind, dimension: dim, code: '', label: dl, lang: l });
        if (v.categories && typeof v.categories === 'object') {
          for (const [code, label] of Object.entries(v.categories)) {
            const cl = text(label);
            if (cl && text(code)) out.push({ indicator: ind, dimension: dim, code, label: cl, lang: l });
          }
        }
      }
    }
  }
  return out;
}
