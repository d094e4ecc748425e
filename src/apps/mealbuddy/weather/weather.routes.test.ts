import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { body, mb, type MbUserRef } from '../../../../test/e2e/mealbuddy-helpers.js';
import { startFakeKma, type FakeKma } from '../../../../test/fakes/fake-kma.js';
import { startFakeOpenMeteo, type FakeOpenMeteo } from '../../../../test/fakes/fake-open-meteo.js';
import { loadSettings } from '../../../apps/registry.js';
import { ConfigError } from '../../../core/config.js';
import { KmaClient, KmaError, toKorean } from './kma.client.js';
import { fromOpenMeteo } from './open-meteo.client.js';

let kma: FakeKma;
let om: FakeOpenMeteo;
let t: TestApp;
let api: ReturnType<typeof mb>;
let user: MbUserRef;
beforeAll(async () => {
  kma = await startFakeKma();
  om = await startFakeOpenMeteo();
});
afterAll(async () => {
  await kma.close();
  await om.close();
});
beforeEach(async () => {
  kma.mode = 'ok';
  kma.requests.length = 0;
  om.requests.length = 0;
  // a key set: KMA is chosen over Open-Meteo, which must see no request
  t = await buildTestApp({ apps: ['mealbuddy'], env: { WEATHER_PROVIDER: 'auto', KMA_SERVICE_KEY: 'test-key+/=', KMA_BASE_URL: kma.url, OPEN_METEO_BASE_URL: om.url } });
  api = mb(t.app);
  user = await api.register('wx', undefined, { lat: 33.4996, lon: 126.5312 });
});

const errorOf = (res: { body: string }) => body<{ error: { code: string; message: string } }>(res).error;

describe('GET /api/openAPI/weather/', () => {
  it('Korean keys in order of appearance, as the original (mocked KMA reply of docs/apps/mealbuddy.md §4.4)', async () => {
    const res = await api.call('GET', '/api/openAPI/weather/?lat=37.5665&lon=126.9780', user.token);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(JSON.stringify({ 기온: '21℃', 풍속: '3.1m/s', 날씨: '구름많음', 강수형태: '없음', 강수량: '강수없음', 습도: '60%' }));
    const q = kma.requests[0]!;
    expect(q.pathname).toBe('/1360000/VilageFcstInfoService_2.0/getVilageFcst');
    expect(Object.fromEntries(q.searchParams)).toMatchObject({ serviceKey: 'test-key+/=', numOfRows: '12', pageNo: '1', dataType: 'JSON', nx: '60', ny: '127' });
    expect(q.searchParams.get('base_date')).toMatch(/^\d{8}$/);
    expect(q.searchParams.get('base_time')).toMatch(/^(02|05|08|11|14|17|20|23)00$/);
    expect(om.requests).toHaveLength(0);
  });

  it('defaults to the user\'s stored location (Jeju → 53,38); cached per grid cell and run', async () => {
    expect((await api.call('GET', '/api/openAPI/weather/', user.token)).statusCode).toBe(200);
    expect((await api.call('GET', '/api/openAPI/weather/?lat=33.4997&lon=126.5313', user.token)).statusCode).toBe(200);
    expect(kma.requests).toHaveLength(1);
    expect(kma.requests[0]!.searchParams.get('nx')).toBe('53');
    expect(kma.requests[0]!.searchParams.get('ny')).toBe('38');
  });

  it('400 for missing location or coordinates outside Korea; 401 anonymous', async () => {
    const noLoc = await api.register('noloc');
    expect(errorOf(await api.call('GET', '/api/openAPI/weather/', noLoc.token)).code).toBe('LOCATION_REQUIRED');
    expect((await api.call('GET', '/api/openAPI/weather/?lat=0&lon=0', user.token)).statusCode).toBe(400);
    expect((await api.call('GET', '/api/openAPI/weather/?lat=abc&lon=126', user.token)).statusCode).toBe(400);
    expect((await api.call('GET', '/api/openAPI/weather/?lat=37.5')).statusCode).toBe(401);
  });

  it.each(['xml', 'result-error', 'empty', 'http500'] as const)('upstream failure (%s) → 502 with the Korean message, not cached', async (mode) => {
    kma.mode = mode;
    const res = await api.call('GET', '/api/openAPI/weather/?lat=35.1796&lon=129.0756', user.token);
    expect(res.statusCode).toBe(502);
    expect(errorOf(res)).toEqual({ code: 'WEATHER_UPSTREAM_ERROR', message: '예기치 않은 오류가 발생했습니다.' });
    kma.mode = 'ok';
    expect((await api.call('GET', '/api/openAPI/weather/?lat=35.1796&lon=129.0756', user.token)).statusCode).toBe(200);
  });

  it('WEATHER_PROVIDER=none: 503 WEATHER_NOT_CONFIGURED; kma without a key is refused at start', async () => {
    const bare = await buildTestApp({ apps: ['mealbuddy'], env: { WEATHER_PROVIDER: 'none' } });
    const b = mb(bare.app);
    const u = await b.register('nokey');
    const res = await b.call('GET', '/api/openAPI/weather/?lat=37.5665&lon=126.978', u.token);
    expect(res.statusCode).toBe(503);
    expect(errorOf(res).code).toBe('WEATHER_NOT_CONFIGURED');
    expect(() => loadSettings({ MADANG_APPS: 'mealbuddy', WEATHER_PROVIDER: 'kma' })).toThrow(ConfigError);
    expect(() => loadSettings({ MADANG_APPS: 'mealbuddy', WEATHER_PROVIDER: 'kma' })).toThrow(/WEATHER_PROVIDER: kma needs KMA_SERVICE_KEY/);
  });
});

