/**
 * Indicator commands for the command line:
 *   node --import tsx src/cli.ts indicators <command> …   (or through the main CLI: `indicators <command>`)
 * Long imports show a progress bar.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import cliProgress from 'cli-progress';
import type { Database } from '../../platform/db/index.js';
import { systemActor, type Actor } from '../../platform/audit.js';
import { FORMATS, type Country, type ImportFormat, type IndicatorMeta } from '../indicator-model/index.js';
import { parseOpenSdgMeta, koladaKpisToMeta, koladaMunicipalitiesToAreas, type AnyMapping, FileFormatError } from './importers/index.js';
import { importAreas, loadSdgFramework, type ImportReport } from '../indicators/index.js';
import { loadSdgTranslations } from './sdg-i18n.js';
import { fetchKoladaKpi, fetchPxWeb, fetchKoladaMunicipalities, fetchKoladaGroups, type Fetch } from './connectors.js';
import { seedIndicatorsDemo } from '../indicators/index.js';
import { importFile, importFiles } from './parse-pool.js';
import { ValidationError } from '../../platform/errors.js';
import type { OpenSdgMetadataListener } from '../../platform/import-hooks.js';
import { SHIPPED_AREA_CHANGES } from './area-changes.js';
import { importReference, type ReferenceInput, type ReferenceKind, type ReferenceResult } from './reference.js';

export const INDICATORS_HELP = `Indicator commands

  sdg                                   Load the SDG framework (17 goals, 169 targets). Safe to repeat.
  sdg-translations <dir>                Store SDG target titles from <lang>_global_targets.yml files (sv, nb, da).
  import <format> <file> [options]      Import observations. format: ${FORMATS.join(', ')}
      --indicator CODE                  indicator for files without an indicator column (Open SDG)
      --area KEY                        area for files without an area column (an Open SDG city dataset)
      --country SE|NO|DK                lets raw official codes (0780, 1506, 657) stand for area keys
      --mapping FILE.json               a saved column/dimension mapping
      --meta FILE.md|.yml               Open SDG metadata for the indicator
      --dry-run                         validate and report; change nothing
                                        (kolada: API v3 JSON, or an rKolada CSV snapshot of values)
  opensdg-dir <dir> --area KEY          Import an Open SDG data repository (data/indicator_*.csv + meta/*.md)
  framework <u4ssc|ks|un-sdg> <file.csv>
                                        Import a framework from the KS/Digdir taxonomy (indicators, categories, SDG links)
  areas <SE|NO|DK> <file.csv> [--regions fylker.geojson]
                                        Import an official municipality list (Kolada shape for SE; kommunenummer for NO; lau_1 for DK)
  areas-any <file.csv>                  Import areas of any country, or districts (country, level, code, name, parent_key, valid_from, valid_to)
  area-changes [file.tsv]               Apply mergers, splits and new codes (default: Norway's 2020 and 2024 reforms, shipped)
  kolada-kpis <kpi.json|.csv>           Import Kolada's KPI catalogue as indicators
  kolada-areas <municipality.json|.csv> Import Kolada's municipality list as areas
  kolada-groups <groups.json|.csv> [--prefix similar]
                                        Import Kolada's municipality groups as area groups
                                        (Kolada files: API v3 JSON, or rKolada's CSV snapshots)
  geojson <file> --country NO --property kommunenummer
                                        Import boundaries for the compare page's map
  fetch-kolada <KPI> [--municipalities 0780,1487] [--years 2020,2021] [--dry-run]
                                        Fetch a KPI from the Kolada API v3 and import it
  fetch-pxweb <ssb|scb|dst|URL> <table> --country NO [--values Dim=a,b;Dim2=c] [--lang en] [--prefix ssb-] [--dry-run]
                                        Fetch a PxWebApi table as JSON-stat 2.0 and import it
  demo                                  Load the indicator demo data (idempotent)`;

/** Every option the commands take (INDICATORS_HELP); an unknown one is refused with the help. */
const OPTIONS = {
  indicator: { type: 'string' },
  area: { type: 'string' },
  country: { type: 'string' },
  mapping: { type: 'string' },
  meta: { type: 'string' },
  'dry-run': { type: 'boolean' },
  regions: { type: 'string' },
  prefix: { type: 'string' },
  property: { type: 'string' },
  municipalities: { type: 'string' },
  years: { type: 'string' },
  values: { type: 'string' },
  lang: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

function country(v: string | undefined): Country | undefined {
  if (!v) return undefined;
  const c = v.toUpperCase();
  if (c !== 'SE' && c !== 'NO' && c !== 'DK') throw new Error(`--country must be SE, NO or DK, not ${v}`);
  return c;
}

function progressReporter(label: string) {
  const bar = new cliProgress.SingleBar({ format: `${label} [{bar}] {percentage}% | {phase} {value}/{total}`, hideCursor: true }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    onProgress: (phase: string, done: number, total: number) => {
      if (!started) {
        bar.start(Math.max(total, 1), 0, { phase });
        started = true;
      }
      bar.setTotal(Math.max(total, 1));
      bar.update(done, { phase });
    },
    stop: () => started && bar.stop(),
  };
}

/** English plurals for the CLI's messages ("1 problem", "2 problems"). */
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The result in a line of English, for the CLI. */
function describeReference(r: ReferenceResult): string[] {
  const [one, many] = r.kind.startsWith('framework') || r.kind === 'kolada-kpis' ? ['indicator', 'indicators'] : r.kind === 'kolada-groups' ? ['group', 'groups'] : r.kind === 'area-changes' ? ['area change', 'area changes'] : ['area', 'areas'];
  const lines = [
    r.kind === 'geojson'
      ? `${plural(r.changed, 'boundary', 'boundaries')} stored.`
      : r.nodes !== undefined
        ? `${plural(r.read, one, many)} read, ${plural(r.nodes, 'framework heading', 'framework headings')} (categories and filters); ${plural(r.changed, 'change', 'changes')}.`
        : `${plural(r.read, one, many)} read: ${r.created} created, ${r.changed} changed.`,
  ];
  if (r.unknown.length) lines.push(`Unknown areas: ${r.unknown.slice(0, 20).join(', ')}${r.unknown.length > 20 ? ' …' : ''}`);
  for (const e of r.skipped.slice(0, 20)) lines.push(`  skipped row ${e.line} ${e.field}: ${e.message}`);
  if (r.skipped.length > 20) lines.push(`  … and ${r.skipped.length - 20} more skipped rows`);
  return lines;
}

function printReport(r: ImportReport, out: (s: string) => void) {
  if (!r.ok) {
    out(`Rejected: ${plural(r.errorCount, 'problem', 'problems')}; nothing was imported.`);
    for (const e of r.errors.slice(0, 50)) out(`  row ${e.line || '-'} ${e.field}: ${e.message}`);
    if (r.errorCount > 50) out(`  … and ${r.errorCount - 50} more`);
    return;
  }
  if (r.dryRun) {
    out(`Dry run, nothing written: would import ${plural(r.rowsTotal, 'row', 'rows')}: ${r.inserted} new, ${r.updated} changed, ${r.unchanged} unchanged.`);
    return;
  }
  const what = `${plural(r.rowsTotal, 'row', 'rows')}: ${r.inserted} new, ${r.updated} changed, ${r.unchanged} unchanged`;
  out(r.batchId ? `Imported as batch #${r.batchId}. ${what}.` : `Nothing changed. ${what}.`);
}

async function runImport(db: Database, actor: Actor, format: ImportFormat, filename: string, buf: Buffer, mapping: AnyMapping, opts: { dryRun: boolean; meta?: string; out: (s: string) => void; extraMeta?: ReturnType<typeof koladaKpisToMeta> }) {
  const p = progressReporter(path.basename(filename));
  try {
    const options = { format, filename: path.basename(filename), source: 'cli', dryRun: opts.dryRun, onProgress: p.onProgress, ...(format === 'kolada' ? { frameworkKey: 'kolada' } : {}) };
    const r = await importFile(
      db,
      actor,
      { format, filename, buf, mapping, options, extraIndicators: [...(opts.meta ? [parseOpenSdgMeta(readFileSync(opts.meta, 'utf8'), mapping.indicator)] : []), ...(opts.extraMeta ?? [])] },
      { limits: CLI_PARSE_LIMITS },
    );
    p.stop();
    printReport(r, opts.out);
    return r;
  } catch (err) {
    p.stop();
    throw err;
  }
}

// The command line protects no server: a national file may take minutes and gigabytes to parse.
const CLI_PARSE_LIMITS = { heapMb: 4096, timeMs: 30 * 60_000 };

export async function indicatorsCli(
  db: Database,
  args: string[],
  opts: { actor?: Actor; out?: (s: string) => void; fetch?: Fetch; openSdgMetadata?: OpenSdgMetadataListener[] } = {},
): Promise<number> {
  const actor = opts.actor ?? systemActor('cli');
  const out = opts.out ?? ((s: string) => console.log(s));
  const fetchFn = opts.fetch ?? (globalThis.fetch as unknown as Fetch);
  const [cmd, ...argv] = args;
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    out(`${(err as Error).message}\n\n${INDICATORS_HELP}`);
    return 2;
  }
  const { positionals: rest, values: opt } = parsed;
  // Other modules' use of Open SDG metadata (progress: targets and manual statuses), after the data went in.
  const metadataListeners = opts.openSdgMetadata ?? [];
  const passMetadata = async (label: string, indicator: string, area: string | null, metadata: string, dryRun: boolean): Promise<boolean> => {
    for (const listen of metadataListeners) {
      try {
        const said = await listen(db, actor, { indicator, area, metadata: metadata.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'), dryRun });
        if (said) out(`${label}: ${said}`);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        out(`${label}: ${err.fields.map((f) => `${f.field}: ${f.message}`).join('; ') || err.message}`);
        return false;
      }
    }
    return true;
  };
  // Inline, with a progress bar: the same use case the web form's and the API's job runs (jobs.ts).
  const reference = async (input: ReferenceInput) => {
    const p = progressReporter(input.kind);
    try {
      const r = await importReference(db, actor, input, { onProgress: (pct) => p.onProgress('import', pct, 100) });
      p.stop();
      for (const line of describeReference(r)) out(line);
    } catch (err) {
      p.stop();
      throw err;
    }
    return 0;
  };
  try {
    switch (cmd) {
      case 'sdg': {
        const r = await loadSdgFramework(db, actor);
        out(r.changed ? `Loaded ${r.goals} goals and ${r.targets} targets.` : 'The SDG framework is already loaded.');
        return 0;
      }
      case 'sdg-translations': {
        // The UN framework's translations, e.g. ../shared/data/sdg-framework (English and bokmål).
        const [dir] = rest;
        if (!dir) throw new Error('sdg-translations needs <dir> (a folder of <lang>_global_targets.yml files)');
        await loadSdgFramework(db, actor);
        const r = await loadSdgTranslations(db, actor, dir);
        out(r.languages.length ? `SDG target titles in ${r.languages.join(', ')}: ${r.changed} stored.` : 'No Swedish, Norwegian or Danish targets file in that folder.');
        return 0;
      }
      case 'import': {
        const [format, file] = rest;
        if (!format || !(FORMATS as readonly string[]).includes(format) || !file) throw new Error(`import needs <format> <file>; format is one of ${FORMATS.join(', ')}`);
        const mapping: AnyMapping = opt.mapping ? JSON.parse(readFileSync(opt.mapping, 'utf8')) : {};
        if (opt.indicator) mapping.indicator = opt.indicator;
        if (opt.area) mapping.area = opt.area;
        const c = country(opt.country);
        if (c) mapping.country = c;
        const metaFile = opt.meta;
        const r = await runImport(db, actor, format as ImportFormat, file, readFileSync(file), mapping, { dryRun: opt['dry-run'] === true, meta: metaFile, out });
        if (!r.ok) return 1;
        if (metaFile && !r.dryRun) {
          const text = readFileSync(metaFile, 'utf8');
          const code = parseOpenSdgMeta(text, mapping.indicator).code;
          if (!(await passMetadata(path.basename(metaFile), code, mapping.area ?? null, text, false))) return 1;
        }
        return 0;
      }
      case 'opensdg-dir': {
        const dir = rest[0];
        const area = opt.area;
        if (!dir || !area) throw new Error('opensdg-dir needs <dir> --area KEY [--mapping FILE.json] [--dry-run]');
        // A saved or hand-written table mapping (columns, country, …) applies to every file.
        const extraMapping: AnyMapping = opt.mapping ? JSON.parse(readFileSync(opt.mapping, 'utf8')) : {};
        const dryRun = opt['dry-run'] === true;
        await loadSdgFramework(db, actor);
        const dataDir = path.join(dir, 'data');
        const files = readdirSync(dataDir).filter((f) => /^indicator_[0-9a-z-]+\.csv$/i.test(f)).sort();
        const existing = new Set((await db.query<{ code: string }>('SELECT code FROM ind_indicators')).map((r) => r.code));
        let failed = 0;
        let imported = 0;
        const fail = (f: string, msg: string) => {
          failed++;
          out(`${f}: ${msg}`);
        };
        const metaTexts = new Map<string, { code: string; text: string }>();
        const importedFiles: string[] = [];
        // Metadata is read per file: one unreadable file is reported by name and skipped, never the whole run.
        const jobs = files.flatMap((f) => {
          const code = f.replace(/^indicator_|\.csv$/g, '');
          const metaPath = path.join(dir, 'meta', `${code}.md`);
          let meta: IndicatorMeta | null = null;
          if (existsSync(metaPath)) {
            try {
              const text = readFileSync(metaPath, 'utf8');
              meta = parseOpenSdgMeta(text, code);
              metaTexts.set(f, { code, text });
            } catch (err) {
              if (!(err instanceof FileFormatError)) throw err;
              fail(`meta/${code}.md`, err.message);
              return [];
            }
          }
          // Without metadata an indicator is created with its code as its name, but an existing
          // indicator keeps its name: re-importing data alone must not rename anything.
          const extra = meta ? [meta] : existing.has(code) ? [] : [{ code, name: code }];
          return [
            () => ({
              format: 'opensdg' as const,
              filename: f,
              buf: readFileSync(path.join(dataDir, f)),
              mapping: { ...extraMapping, area, indicator: code },
              options: { format: 'opensdg' as const, filename: f, source: dir, dryRun },
              extraIndicators: extra,
            }),
          ];
        });
        // Each file is its own all-or-nothing import; the next file is parsed in a worker meanwhile.
        await importFiles(db, actor, jobs, (_i, f, r) => {
          if (r instanceof Error) {
            if (!(r instanceof FileFormatError)) throw r;
            fail(f, r.message);
          } else if (!r.ok) {
            const e = r.errors[0];
            fail(f, `${plural(r.errorCount, 'problem', 'problems')}, e.g. row ${e?.line} ${e?.field}: ${e?.message}`);
          } else {
            imported++;
            importedFiles.push(f);
          }
        });
        // Targets and manual statuses in the metadata, for the files whose data went in (not on a dry
        // run: the indicators it would create do not exist). Each file's own, reported by its name.
        if (!dryRun) {
          for (const f of importedFiles) {
            const m = metaTexts.get(f);
            if (m && !(await passMetadata(`meta/${m.code}.md`, m.code, area, m.text, false))) failed++;
          }
        }
        out(`${imported} of ${plural(files.length, 'file', 'files')} ${dryRun ? 'would be imported (dry run, nothing written)' : 'imported'}${failed ? `; ${failed} failed` : ''}.`);
        return failed ? 1 : 0;
      }
      case 'framework': {
        const [kind, file] = rest;
        if (!kind || !['u4ssc', 'ks', 'un-sdg'].includes(kind) || !file) throw new Error('framework needs <u4ssc|ks|un-sdg> <file.csv>');
        return await reference({ kind: `framework-${kind}` as ReferenceKind, file: readFileSync(file) });
      }
      case 'areas': {
        const c = country(rest[0]);
        const file = rest[1];
        if (!c || !file) throw new Error('areas needs <SE|NO|DK> <file.csv>');
        const regionsFile = opt.regions;
        return await reference({ kind: `areas-${c.toLowerCase()}` as ReferenceKind, file: readFileSync(file), regions: regionsFile ? readFileSync(regionsFile) : undefined });
      }
      case 'kolada-kpis':
      case 'kolada-areas':
      case 'kolada-groups': {
        if (!rest[0]) throw new Error(`${cmd} needs a file`);
        return await reference({ kind: cmd, file: readFileSync(rest[0]), prefix: opt.prefix });
      }
      case 'areas-any': {
        if (!rest[0]) throw new Error('areas-any needs <file.csv> (columns country, level, code, name[, parent_key, valid_from, valid_to])');
        return await reference({ kind: 'areas-any', file: readFileSync(rest[0]) });
      }
      case 'area-changes': {
        // Without a file: the changes the project ships (Norway's 2020 and 2024 reforms).
        return await reference({ kind: 'area-changes', file: readFileSync(rest[0] ?? SHIPPED_AREA_CHANGES) });
      }
      case 'geojson': {
        const c = country(opt.country);
        const prop = opt.property;
        if (!rest[0] || !c || !prop) throw new Error('geojson needs <file> --country XX --property NAME');
        return await reference({ kind: 'geojson', file: readFileSync(rest[0]), country: c, property: prop, source: path.basename(rest[0]) });
      }
      case 'fetch-kolada': {
        const kpi = rest[0];
        if (!kpi) throw new Error('fetch-kolada needs a KPI id');
        const municipalities = opt.municipalities?.split(',');
        const years = opt.years?.split(',').map(Number);
        const { data, kpi: meta } = await fetchKoladaKpi(fetchFn, kpi, { ...(municipalities ? { municipalities } : {}), ...(years ? { years } : {}) });
        const r = await runImport(db, actor, 'kolada', `kolada-${kpi}.json`, Buffer.from(JSON.stringify(data)), {}, { dryRun: opt['dry-run'] === true, out, extraMeta: koladaKpisToMeta(meta) });
        return r.ok ? 0 : 1;
      }
      case 'fetch-kolada-catalogues': {
        const [m, g] = await Promise.all([fetchKoladaMunicipalities(fetchFn), fetchKoladaGroups(fetchFn)]);
        const r = await importAreas(db, actor, koladaMunicipalitiesToAreas(m));
        out(`Areas: ${r.created} created, ${r.updated} updated; ${g.values.length} groups fetched (import them with kolada-groups).`);
        return 0;
      }
      case 'fetch-pxweb': {
        const [site, table] = rest;
        if (!site || !table) throw new Error('fetch-pxweb needs <site> <table>');
        const valueCodes: Record<string, string[]> = {};
        for (const part of (opt.values ?? '').split(';').filter(Boolean)) {
          const [dim, vals] = part.split('=');
          if (dim && vals) valueCodes[dim] = vals.split(',');
        }
        const ds = await fetchPxWeb(fetchFn, site, table, { lang: opt.lang ?? 'en', valueCodes });
        const mapping: AnyMapping = {};
        const c = country(opt.country);
        if (c) mapping.country = c;
        if (opt.prefix) mapping.indicatorPrefix = opt.prefix;
        if (opt.indicator) mapping.indicator = opt.indicator;
        const r = await runImport(db, actor, 'jsonstat', `${site}-${table}.json`, Buffer.from(JSON.stringify(ds)), mapping, { dryRun: opt['dry-run'] === true, out });
        return r.ok ? 0 : 1;
      }
      case 'demo': {
        const r = await seedIndicatorsDemo(db, actor);
        out(r.changed ? 'Indicator demo data loaded.' : 'Indicator demo data is already in place.');
        return 0;
      }
      default:
        out(INDICATORS_HELP);
        return cmd && cmd !== 'help' ? 2 : 0;
    }
  } catch (err) {
    if (err instanceof FileFormatError) {
      out(`Rejected: ${err.message}`);
      return 1;
    }
    if (err instanceof ValidationError) {
      out(`Rejected: ${err.message}`);
      for (const f of err.fields.slice(0, 50)) out(`  ${f.field}: ${f.message}`);
      return 1;
    }
    throw err;
  }
}
