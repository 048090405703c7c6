/** Parsing process entry (ParsePool forks it): parses files and sends the rows back in columns. */
import { parseFilePacked, previewFile } from './importers/index.js';
import { FileFormatError } from './importers/table.js';

// The server that forked this process is gone: nothing is left to parse for.
process.on('disconnect', () => process.exit(0));

const reply = (m: unknown) => process.send!(m);

process.on('message', async (job: { format: Parameters<typeof parseFilePacked>[0]; filename: string; buf: Uint8Array; mapping?: Parameters<typeof parseFilePacked>[3]; preview?: boolean }) => {
  try {
    if (job.preview) {
      // The mapping step's preview is small (a sample of rows): it crosses by structured clone.
      reply({ ok: true, preview: await previewFile(job.format, job.filename, Buffer.from(job.buf.buffer, job.buf.byteOffset, job.buf.byteLength)) });
      return;
    }
    const packed = await parseFilePacked(job.format, job.filename, Buffer.from(job.buf.buffer, job.buf.byteOffset, job.buf.byteLength), job.mapping);
    reply({ ok: true, packed });
  } catch (err) {
    reply({ ok: false, name: err instanceof FileFormatError ? 'FileFormatError' : 'Error', message: err instanceof Error ? err.message : String(err) });
  }
});
