/**
 * Files in S3-compatible object storage (AWS S3, MinIO, Ceph, Scaleway, Hetzner, …), so that
 * several app servers share one store and none keeps files on its own disk.
 *
 * Chosen by STORAGE_URL: s3://[ACCESS_KEY:SECRET@]bucket[/prefix][?endpoint=https://…&region=…&forcePathStyle=true]
 * Without keys in the URL the AWS SDK's usual chain applies (instance role, AWS_* variables, ~/.aws).
 */
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { assertKey, type FileStorage } from './storage.js';

export type S3Location = { bucket: string; prefix: string; client: S3ClientConfig };

export function parseS3Url(url: string): S3Location {
  const u = new URL(url);
  if (u.protocol !== 's3:' || !u.hostname) throw new Error('STORAGE_URL: expected s3://bucket/prefix');
  const p = u.searchParams;
  const client: S3ClientConfig = {
    region: p.get('region') ?? 'us-east-1',
    ...(p.get('endpoint') ? { endpoint: p.get('endpoint')! } : {}),
    // MinIO and most self-hosted stores address buckets by path, not by subdomain.
    forcePathStyle: p.get('forcePathStyle') ? p.get('forcePathStyle') === 'true' : !!p.get('endpoint'),
    ...(u.username ? { credentials: { accessKeyId: decodeURIComponent(u.username), secretAccessKey: decodeURIComponent(u.password) } } : {}),
  };
  const prefix = u.pathname.replace(/^\/+|\/+$/g, '');
  return { bucket: u.hostname, prefix: prefix ? `${prefix}/` : '', client };
}

const notFound = (key: string) => Object.assign(new Error(`No such file: ${key}`), { code: 'ENOENT' });
const isMissing = (err: unknown) => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
};

export class S3Storage implements FileStorage {
  readonly client: S3Client;
  constructor(readonly location: S3Location) {
    this.client = new S3Client(location.client);
  }

  private key(key: string): string {
    assertKey(key);
    return this.location.prefix + key;
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    // A PUT is atomic in S3: readers see the old object or the whole new one, never a part.
    await this.client.send(new PutObjectCommand({ Bucket: this.location.bucket, Key: this.key(key), Body: data, ContentLength: data.byteLength }));
  }

  async get(key: string): Promise<Buffer> {
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: this.key(key) }));
      return Buffer.from(await r.Body!.transformToByteArray());
    } catch (err) {
      if (isMissing(err)) throw notFound(key);
      throw err;
    }
  }

  async stream(key: string): Promise<Readable> {
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: this.key(key) }));
      return r.Body as Readable;
    } catch (err) {
      if (isMissing(err)) throw notFound(key);
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.location.bucket, Key: this.key(key) }));
      return true;
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key: this.key(key) }));
  }
}