describe('GET /api/openAPI/weather/ without a KMA key: Open-Meteo, out of the box', () => {
  let o: TestApp;
  let oapi: ReturnType<typeof mb>;
  let u: MbUserRef;
  beforeEach(async () => {
    om.mode = 'ok';
    om.requests.length = 0;
    kma.requests.length = 0;
    // the default (auto) with no key: Open-Meteo, no key needed
    o = await buildTestApp({ apps: ['mealbuddy'], env: { WEATHER_PROVIDER: 'auto', OPEN_METEO_BASE_URL: om.url, KMA_BASE_URL: kma.url } });
    oapi = mb(o.app);
    u = await oapi.register('om', undefined, { lat: 37.5665, lon: 126.978 });
  });

  it('the same Korean keys, in the same order, as the KMA path', async () => {
    const res = await oapi.call('GET', '/api/openAPI/weather/', u.token);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(JSON.stringify({ 기온: '21℃', 풍속: '3.1m/s', 날씨: '구름많음', 강수형태: '없음', 강수량: '강수없음', 습도: '60%' }));
    const q = om.requests[0]!;
    expect(q.pathname).toBe('/v1/forecast');
    // the point leaves the server rounded to 0.05° (about KMA's 5 km grid)
    expect(Object.fromEntries(q.searchParams)).toMatchObject({ latitude: '37.55', longitude: '127.00', wind_speed_unit: 'ms', timezone: 'Asia/Seoul' });
    expect(q.searchParams.get('current')!.split(',')).toEqual(expect.arrayContaining(['temperature_2m', 'relative_humidity_2m', 'precipitation', 'weather_code', 'cloud_cover', 'wind_speed_10m']));
    expect(kma.requests).toHaveLength(0);
  });

  it('nearby points share one cached answer; rain, snow and showers map onto KMA\'s words', async () => {
    await oapi.call('GET', '/api/openAPI/weather/?lat=37.5701&lon=126.9812', u.token);
    await oapi.call('GET', '/api/openAPI/weather/?lat=37.5689&lon=126.9799', u.token);
    expect(om.requests).toHaveLength(1);
    om.current = { temperature_2m: -3.6, relative_humidity_2m: 91.4, precipitation: 0.4, rain: 0, showers: 0, snowfall: 0.6, weather_code: 73, cloud_cover: 100, wind_speed_10m: 5.26 };
    const snow = await oapi.call('GET', '/api/openAPI/weather/?lat=35.1796&lon=129.0756', u.token);
    expect(JSON.parse(snow.body)).toEqual({ 기온: '-4℃', 풍속: '5.3m/s', 날씨: '흐림', 강수형태: '눈', 강수량: '1mm 미만', 습도: '91%' });
    om.current = { ...om.current, temperature_2m: 18, snowfall: 0, rain: 3.2, precipitation: 3.2, weather_code: 63, cloud_cover: 95 };
    const rain = await oapi.call('GET', '/api/openAPI/weather/?lat=33.4996&lon=126.5312', u.token);
    expect(JSON.parse(rain.body)).toMatchObject({ 날씨: '흐림', 강수형태: '비', 강수량: '3.2mm' });
  });

  it.each(['error', 'http500', 'not-json', 'no-current'] as const)('upstream failure (%s) → 502 with the Korean message, not cached', async (mode) => {
    om.mode = mode;
    const res = await oapi.call('GET', '/api/openAPI/weather/?lat=35.1796&lon=129.0756', u.token);
    expect(res.statusCode).toBe(502);
    expect(errorOf(res)).toEqual({ code: 'WEATHER_UPSTREAM_ERROR', message: '예기치 않은 오류가 발생했습니다.' });
    om.mode = 'ok';
    expect((await oapi.call('GET', '/api/openAPI/weather/?lat=35.1796&lon=129.0756', u.token)).statusCode).toBe(200);
  });
});

