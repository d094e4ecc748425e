// Hostile values for the OpenAPI-driven fuzzer: wrong types, huge and odd strings, injection
// payloads, prototype-pollution keys, deep nesting, odd numbers.
import { generateSync, type JsonSchema } from 'json-schema-faker';
import { multipart as formBody, type FormValue } from '../multipart.js';

export const HOSTILE_SCALARS: unknown[] = [
  null,
  '',
  ' ',
  'x'.repeat(10_000),
  "' OR 1=1 --",
  "'); DROP TABLE auth_users;--",
  '<script>alert(1)</script>',
  '${process.exit(1)}',
  '{{7*7}}',
  '../../../../etc/passwd',
  '\u0000\u0001\u202e\uffff',
  '😀'.repeat(500),
  -1,
  0,
  2 ** 53 + 1,
  1e308,
  -1e308,
  3.14159,
  true,
  [],
  [1, 'a', null],
  {},
  { $gt: '' },
  { __proto__: { admin: true } },
  'NaN',
  '2026-02-30',
  'true',
];

export const HOSTILE_PATH_PARAMS = [
  '0',
  '-1',
  '99999999999999999999999',
  'abc',
  "1' OR '1'='1",
  '%2e%2e%2f%2e%2e%2fetc',
  '00000000-0000-0000-0000-000000000000',
  'null',
  '1.5',
  '%00',
  'x'.repeat(150),
  '1e3',
];

export const HOSTILE_QUERY: Array<Record<string, string>> = [
  { page: '-1' },
  { page: '99999999999' },
  { page: 'abc', page_size: '100000' },
  { category: "' OR 1=1", address: '<script>' },
  { case: 'username', value: 'x'.repeat(5000) },
  { task_id: '../../x' },
  { before: '-5', limit: '1000000' },
  { date: '2026-13-45', from: 'yesterday', to: '∞' },
  { lat: '999', lon: 'NaN' },
];

let seed = 1;
export function rand(n: number): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
}
export const pick = <T>(xs: T[]): T => xs[rand(xs.length)]!;

function deep(depth: number): unknown {
  return depth === 0 ? 'leaf' : { a: deep(depth - 1) };
}

/** a body for a schema: valid-looking, then with one or more properties replaced by hostile values */
export function bodyFor(schema: JsonSchema | undefined, variant: number): unknown {
  if (variant % 11 === 0) return deep(60);
  if (variant % 13 === 0) return pick(HOSTILE_SCALARS);
  let base: unknown = {};
  if (schema) {
    try {
      base = generateSync(schema, { seed: variant, alwaysFakeOptionals: variant % 2 === 0 });
    } catch {
      base = {};
    }
  }
  if (!base || typeof base !== 'object' || Array.isArray(base)) return base;
  const obj = { ...(base as Record<string, unknown>) };
  const keys = Object.keys(obj);
  const howMany = variant % 3;
  for (let i = 0; i < howMany && keys.length; i++) obj[pick(keys)] = pick(HOSTILE_SCALARS);
  if (variant % 5 === 0) obj['__proto__'] = { polluted: true };
  if (variant % 7 === 0) obj[`extra_${variant}`] = 'x'.repeat(1000);
  return obj;
}

export function multipart(fields: Record<string, unknown>, withFile: boolean): { payload: Buffer; contentType: string } {
  const parts: Array<[string, FormValue]> = Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? v : (JSON.stringify(v) ?? '')]);
  if (withFile) {
    const names = ['image', 'filename', 'file', 'image1'];
    const junk = pick([Buffer.from('GIF89a not really'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]), Buffer.alloc(2048, 7), Buffer.from('<svg onload=alert(1)>')]);
    parts.push([pick(names), { data: junk, filename: '../../x.jpg', contentType: 'image/jpeg' }]);
  }
  return formBody(parts);
}
