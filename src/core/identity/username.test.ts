import { describe, expect, it } from 'vitest';
import { LOOK_ALIKES } from '../../../test/security/look-alikes.js';
import { isAcceptableUsername, normalizeUsername } from './username.js';

const ok = (raw: string) => isAcceptableUsername(normalizeUsername(raw));


describe('the core username rule (issue 15 #5)', () => {
  it('refuses every invisible, reordering or decorating look-alike', () => {
    for (const [what, name] of Object.entries(LOOK_ALIKES)) expect(ok(name), what).toBe(false);
  });

  it('keeps real names: Latin, Hangul, one inner space, scripts that need marks, NFKC forms', () => {
    for (const name of ['alice', 'JIN HO', '김진호', 'user.name+tag@x', 'Zoë', 'José', 'Ελένη', 'Дмитрий', 'नमस्ते', 'สมชาย', '田中', 'user_01']) {
      expect(ok(name), name).toBe(true);
    }
    // compatibility forms fold into the plain letters, so they are the same account, not a look-alike
    expect(normalizeUsername('ａｌｉｃｅ')).toBe('alice');
    expect(normalizeUsername('Jose\u0301')).toBe('José');
    expect(normalizeUsername('  alice  ')).toBe('alice');
    expect(ok('   ')).toBe(false);
  });
});
