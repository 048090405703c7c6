/**
 * The imports module's public face: bringing figures in. Files are parsed (importers/, in worker
 * threads for large ones), mapped, checked and committed through the indicators module's
 * importObservations; uploads, saved mappings, batches, background jobs, reference-data imports,
 * live connectors (Kolada, PxWeb) and the `indicators` CLI commands live here.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/http.js';
import { importPages } from './pages.js';
import { importRoutes } from './routes.js';

export async function importsModule(app: FastifyInstance, deps: AppDeps) {
  await app.register(importRoutes, deps);
  await app.register(importPages, deps);
}

// The command line (src/cli.ts): `indicators <command>`.
export { indicatorsCli, INDICATORS_HELP } from './cli.js';
export { saveMapping, createUpload } from './uploads.js';
// Reading files as imports do (benchmarks, the demo loaders and other modules' tests).
export { parseFile, parseOpenSdgMeta, FileFormatError } from './importers/index.js';
export { parseAreaList } from './importers/arealist.js';
export { CHUNK_ROWS, importFiles } from './parse-pool.js';
export { waitForImport, startReferenceImport, waitForReferenceImport } from './jobs.js';
export { importReference, type ReferenceKind } from './reference.js';
