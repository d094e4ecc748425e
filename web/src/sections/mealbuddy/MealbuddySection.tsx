// mealbuddy: account, the board, posts, the chat room.
import { tokens, useSession } from '../../api/tokens';
import { useT } from '../../i18n';
import { match, useLocation } from '../../router';
import { NotFound } from '../../NotFound';
import { Account } from './Account';
import { BoardPage } from './Board';
import { ChatRoom } from './ChatRoom';
import { PostDetail, PostForm } from './Post';
import { mbText } from './text';
import { SessionBar } from '../../components/SectionNav';

function page(path: string) {
  if (path === '/mealbuddy') return <BoardPage />;
  if (path === '/mealbuddy/write') return <PostForm />;
  let m = match('/mealbuddy/posts/:id', path);
  if (m) return <PostDetail key={m.id} id={Number(m.id)} />;
  m = match('/mealbuddy/posts/:id/edit', path);
  if (m) return <PostForm key={m.id} id={Number(m.id)} />;
  m = match('/mealbuddy/chat/:id', path);
  if (m) return <ChatRoom key={m.id} id={Number(m.id)} />;
  return <NotFound />;
}

export default function MealbuddySection() {
  const t = useT(mbText);
  const session = useSession('mealbuddy');
  const { path } = useLocation();
  return (
    <section>
      <h1>{t('title')}</h1>
      <p className="lead">{t('intro')}</p>
      {!session ? (
        <Account />
      ) : (
        <>
          <SessionBar
            label={`${String(session.user?.username ?? '')} · ${String(session.user?.address ?? '')}`}
            logoutLabel={t('logout')}
            onLogout={() => tokens.set('mealbuddy', null)}
          />
          {page(path)}
        </>
      )}
    </section>
  );
}
