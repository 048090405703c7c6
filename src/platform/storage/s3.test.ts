import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storageFor } from './index.js';
import { parseS3Url, S3Storage } from './s3.js';
import { startS3 } from './s3-test-server.js';

describe('S3 storage', () => {
  let s3: Awaited<ReturnType<typeof startS3>>;
  before(async () => (s3 = await startS3()));
  after(async () => s3.close());

  it('parses STORAGE_URL: bucket, prefix, endpoint, path-style addressing and keys', () => {
    const l = parseS3Url('s3://AK:S%2FK@my-bucket/samverka/prod?endpoint=https://s3.example.org&region=eu-north-1');
    assert.equal(l.bucket, 'my-bucket');
    assert.equal(l.prefix, 'samverka/prod/');
    assert.equal(l.client.endpoint, 'https://s3.example.org');
    assert.equal(l.client.forcePathStyle, true);
    assert.deepEqual(l.client.credentials, { accessKeyId: 'AK', secretAccessKey: 'S/K' });
    assert.equal(parseS3Url('s3://b').prefix, '');
  });

  it('stores, reads, streams, checks and deletes files under the prefix, as the disk backend does', async () => {
    const storage = await storageFor({ dataDir: '/nonexistent', storageUrl: s3.url() });
    assert.ok(storage instanceof S3Storage);
    const data = new TextEncoder().encode('Protokoll från Vänersborg\n');
    const key = '2026/11/2b1f6c1e-0000-4000-8000-000000000001';
    assert.equal(await storage.exists(key), false);
    await storage.put(key, data);
    assert.equal(await storage.exists(key), true);
    assert.deepEqual(new Uint8Array(await storage.get(key)), data);
    const chunks: Buffer[] = [];
    for await (const c of await storage.stream(key)) chunks.push(Buffer.from(c));
    assert.equal(Buffer.concat(chunks).toString('utf8'), 'Protokoll från Vänersborg\n');
    // Another prefix in the same bucket is another store.
    const other = await storageFor({ dataDir: '/nonexistent', storageUrl: s3.url('elsewhere') });
    assert.equal(await other.exists(key), false);
    await storage.delete(key);
    assert.equal(await storage.exists(key), false);
    await assert.rejects(storage.get(key), { code: 'ENOENT' });
    await assert.rejects(storage.stream(key), { code: 'ENOENT' });
    await assert.rejects(storage.put('../escape', data), /Invalid storage key/);
  });
});
