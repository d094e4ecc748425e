// Per-field validation messages (the Django REST framework wording the seeds' clients know).
import { message, type Lang } from './messages.js';

export type FieldRule =
  | { kind: 'required' }
  | { kind: 'blank' }
  | { kind: 'max_length'; max: number }
  | { kind: 'min_length'; min: number }
  | { kind: 'invalid_type'; expected: string }
  | { kind: 'max_value'; max: number }
  | { kind: 'min_value'; min: number }
  | { kind: 'choice'; value: string }
  | { kind: 'invalid' }
  | { kind: 'format'; format: string }
  | { kind: 'code'; code: string }
  | { kind: 'custom'; ko: string; en: string };

// zod's type names never reach a Korean user: each becomes a word with its object particle
const TYPE_KO: Record<string, string> = {
  string: '문자열을',
  number: '숫자를',
  int: '정수를',
  bigint: '정수를',
  boolean: '참(true) 또는 거짓(false) 값을',
  array: '목록을',
  object: 'JSON 객체를',
  date: '날짜를',
  record: 'JSON 객체를',
  tuple: '목록을',
  file: '파일을',
  nan: '숫자를',
};
const TYPE_EN: Record<string, string> = {
  string: 'string',
  number: 'number',
  int: 'integer',
  bigint: 'integer',
  boolean: 'boolean',
  array: 'list',
  object: 'JSON object',
  date: 'date',
  record: 'JSON object',
  tuple: 'list',
  file: 'file',
  nan: 'number',
};

export function fieldMessage(rule: FieldRule, lang: Lang, app?: string): string {
  const ko = lang === 'ko';
  switch (rule.kind) {
    case 'required':
      return ko ? '이 필드는 필수 항목입니다.' : 'This field is required.';
    case 'blank':
      return ko ? '이 필드는 비워 둘 수 없습니다.' : 'This field may not be blank.';
    case 'max_length':
      return ko
        ? `이 필드의 글자 수가 ${rule.max} 이하인지 확인하십시오.`
        : `Ensure this field has no more than ${rule.max} characters.`;
    case 'min_length':
      return ko
        ? `이 필드의 글자 수가 적어도 ${rule.min} 이상인지 확인하십시오.`
        : `Ensure this field has at least ${rule.min} characters.`;
    case 'invalid_type':
      return ko ? `${TYPE_KO[rule.expected] ?? '올바른 형식의 값을'} 입력하십시오.` : `A valid ${TYPE_EN[rule.expected] ?? 'value'} is required.`;
    case 'max_value':
      return ko ? `이 값이 ${rule.max}보다 작거나 같은지 확인하십시오.` : `Ensure this value is less than or equal to ${rule.max}.`;
    case 'min_value':
      return ko ? `이 값이 ${rule.min}보다 크거나 같은지 확인하십시오.` : `Ensure this value is greater than or equal to ${rule.min}.`;
    case 'choice':
      return ko ? `"${rule.value}"이 유효하지 않은 선택(choice)입니다.` : `"${rule.value}" is not a valid choice.`;
    case 'invalid':
      return ko ? '유효하지 않은 값입니다.' : 'Invalid value.';
    case 'format':
      return formatMessage(rule.format, ko);
    case 'code':
      return message(rule.code, lang, app);
    case 'custom':
      return ko ? rule.ko : rule.en;
  }
}

function formatMessage(format: string, ko: boolean): string {
  if (format === 'email') return ko ? '유효한 이메일 주소를 입력하십시오.' : 'Enter a valid email address.';
  if (format === 'url') return ko ? '유효한 URL을 입력하십시오.' : 'Enter a valid URL.';
  if (format === 'uuid' || format === 'guid') return ko ? '유효한 UUID를 입력하십시오.' : 'Enter a valid UUID.';
  if (format === 'datetime' || format === 'date' || format === 'time') {
    return ko ? '날짜·시각 형식이 잘못되었습니다. ISO 8601 형식을 사용하십시오.' : 'Wrong date or time format: use ISO 8601.';
  }
  return ko ? '형식이 올바르지 않습니다.' : 'The format is not valid.';
}
