// The live chat room: history, members, messages over the WebSocket, join/leave notices, leave,
// ban (writer), and "방이 삭제되었습니다." when the server closes the room with 4040.
import { useEffect, useRef, useState } from 'react';
import { api, call } from '../../api/client';
import { tokens, useSession } from '../../api/tokens';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { useAction, useLoad } from '../../components/hooks';
import { useSocket } from '../../components/useSocket';
import { useT } from '../../i18n';
import { Link, navigate } from '../../router';
import { mbText } from './text';
import type { ChatMessage } from './types';

type Frame =
  | { type: 'chat.message'; message: ChatMessage }
  | { type: 'chat.user.join' | 'chat.user.leave'; user_id: number; message: ChatMessage }
  | { type: 'error'; error: { code: string; message: string } };

const byId = (id: number) => ({ params: { path: { id } } });
const CLOSED_FOR_GOOD = [4040, 4401, 4403, 4404];

export function ChatRoom({ id }: { id: number }) {
  const t = useT(mbText);
  const me = Number(useSession('mealbuddy')?.user?.id);
  const room = useLoad(() => call(api.GET('/mealbuddy/api/chat/{id}/', { params: { path: { id }, query: { limit: 100 } } })), [id]);
  const members = useLoad(() => call(api.GET('/mealbuddy/api/chat/{id}/user/', byId(id))), [id]);
  const [live, setLive] = useState<ChatMessage[]>([]);
  const [ended, setEnded] = useState('');
  const [frameError, setFrameError] = useState('');
  const [draft, setDraft] = useState('');
  const bottom = useRef<HTMLLIElement>(null);

  const socket = useSocket({
    url: () => {
      const s = tokens.get('mealbuddy');
      return s ? `/mealbuddy/ws/chat/${id}/?token=${encodeURIComponent(s.access)}` : null;
    },
    onMessage: (data) => {
      const f = data as Frame;
      if (f.type === 'error') return setFrameError(f.error.message);
      setLive((prev) => (prev.some((m) => m.id === f.message.id) ? prev : [...prev, f.message]));
      if (f.type === 'chat.user.leave' && f.user_id === me) setEnded(t('removed'));
      if (f.type !== 'chat.message') members.reload();
    },
    onClose: (ev) => {
      if (ev.code === 4040) setEnded(t('roomDeleted'));
      else if (ev.code === 4403) setEnded(t('removed'));
      return !CLOSED_FOR_GOOD.includes(ev.code);
    },
    deps: [id],
  });

  useEffect(() => {
    // newer browsers return a promise from scrollIntoView: it must not become the cleanup
    void bottom.current?.scrollIntoView?.({ block: 'nearest' });
  }, [live.length]);

  const leave = useAction(async () => {
    await call(api.DELETE('/mealbuddy/api/chat/{id}/user/', byId(id)));
    navigate('/mealbuddy');
  });
  const ban = useAction(async (userId: number) => {
    await call(api.POST('/mealbuddy/api/chat/{id}/user/ban/', { ...byId(id), body: { target_user_id: userId } }));
    members.reload();
  });

  const history = room.data?.messages ?? [];
  const seen = new Set(history.map((m) => m.id));
  const messages = [...history, ...live.filter((m) => !seen.has(m.id))];
  const writer = room.data?.writer.id;
  return (
    <section aria-labelledby="mb-chat-title">
      <p>
        <Link to="/mealbuddy">{t('back')}</Link>
      </p>
      <h2 id="mb-chat-title">
        {t('chat')}: {room.data?.title ?? ''}
      </h2>
      {ended && (
        <p className="error" role="alert" data-testid="chat-ended">
          {ended}
        </p>
      )}
      <ErrorMessage error={room.error ?? leave.error ?? ban.error} />
      <p className="muted" role="status" data-testid="chat-live" data-state={socket.state}>
        {t('live')}: {socket.state === 'open' ? t('liveOpen') : socket.state === 'connecting' ? t('liveConnecting') : t('liveClosed')}
      </p>
      <div className="grid2">
        <div className="panel">
          <ol className="messages" aria-live="polite" data-testid="messages">
            {messages.map((m) => (
              <li key={m.id} className={m.user ? (m.user.id === me ? 'mine' : '') : 'notice-line'}>
                {m.user && <strong>{m.user.username}: </strong>}
                {m.message}
              </li>
            ))}
            <li ref={bottom} aria-hidden="true" />
          </ol>
          {frameError && <p className="field-error">{frameError}</p>}
          <form
            className="stack"
            onSubmit={(e) => {
              e.preventDefault();
              if (draft.trim() && socket.send({ message: draft })) {
                setDraft('');
                setFrameError('');
              }
            }}
          >
            <Field label={t('messageLabel')} name="message" value={draft} maxLength={300} disabled={Boolean(ended)} onChange={(e) => setDraft(e.target.value)} />
            <div className="actions">
              <button type="submit" disabled={Boolean(ended) || socket.state !== 'open'}>
                {t('send')}
              </button>
              <button type="button" className="secondary" disabled={Boolean(ended) || leave.pending} onClick={() => void leave.run()}>
                {t('leave')}
              </button>
            </div>
          </form>
        </div>
        <div className="panel">
          <h3>{t('members')}</h3>
          <ul data-testid="members">
            {members.data?.map(({ user }) => (
              <li key={user.id}>
                {user.username}
                {user.id === writer && ` (${t('writer')})`}
                {me === writer && user.id !== me && (
                  <button type="button" className="secondary" onClick={() => void ban.run(user.id)}>
                    {t('ban')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}
