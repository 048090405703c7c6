/**
 * Caches kept in module variables (rendered rows and charts, a few looked-up lists) are keyed by
 * what identifies the data within one database: an indicator's id and data_version, an area's id.
 * A server process has one database, so that is enough. The test workers run many apps over many
 * copies of one template database in one process, where those keys repeat with different data; they
 * empty the caches before each test file (scripts/test-worker.ts). A module registers its cache here.
 */
const clearers = new Set<() => void>();

export function registerProcessCache(clear: () => void): void {
  clearers.add(clear);
}

export function clearProcessCaches(): void {
  for (const clear of clearers) clear();
}
