// Blob storage port. Keys are generated here (uuid + extension from the sniffed type), never taken
// from a client, so no upload can name a path.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface BlobStore {
  put(data: Buffer, ext: string): Promise<string>;
  get(key: string): Promise<Buffer | null>;
  delete(key: string): Promise<void>;
  /** a store for another namespace (one per app) on the same backend */
  scoped(namespace: string): BlobStore;
}

export const KEY_RE = /^[a-z0-9-]{1,40}\/[0-9a-f-]{36}\.[a-z0-9]{1,5}$/;
export const EXT_RE = /^[a-z0-9]{1,5}$/;

export const CONTENT_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  json: 'application/json',
};

export function newKey(namespace: string, ext: string): string {
  if (!EXT_RE.test(ext)) throw new Error('bad extension');
  return `${namespace}/${randomUUID()}.${ext}`;
}

export class LocalDiskStore implements BlobStore {
  constructor(private readonly root: string, private readonly namespace = 'blobs') {}

  async put(data: Buffer, ext: string): Promise<string> {
    const key = newKey(this.namespace, ext);
    const file = this.file(key);
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, data, { mode: 0o600 });
    return key;
  }

  async get(key: string): Promise<Buffer | null> {
    if (!KEY_RE.test(key)) return null;
    try {
      return await readFile(this.file(key));
    } catch {
      return null;
    }
  }

  async delete(key: string): Promise<void> {
    if (!KEY_RE.test(key)) return;
    await rm(this.file(key), { force: true });
  }

  /** a store for another namespace on the same disk */
  scoped(namespace: string): LocalDiskStore {
    return new LocalDiskStore(this.root, namespace);
  }

  private file(key: string): string {
    return path.join(this.root, key);
  }
}
