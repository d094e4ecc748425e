import { afterEach, describe, expect, it, vi } from 'vitest';
import { TokenCodec, tokenFromHeader } from './tokens.js';

const SECRET = 'x'.repeat(48);
const code = (fn: () => unknown) => {
  try {
    fn();
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code;
  }
};

afterEach(() => {
  vi.useRealTimers();
});

describe('TokenCodec', () => {
  it('verifies its own tokens, again from memory, and still expires them', () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const codec = new TokenCodec(SECRET);
    const { token } = codec.issue('auth', 'access', 7, 'sid-1', 60);
    expect(codec.verify('auth', token, 'access').user_id).toBe(7);
    expect(codec.verify('auth', token, 'access').sid).toBe('sid-1'); // remembered
    vi.setSystemTime(new Date('2026-01-01T00:01:01Z'));
    expect(code(() => codec.verify('auth', token, 'access'))).toBe('TOKEN_EXPIRED');
    expect(code(() => new TokenCodec(SECRET).verify('auth', token, 'access'))).toBe('TOKEN_EXPIRED');
  });

  it('a remembered token is still checked for its kind and its app', () => {
    const codec = new TokenCodec(SECRET);
    const { token } = codec.issue('auth', 'refresh', 1, 's', 60);
    expect(codec.verify('auth', token, 'refresh').token_type).toBe('refresh');
    expect(code(() => codec.verify('auth', token, 'access'))).toBe('INVALID_TOKEN');
    expect(code(() => codec.verify('zodiac', token, 'refresh'))).toBe('INVALID_TOKEN');
  });

  it('refuses another key, a changed payload and a cut signature', () => {
    const codec = new TokenCodec(SECRET);
    const { token } = codec.issue('auth', 'access', 1, 's', 60);
    codec.verify('auth', token, 'access');
    expect(code(() => new TokenCodec('y'.repeat(48)).verify('auth', token, 'access'))).toBe('INVALID_TOKEN');
    const [h, , sig] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ token_type: 'access', exp: 9e9, iat: 1, jti: 'j', user_id: 2, sid: 's', aud: 'auth' })).toString('base64url')}.${sig}`;
    expect(code(() => codec.verify('auth', forged, 'access'))).toBe('INVALID_TOKEN');
    expect(code(() => codec.verify('auth', token.slice(0, -2), 'access'))).toBe('INVALID_TOKEN');
  });

  it('claims handed out cannot be changed to poison the memory', () => {
    const codec = new TokenCodec(SECRET);
    const { token } = codec.issue('auth', 'access', 1, 's', 60);
    codec.verify('auth', token, 'access');
    const again = codec.verify('auth', token, 'access');
    expect(() => {
      (again as { user_id: number }).user_id = 2;
    }).toThrow();
  });
});

describe('tokenFromHeader', () => {
  it('reads Bearer, Token and JWT in any case, with any spacing, and a bare token', () => {
    for (const h of ['Bearer abc', 'Token abc', 'JWT abc', 'bearer abc', 'TOKEN   abc ', '  Token abc', 'Token\tabc', 'abc']) expect(tokenFromHeader(h), h).toBe('abc');
    for (const h of [undefined, '', 'Bearer', 'Token ', '  JWT  ']) expect(tokenFromHeader(h), String(h)).toBe('');
    expect(tokenFromHeader('Basic abc')).toBe('Basic abc');
  });
});