describe('Open-Meteo value mapping', () => {
  it('cloud cover → sky in KMA\'s bands; WMO codes → precipitation type; amounts in KMA\'s words', () => {
    expect(fromOpenMeteo({ temperature_2m: 0.4, cloud_cover: 50 })).toEqual({ 기온: '0℃', 날씨: '맑음', 강수형태: '없음', 강수량: '강수없음' });
    expect(fromOpenMeteo({ temperature_2m: 9, cloud_cover: 80 })['날씨']).toBe('구름많음');
    expect(fromOpenMeteo({ temperature_2m: 9, cloud_cover: 81 })['날씨']).toBe('흐림');
    expect(fromOpenMeteo({ temperature_2m: 9, weather_code: 2 })['날씨']).toBe('구름많음');
    expect(fromOpenMeteo({ temperature_2m: 9, weather_code: 81, showers: 2, precipitation: 2 })).toMatchObject({ 강수형태: '소나기', 강수량: '2.0mm' });
    expect(fromOpenMeteo({ temperature_2m: 1, weather_code: 66, rain: 1, snowfall: 0.2, precipitation: 1.2 })['강수형태']).toBe('비/눈');
    expect(fromOpenMeteo({ temperature_2m: 1, weather_code: 86 })['강수형태']).toBe('눈');
    expect(fromOpenMeteo({ temperature_2m: 25, weather_code: 95 })['강수형태']).toBe('비');
  });
});

describe('KMA value mapping (§8)', () => {
  it('SKY, PTY and PCP codes; later items win; ignored categories', () => {
    const items = (pairs: Array<[string, string]>) => pairs.map(([category, fcstValue]) => ({ category, fcstValue }));
    expect(toKorean(items([['SKY', '1'], ['SKY', '4'], ['PTY', '1'], ['PCP', '3'], ['POP', '60'], ['TMN', '2']]))).toEqual({ 날씨: '흐림', 강수형태: '비', 강수량: '3mm' });
    expect(toKorean(items([['SKY', '2'], ['PTY', '2'], ['PCP', '1.0mm']]))).toEqual({ 날씨: '그 외', 강수형태: '비/눈', 강수량: '1.0mm' });
    expect(toKorean(items([['PTY', '3']]))).toEqual({ 강수형태: '눈' });
    expect(toKorean(items([['PTY', '4']]))).toEqual({ 강수형태: '소나기' });
    expect(toKorean(items([['PTY', '0'], ['PCP', '1mm 미만']]))).toEqual({ 강수형태: '없음', 강수량: '1mm 미만' });
  });
});

describe('KMA client', () => {
  it('gives up after its timeout when KMA does not answer', async () => {
    kma.mode = 'hang';
    const client = new KmaClient(kma.url, 'k', 200);
    await expect(client.forecast({ nx: 60, ny: 127, base_date: '20261123', base_time: '0500' })).rejects.toBeInstanceOf(KmaError);
  });

  it('passes an already URL-encoded key through unchanged', async () => {
    kma.mode = 'ok';
    await new KmaClient(kma.url, 'abc%2Bdef%3D%3D').forecast({ nx: 60, ny: 127, base_date: '20261123', base_time: '0500' });
    expect(kma.requests.at(-1)!.searchParams.get('serviceKey')).toBe('abc+def==');
  });
});
