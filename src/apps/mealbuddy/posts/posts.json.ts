// The post object of docs/apps/mealbuddy.md §4.2 (the original's key order) from a row. A client
// never receives it as it is: every reply passes its route's response schema (posts.schemas.ts),
// cached or not.
import { seoulIso } from '../mealbuddy.common.js';
import type { PostRow } from './posts.repository.js';

/** `withEmail`: the writer's e-mail, for the writer and staff only (issue 15 #4); others get "" */
export function postJson(p: PostRow, withEmail = false) {
  return {
    id: p.id,
    writer: { id: p.writerId, username: p.writerUsername, email: withEmail ? p.writerEmail : '' },
    address: p.address,
    title: p.title,
    category: p.category,
    content: p.content,
    created_at: seoulIso(p.createdAt),
    is_compelete: p.isCompelete,
    target_number: p.targetNumber,
    join_number: p.joinNumber,
    chat_id: p.chatId,
  };
}
