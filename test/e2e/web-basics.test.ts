// The basics on every page a visitor reaches without an account, at 375 px, in Korean and in
// English: no console errors, every image has alt text, every input a label, nothing overflows.
import { describe, expect, it } from 'vitest';
import { basics, webRig } from './web-helpers.js';

const rig = webRig();
const PAGES: Array<[string, string, RegExp]> = [
  ['/', 'home', /마당/],
  ['/auth', 'auth', /회원 인증/],
  ['/auth/signup', 'auth-signup', /회원 인증/],
  ['/machines', 'machines', /사출기 관리/],
  ['/mealbuddy', 'mealbuddy', /밀버디/],
  ['/zodiac', 'zodiac', /십이지신 운세/],
  ['/igemoji', 'igemoji', /이게모지/],
  ['/igemoji/top3', 'igemoji-top3', /이게모지/],
  ['/no/such/page', 'not-found', /페이지를 찾을 수 없습니다/],
];
const ENGLISH: Record<string, RegExp> = {
  home: /five services/,
  auth: /Accounts/,
  machines: /Machines/,
  mealbuddy: /MealBuddy/,
  zodiac: /Zodiac fortune/,
  igemoji: /IGE-MOJI/,
  'not-found': /Page not found/,
};

describe('web: basics', () => {
  it('every public page passes the basics at 375 px, in Korean and English', async () => {
    const w = await rig.page({ width: 375, height: 812 });
    for (const [url, name, title] of PAGES) {
      await w.goto(url);
      await w.page.getByRole('heading', { level: 1, name: title }).waitFor();
      await w.page.waitForLoadState('networkidle');
      await basics(w.page);
      if (name === 'igemoji' || name === 'not-found') await w.shot(`basics-${name}`);
    }
    await w.page.getByRole('button', { name: 'Switch to English' }).click();
    for (const [url, name] of PAGES) {
      const title = ENGLISH[name];
      if (!title) continue;
      await w.goto(url);
      await w.page.getByRole('heading', { level: 1, name: title }).waitFor();
      await basics(w.page);
    }
    expect(await w.page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(w.errors).toEqual([]);
  }, 120_000);

  it('home: the section icons are Twemoji pictures, not font emoji (boxes without a colour emoji font)', async () => {
    for (const width of [1280, 375]) {
      const w = await rig.page({ width, height: 900 });
      await w.goto('/');
      await w.page.getByRole('heading', { level: 1, name: /마당/ }).waitFor();
      await w.page.waitForLoadState('networkidle');
      const icons = await w.page.evaluate(() =>
        [...document.querySelectorAll('.card h2')].map((h) => ({
          loaded: [...h.querySelectorAll('img')].map((i) => i.complete && i.naturalWidth > 0),
          decorative: [...h.querySelectorAll('img')].every((i) => i.getAttribute('alt') === ''),
          emoji: /\p{Extended_Pictographic}/u.test(h.textContent ?? ''),
        })),
      );
      expect(icons).toHaveLength(5);
      expect(icons).toEqual(Array(5).fill({ loaded: [true], decorative: true, emoji: false }));
      await basics(w.page);
      await w.shot(`home-${width}`);
      await w.close();
    }
  });

  it('keeps the API answering JSON beside the SPA', async () => {
    const api = await fetch(`${rig.server.url}/machines/api/nope/`, { headers: { accept: 'text/html' } });
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    for (const p of ['/openapi.json', '/healthz', '/metrics', '/api/docs/', '/swagger']) {
      expect((await fetch(`${rig.server.url}${p}`)).status, p).toBe(200);
    }
    const page = await fetch(`${rig.server.url}/mealbuddy/posts/1`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
  });
});
