// The weather card (KMA forecast for the member's grid) and the menu recommendation chat.
import { useState } from 'react';
import { api, call } from '../../api/client';
import { ApiError } from '../../api/errors';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { useAction, useLoad } from '../../components/hooks';
import { useT } from '../../i18n';
import { mbText } from './text';

export function Extras() {
  const t = useT(mbText);
  const weather = useLoad(() => call(api.GET('/mealbuddy/api/openAPI/weather/', { params: { query: {} } })), []);
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
  return (
    <div>
      <section className="panel" aria-labelledby="mb-weather-title" data-testid="weather">
        <h2 id="mb-weather-title">{t('weather')}</h2>
        <ErrorMessage error={weather.error} />
        {weather.data && (
          <dl className="facts">
            {Object.entries(weather.data).map(([k, v]) => (
              <div key={k} style={{ display: 'contents' }}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
        )}
      </section>
      <section className="panel" aria-labelledby="mb-menu-title" data-testid="menu">
        <h2 id="mb-menu-title">{t('menu')}</h2>
        <ErrorMessage error={history.error ?? ask.error} />
        <ol className="turns">
          {history.data?.map((turn, i) => (
            <li key={i} className={turn.role}>
              <strong>{turn.role === 'user' ? t('me') : t('ai')}:</strong> {turn.content}
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
          <Field label={t('ask')} name="message" value={message} maxLength={500} onChange={(e) => setMessage(e.target.value)} error={ask.error} />
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
