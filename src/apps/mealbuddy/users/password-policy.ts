// One password policy for registration and password change (the original checked only the length
// at registration and Django's validators on change, docs/apps/mealbuddy.md §11.16).
import type { FieldRule } from '../../../core/i18n/fields.js';

// The most frequent entries of public leaked-password lists that are at least 8 characters long.
const COMMON = new Set([
  'password', 'password1', 'password12', 'password123', '12345678', '123456789', '1234567890', '11111111',
  '00000000', '87654321', 'qwertyuiop', 'qwerty123', 'qwer1234', 'asdf1234', 'iloveyou', 'sunshine',
  'princess', 'football', 'baseball', 'welcome1', 'abc12345', 'abcd1234', '1q2w3e4r', '1q2w3e4r5t',
  'zxcvbnm1', 'passw0rd', 'superman', 'trustno1', 'letmein1', 'admin123', 'qwertyui', 'aaaaaaaa',
]);

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

export function passwordProblems(pw: string): FieldRule[] {
  const out: FieldRule[] = [];
  if (pw.length < PASSWORD_MIN) out.push({ kind: 'min_length', min: PASSWORD_MIN });
  if (COMMON.has(pw.toLowerCase())) out.push({ kind: 'code', code: 'PASSWORD_TOO_COMMON' });
  if (/^\d+$/.test(pw)) out.push({ kind: 'code', code: 'PASSWORD_NUMERIC' });
  return out;
}
