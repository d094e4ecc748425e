// WebSocket frames of docs/apps/mealbuddy.md §7 and the JSON of a chat message (§4.3, with "chatroom" as the
// room id instead of the nested room that leaked the blacklist, §11.9).
import type { RealtimeHub } from '../../../core/realtime/hub.js';
import { memberTopic, roomTopic, seoulIso } from '../mealbuddy.common.js';
import type { MessageRow } from './chat.repository.js';

export interface MessageJson {
  id: number;
  user: { id: number; username: string; email: string } | null;
  message: string;
  created_at: string;
  chatroom: number;
}

export function messageJson(m: MessageRow): MessageJson {
  return {
    id: m.id,
    // messages go to every member: no e-mail in them (issue 15 #4; the front end reads username)
    user: m.userId === null ? null : { id: m.userId, username: m.username ?? '', email: '' },
    message: m.message,
    created_at: seoulIso(m.createdAt),
    chatroom: m.roomId,
  };
}

export const joinText = (username: string) => `${username} 님이 입장했습니다.`;
export const leaveText = (username: string) => `${username} 님이 퇴장했습니다.`;

/** close code for a socket whose user left or was banned while connected (§11.3) */
export const CLOSE_REMOVED = 4403;
export const CLOSE_ROOM_DELETED = 4040;

export class ChatEvents {
  constructor(private readonly hub: RealtimeHub) {}

  joined(roomId: number, userId: number, notice: MessageRow): Promise<void> {
    return this.hub.publish(roomTopic(roomId), { type: 'chat.user.join', user_id: userId, message: messageJson(notice) });
  }

  /** the leave frame first (the front end leaves the page on its own user_id), then the close */
  async left(roomId: number, userId: number, notice: MessageRow): Promise<void> {
    await this.hub.publish(roomTopic(roomId), { type: 'chat.user.leave', user_id: userId, message: messageJson(notice) });
    await this.hub.closeTopic(memberTopic(roomId, userId), CLOSE_REMOVED, 'removed from the room');
  }

  message(roomId: number, m: MessageRow): Promise<void> {
    return this.hub.publish(roomTopic(roomId), { type: 'chat.message', message: messageJson(m) });
  }

  roomGone(roomId: number): Promise<void> {
    return this.hub.closeTopic(roomTopic(roomId), CLOSE_ROOM_DELETED, 'room deleted');
  }
}
