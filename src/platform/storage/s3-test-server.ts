import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
// @ts-expect-error s3rver ships no types
import S3rver from 's3rver';

/** s3rver: an S3-compatible server, started by the test on a free port of 127.0.0.1 and stopped after. */
export async function startS3(): Promise<{ url: (prefix?: string) => string; close: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'samverka-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: 'samverka' }] });
  const { port } = (await server.run()) as { port: number };
  return {
    url: (prefix = 'files') => `s3://S3RVER:S3RVER@samverka/${prefix}?endpoint=http://127.0.0.1:${port}&region=eu-north-1`,
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

