// Client of KMA's short-term forecast API (기상청 단기예보 getVilageFcst). Any network error,
// timeout, non-JSON body (KMA answers errors in XML), resultCode other than "00" or empty item list
// is an upstream failure (the original answered 500 for most of them, docs/apps/mealbuddy.md §11.20).
import { baseTime, toGrid } from './grid.js';
import { WeatherUpstreamError, type Weather, type WeatherProvider } from './provider.js';

export interface KmaItem {
  category: string;
  fcstValue: string;
}

export class KmaError extends WeatherUpstreamError {
  constructor(reason: string) {
    super(reason);
    this.name = 'KmaError';
  }
}

export interface KmaQuery {
  nx: number;
  ny: number;
  base_date: string;
  base_time: string;
}

export class KmaClient {
  constructor(
    private readonly baseUrl: string,
    private readonly serviceKey: string,
    private readonly timeoutMs = 5000,
  ) {}

  async forecast(q: KmaQuery): Promise<KmaItem[]> {
    // data.go.kr hands out the key both URL-encoded and plain; an encoded one goes in as it is
    const key = /%[0-9A-Fa-f]{2}/.test(this.serviceKey) ? this.serviceKey : encodeURIComponent(this.serviceKey);
    const params = new URLSearchParams({
      numOfRows: '12',
      pageNo: '1',
      dataType: 'JSON',
      base_date: q.base_date,
      base_time: q.base_time,
      nx: String(q.nx),
      ny: String(q.ny),
    });
    const url = `${this.baseUrl.replace(/\/$/, '')}/getVilageFcst?serviceKey=${key}&${params}`;
    let body: unknown;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
      if (!res.ok) throw new KmaError(`HTTP ${res.status}`);
      body = JSON.parse(await res.text());
    } catch (err) {
      if (err instanceof KmaError) throw err;
      throw new KmaError(err instanceof Error ? err.message : String(err));
    }
    const response = (body as { response?: { header?: { resultCode?: unknown }; body?: { items?: { item?: unknown } } } })?.response;
    const code = response?.header?.resultCode;
    if (code !== '00') throw new KmaError(`resultCode ${String(code)}`);
    const items = response?.body?.items?.item;
    if (!Array.isArray(items) || items.length === 0) throw new KmaError('no items');
    return items
      .filter((i): i is { category: unknown; fcstValue: unknown } => typeof i === 'object' && i !== null)
      .map((i) => ({ category: String(i.category), fcstValue: String(i.fcstValue) }));
  }
}

const SKY: Record<string, string> = { '1': '맑음', '3': '구름많음', '4': '흐림' };
const PTY: Record<string, string> = { '1': '비', '2': '비/눈', '3': '눈', '4': '소나기' };

/** KMA categories → the original's Korean keys, in order of appearance, later items winning (§8). */
export function toKorean(items: KmaItem[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { category, fcstValue: v } of items) {
    switch (category) {
      case 'TMP':
        out['기온'] = `${v}℃`;
        break;
      case 'WSD':
        out['풍속'] = `${v}m/s`;
        break;
      case 'SKY':
        out['날씨'] = SKY[v] ?? '그 외';
        break;
      case 'PTY':
        out['강수형태'] = PTY[v] ?? '없음';
        break;
      case 'PCP':
        out['강수량'] = /^\d+$/.test(v) ? `${v}mm` : v;
        break;
      case 'REH':
        out['습도'] = `${v}%`;
        break;
    }
  }
  return out;
}

/** KMA as a weather source: one answer per grid cell and forecast run */
export class KmaProvider implements WeatherProvider {
  readonly name = 'kma';
  constructor(private readonly client: KmaClient) {}

  cacheKey(lat: number, lon: number, now: Date): string {
    const cell = toGrid(lat, lon);
    const run = baseTime(now);
    return `kma:${cell.nx},${cell.ny},${run.base_date},${run.base_time}`;
  }

  async current(lat: number, lon: number, now: Date): Promise<Weather> {
    return toKorean(await this.client.forecast({ ...toGrid(lat, lon), ...baseTime(now) }));
  }
}
