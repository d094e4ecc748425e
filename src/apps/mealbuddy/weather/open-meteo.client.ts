// Open-Meteo's forecast API (no key): the default weather source, so weather works out of the box.
// Its current conditions are mapped onto KMA's categories and the original's Korean keys, in KMA's
// order, so a client cannot tell the sources apart (docs/apps/mealbuddy.md §8). The point is
// rounded to 0.05° (about KMA's 5 km grid) before it leaves the server: nearby users share one
// cached answer and the exact location is never sent to the third party.
import { WeatherUpstreamError, type Weather, type WeatherProvider } from './provider.js';

const CURRENT = ['temperature_2m', 'relative_humidity_2m', 'precipitation', 'rain', 'showers', 'snowfall', 'weather_code', 'cloud_cover', 'wind_speed_10m'];
const QUARTER_HOUR_MS = 15 * 60 * 1000;

export interface OpenMeteoCurrent {
  temperature_2m?: number;
  relative_humidity_2m?: number;
  precipitation?: number;
  rain?: number;
  showers?: number;
  snowfall?: number;
  weather_code?: number;
  cloud_cover?: number;
  wind_speed_10m?: number;
}

const round = (v: number) => Math.round(v * 20) / 20;
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export class OpenMeteoClient implements WeatherProvider {
  readonly name = 'open-meteo';
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 5000,
  ) {}

  cacheKey(lat: number, lon: number, now: Date): string {
    // Open-Meteo refreshes its current conditions every 15 minutes
    return `om:${round(lat).toFixed(2)},${round(lon).toFixed(2)},${Math.floor(now.getTime() / QUARTER_HOUR_MS)}`;
  }

  async current(lat: number, lon: number): Promise<Weather> {
    const params = new URLSearchParams({
      latitude: round(lat).toFixed(2),
      longitude: round(lon).toFixed(2),
      current: CURRENT.join(','),
      wind_speed_unit: 'ms',
      timezone: 'Asia/Seoul',
    });
    let body: unknown;
    try {
      const res = await fetch(`${this.baseUrl.replace(/\/$/, '')}/forecast?${params}`, { signal: AbortSignal.timeout(this.timeoutMs) });
      if (!res.ok) throw new WeatherUpstreamError(`HTTP ${res.status}`);
      body = JSON.parse(await res.text());
    } catch (err) {
      if (err instanceof WeatherUpstreamError) throw err;
      throw new WeatherUpstreamError(err instanceof Error ? err.message : String(err));
    }
    const current = (body as { current?: unknown } | null)?.current;
    if (typeof current !== 'object' || current === null || !num((current as OpenMeteoCurrent).temperature_2m)) {
      throw new WeatherUpstreamError('no current conditions');
    }
    return fromOpenMeteo(current as OpenMeteoCurrent);
  }
}

/** WMO weather code → KMA's precipitation type (PTY) */
function precipitationType(c: OpenMeteoCurrent): string {
  const code = c.weather_code ?? 0;
  const liquid = (c.rain ?? 0) + (c.showers ?? 0);
  if ((c.snowfall ?? 0) > 0 && liquid > 0) return '비/눈';
  if ((code >= 71 && code <= 77) || code === 85 || code === 86) return '눈';
  if (code >= 80 && code <= 82) return '소나기';
  if ((code >= 51 && code <= 67) || code >= 95) return '비';
  return '없음';
}

/** cloud cover → KMA's sky state (SKY: 맑음 0–5 tenths, 구름많음 6–8, 흐림 9–10) */
function sky(c: OpenMeteoCurrent): string {
  if (num(c.cloud_cover)) return c.cloud_cover <= 50 ? '맑음' : c.cloud_cover <= 80 ? '구름많음' : '흐림';
  const code = c.weather_code ?? 0;
  return code <= 1 ? '맑음' : code === 2 ? '구름많음' : '흐림';
}

/** KMA's precipitation amount wording (PCP) */
function amount(mm: number): string {
  if (mm <= 0) return '강수없음';
  if (mm < 1) return '1mm 미만';
  return `${mm.toFixed(1)}mm`;
}

/** the original's Korean keys, in the order KMA's items give them */
export function fromOpenMeteo(c: OpenMeteoCurrent): Weather {
  const out: Weather = {};
  if (num(c.temperature_2m)) out['기온'] = `${Math.round(c.temperature_2m)}℃`;
  if (num(c.wind_speed_10m)) out['풍속'] = `${c.wind_speed_10m.toFixed(1)}m/s`;
  out['날씨'] = sky(c);
  out['강수형태'] = precipitationType(c);
  out['강수량'] = amount(num(c.precipitation) ? c.precipitation : 0);
  if (num(c.relative_humidity_2m)) out['습도'] = `${Math.round(c.relative_humidity_2m)}%`;
  return out;
}
