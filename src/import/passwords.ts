// Password hashes are carried over as they are: core verifies Django's pbkdf2_sha256 and bcrypt
// ($2a/$2b/$2y) and re-hashes to argon2id at the first login. Django's argon2 hasher prefixes the
// standard PHC string with "argon2", and its bcrypt hasher the bcrypt hash with "bcrypt$": those
// prefixes are dropped so core reads them. Other Django hashers (bcrypt_sha256, scrypt, md5,
// sha1…) cannot be verified: those users must reset their password.

export interface CarriedHash {
  hash: string;
  repair?: string;
  /** the user cannot log in with this hash; said in the report */
  unusable?: string;
}

export function carryHash(raw: string | null): CarriedHash {
  const hash = (raw ?? '').trim();
  if (hash.startsWith('pbkdf2_sha256$') || /^\$2[aby]\$\d\d\$/.test(hash) || hash.startsWith('$argon2')) return { hash };
  if (/^argon2\$argon2(id|i|d)\$/.test(hash)) return { hash: hash.slice('argon2'.length), repair: 'Django argon2 hash put in its standard form' };
  if (/^bcrypt\$\$2[aby]\$\d\d\$/.test(hash)) return { hash: hash.slice('bcrypt$'.length), repair: 'Django bcrypt hash put in its standard form' };
  if (hash === '' || hash.startsWith('!')) return { hash: hash || '!', unusable: 'account had no usable password in the original (cannot log in)' };
  const algo = hash.includes('$') ? hash.slice(0, hash.indexOf('$')) : 'unknown';
  return { hash, unusable: `password hash "${algo.slice(0, 20)}" cannot be verified; the user must reset the password` };
}
