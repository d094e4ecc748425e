import { z } from 'zod';
import { MAX_PASSWORD_LENGTH } from '../../core/identity/password.js';

const str = (max: number) => z.string().max(max);

export const duplicateQuery = z.object({ case: str(20), value: str(200) });
export const duplicateReply = z.object({ result: z.boolean() });

export const signupBody = z.object({
  username: str(100),
  password: str(MAX_PASSWORD_LENGTH),
  email: str(300),
  alias: str(100),
  passwordConfirm: str(MAX_PASSWORD_LENGTH).optional(),
});
export const signupReply = z.object({ username: z.string(), alias: z.string(), uuid: z.string() });

export const authBody = z
  .object({
    username: str(100).optional(),
    password: str(MAX_PASSWORD_LENGTH).optional(),
    refresh_token: str(4096).optional(),
  })
  .nullish();
export const authReply = z.object({
  access_token: z.string(),
  refresh_token: z.string(),
  uuid: z.string(),
  alias: z.string().optional(),
});

export const userParams = z.object({ user_id: str(64) });
export const v1UserParams = z.object({ uuid: str(64) });
export const taskParams = z.object({ user_id: str(64), task_id: str(64) });
export const v1TaskParams = z.object({ uuid: str(64), task_id: str(64) });
export const pageParams = z.object({ user_id: str(64), page_number: str(20) });
export const periodParams = z.object({ user_id: str(64), from_date: str(20), to_date: str(20) });
export const nameParams = z.object({ name: str(20) });
export const fileParams = z.object({ file: str(40) });
export const picParams = z.object({ picuuid: str(64) });
export const wsParams = z.object({ task_id: str(64) });
export const dateQuery = z.object({ date: str(20).optional() });

export const uploadReply = z.object({ task_id: z.string(), picuuid: z.string() });
/** notyet | the result | failed: one object whose keys depend on the state (docs/apps/zodiac.md §7) */
export const pollReply = z.looseObject({ ai_result: z.string().optional(), status: z.string() });

const fortune = z.object({
  date: z.string(),
  name: z.string(),
  name_ko: z.string(),
  luck: z.number(),
  lines: z.object({ total: z.string(), wealth: z.string(), health: z.string(), love: z.string() }),
  text: z.string(),
});
export const fortuneReply = fortune;
export const fortunesReply = z.array(fortune);
export const animalsReply = z.array(
  z.object({
    id: z.number(),
    name: z.string(),
    name_ko: z.string(),
    element: z.string(),
    description: z.string(),
    fortune: z.string(),
    great_url: z.string(),
    today: fortune,
  }),
);

export const rankReply = z.array(
  z.object({ rank: z.number(), place: z.number(), alias: z.string(), name: z.string(), name_ko: z.string(), similarity: z.number(), created_at: z.string() }),
);
export const countsReply = z.array(z.object({ kind: z.string(), name_ko: z.string(), cnt: z.number() }));
export const challengesReply = z.array(z.object({ id: z.number(), content: z.string() }));
export const userChallengesReply = z.array(z.object({ challenge_id: z.number(), content: z.string(), created_at: z.string() }));
const ranked = z.object({ rank: z.number(), name: z.string(), name_ko: z.string(), similarity: z.number() });
export const historyReply = z.array(
  z.object({
    id: z.number(),
    picuuid: z.string(),
    picture_url: z.string(),
    thumbnail_url: z.string(),
    created_at: z.string(),
    status: z.string(),
    results: z.array(ranked),
  }),
);
export const mypageReply = z.array(
  z.object({
    id: z.number(),
    similarity: z.number(),
    rank: z.number(),
    created_at: z.string(),
    picture_id: z.object({ id: z.number(), picture_url: z.string(), user_id: z.string() }),
    great_id: z.object({ name: z.string(), name_ko: z.string(), description: z.string(), great_url: z.string() }),
  }),
);
