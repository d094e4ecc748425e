import { z } from 'zod';
import { text } from '../../../core/http/schemas.js';
import { usernameField } from '../../../core/identity/username.js';
import { latField, lonField } from '../mealbuddy.common.js';
import { PASSWORD_MAX, PASSWORD_MIN } from './password-policy.js';

const email = z.string().trim().max(254).pipe(z.email({ error: 'INVALID_EMAIL' }));
const password = z.string().min(PASSWORD_MIN).max(PASSWORD_MAX);

export const registerBody = z.object({
  email,
  username: usernameField(255), // one rule for every app (core/identity/username.ts)
  password,
  password2: password,
  address: text(200),
  lat: latField().optional(),
  lon: lonField().optional(),
});

export const loginBody = z.object({ email, password: z.string().min(1).max(PASSWORD_MAX) });

// email and password are named so that a client trying to change them hears "not here" instead
// of being silently ignored (the original changed them without the current password, docs/apps/mealbuddy.md §11.5).
export const updateBody = z.object({
  username: usernameField(255).optional(),
  address: text(200).optional(),
  lat: latField().nullable().optional(),
  lon: lonField().nullable().optional(),
  email: z.unknown().optional(),
  password: z.unknown().optional(),
});

export const changePasswordBody = z.object({
  current_password: z.string().min(1).max(PASSWORD_MAX),
  new_password1: z.string().min(1).max(PASSWORD_MAX),
  new_password2: z.string().min(1).max(PASSWORD_MAX),
});

export const deleteBody = z.object({ password: z.string().max(PASSWORD_MAX).optional() }).nullish();

export const userWithToken = z.object({
  email: z.string(),
  username: z.string(),
  address: z.string(),
  token: z.string(),
  id: z.number().int(),
});
export const wrappedUser = z.object({ user: userWithToken });
export const messageReply = z.object({ message: z.string() });
