import { z } from 'zod';
import { MAX_PASSWORD_LENGTH } from '../../core/identity/password.js';
import { EMOTIONS } from './expressions.js';

const str = (max: number) => z.string().max(max);
const idParam = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const duplicateQuery = z.object({ case: str(20), value: str(200) });
export const duplicateReply = z.object({ result: z.boolean() });

export const signupBody = z.object({
  email: str(300),
  password: str(MAX_PASSWORD_LENGTH),
  alias: str(100),
  password_confirm: str(MAX_PASSWORD_LENGTH).optional(),
  password2: str(MAX_PASSWORD_LENGTH).optional(),
});
export const signupReply = z.object({ id: z.number(), email: z.string(), alias: z.string() });

export const loginBody = z.object({ email: z.string().trim().min(1).max(300), password: z.string().min(1).max(MAX_PASSWORD_LENGTH) });
export const tokenReply = z.object({
  access_token: z.string(),
  refresh_token: z.string(),
  token_type: z.string(),
  expires_in: z.number(),
});
export const refreshBody = z.object({ refresh_token: str(4096).optional(), refresh: str(4096).optional() }).nullish();
export const whoamiReply = z.object({ id: z.number(), alias: z.string(), exp: z.number() });

export const userIdQuery = z.object({ user_id: str(40).optional() });
export const mypageQuery = z.object({ case: z.enum(['1', '2', 'result', 'upload']), page: str(12).optional(), user_id: str(40).optional() });
export const mypageParams = z.object({ case: z.enum(['1', '2', 'result', 'upload']) });
export const pageQuery = z.object({ page: str(12).optional(), user_id: str(40).optional() });

export const emojiJson = z.looseObject({
  id: z.number(),
  user_id: z.number().nullable(),
  name: z.string(),
  alias: z.string(),
  image: z.array(z.string()),
  builtin: z.boolean(),
  credit: z.string().nullable(),
});
export const emojiPage = z.array(emojiJson.extend({ count: z.number(), total: z.number() }));
export const emojiParams = z.object({ id: idParam });
export const pageParams = z.object({ page: str(12) });
export const pictureParams = z.object({ id: idParam, emotion: str(20) });
export const deletedReply = z.object({ id: z.number(), active: z.literal(false) });

export const rankEntry = z.object({
  id: z.number(),
  name: z.string(),
  user: z.string(),
  image: z.string(),
  cnt: z.number(),
  builtin: z.boolean(),
  credit: z.string().nullable(),
});
export const rankReply = z.array(rankEntry);

export const taskReply = z.object({ task_id: z.string() });
export const taskQuery = z.object({ task_id: str(64), user_id: str(40).optional() });
export const taskParams = z.object({ task_id: str(64) });
export const pollReply = z.looseObject({ ai_result: z.enum(['notyet', 'done', 'false']), status: z.string(), task_id: z.string() });
export const resultImageParams = z.object({ uuid: str(64) });
export const downloadQuery = z.object({ download: str(8).optional() });
export const mypageReply = z.array(z.looseObject({ id: z.number(), name: z.string(), alias: z.string(), total: z.number() }));

/** PUT /api/v1/faces/results/tasks/:task_id/faces/:n — the owner picks the expression of faces[n] */
export const faceChoiceParams = z.object({ task_id: str(40), n: z.coerce.number().int().min(0).max(999) });
export const faceChoiceBody = z.object({ expression: z.enum(EMOTIONS) });
