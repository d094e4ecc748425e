import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { outputJsonSchema, replySerializer, serializerCompiler } from './serializer.js';

const compile = (schema: z.ZodType) => serializerCompiler({ schema, method: 'GET', url: '/x', httpStatus: '200' });

describe('response serializer', () => {
  const user = z.object({
    id: z.number().int(),
    name: z.string(),
    nickname: z.string().nullable(),
    tags: z.array(z.object({ k: z.string() })),
    role: z.enum(['a', 'b']).optional(),
  });

  it('writes only the declared fields, like zod strip', () => {
    const out = compile(user)({ id: 1, name: 'a"b\u0000\n한글', nickname: null, tags: [{ k: 'x', secret: 1 }], password_hash: 'x' });
    expect(JSON.parse(out)).toEqual({ id: 1, name: 'a"b\u0000\n한글', nickname: null, tags: [{ k: 'x' }] });
    expect(out).not.toContain('password_hash');
    expect(out).not.toContain('secret');
  });

  it('refuses a reply missing a required field', () => {
    expect(() => compile(user)({ id: 1, nickname: null, tags: [] })).toThrow();
  });

  it('keeps unions, records and free-form values intact', () => {
    const schema = z.object({ v: z.union([z.string(), z.object({ a: z.number() })]), m: z.record(z.string(), z.number()), any: z.unknown() });
    const data = { v: { a: 2 }, m: { x: 1, y: 2 }, any: { deep: [1, 'two', null] } };
    expect(JSON.parse(compile(schema)(data))).toEqual(data);
  });

  it('leaves schemas JSON Schema cannot express to zod', () => {
    const schema = z.object({ at: z.date() });
    expect(outputJsonSchema(schema)).toBeUndefined();
    expect(JSON.parse(compile(schema)({ at: new Date(5) }))).toEqual({ at: '1970-01-01T00:00:00.005Z' });
  });

  it('writes ready-made replies (cached bytes) exactly as the route would', () => {
    const data = { id: 1, name: '한글', nickname: null, tags: [{ k: 'x', secret: 1 }], password_hash: 'x' };
    const bytes = replySerializer(user)(data);
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(bytes.toString('utf8')).toBe(compile(user)(data));
    expect(bytes.toString('utf8')).not.toContain('password_hash');
    expect(() => replySerializer(user)({ id: 1, nickname: null, tags: [] } as never)).toThrow();
  });
});
