// JWT HS256 issue/verify. Every token names its app in `aud`, its family in `sid`, its kind in
// `token_type`; claims follow simplejwt's shape ({token_type, exp, iat, jti, user_id}) which the
// originals' clients decode.
import { createHmac, createSecretKey, type KeyObject, randomUUID } from 'node:crypto';
import { createVerifier, TokenError } from 'fast-jwt';
import { AppError } from '../errors.js';

export type TokenType = 'access' | 'refresh';

export interface TokenClaims {
  token_type: TokenType;
  exp: number;
  iat: number;
  jti: string;
  user_id: number;
  sid: string;
  aud: string;
  [extra: string]: unknown;
}

/** verified tokens remembered per app; a hit skips the HMAC and the JSON parse */
const VERIFIED_MAX = 10_000;

export class TokenCodec {
  private readonly verifiers = new Map<string, (t: string) => TokenClaims>();
  // Keyed by the whole compact token (its signature included), so a hit is a string this process
  // already verified with the same secret; expiry is still checked on every use. (fast-jwt's own
  // cache hashes each token with SHA-256 to make its key, which cost as much as the HMAC it saved.)
  private readonly verified = new Map<string, Map<string, { token: string; claims: TokenClaims }>>();

  /** the secret as a key object: an HMAC keyed with one skips copying the key in every time */
  private readonly key: KeyObject;

  constructor(private readonly secret: string) {
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  /** HS256 compact JWS with the claims exactly as given (order kept, no added timestamps). */
  private sign(claims: TokenClaims): string {
    const signed = `${HEAD}.${b64url(JSON.stringify(claims))}`;
    return `${signed}.${createHmac('sha256', this.key).update(signed).digest('base64url')}`;
  }

  issue(app: string, type: TokenType, userId: number, sid: string, ttlSeconds: number, extra: Record<string, unknown> = {}) {
    const iat = Math.floor(Date.now() / 1000);
    const jti = randomUUID().replaceAll('-', '');
    const claims: TokenClaims = { token_type: type, exp: iat + ttlSeconds, iat, jti, user_id: userId, sid, aud: app, ...extra };
    return { token: this.sign(claims), claims };
  }

  /** Verifies signature, algorithm, audience and expiry; throws 401 AppErrors. */
  verify(app: string, token: string, type: TokenType): TokenClaims {
    if (!token) throw new AppError('TOKEN_NOT_FOUND', 401);
    if (token.length > 4096) throw new AppError('INVALID_TOKEN', 401);
    let seen = this.verified.get(app);
    // keyed by the signature (43 characters: hashing the whole ~330-character token as a map key
    // was a tenth of a cached read's own work), the whole token compared on a hit
    const sig = token.slice(token.lastIndexOf('.') + 1);
    const entry = seen?.get(sig);
    const hit = entry?.token === token ? entry.claims : undefined;
    if (hit) {
      if (hit.exp * 1000 <= Date.now()) throw new AppError('TOKEN_EXPIRED', 401);
      if (hit.token_type !== type) throw new AppError('INVALID_TOKEN', 401);
      return hit;
    }
    let verifier = this.verifiers.get(app);
    if (!verifier) {
      verifier = createVerifier({ key: this.secret, algorithms: ['HS256'], allowedAud: app, cache: false }) as (t: string) => TokenClaims;
      this.verifiers.set(app, verifier);
    }
    let claims: TokenClaims;
    try {
      claims = verifier(token);
    } catch (err) {
      if (err instanceof TokenError && err.code === TokenError.codes.expired) throw new AppError('TOKEN_EXPIRED', 401);
      throw new AppError('INVALID_TOKEN', 401);
    }
    if (
      claims.token_type !== type ||
      typeof claims.user_id !== 'number' ||
      !Number.isSafeInteger(claims.user_id) ||
      typeof claims.sid !== 'string' ||
      typeof claims.iat !== 'number' ||
      typeof claims.exp !== 'number'
    ) {
      throw new AppError('INVALID_TOKEN', 401);
    }
    if (!seen) this.verified.set(app, (seen = new Map()));
    if (seen.size >= VERIFIED_MAX) seen.delete(seen.keys().next().value!);
    seen.set(sig, { token, claims: Object.freeze(claims) });
    return claims;
  }
}

const HEAD = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

function b64url(s: string): string {
  return Buffer.from(s).toString('base64url');
}

/**
 * Reads a token from an Authorization header. Accepted: `Bearer <t>` (RFC 6750), `Token <t>`
 * (DRF token clients), `JWT <t>`, and a raw `<t>` (clients that send the bare token).
 */
export function tokenFromHeader(header: string | undefined): string {
  if (!header) return '';
  const h = header.trim();
  // the usual `Token <t>` / `Bearer <t>` without a regular expression (every authenticated request)
  const space = h.indexOf(' ');
  if (space > 0 && SCHEMES.has(h.slice(0, space).toLowerCase())) return h.slice(space + 1).trim();
  const m = /^(Bearer|Token|JWT)\s+(.+)$/i.exec(h);
  if (m) return (m[2] ?? '').trim();
  if (/^(Bearer|Token|JWT)$/i.test(h)) return '';
  return h;
}

const SCHEMES = new Set(['bearer', 'token', 'jwt']);
