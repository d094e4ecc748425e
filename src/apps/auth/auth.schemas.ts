import { z } from 'zod';
import { MAX_PASSWORD_LENGTH } from '../../core/identity/password.js';
import { text } from '../../core/http/schemas.js';
import { usernameField } from '../../core/identity/username.js';

// Passwords are never trimmed (the original trimmed them silently, docs/apps/auth.md §9.7); 8 characters is the
// floor, the README example "12341234" included.
const password = z.string().min(8).max(MAX_PASSWORD_LENGTH);

// one username rule for every app (core/identity/username.ts, issue 15 #5)
export const signupBody = z.object({ username: usernameField(150), password, nickname: text(128) });
export const signupReply = z.object({ username: z.string(), nickname: z.string() });

export const loginBody = z.object({ username: text(150), password: z.string().min(1).max(MAX_PASSWORD_LENGTH) });
export const tokenPairReply = z.object({ token: z.string(), refresh: z.string() });

export const verifyBody = z.object({ token: z.string().max(4096).nullish() }).nullish();
export const messageReply = z.object({ message: z.string() });

export const refreshBody = z
  .object({ refresh: z.string().max(4096).optional(), refresh_token: z.string().max(4096).optional() })
  .nullish();

export const meReply = z.object({
  id: z.number().int(),
  username: z.string(),
  nickname: z.string(),
  created_at: z.string(),
  last_login: z.string().nullable(),
});
