// The one multipart/form-data body builder for tests that send bodies through inject (tests that
// go over the network use fetch's own FormData). A Buffer is a file part; a string or number a field.
import { randomBytes } from 'node:crypto';

export interface FilePart {
  data: Buffer;
  filename?: string;
  contentType?: string;
}

export type FormValue = string | number | Buffer | FilePart;

export interface MultipartOptions {
  /** content type of Buffer parts (default image/jpeg) */
  mime?: string;
  /** file name of a Buffer part (default `<field>.jpg`), or a function of the field name */
  filename?: string | ((field: string) => string);
}

export interface Multipart {
  payload: Buffer;
  contentType: string;
  headers: { 'content-type': string };
}

const isFile = (v: FormValue): v is FilePart => typeof v === 'object' && !Buffer.isBuffer(v);

export function multipart(fields: Record<string, FormValue> | Array<[string, FormValue]>, opts: MultipartOptions = {}): Multipart {
  const boundary = `----madang${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Array.isArray(fields) ? fields : Object.entries(fields)) {
    if (Buffer.isBuffer(value) || isFile(value)) {
      const file: FilePart = Buffer.isBuffer(value) ? { data: value } : value;
      const filename = file.filename ?? (typeof opts.filename === 'function' ? opts.filename(name) : (opts.filename ?? `${name}.jpg`));
      const type = file.contentType ?? opts.mime ?? 'image/jpeg';
      parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"; filename="${filename}"\r\ncontent-type: ${type}\r\n\r\n`));
      parts.push(file.data, Buffer.from('\r\n'));
    } else {
      parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${String(value)}\r\n`));
    }
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const contentType = `multipart/form-data; boundary=${boundary}`;
  return { payload: Buffer.concat(parts), contentType, headers: { 'content-type': contentType } };
}
