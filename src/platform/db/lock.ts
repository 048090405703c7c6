import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { hostname } from 'node:os';

/**
 * One writer per embedded database. PGlite is PostgreSQL compiled into this
 * process: two processes opening the same data folder each keep their own
 * copy in memory and overwrite each other's files, so writes vanish without an
 * error. A lock file next to the folder, created atomically and holding the
 * owner's pid, makes the second opener stop with a message instead.
 *
 * A lock whose pid no longer runs on this machine is stale (the owner was
 * killed with -9 or the machine lost power) and is taken over.
 */
export class DatabaseLockedError extends Error {
  constructor(
    readonly lockFile: string,
    readonly owner: LockOwner,
  ) {
    super(
      `The embedded database is in use by another process (${owner.command || 'samverka'}, pid ${owner.pid}${owner.host !== hostname() ? ` on ${owner.host}` : ''}, since ${owner.since}).\n` +
        `Only one process may open it at a time, or changes would be lost.\n` +
        `Stop the running Samverka server first (Ctrl+C in its terminal), then run this command again,\n` +
        `or use a PostgreSQL server (DATABASE_URL), which any number of processes can share.\n` +
        `If no Samverka process is running, remove ${lockFile}.`,
    );
    this.name = 'DatabaseLockedError';
  }
}

export type LockOwner = { pid: number; host: string; since: string; command: string };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(file: string): LockOwner | null {
  try {
    const o = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    if (typeof o.pid !== 'number') return null;
    return { pid: o.pid, host: String(o.host ?? ''), since: String(o.since ?? '?'), command: String(o.command ?? '') };
  } catch {
    return null; // half-written or unreadable: treated as stale below
  }
}

export type DataDirLock = { file: string; release(): void };

/** Takes the lock or throws DatabaseLockedError. `command` says who holds it, for the other side's message. */
export function lockDataDir(dataDir: string, command = process.argv.slice(1, 3).join(' ')): DataDirLock {
  const file = `${dataDir.replace(/[\\/]+$/, '')}.lock`;
  mkdirSync(path.dirname(file), { recursive: true });
  const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString(), command };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx'); // atomic: fails if the file exists
      try {
        writeSync(fd, JSON.stringify(me));
      } finally {
        closeSync(fd);
      }
      let released = false;
      return {
        file,
        release() {
          if (released) return;
          released = true;
          // Only remove our own lock: a stale-lock takeover by someone else must stay.
          if (readOwner(file)?.pid === process.pid) rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readOwner(file);
      // A lock from another machine (a shared disk) cannot be checked: it is respected.
      const stale = !owner || (owner.host === me.host && owner.pid !== process.pid && !alive(owner.pid));
      if (!stale) throw new DatabaseLockedError(file, owner);
      rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${file}`);
}
