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
