import { createHash, randomUUID } from 'node:crypto';
import { extractText } from './extract.js';
import { sniff, type AllowedKind } from './sniff.js';

import { LocalDiskStorage, localStorageFor, type FileStorage } from './storage.js';

export { LocalDiskStorage, MemoryStorage, localStorageFor, type FileStorage } from './storage.js';
export { ALLOWED_TYPES, sniff, isPlainText, type AllowedKind, type SniffResult } from './sniff.js';
export { extractText } from './extract.js';

export const sha512Hex = (data: Uint8Array): string => createHash('sha512').update(data).digest('hex');

/** An upload that passed every check, ready to be stored. Nothing has been written yet. */
export type AcceptedUpload = {
  ok: true;
  kind: AllowedKind;
  mime: string;
  fileName: string;
  size: number;
  sha512: string;
  text: string | null;
  /** A fresh storage key; the caller writes the bytes under it once its database row is in place. */
  key: string;
  data: Uint8Array;
};
export type RejectedUpload = {
  ok: false;
  reason: 'empty' | 'too_large' | 'type_not_allowed' | 'extension_mismatch' | 'bad_name';
  detected?: string;
};

/** Cleans a user-supplied file name down to its last path segment, without control characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  return base.replace(/[\u0000-\u001f\u007f"]/g, '').trim().slice(0, 200);
}

/**
 * Checks an upload (size, content type by its bytes, name) and computes what
 * is stored with it. Pure: a rejected upload leaves no trace anywhere.
 */
export async function inspectUpload(data: Uint8Array, rawName: string, maxBytes: number): Promise<AcceptedUpload | RejectedUpload> {
  if (data.byteLength > maxBytes) return { ok: false, reason: 'too_large' };
  const name = cleanFileName(rawName);
  if (!name || name.startsWith('.')) return { ok: false, reason: 'bad_name' };
  const s = await sniff(data, name);
  if (!s.ok) return s.detected ? { ok: false, reason: s.reason, detected: s.detected } : { ok: false, reason: s.reason };
  const now = new Date();
  const key = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${randomUUID()}`;
  return {
    ok: true,
    kind: s.kind,
    mime: s.mime,
    fileName: s.fileName,
    size: data.byteLength,
    sha512: sha512Hex(data),
    text: await extractText(data, s.mime),
    key,
    data,
  };
}

/**
 * The backend the configuration names: STORAGE_URL (s3://… or file:///path), else `<DATA_DIR>/files`.
 * The S3 client is loaded only when used, so a single-machine install never pays for it at start.
 */
export async function storageFor(config: { dataDir: string; storageUrl?: string | undefined }): Promise<FileStorage> {
  const url = config.storageUrl;
  if (!url) return localStorageFor(config.dataDir);
  if (url.startsWith('file://')) return new LocalDiskStorage(new URL(url).pathname);
  const { S3Storage, parseS3Url } = await import('./s3.js');
  return new S3Storage(parseS3Url(url));
}
