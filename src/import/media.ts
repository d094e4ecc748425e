// The originals' files: a folder (a copy of the bucket or of Django's media/) or an S3 bucket and
// prefix. The databases hold full URLs (`https://<bucket>.s3.<region>.amazonaws.com/image/<id>.png`,
// sometimes signed, sometimes broken); a URL is turned into candidate keys (its path, the path
// without a path-style bucket segment, the bare file name) tried in that order. Nothing outside
// the folder or prefix can be named.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';

/** larger files are not pictures the apps would accept anyway */
export const MAX_MEDIA_BYTES = 20 * 1024 * 1024;

export interface MediaFile {
  bytes: Buffer;
  key: string;
}

export interface MediaSource {
  label: string;
  get(ref: string): Promise<MediaFile | null>;
  close?(): Promise<void>;
}

export interface MediaRef {
  candidates: string[];
  /** the URL carried credentials (user:password@, or an S3 signature in its query) */
  leaked: boolean;
}

const SIGNATURE = /(^|&)(x-amz-signature|x-amz-credential|x-amz-security-token|awsaccesskeyid|signature)=/i;

export function parseMediaRef(raw: string | null): MediaRef {
  const ref = (raw ?? '').trim();
  if (!ref) return { candidates: [], leaked: false };
  let p = ref;
  let leaked = false;
  if (/^https?:\/\//i.test(ref)) {
    let u: URL;
    try {
      u = new URL(ref);
    } catch {
      return { candidates: [], leaked: false };
    }
    leaked = Boolean(u.username || u.password) || SIGNATURE.test(u.search.slice(1));
    try {
      p = decodeURIComponent(u.pathname);
    } catch {
      return { candidates: [], leaked };
    }
  } else {
    p = ref.split(/[?#]/)[0]!;
  }
  const clean = p.replace(/\\/g, '/').replace(/^\/+/, '');
  const parts = clean.split('/').filter(Boolean);
  if (parts.length === 0 || parts.some((s) => s === '..' || s === '.')) return { candidates: [], leaked };
  const candidates = [parts.join('/'), parts.slice(1).join('/'), parts[parts.length - 1]!].filter(Boolean);
  return { candidates: [...new Set(candidates)], leaked };
}

export function localMedia(root: string): MediaSource {
  const base = path.resolve(root);
  return {
    label: base,
    async get(ref) {
      for (const key of parseMediaRef(ref).candidates) {
        const file = path.resolve(base, key);
        if (!file.startsWith(base + path.sep)) continue;
        try {
          const s = await stat(file);
          if (!s.isFile() || s.size > MAX_MEDIA_BYTES) continue;
          return { bytes: await readFile(file), key };
        } catch {
          // not there: the next candidate
        }
      }
      return null;
    },
  };
}

export interface S3MediaOptions {
  /** s3://bucket/prefix */
  url: string;
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export function s3Media(opts: S3MediaOptions): MediaSource {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(\/.*)?$/.exec(opts.url);
  if (!m) throw new Error('--media must be a folder or s3://bucket/prefix');
  const bucket = m[1]!;
  const prefix = (m[2] ?? '').replace(/^\/+/, '').replace(/\/*$/, '/').replace(/^\/$/, '');
  const client = new S3Client({
    region: opts.region ?? 'us-east-1',
    ...(opts.endpoint ? { endpoint: opts.endpoint, forcePathStyle: true } : {}),
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
  });
  return {
    label: `s3://${bucket}/${prefix}`,
    async get(ref) {
      for (const key of parseMediaRef(ref).candidates) {
        try {
          const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: `${prefix}${key}` }));
          if (!out.Body || (out.ContentLength ?? 0) > MAX_MEDIA_BYTES) continue;
          return { bytes: Buffer.from(await out.Body.transformToByteArray()), key };
        } catch (err) {
          const name = (err as { name?: string }).name;
          if (name === 'NoSuchKey' || name === 'NotFound' || (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) continue;
          throw err;
        }
      }
      return null;
    },
    async close() {
      client.destroy();
    },
  };
}

export function openMedia(spec: string | undefined, s3: Omit<S3MediaOptions, 'url'> = {}): MediaSource | undefined {
  if (!spec) return undefined;
  return spec.startsWith('s3://') ? s3Media({ ...s3, url: spec }) : localMedia(spec);
}
