import { z } from 'zod';
import { text } from '../../../core/http/schemas.js';
import { replySerializer } from '../../../core/http/serializer.js';
import { boolField, intField } from '../mealbuddy.common.js';

/** the 14 categories verbatim, in the original's order; `페스트푸드` is really spelled so (docs/apps/mealbuddy.md §2.2) */
export const CATEGORIES = [
  '족발,보쌈',
  '찜,탕,찌개',
  '돈까스,회,일식',
  '피자',
  '고기구이',
  '양식',
  '치킨',
  '중식',
  '아시안',
  '백반,죽,국수',
  '도시락',
  '분식',
  '카페,디저트',
  '페스트푸드',
] as const;

const category = z.enum(CATEGORIES);
const targetNumber = intField().pipe(z.number().min(2).max(10));

// join_number, is_compelete (on write), writer, address and ids are server-managed: unknown keys
// are dropped (the original stored a client-sent join_number, §11.2).
export const writeBody = z.object({
  title: text(30),
  category: category.default('치킨'),
  content: text(20_000),
  target_number: targetNumber,
});

export const editBody = z.object({
  title: text(30).optional(),
  category: category.optional(),
  content: text(20_000).optional(),
  target_number: targetNumber.optional(),
  is_compelete: boolField().optional(),
});

export const listQuery = z.object({
  page: z.string().max(40).optional(),
  category: z.string().max(30).optional(),
  address: z.string().max(200).optional(),
});

export const idParams = z.object({ id: intField().pipe(z.number().min(1).max(Number.MAX_SAFE_INTEGER)) });

export const postJson = z.object({
  id: z.number().int(),
  writer: z.object({ id: z.number().int(), username: z.string(), email: z.string() }),
  address: z.string(),
  title: z.string(),
  category: z.string(),
  content: z.string(),
  created_at: z.string(),
  is_compelete: z.boolean(),
  target_number: z.number().int(),
  join_number: z.number().int(),
  chat_id: z.number().int().nullable(),
});
export const postWithJoined = postJson.extend({ is_joined: z.boolean() });

export const listReply = z.object({
  posts: z.array(postJson),
  paginator: z.object({
    page_range: z.array(z.number().int()),
    current_page: z.number().int(),
    prev_button: z.number().int().nullable(),
    next_button: z.number().int().nullable(),
  }),
});

// The list and detail answer with ready-made bytes from mealbuddy's caches: these are written by
// the same serialiser as the routes that declare these schemas, so a cached reply is cut to the
// schema like any other.
export const writeListReply = replySerializer(listReply);
export const writePostWithJoined = replySerializer(postWithJoined);
