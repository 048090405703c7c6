/**
 * Reference data: frameworks, area lists, area groups and boundaries, imported from the files
 * their publishers give out. One entry point for the CLI, the web form and the API, so all three
 * accept the same files and answer the same way.
 *
 * Each import is one transaction. A file that cannot be read at all is rejected with a
 * FileFormatError and changes nothing; rows a framework file cannot use (the KS taxonomy has a
 * few without a title) are skipped and reported with their line numbers, because the rest of
 * the framework is still worth having.
 */
import { z } from 'zod';
import type { Database } from '../../platform/db/index.js';
import type { Actor } from '../../platform/audit.js';
import { assertCanImportReference } from './policy.js';
import { ValidationError } from '../../platform/errors.js';
import { slugify } from '../../platform/text.js';
import type { Country, RowError } from '../indicator-model/index.js';
import { FileFormatError, koladaCatalogueToTaxonomy, koladaGroups, koladaMunicipalitiesToAreas, parseJson, readKoladaFile, type AreaInput } from './importers/index.js';
import { parseTaxonomy, type TaxonomyKind } from './importers/taxonomy.js';
import { parseAreaList, parseGenericAreaList } from './importers/arealist.js';
import { applyAreaChanges, parseAreaChanges } from './area-changes.js';
import { importAreas, importGeometries, importTaxonomy, loadSdgFramework, upsertAreaGroupsTx } from '../indicators/index.js';

export const REFERENCE_KINDS = ['framework-ks', 'framework-u4ssc', 'framework-un-sdg', 'kolada-kpis', 'areas-se', 'areas-no', 'areas-dk', 'kolada-areas', 'areas-any', 'area-changes', 'kolada-groups', 'geojson'] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

export type ReferenceInput = {
  kind: ReferenceKind;
  file: Buffer;
  /** Norwegian area lists: the counties (fylker) as GeoJSON, so municipalities get their county. */
  regions?: Buffer | undefined;
  /** Boundaries: whose official codes the features carry, and in which property. */
  country?: Country | undefined;
  property?: string | undefined;
  /** Kolada groups: the prefix of the group keys (`kolada-…`). */
  prefix?: string | undefined;
  source?: string | undefined;
};

export type ReferenceResult = {
  kind: ReferenceKind;
  /** Entries read from the file: indicators, areas, groups or boundaries. */
  read: number;
  /** Framework categories, for frameworks. */
  nodes?: number;
  created: number;
  /** Entries changed (updated areas, changed indicators and links, changed groups, stored boundaries). */
  changed: number;
  /** Area codes in the file that no area has (group members, boundaries). */
  unknown: string[];
  skipped: RowError[];
};

export const ReferenceOptions = z.object({
  country: z.enum(['SE', 'NO', 'DK']).optional(),
  property: z.string().trim().min(1).max(60).regex(/^[\w.-]+$/u).optional(),
  prefix: z.string().trim().min(1).max(30).regex(/^[a-z0-9-]+$/).optional(),
});

/** Norwegian counties from a GeoJSON whose features carry `fylkesnummer` (or `id`) and a name. */
export function regionsFromGeoJson(buf: Buffer): { code: string; name: string }[] {
  const fc = parseJson(buf, 'county file') as { features?: { properties?: Record<string, unknown> }[] };
  if (!Array.isArray(fc?.features)) throw new FileFormatError('The county file is not a GeoJSON FeatureCollection.');
  return fc.features.map((f, i) => {
    const p = f.properties ?? {};
    const code = String(p.fylkesnummer ?? p.id ?? '').trim();
    const name = String(p.name ?? p.fylkesnavn ?? '').trim();
    if (!/^\d{2}$/.test(code) || !name) throw new FileFormatError(`County feature ${i + 1} has no two-digit "fylkesnummer" and name.`);
    return { code, name };
  });
}

/** Rows an area list would store with an empty name are refused before anything is written. */
function checkAreas(rows: AreaInput[]): AreaInput[] {
  const bad = rows.filter((r) => !r.name.trim());
  if (bad.length) throw new ValidationError(bad.slice(0, 50).map((r) => ({ field: 'file', message: `area ${r.key} has no name` })), 'The area list has areas without a name; nothing was imported.');
  return rows;
}

