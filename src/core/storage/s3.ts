// S3-compatible blob store, for instances on several machines sharing uploads and results.
// Objects carry their real Content-Type; reads are proxied through the API (no public bucket).
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CONTENT_TYPES, KEY_RE, newKey, type BlobStore } from './storage.js';

export interface S3Options {
  bucket: string;
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
}

export class S3Store implements BlobStore {
  private constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly namespace: string,
  ) {}

  static create(opts: S3Options, namespace = 'blobs'): S3Store {
    const client = new S3Client({
      region: opts.region,
      endpoint: opts.endpoint,
      forcePathStyle: opts.forcePathStyle,
      ...(opts.accessKeyId && opts.secretAccessKey
        ? { credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey } }
        : {}),
    });
    return new S3Store(client, opts.bucket, namespace);
  }

  async put(data: Buffer, ext: string): Promise<string> {
    const key = newKey(this.namespace, ext);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: data,
        ContentType: CONTENT_TYPES[ext] ?? 'application/octet-stream',
      }),
    );
    return key;
  }

  async get(key: string): Promise<Buffer | null> {
    if (!KEY_RE.test(key)) return null;
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!out.Body) return null;
      return Buffer.from(await out.Body.transformToByteArray());
    } catch (err) {
      if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    if (!KEY_RE.test(key)) return;
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  scoped(namespace: string): S3Store {
    return new S3Store(this.client, this.bucket, namespace);
  }
}
