/**
 * Extension point for what an import brings besides observations. The indicators module reads
 * Open SDG metadata; the targets and manual progress statuses in it belong to the progress
 * module, which depends on indicators and not the reverse. So the progress module offers a
 * listener, app wiring hands it to the indicators CLI (src/cli.ts), and the indicators module
 * calls whatever it was given, after the data went in.
 */
import type { Actor } from './audit.js';
import type { Database } from './db/index.js';

export type OpenSdgMetadataEvent = {
  /** The indicator the metadata describes (it exists: its data was just imported). */
  indicator: string;
  /** The area the import was for (`opensdg-dir --area`, `import --area`), when there is one. */
  area: string | null;
  /** The metadata file's text as read (YAML front matter, line endings normalised). */
  metadata: string;
  dryRun: boolean;
};

/** What a listener did: a short line for the import's report, or null when the metadata held nothing for it. */
export type OpenSdgMetadataListener = (db: Database, actor: Actor, event: OpenSdgMetadataEvent) => Promise<string | null>;

/**
 * Listeners for imports that run in an app server's job worker (web uploads), where no CLI can hand
 * them over: a module registers its listener when the app registers the module (progress does), and
 * the indicators module's import job calls each of them. Process-wide, like the job definitions.
 */
const registered: OpenSdgMetadataListener[] = [];
export function onOpenSdgMetadata(listener: OpenSdgMetadataListener): void {
  if (!registered.includes(listener)) registered.push(listener);
}
export function openSdgMetadataListeners(): readonly OpenSdgMetadataListener[] {
  return registered;
}
