// Names and e-mails the originals allowed but madang refuses or treats as equal: invisible
// characters (zero-width, bidi controls, Hangul fillers), non-NFKC forms, case variants that
// madang's case-insensitive unique indexes see as one, and empty or duplicate e-mails. Every
// decision is made once per run over the whole table, in id order (the older account keeps the
// name), so a resumed run decides the same way.

/** format and control characters, plus the Hangul fillers that render as nothing */
const INVISIBLE = /[\p{Cc}\p{Cf}\u115F\u1160\u3164\uFFA0\u2800]/gu;

export interface Cleaned {
  value: string;
  /** what changed, for the report; undefined when nothing did */
  change?: 'normalised' | 'invisible' | 'empty';
}

/** NFKC, invisible characters removed, outer whitespace trimmed (the originals trimmed on input) */
export function cleanName(raw: string | null, maxLength: number): Cleaned {
  const original = raw ?? '';
  const stripped = original.replace(INVISIBLE, '');
  const value = stripped.normalize('NFKC').trim().slice(0, maxLength);
  if (value === '') return { value, change: 'empty' };
  if (value === original) return { value };
  return { value, change: stripped !== original ? 'invisible' : 'normalised' };
}

export interface Planned {
  value: string;
  /** the value had to change to stay unique */
  renamed: boolean;
}

/**
 * Unique values for every entry, in the order given: an entry whose folded value is already taken
 * (by an earlier entry or by `taken`) gets `alternative(value, id, attempt)` instead.
 */
export function planUnique(
  entries: ReadonlyArray<{ id: number; value: string }>,
  fold: (s: string) => string,
  taken: Iterable<string>,
  alternative: (value: string, id: number, attempt: number) => string,
): Map<number, Planned> {
  const used = new Set([...taken].map(fold));
  const out = new Map<number, Planned>();
  for (const e of entries) {
    let value = e.value;
    let attempt = 0;
    while (used.has(fold(value))) value = alternative(e.value, e.id, ++attempt);
    used.add(fold(value));
    out.set(e.id, { value, renamed: attempt > 0 });
  }
  return out;
}

/** `name_<id>` (and `_<n>` after that), cut so that the whole fits `max` */
export function suffixed(max: number) {
  return (value: string, id: number, attempt: number): string => {
    const tail = attempt === 1 ? `_${id}` : `_${id}_${attempt}`;
    return `${value.slice(0, Math.max(1, max - tail.length))}${tail}`;
  };
}

export const lower = (s: string) => s.toLowerCase();
export const exact = (s: string) => s;

const EMAIL = /^[^\s@]+@[^\s@]+$/;

export function isEmail(s: string): boolean {
  return EMAIL.test(s);
}

/** a plus-address at the same mailbox (`a+2@x.com`), so mail still reaches the person */
export function emailAlternative(max: number) {
  return (value: string, id: number, attempt: number): string => {
    const at = value.lastIndexOf('@');
    const tag = attempt === 1 ? `+${id}` : `+${id}-${attempt}`;
    const alt = at > 0 ? `${value.slice(0, at)}${tag}${value.slice(at)}` : placeholderEmail(id, attempt);
    return alt.length <= max ? alt : placeholderEmail(id, attempt);
  };
}

/** for an account with no usable address: the reserved `.invalid` domain can never be delivered */
export function placeholderEmail(id: number, attempt = 1): string {
  return attempt <= 1 ? `user${id}@import.invalid` : `user${id}-${attempt}@import.invalid`;
}
