// Current weather for a point from the configured source (KMA or Open-Meteo), cached per the
// source's key (KMA: grid cell and forecast run) with concurrent requests for one key sharing a
// single call; failures are not cached.
import { AppError } from '../../../core/errors.js';
import type { MbUser } from '../users/users.table.js';
import { WeatherUpstreamError, type Weather, type WeatherProvider } from './provider.js';

export type { Weather };

const CACHE_TTL_MS = 30 * 60 * 1000;
const CACHE_MAX = 2000;

export class WeatherService {
  private cache = new Map<string, { at: number; value: Promise<Weather> }>();

  constructor(
    private readonly provider: WeatherProvider | undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get configured(): boolean {
    return this.provider !== undefined;
  }

  /** lat/lon from the query, else the user's stored location */
  async forUser(user: MbUser, q: { lat?: number; lon?: number }): Promise<Weather> {
    const point = resolvePoint(user, q);
    if (!point) throw new AppError('LOCATION_REQUIRED', 400, { lat: [{ kind: 'required' }], lon: [{ kind: 'required' }] });
    return this.at(point.lat, point.lon);
  }

  async at(lat: number, lon: number): Promise<Weather> {
    if (!this.provider) throw new AppError('WEATHER_NOT_CONFIGURED', 503);
    const now = this.now();
    const key = this.provider.cacheKey(lat, lon, now);
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_TTL_MS) return hit.value;
    const value = this.provider.current(lat, lon, now);
    this.cache.set(key, { at: Date.now(), value });
    if (this.cache.size > CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
    try {
      return await value;
    } catch (err) {
      this.cache.delete(key); // failures are not cached
      if (err instanceof WeatherUpstreamError) throw new AppError('WEATHER_UPSTREAM_ERROR', 502);
      throw err;
    }
  }
}

export function resolvePoint(user: MbUser, q: { lat?: number; lon?: number }): { lat: number; lon: number } | undefined {
  if (q.lat !== undefined && q.lon !== undefined) return { lat: q.lat, lon: q.lon };
  if (q.lat === undefined && q.lon === undefined && user.lat !== null && user.lon !== null) return { lat: user.lat, lon: user.lon };
  return undefined;
}
