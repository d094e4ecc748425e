import { z } from 'zod';
import { intField } from '../mealbuddy.common.js';

export const roomParams = z.object({ id: intField().pipe(z.number().min(1).max(Number.MAX_SAFE_INTEGER)) });

export const historyQuery = z.object({
  before: intField().pipe(z.number().min(1).max(Number.MAX_SAFE_INTEGER)).optional(),
  limit: intField().pipe(z.number().min(1).max(200)).optional(),
});

export const banBody = z.object({ target_user_id: intField().pipe(z.number().min(1).max(Number.MAX_SAFE_INTEGER)) });

const brief = z.object({ id: z.number().int(), username: z.string(), email: z.string() });

export const messageJson = z.object({
  id: z.number().int(),
  user: brief.nullable(),
  message: z.string(),
  created_at: z.string(),
  chatroom: z.number().int(),
});

export const roomPayload = z.object({
  messages: z.array(messageJson),
  title: z.string(),
  target_number: z.number().int(),
  join_number: z.number().int(),
  writer: brief,
  has_more: z.boolean(),
  next_before: z.number().int().nullable(),
});

export const membersReply = z.array(z.object({ user: brief }));
export const stringReply = z.string();
