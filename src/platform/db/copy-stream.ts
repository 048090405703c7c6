/**
 * COPY … FROM of a payload that arrives in pieces, inside the caller's transaction, on both
 * engines: PGlite takes one blob per COPY (the pieces become its parts, never one big string);
 * on node-postgres the pieces stream through COPY … FROM STDIN (pg-copy-streams) as they are
 * made, so the server ingests one piece while Node renders the next.
 */
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { rawClient, type Database, type Executor } from './index.js';

type CopyStreamQuery = ReturnType<typeof copyFrom>;

/** Bytes per piece on PostgreSQL: small enough to keep both sides busy, large enough to keep the framing cheap. */
export const STREAM_PIECE_BYTES = 65_536;
/** Bytes per blob part on PGlite, where the whole payload is handed over at once. */
export const BLOB_PIECE_BYTES = 1 << 20;

/** `target` is the table and its column list; `options` what follows WITH (e.g. `FORMAT csv`). */
export async function copyFromPieces(db: Database, tx: Executor, target: string, options: string, pieces: Iterable<Uint8Array<ArrayBuffer>>): Promise<void> {
  const client = rawClient(tx);
  if (db.kind === 'pglite') {
    await client.query(`COPY ${target} FROM '/dev/blob' WITH (${options})`, [], { blob: new Blob([...pieces]) });
    return;
  }
  const stream = (client as unknown as { query(s: CopyStreamQuery): CopyStreamQuery }).query(copyFrom(`COPY ${target} FROM STDIN WITH (${options})`));
  await pipeline(Readable.from(pieces, { objectMode: false }), stream);
}