/** What can be checked without reading the file: a web form or API call that fails it is refused at once. */
export function checkReferenceOptions(input: Pick<ReferenceInput, 'kind' | 'country' | 'property'>): void {
  if (input.kind !== 'geojson') return;
  if (!input.country) throw new ValidationError([{ field: 'country', message: 'Say whose official codes the boundaries carry.' }]);
  if (!input.property) throw new ValidationError([{ field: 'property', message: 'Name the property that holds the official code.' }]);
}

/**
 * Imports one reference file. Platform administrators only (the command line acts as the system,
 * which is one). `onProgress` hears 0..100: coarse steps (read, written), and per boundary for GeoJSON.
 */
export async function importReference(db: Database, actor: Actor, input: ReferenceInput, opts: { onProgress?: (pct: number) => void } = {}): Promise<ReferenceResult> {
  assertCanImportReference(actor);
  checkReferenceOptions(input);
  const text = () => input.file.toString('utf8');
  const base = { kind: input.kind, unknown: [] as string[], skipped: [] as RowError[] };
  const step = (pct: number) => opts.onProgress?.(pct);
  step(5);
  switch (input.kind) {
    case 'framework-ks':
    case 'framework-u4ssc':
    case 'framework-un-sdg':
    case 'kolada-kpis': {
      // Taxonomy rows link to SDG targets, which must exist first; Kolada's KPIs carry no such links.
      if (input.kind !== 'kolada-kpis') await loadSdgFramework(db, actor);
      const tax = input.kind === 'kolada-kpis' ? koladaCatalogueToTaxonomy(readKoladaFile(input.file, 'kpi')) : parseTaxonomy(text(), input.kind.slice('framework-'.length) as TaxonomyKind);
      if (!tax.indicators.length) throw new FileFormatError('The file holds no indicators.');
      step(40);
      const r = await importTaxonomy(db, actor, tax);
      return { ...base, read: r.indicators, nodes: r.nodes, created: 0, changed: r.changed, skipped: tax.errors };
    }
    case 'areas-se':
    case 'areas-no':
    case 'areas-dk':
    case 'kolada-areas': {
      const rows =
        input.kind === 'kolada-areas'
          ? koladaMunicipalitiesToAreas(readKoladaFile(input.file, 'municipality'))
          : parseAreaList(text(), input.kind.slice(-2).toUpperCase() as Country, input.kind === 'areas-no' && input.regions?.length ? regionsFromGeoJson(input.regions) : []);
      if (!rows.some((r) => r.level !== 'country')) throw new FileFormatError('The file holds no municipalities or regions.');
      step(40);
      const r = await importAreas(db, actor, checkAreas(rows));
      return { ...base, read: rows.length, created: r.created, changed: r.updated };
    }
    case 'areas-any': {
      const rows = parseGenericAreaList(text());
      step(40);
      const r = await importAreas(db, actor, checkAreas(rows));
      return { ...base, read: rows.length, created: r.created, changed: r.updated };
    }
    case 'area-changes': {
      const changes = parseAreaChanges(text());
      step(40);
      const r = await applyAreaChanges(db, actor, changes);
      return { ...base, read: r.read, created: r.created, changed: r.changed };
    }
    case 'kolada-groups': {
      const groups = koladaGroups(readKoladaFile(input.file, 'group'));
      if (!groups.length) throw new FileFormatError('The file holds no groups.');
      step(40);
      const prefix = input.prefix ?? 'kolada';
      const r = await db.orm.transaction((tx) =>
        upsertAreaGroupsTx(
          tx,
          actor,
          groups.map((g) => ({ key: `${prefix}-${slugify(g.id)}`, name: g.title, lang: 'sv' as const, kind: /liknande/i.test(g.title) ? ('similar' as const) : ('kolada' as const), source: 'Kolada', memberKeys: g.memberKeys })),
        ),
      );
      return { ...base, read: groups.length, created: r.created, changed: r.changed, unknown: r.unknown };
    }
    case 'geojson': {
      const fc = parseJson(input.file, 'boundary file');
      step(20);
      const r = await importGeometries(db, actor, fc, { country: input.country!, codeProperty: input.property!, source: input.source ?? '', onProgress: (done, total) => step(20 + Math.round((done / Math.max(total, 1)) * 75)) });
      return { ...base, read: r.stored + r.unknown.length, created: 0, changed: r.stored, unknown: r.unknown };
    }
  }
}
