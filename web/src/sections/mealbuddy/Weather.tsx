// The weather card for the member's stored location. A member without one (signed up with an
// address only) picks a city or uses the browser's location, which is stored with the profile
// update, and the card loads; "위치 바꾸기" changes it later.
import { useState } from 'react';
import { api, call } from '../../api/client';
import { ApiError } from '../../api/errors';
import { tokens } from '../../api/tokens';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Select } from '../../components/Field';
import { useAction, useLoad } from '../../components/hooks';
import { useT } from '../../i18n';
import { mbText } from './text';

// city halls, to six decimals; enough for a 5 km weather cell
const CITIES: Array<[string, number, number]> = [
  ['서울', 37.5665, 126.978],
  ['부산', 35.1796, 129.0756],
  ['대구', 35.8714, 128.6014],
  ['인천', 37.4563, 126.7052],
  ['광주', 35.1595, 126.8526],
  ['대전', 36.3504, 127.3845],
  ['울산', 35.5384, 129.3114],
  ['세종', 36.48, 127.289],
  ['수원', 37.2636, 127.0286],
  ['춘천', 37.8813, 127.7298],
  ['청주', 36.6424, 127.489],
  ['전주', 35.8242, 127.148],
  ['포항', 36.019, 129.3435],
  ['창원', 35.228, 128.6811],
  ['제주', 33.4996, 126.5312],
];

export function WeatherCard() {
  const t = useT(mbText);
  const weather = useLoad(() => call(api.GET('/mealbuddy/api/openAPI/weather/', { params: { query: {} } })), []);
  const missing = weather.error instanceof ApiError && weather.error.code === 'LOCATION_REQUIRED';
  return (
    <section className="panel" aria-labelledby="mb-weather-title" data-testid="weather">
      <h2 id="mb-weather-title">{t('weather')}</h2>
      {missing ? (
        <>
          <p className="muted">{t('noStoredLocation')}</p>
          <LocationForm onSaved={weather.reload} />
        </>
      ) : (
        <ErrorMessage error={weather.error} />
      )}
      {weather.data && (
        <>
          <dl className="facts">
            {Object.entries(weather.data).map(([k, v]) => (
              <div key={k} style={{ display: 'contents' }}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
          <details>
            <summary>{t('changeLocation')}</summary>
            <LocationForm onSaved={weather.reload} />
          </details>
        </>
      )}
    </section>
  );
}

function LocationForm({ onSaved }: { onSaved: () => void }) {
  const t = useT(mbText);
  const [status, setStatus] = useState('');
  const save = useAction(async (lat: number, lon: number) => {
    const u = await call(api.POST('/mealbuddy/api/user/update/', { body: { lat, lon } }));
    const prev = tokens.get('mealbuddy');
    tokens.set('mealbuddy', { ...prev, access: u.token, user: { ...prev?.user, id: u.id, username: u.username, address: u.address } });
    onSaved();
  });
  const locate = () => {
    if (!navigator.geolocation) return setStatus(t('locateFailed'));
    navigator.geolocation.getCurrentPosition(
      (p) => void save.run(Math.round(p.coords.latitude * 1e6) / 1e6, Math.round(p.coords.longitude * 1e6) / 1e6),
      () => setStatus(t('locateFailed')),
      { timeout: 10_000 },
    );
  };
  return (
    <form
      className="location-form"
      aria-label={t('setLocation')}
      onSubmit={(e) => {
        e.preventDefault();
        const city = CITIES.find(([name]) => name === new FormData(e.currentTarget).get('city'));
        if (city) void save.run(city[1], city[2]);
      }}
    >
      <ErrorMessage error={save.error} />
      <Select label={t('city')} name="city" defaultValue="서울" error={save.error} errorFor={['lat', 'lon']}>
        {CITIES.map(([name]) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </Select>
      <div className="actions">
        <button type="submit" disabled={save.pending}>
          {t('saveLocation')}
        </button>
        <button type="button" className="secondary" onClick={locate} disabled={save.pending}>
          {t('useLocation')}
        </button>
      </div>
      {status && (
        <p role="status" className="muted">
          {status}
        </p>
      )}
    </form>
  );
}
