// Both blob stores behind the same contract: the local disk, and S3 against a local
// S3-compatible server (s3rver) on loopback.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Store } from './s3.js';
import { LocalDiskStore, type BlobStore } from './storage.js';

let s3rver: S3rver;
let endpoint = '';
beforeAll(async () => {
  s3rver = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: mkdtempSync(path.join(tmpdir(), 's3rver-')) });
  const addr = await s3rver.run();
  endpoint = `http://127.0.0.1:${addr.port}`;
  const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  await client.send(new CreateBucketCommand({ Bucket: 'madang' }));
});
afterAll(async () => {
  await s3rver.close();
});

const stores: Array<[string, () => BlobStore]> = [
  ['local disk', () => new LocalDiskStore(mkdtempSync(path.join(tmpdir(), 'blobs-')))],
  [
    's3',
    () => S3Store.create({ bucket: 'madang', endpoint, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true }),
  ],
];

describe.each(stores)('%s blob store', (_name, make) => {
  it('stores under generated keys per namespace, reads back, deletes', async () => {
    const store = make().scoped('zodiac');
    const key = await store.put(Buffer.from('hello'), 'png');
    expect(key).toMatch(/^zodiac\/[0-9a-f-]{36}\.png$/);
    expect((await store.get(key))?.toString()).toBe('hello');
    await store.delete(key);
    expect(await store.get(key)).toBeNull();
  });

  it('never follows a client-shaped key', async () => {
    const store = make();
    for (const bad of ['../etc/passwd', 'blobs/../../x.png', '/abs/path.png', 'blobs/not-a-uuid.png']) {
      expect(await store.get(bad)).toBeNull();
    }
    await expect(store.put(Buffer.from('x'), '../sh')).rejects.toThrow();
  });
});

it('S3 objects carry their real Content-Type', async () => {
  const store = S3Store.create({ bucket: 'madang', endpoint, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true });
  const key = await store.put(Buffer.from([0xff, 0xd8, 0xff]), 'jpg');
  const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  const head = await client.send(new HeadObjectCommand({ Bucket: 'madang', Key: key }));
  expect(head.ContentType).toBe('image/jpeg');
});
