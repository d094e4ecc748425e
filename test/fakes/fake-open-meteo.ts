// A local stand-in for Open-Meteo's forecast API (/v1/forecast), so weather tests run offline. It
// records every request and answers according to `mode`: current conditions (`current`, settable),
// Open-Meteo's own error body (HTTP 400 {"error": true, "reason"}), HTTP 500, a body that is not
// JSON, a body without current conditions, or no answer at all.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type OpenMeteoMode = 'ok' | 'error' | 'http500' | 'not-json' | 'no-current' | 'hang';

export interface FakeOpenMeteo {
  /** the base URL, as OPEN_METEO_BASE_URL */
  url: string;
  requests: URL[];
  mode: OpenMeteoMode;
  current: Record<string, number>;
  close(): Promise<void>;
}

export const DEFAULT_CURRENT = {
  temperature_2m: 21.3,
  relative_humidity_2m: 60,
  precipitation: 0,
  rain: 0,
  showers: 0,
  snowfall: 0,
  weather_code: 3,
  cloud_cover: 72,
  wind_speed_10m: 3.1,
};

export async function startFakeOpenMeteo(): Promise<FakeOpenMeteo> {
  const sockets = new Set<Socket>();
  const fake: FakeOpenMeteo = { url: '', requests: [], mode: 'ok', current: { ...DEFAULT_CURRENT }, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    fake.requests.push(url);
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    switch (fake.mode) {
      case 'hang':
        return;
      case 'http500':
        res.writeHead(500).end('Internal Server Error');
        return;
      case 'error':
        json(400, { error: true, reason: 'Latitude must be in range of -90 to 90°. Given: 91.0.' });
        return;
      case 'not-json':
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
        return;
      case 'no-current':
        json(200, { latitude: Number(url.searchParams.get('latitude')), longitude: Number(url.searchParams.get('longitude')) });
        return;
      default: {
        const fields = (url.searchParams.get('current') ?? '').split(',');
        const current = Object.fromEntries(Object.entries(fake.current).filter(([k]) => fields.includes(k)));
        json(200, {
          latitude: Number(url.searchParams.get('latitude')),
          longitude: Number(url.searchParams.get('longitude')),
          timezone: url.searchParams.get('timezone') ?? 'GMT',
          current_units: { time: 'iso8601', interval: 'seconds', temperature_2m: '°C', wind_speed_10m: 'm/s' },
          current: { time: '2026-11-23T14:45', interval: 900, ...current },
        });
      }
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  fake.close = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return fake;
}
