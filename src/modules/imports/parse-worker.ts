/** Parsing process entry (ParsePool forks it): parses files and sends the rows back in columns. */
import { parseFileChunked, parseFilePacked, previewFile } from './importers/index.js';
import { FileFormatError } from './importers/table.js';

// The server that forked this process is gone: nothing is left to parse for.
process.on('disconnect', () => process.exit(0));

const reply = (m: unknown) => process.send!(m);

type Job = { format: Parameters<typeof parseFilePacked>[0]; filename: string; buf: Uint8Array; mapping?: Parameters<typeof parseFilePacked>[3]; preview?: boolean; chunkRows?: number };

async function run(job: Job) {
  const buf = Buffer.from(job.buf.buffer, job.buf.byteOffset, job.buf.byteLength);
  try {
    if (job.preview) {
      // The mapping step's preview is small (a sample of rows): it crosses by structured clone.
      reply({ ok: true, preview: await previewFile(job.format, job.filename, buf) });
      return;
    }
    if (job.chunkRows) {
      // Chunks go out as they are parsed; the last message says how the file ends (see parseFileChunked).
      const end = await parseFileChunked(job.format, job.filename, buf, job.mapping ?? {}, job.chunkRows, (chunk) => reply({ chunk }));
      reply({ ok: true, end });
      return;
    }
    reply({ ok: true, packed: await parseFilePacked(job.format, job.filename, buf, job.mapping) });
  } catch (err) {
    reply({ ok: false, name: err instanceof FileFormatError ? 'FileFormatError' : 'Error', message: err instanceof Error ? err.message : String(err) });
  }
}

// One job at a time, in the order sent: a chunked parse turns the event loop between its steps, and
// the next job's messages must not start in between (the pool pairs replies with jobs by order).
let last = Promise.resolve();
process.on('message', (job: Job) => {
  last = last.then(() => run(job));
});
