import { describe, expect, it } from 'vitest';
import { cleanName, emailAlternative, exact, lower, placeholderEmail, planUnique, suffixed } from '../names.js';
import { carryHash } from '../passwords.js';

describe('cleanName (the coming username rule: NFKC, no invisible or bidi characters)', () => {
  it('keeps a plain name, spaces inside included', () => {
    expect(cleanName('JIN HO', 150)).toEqual({ value: 'JIN HO' });
  });

  it('removes zero-width, bidi controls and Hangul fillers, and says so', () => {
    expect(cleanName('bob\u200b', 150)).toEqual({ value: 'bob', change: 'invisible' });
    expect(cleanName('\u202Eevil', 150)).toEqual({ value: 'evil', change: 'invisible' });
    expect(cleanName('홍\u3164길동', 150)).toEqual({ value: '홍길동', change: 'invisible' });
  });

  it('normalises to NFKC (full-width letters, decomposed Hangul)', () => {
    expect(cleanName('ｃａｒｏｌ', 150)).toEqual({ value: 'carol', change: 'normalised' });
    expect(cleanName('\u1100\u1161', 150)).toEqual({ value: '가', change: 'normalised' });
  });

  it('a name that is only invisible characters, or none, is empty', () => {
    expect(cleanName('\u200b\u200c', 150).change).toBe('empty');
    expect(cleanName(null, 150).change).toBe('empty');
  });

  it('cuts to the column length', () => {
    expect(cleanName('abcdef', 4).value).toBe('abcd');
  });
});

describe('planUnique', () => {
  it('the first entry keeps a contested value; later ones get the alternative, case-insensitively when asked', () => {
    const plan = planUnique(
      [
        { id: 1, value: 'Admin' },
        { id: 2, value: 'admin' },
        { id: 3, value: 'other' },
      ],
      lower,
      [],
      suffixed(150),
    );
    expect([...plan.values()]).toEqual([
      { value: 'Admin', renamed: false },
      { value: 'admin_2', renamed: true },
      { value: 'other', renamed: false },
    ]);
  });

  it('values already taken in the target count, and an alternative that is itself taken is tried again', () => {
    const plan = planUnique([{ id: 7, value: 'kim' }], exact, ['kim', 'kim_7'], suffixed(150));
    expect(plan.get(7)).toEqual({ value: 'kim_7_2', renamed: true });
  });

  it('suffixes fit the column', () => {
    expect(suffixed(10)('abcdefghij', 12345, 1)).toBe('abcd_12345');
  });

  it('e-mail alternatives are plus-addresses at the same mailbox, or a reserved .invalid address', () => {
    expect(emailAlternative(254)('Carol@Example.com', 6, 1)).toBe('Carol+6@Example.com');
    expect(emailAlternative(254)('not-an-address', 6, 1)).toBe(placeholderEmail(6));
    expect(emailAlternative(20)('someone-long@example.com', 6, 1)).toBe('user6@import.invalid');
  });
});

describe('carryHash', () => {
  it('keeps the hashes core verifies as they are', () => {
    for (const h of ['pbkdf2_sha256$870000$salt$abc=', '$2b$12$abcdefghijklmnopqrstuv', '$argon2id$v=19$m=19456,t=2,p=1$x$y']) {
      expect(carryHash(h)).toEqual({ hash: h });
    }
  });

  it("drops Django's argon2 and bcrypt prefixes", () => {
    expect(carryHash('argon2$argon2id$v=19$m=102400,t=2,p=8$c2FsdA$aGFzaA')).toMatchObject({ hash: '$argon2id$v=19$m=102400,t=2,p=8$c2FsdA$aGFzaA' });
    expect(carryHash('bcrypt$$2b$12$abcdefghijklmnopqrstuv')).toMatchObject({ hash: '$2b$12$abcdefghijklmnopqrstuv' });
  });

  it('says which hashes cannot log in', () => {
    expect(carryHash('!XyZ').unusable).toContain('no usable password');
    expect(carryHash('').unusable).toContain('no usable password');
    expect(carryHash('bcrypt_sha256$$2b$12$x').unusable).toContain('"bcrypt_sha256" cannot be verified');
    expect(carryHash('md5$salt$abc').unusable).toContain('"md5"');
  });
});
