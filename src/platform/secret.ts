import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { randomToken } from './crypto.js';

/**
 * The secret that signs CSRF tokens. Production sets SESSION_SECRET; elsewhere
 * one is made once and kept in the data directory, so tokens in open forms
 * survive a restart.
 */
export function resolveSecret(config: Config): string {
  if (config.sessionSecret) return config.sessionSecret;
  const file = path.join(config.dataDir, '.session-secret');
  if (existsSync(file)) {
    const s = readFileSync(file, 'utf8').trim();
    if (s.length >= 32) return s;
  }
  mkdirSync(config.dataDir, { recursive: true });
  const s = randomToken(48);
  writeFileSync(file, s, { mode: 0o600 });
  chmodSync(file, 0o600);
  return s;
}
