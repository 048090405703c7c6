/**
 * The indicator data model's public face: the shapes every importer produces and every writer
 * consumes (observations, indicator metadata, labels, areas), the normalisers they share, and the
 * KS/SSB taxonomy's own dimensions. Pure code with no imports, in a module of its own so that the
 * parse workers (imports/parse-worker.ts) load it without loading the indicators module, its
 * database layer and pages (about 120 MB more per worker).
 */
export * from './model.js';
export * from './load-stream.js';
export { TAXONOMY_DIMENSIONS, taxonomyDimensionCodes, type TaxonomyDimension } from './taxonomy-dimensions.js';
export * from './chunks.js';
