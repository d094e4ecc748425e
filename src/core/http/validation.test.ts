import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldMessage } from '../i18n/fields.js';
import { fieldRuleOf, installZodErrorMap } from './validation.js';

installZodErrorMap();
const messages = (schema: z.ZodType, value: unknown, lang: 'ko' | 'en' = 'ko') => {
  const r = schema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => fieldMessage(fieldRuleOf(i.message), lang));
};

describe('zod issues in the client\'s words', () => {
  it('types are named in Korean, never by zod\'s type name', () => {
    expect(messages(z.string(), 5)).toEqual(['문자열을 입력하십시오.']);
    expect(messages(z.number().int(), 'x')).toEqual(['숫자를 입력하십시오.']);
    expect(messages(z.boolean(), 'x')).toEqual(['참(true) 또는 거짓(false) 값을 입력하십시오.']);
    expect(messages(z.object({}), [])).toEqual(['JSON 객체를 입력하십시오.']);
    expect(messages(z.string(), 5, 'en')).toEqual(['A valid string is required.']);
  });

  it('blank, formats and anything else zod would word in English', () => {
    expect(messages(z.string().trim().min(1), '  ')).toEqual(['이 필드는 비워 둘 수 없습니다.']);
    expect(messages(z.email(), 'nope')).toEqual(['유효한 이메일 주소를 입력하십시오.']);
    expect(messages(z.uuid(), 'nope')).toEqual(['유효한 UUID를 입력하십시오.']);
    expect(messages(z.iso.datetime(), 'yesterday')).toEqual(['날짜·시각 형식이 잘못되었습니다. ISO 8601 형식을 사용하십시오.']);
    expect(messages(z.string().regex(/^\d+$/), 'abc')).toEqual(['형식이 올바르지 않습니다.']);
    expect(messages(z.number().multipleOf(5), 7)).toEqual(['유효하지 않은 값입니다.']);
    expect(messages(z.union([z.number(), z.boolean()]), 'x')).toEqual(['유효하지 않은 값입니다.']);
    // a schema's own message still wins over the global wording
    expect(messages(z.string().refine(() => false, 'VALIDATION_ERROR'), 'x')).toEqual(['입력값이 올바르지 않습니다.']);
  });
});
