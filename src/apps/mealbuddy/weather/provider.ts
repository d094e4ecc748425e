// A source of current weather for a point, answered with the original's Korean keys (기온, 풍속,
// 날씨, 강수형태, 강수량, 습도; docs/apps/mealbuddy.md §8). KMA when its key is set, Open-Meteo (no key)
// otherwise: the weather works out of the box.
export type Weather = Record<string, string>;

/** the source failed (network, timeout, status, body): a 502 for the client, never cached */
export class WeatherUpstreamError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'WeatherUpstreamError';
  }
}

export interface WeatherProvider {
  readonly name: 'kma' | 'open-meteo';
  /** points and times with one key get the same answer, so the cache shares it */
  cacheKey(lat: number, lon: number, now: Date): string;
  current(lat: number, lon: number, now: Date): Promise<Weather>;
}
