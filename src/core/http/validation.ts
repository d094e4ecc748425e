// Zod issues become per-field rules (DRF's wording, localised at reply time). The global error map
// encodes each issue as a short rule string; fieldRuleOf() decodes it.
import { z } from 'zod';
import type { FieldRule } from '../i18n/fields.js';
import { hasMessage } from '../i18n/messages.js';

let installed = false;
export function installZodErrorMap(): void {
  if (installed) return;
  installed = true;
  z.config({
    customError: (iss) => {
      switch (iss.code) {
        case 'invalid_type':
          if (iss.input === undefined || iss.input === null) return 'required';
          return `invalid_type:${String(iss.expected)}`;
        case 'too_small': {
          const min = Number(iss.minimum);
          if (iss.origin === 'string') return min <= 1 ? 'blank' : `min_length:${min}`;
          if (iss.origin === 'number' || iss.origin === 'int' || iss.origin === 'bigint') return `min_value:${min}`;
          return `min_length:${min}`;
        }
        case 'too_big': {
          const max = Number(iss.maximum);
          if (iss.origin === 'number' || iss.origin === 'int' || iss.origin === 'bigint') return `max_value:${max}`;
          return `max_length:${max}`;
        }
        case 'invalid_value':
          return `choice:${String(iss.input).slice(0, 100)}`;
        case 'invalid_format':
          return `format:${iss.format}`;
        default:
          // zod's own wording is English: any other issue without a message of its own reads as Korean
          return 'invalid';
      }
    },
  });
}

export function fieldRuleOf(message: string): FieldRule {
  const [kind, arg = ''] = splitOnce(message, ':');
  switch (kind) {
    case 'required':
      return { kind: 'required' };
    case 'blank':
      return { kind: 'blank' };
    case 'max_length':
      return { kind: 'max_length', max: Number(arg) };
    case 'min_length':
      return { kind: 'min_length', min: Number(arg) };
    case 'max_value':
      return { kind: 'max_value', max: Number(arg) };
    case 'min_value':
      return { kind: 'min_value', min: Number(arg) };
    case 'invalid_type':
      return { kind: 'invalid_type', expected: arg };
    case 'choice':
      return { kind: 'choice', value: arg };
    case 'format':
      return { kind: 'format', format: arg };
    case 'invalid':
      return { kind: 'invalid' };
    default:
      if (hasMessage(message)) return { kind: 'code', code: message };
      return { kind: 'custom', ko: message, en: message };
  }
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}
