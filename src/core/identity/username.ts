// One username rule for every app that lets people pick a name (issue 15 #5; docs/security.md).
// Modelled on PRECIS (RFC 8265, UsernameCaseMapped): the name is NFKC-normalised and trimmed, then
// refused when it holds anything that renders as nothing or reorders text, so two accounts can
// never differ only by characters nobody sees:
//   - controls (Cc), format characters (Cf: zero-width space/joiner/non-joiner, bidi overrides and
//     isolates, the tag characters U+E0000–E007F, soft hyphen), unassigned, private-use and
//     surrogate code points;
//   - default-ignorable code points (Hangul fillers U+115F/U+1160/U+3164/U+FFA0, variation
//     selectors, the combining grapheme joiner) and the blank braille pattern U+2800;
//   - line/paragraph separators and any space other than U+0020 (one space inside a name is kept:
//     auth's own example is "JIN HO"; runs of spaces are refused);
//   - combining marks that decorate rather than spell: a mark at the start or after a non-letter,
//     any mark left on a Latin, Greek, Cyrillic, Hangul or Han letter after NFKC (those scripts
//     compose into precomposed letters), enclosing marks, or more than three marks in a row;
//   - Latin mixed with Cyrillic or Greek letters in one name (the classic "раypal" look-alike).
// Zodiac and igemoji keep their originals' stricter patterns (ASCII letters and Hangul
// syllables), which already pass this rule.
import { z } from 'zod';
import { registerMessages } from '../i18n/messages.js';

registerMessages({
  INVALID_USERNAME: {
    ko: '사용자 이름에는 보이지 않는 문자, 제어·방향 제어 문자, 홀로 쓰인 결합 문자, 섞인 문자 체계(라틴+키릴/그리스)를 쓸 수 없습니다.',
    en: 'Usernames may not contain invisible, control or direction-control characters, stray combining marks, or Latin mixed with Cyrillic/Greek.',
  },
});

const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Cn}\p{Co}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\u2800]/u;
const OTHER_SPACE = /[^\S ]|\p{Zs}(?<! )/u;
const DOUBLE_SPACE = / {2}/;
const ENCLOSING = /\p{Me}/u;
const MARK_RUN = /\p{M}{4}/u;
/** a mark whose base is not a letter (start of the name, a digit, a space, punctuation) */
const STRAY_MARK = /(?:^|[^\p{L}\p{M}])\p{M}/u;
/** scripts that NFKC composes: a mark still attached to one of their letters is decoration */
const DECORATED = /[\p{sc=Latin}\p{sc=Greek}\p{sc=Cyrillic}\p{sc=Hangul}\p{sc=Han}\p{N}]\p{M}/u;
const LATIN = /\p{sc=Latin}/u;
const CYRILLIC_OR_GREEK = /[\p{sc=Cyrillic}\p{sc=Greek}]/u;

/** NFKC and trimmed: the form stored and looked up (log-in normalises the same way) */
export function normalizeUsername(raw: string): string {
  return raw.normalize('NFKC').trim();
}

/** true when a normalised name passes the rule */
export function isAcceptableUsername(name: string): boolean {
  if (name === '') return false;
  if (FORBIDDEN.test(name) || OTHER_SPACE.test(name) || DOUBLE_SPACE.test(name)) return false;
  if (ENCLOSING.test(name) || MARK_RUN.test(name) || STRAY_MARK.test(name) || DECORATED.test(name)) return false;
  if (LATIN.test(name) && CYRILLIC_OR_GREEK.test(name)) return false;
  return true;
}

/**
 * The username field of a sign-up or rename body: normalised, at most `max` characters, and
 * refused with the INVALID_USERNAME field error when it breaks the rule.
 */
export function usernameField(max: number) {
  return z
    .string()
    .transform(normalizeUsername)
    .pipe(z.string().min(1, { abort: true }).max(max, { abort: true }).refine(isAcceptableUsername, 'INVALID_USERNAME'));
}
