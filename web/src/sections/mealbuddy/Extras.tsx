// The weather card and the menu recommendation chat. An answer's numbered lines ("1. 김치찌개
// (찜,탕,찌개) - 이유") are shown as a list: the menu, its category and its reason.
import { useState } from 'react';
import { api, call } from '../../api/client';
import { ApiError } from '../../api/errors';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { useAction, useLoad } from '../../components/hooks';
import { useT } from '../../i18n';
import { mbText } from './text';
import { WeatherCard } from './Weather';

const ITEM = /^\s*(\d+)[.)]\s+(.*)$/;
const PARTS = /^(.+?)\s+\(([^)]+)\)\s+-\s+(.+)$/;

/** an answer: its plain lines as paragraphs, its numbered lines as one list */
export function MenuAnswer({ text, latest }: { text: string; latest: boolean }) {
  const lines = text.split('\n').filter((l) => l.trim());
  const items = lines.filter((l) => ITEM.test(l)).map((l) => ITEM.exec(l)![2]!);
  const prose = lines.filter((l) => !ITEM.test(l));
  return (
    <div className="menu-answer">
      {prose.map((p, i) => (
        <p key={i}>{p}</p>
      ))}
      {items.length > 0 && (
        <ol className="menu-list" data-testid={latest ? 'menu-list' : undefined}>
          {items.map((item, i) => {
            const m = PARTS.exec(item);
            return (
              <li key={i}>
                {m ? (
                  <>
                    <strong>{m[1]}</strong> <span className="badge">{m[2]}</span>
                    <span className="reason">{m[3]}</span>
                  </>
                ) : (
                  item
                )}
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}

export function Extras() {
  const t = useT(mbText);
  const history = useLoad(async () => {
    try {
      const r = await call(api.GET('/mealbuddy/api/openAPI/foodchoicer/', { params: { query: {} } }));
      return typeof r === 'string' ? [{ role: 'assistant' as const, content: r }] : r;
    } catch (err) {
      // no conversation yet is a 404 here; the card simply starts empty
      if (err instanceof ApiError && err.status === 404) return [];
      throw err;
    }
  }, []);
  const [message, setMessage] = useState('');
  const ask = useAction(async (text: string) => {
    history.set(await call(api.POST('/mealbuddy/api/openAPI/foodchoicer/', { body: { message: text } })));
    setMessage('');
  });
  const turns = history.data ?? [];
  const lastAnswer = turns.map((x) => x.role).lastIndexOf('assistant');
  return (
    <div className="panels">
      <WeatherCard />
      <section className="panel" aria-labelledby="mb-menu-title" data-testid="menu">
        <h2 id="mb-menu-title">{t('menu')}</h2>
        <ErrorMessage error={history.error ?? ask.error} />
        <ol className="turns">
          {turns.map((turn, i) => (
            <li key={i} className={turn.role}>
              <strong>{turn.role === 'user' ? t('me') : t('ai')}</strong>
              {turn.role === 'user' ? <p>{turn.content}</p> : <MenuAnswer text={turn.content} latest={i === lastAnswer} />}
            </li>
          ))}
        </ol>
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            if (message.trim()) void ask.run(message.trim());
          }}
        >
          <Field label={t('ask')} name="message" value={message} maxLength={500} hint={t('askHint')} onChange={(e) => setMessage(e.target.value)} error={ask.error} />
          <div className="actions">
            <button type="submit" disabled={ask.pending}>
              {t('askSend')}
            </button>
          </div>
        </form>
      </section>
    </div>
  );
}
