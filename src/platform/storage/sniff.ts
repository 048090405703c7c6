import { fileTypeFromBuffer } from 'file-type';
import { unzipSync } from 'fflate';

/**
 * The upload allow-list. The type is decided by the bytes; the file name's
 * extension must agree with it, so a renamed executable or a PDF posing as a
 * spreadsheet is turned away.
 */
export const ALLOWED_TYPES = {
  pdf: { mime: 'application/pdf', exts: ['pdf'] },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', exts: ['docx'] },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', exts: ['xlsx'] },
  pptx: { mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', exts: ['pptx'] },
  odt: { mime: 'application/vnd.oasis.opendocument.text', exts: ['odt'] },
  ods: { mime: 'application/vnd.oasis.opendocument.spreadsheet', exts: ['ods'] },
  png: { mime: 'image/png', exts: ['png'] },
  jpeg: { mime: 'image/jpeg', exts: ['jpg', 'jpeg'] },
  csv: { mime: 'text/csv', exts: ['csv'] },
  txt: { mime: 'text/plain', exts: ['txt', 'text'] },
} as const;

export type AllowedKind = keyof typeof ALLOWED_TYPES;
export type SniffResult =
  | { ok: true; kind: AllowedKind; mime: string; fileName: string }
  | { ok: false; reason: 'empty' | 'type_not_allowed' | 'extension_mismatch'; detected?: string };

const ALL_EXTS = new Map<string, AllowedKind>(
  (Object.entries(ALLOWED_TYPES) as [AllowedKind, { exts: readonly string[] }][]).flatMap(([k, v]) => v.exts.map((e) => [e, k] as const)),
);

/** Lists a ZIP's entry names without inflating anything but the tiny ODF `mimetype` entry. */
function zipEntries(data: Uint8Array): { names: string[]; odfMime: string | null } | null {
  const names: string[] = [];
  try {
    const out = unzipSync(data, {
      filter(f) {
        names.push(f.name);
        return f.name === 'mimetype' && f.originalSize < 200;
      },
    });
    const m = out['mimetype'];
    return { names, odfMime: m ? new TextDecoder().decode(m).trim() : null };
  } catch {
    return null;
  }
}

function zipKind(data: Uint8Array): AllowedKind | null {
  const z = zipEntries(data);
  if (!z) return null;
  const has = (n: string) => z.names.includes(n);
  // Macro-enabled variants carry a VBA project; they are not on the list.
  if (z.names.some((n) => /vbaProject\.bin$/i.test(n))) return null;
  if (z.odfMime === ALLOWED_TYPES.odt.mime && has('content.xml')) return 'odt';
  if (z.odfMime === ALLOWED_TYPES.ods.mime && has('content.xml')) return 'ods';
  if (!has('[Content_Types].xml')) return null;
  if (has('word/document.xml')) return 'docx';
  if (has('xl/workbook.xml')) return 'xlsx';
  if (has('ppt/presentation.xml')) return 'pptx';
  return null;
}

/** UTF-8 text without NUL bytes or other binary control characters. */
export function isPlainText(data: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return false;
  }
  // Tab, LF, CR and form feed occur in real text; other C0 controls mean binary.
  return !/[\u0000-\u0008\u000B\u000E-\u001F\u007F]/.test(text);
}

function extOf(name: string): string {
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(name);
  return m ? m[1]!.toLowerCase() : '';
}

export async function sniff(data: Uint8Array, fileName: string): Promise<SniffResult> {
  if (data.byteLength === 0) return { ok: false, reason: 'empty' };
  const ft = await fileTypeFromBuffer(data);
  let kind: AllowedKind | null = null;
  if (ft) {
    if (ft.mime === 'application/pdf') kind = 'pdf';
    else if (ft.mime === 'image/png') kind = 'png';
    else if (ft.mime === 'image/jpeg') kind = 'jpeg';
    else if (ft.ext === 'zip' || ALL_EXTS.has(ft.ext) || ft.mime.startsWith('application/vnd.')) {
      // file-type's own guess is a hint only: the entries decide.
      kind = data[0] === 0x50 && data[1] === 0x4b ? zipKind(data) : null;
    }
    if (!kind) return { ok: false, reason: 'type_not_allowed', detected: ft.mime };
  } else if (isPlainText(data)) {
    kind = extOf(fileName) === 'csv' ? 'csv' : 'txt';
  } else {
    return { ok: false, reason: 'type_not_allowed' };
  }
  const spec = ALLOWED_TYPES[kind];
  const ext = extOf(fileName);
  let name = fileName;
  if (!ext || !ALL_EXTS.has(ext)) {
    // No known extension ("Protokoll 2020.04.27", "notes.exe" holding plain text): the right one
    // is appended, so a download never opens in a program the bytes were not meant for.
    name = `${fileName}.${spec.exts[0]}`;
  } else if (!(spec.exts as readonly string[]).includes(ext)) {
    // CSV and TXT are both plain text; the name picks which.
    if (!((kind === 'txt' || kind === 'csv') && (ALL_EXTS.get(ext) === 'txt' || ALL_EXTS.get(ext) === 'csv'))) {
      return { ok: false, reason: 'extension_mismatch', detected: spec.mime };
    }
  }
  return { ok: true, kind, mime: spec.mime, fileName: name };
}
