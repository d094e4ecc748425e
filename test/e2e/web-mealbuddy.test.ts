// MealBuddy in a real browser, two neighbours: sign up with "use my location", write a post (field
// errors), the board's category chips and ten-page paginator, the weather card (Open-Meteo, no key:
// a local fake) and menu suggestions shown as a list, join from the detail page, chat live, and the
// deleted room's 4040 notice. A member without a stored location sets one for the weather.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenMeteo, type FakeOpenMeteo } from '../fakes/fake-open-meteo.js';
import { basics, scriptErrors, uniq, webRig, type WebRig } from './web-helpers.js';

// the fake starts before the server (hooks run in order), which reads the URL when it starts
const env: Record<string, string> = { WEATHER_PROVIDER: 'auto' };
let openMeteo: FakeOpenMeteo;
beforeAll(async () => {
  openMeteo = await startFakeOpenMeteo();
  env.OPEN_METEO_BASE_URL = openMeteo.url;
});
afterAll(() => openMeteo?.close());
const rig = webRig(env);
const ADDRESS = '서울특별시 중구 태평로1가';
const SEOUL = { latitude: 37.5665, longitude: 126.978 };

async function register(rig: WebRig, name: string) {
  const w = await rig.page({ width: 375, height: 900, geo: SEOUL });
  const { page } = w;
  await w.goto('/mealbuddy');
  await page.getByRole('button', { name: '회원가입' }).click();
  await page.getByLabel('이메일').fill(`${name}@example.com`);
  await page.getByLabel('닉네임').fill(name);
  await page.getByLabel('비밀번호', { exact: true }).fill('meal-pass-1234');
  await page.getByLabel('비밀번호 확인').fill('meal-pass-1234');
  await page.getByLabel('주소').fill(ADDRESS);
  await page.getByRole('button', { name: '내 위치 사용' }).click();
  await page.getByText('위치를 가져왔습니다 (37.5665, 126.978).').waitFor();
  await page.getByRole('button', { name: '회원가입' }).first().click();
  await page.getByRole('heading', { name: '우리 동네 모집 글' }).waitFor();
  const token = await page.evaluate(() => (JSON.parse(localStorage.getItem('madang.session.mealbuddy') ?? '{}') as { access: string }).access);
  return { w, page, token };
}

describe('web: mealbuddy', () => {
  it('board, posts, chat between two neighbours, and the deleted room', async () => {
    const a = await register(rig, uniq('mba'));
    a.page.on('dialog', (d) => void d.accept());

    // weather without a KMA key: Open-Meteo, with the original's Korean keys
    const weather = a.page.getByTestId('weather');
    await weather.locator('dl.facts').waitFor();
    expect(await weather.locator('dt').allTextContents()).toEqual(['기온', '풍속', '날씨', '강수형태', '강수량', '습도']);
    expect(await weather.locator('dd').first().textContent()).toBe('21℃');

    // menu suggestions: five menus as a list; what the person ruled out is not among them
    await a.page.getByLabel('무엇이 먹고 싶나요?').fill('어제 치킨 먹었어요, 가벼운 거');
    await a.page.getByRole('button', { name: '추천 받기' }).click();
    const list = a.page.getByTestId('menu-list');
    await list.waitFor({ timeout: 15_000 });
    const items = list.locator('li');
    expect(await items.count()).toBe(5);
    for (const item of await items.all()) {
      expect(await item.locator('strong').textContent()).not.toContain('치킨');
      expect((await item.locator('.reason').textContent())!.length).toBeGreaterThan(10);
    }
    expect(await a.page.getByTestId('menu').locator('.menu-answer > p').first().textContent()).toContain('치킨은 빼고');
    await basics(a.page);
    await a.w.shot('mealbuddy-menu-375');

    // write: a missing title is reported under its input
    await a.page.getByRole('link', { name: '글쓰기' }).click();
    await a.page.getByLabel('내용').fill('같이 시켜요');
    await a.page.getByRole('button', { name: '저장' }).click();
    await expect.poll(() => a.page.locator('.field-error[data-field="title"]').count()).toBe(1);
    await a.page.getByLabel('제목').fill('치킨 같이 드실 분');
    await a.page.getByRole('button', { name: '저장' }).click();
    await a.page.getByTestId('post').getByRole('heading', { name: '치킨 같이 드실 분' }).waitFor();
    const postUrl = a.page.url();

    // eleven more posts through the API: the board gets a second page
    for (let i = 1; i <= 11; i++) {
      const res = await fetch(`${rig.server.url}/mealbuddy/api/post/write/`, {
        method: 'POST',
        headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title: `피자 모임 ${i}`, category: '피자', content: '피자', target_number: 3 }),
      });
      expect(res.status).toBe(201);
    }
    await a.page.getByRole('link', { name: '목록으로' }).click();
    const posts = a.page.getByTestId('posts').locator('li');
    await expect.poll(() => posts.count()).toBe(10);
    await a.page.getByRole('button', { name: '2 페이지' }).click();
    await expect.poll(() => posts.count()).toBe(2);
    expect(await a.page.locator('.paginator [aria-current="page"]').textContent()).toBe('2');
    await a.page.getByRole('button', { name: '치킨', exact: true }).click();
    await expect.poll(() => posts.count()).toBe(1);
    expect(await a.page.getByRole('button', { name: '치킨', exact: true }).getAttribute('aria-pressed')).toBe('true');
    await basics(a.page);
    await a.w.shot('mealbuddy-board');

    // a neighbour joins from the detail page and lands in the chat
    const b = await register(rig, uniq('mbb'));
    await b.page.goto(postUrl);
    await b.page.getByRole('button', { name: '참여하기' }).click();
    await b.page.getByTestId('chat-live').and(b.page.locator('[data-state="open"]')).waitFor();
    expect(await b.page.getByTestId('chat-live').textContent()).toBe('실시간 연결: 연결됨');

    await a.page.goto(postUrl);
    await a.page.getByRole('link', { name: '채팅방 가기' }).click();
    await a.page.getByTestId('chat-live').and(a.page.locator('[data-state="open"]')).waitFor();
    await a.page.getByTestId('messages').getByText('님이 입장했습니다.').first().waitFor();
    await expect.poll(() => a.page.getByTestId('members').locator('li').count()).toBe(2);

    await b.page.getByLabel('메시지').fill('안녕하세요! 몇 시에 시킬까요?');
    await b.page.getByRole('button', { name: '보내기' }).click();
    await a.page.getByTestId('messages').getByText('안녕하세요! 몇 시에 시킬까요?').waitFor();
    await a.page.getByLabel('메시지').fill('7시 어때요?');
    await a.page.getByRole('button', { name: '보내기' }).click();
    await b.page.getByTestId('messages').getByText('7시 어때요?').waitFor();
    await basics(b.page);
    await b.w.shot('mealbuddy-chat');
    await a.page.setViewportSize({ width: 1280, height: 900 });
    await basics(a.page);
    await a.w.shot('mealbuddy-chat-1280');

    // the writer deletes the post: the neighbour's room closes with 4040
    await a.page.goto(postUrl);
    await a.page.getByRole('button', { name: '삭제' }).click();
    await a.page.getByRole('heading', { name: '우리 동네 모집 글' }).waitFor();
    await expect.poll(() => b.page.getByTestId('chat-ended').textContent(), { timeout: 5000 }).toBe('방이 삭제되었습니다.');
    expect(await b.page.getByRole('button', { name: '보내기' }).isDisabled()).toBe(true);
    await b.w.shot('mealbuddy-room-deleted');
    // expected answers: 400 (the empty title), 404 (no menu conversation yet)
    expect(scriptErrors(a.w, [400, 404])).toEqual([]);
    expect(scriptErrors(b.w, [404])).toEqual([]);
  }, 150_000);

  it('a member without a stored location picks one for the weather; the menu list at 1280 px', async () => {
    const name = uniq('mbc');
    const res = await fetch(`${rig.server.url}/mealbuddy/api/user/register/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `${name}@example.com`, username: name, password: 'meal-pass-1234', password2: 'meal-pass-1234', address: '부산광역시 중구 중앙동' }),
    });
    expect(res.status).toBe(201);
    const user = ((await res.json()) as { user: { id: number; token: string; username: string; address: string } }).user;
    const w = await rig.page({ width: 1280, height: 900 });
    const { page } = w;
    await w.goto('/');
    await page.evaluate((u) => localStorage.setItem('madang.session.mealbuddy', JSON.stringify({ access: u.token, user: { id: u.id, username: u.username, address: u.address } })), user);
    await w.goto('/mealbuddy');
    const weather = page.getByTestId('weather');
    await weather.getByText('날씨를 보려면 위치를 정해 주세요.').waitFor();
    await basics(page);
    await w.shot('mealbuddy-weather-no-location-1280');
    await page.setViewportSize({ width: 375, height: 812 });
    await basics(page);
    await w.shot('mealbuddy-weather-no-location-375');
    await page.setViewportSize({ width: 1280, height: 900 });
    await weather.getByLabel('도시').selectOption('부산');
    await weather.getByRole('button', { name: '이 위치로 저장' }).click();
    await weather.locator('dl.facts').waitFor();
    // Busan city hall, rounded to 0.05° before it left the server
    expect(Object.fromEntries(openMeteo.requests.at(-1)!.searchParams)).toMatchObject({ latitude: '35.20', longitude: '129.10' });
    // stored: a reload shows the weather at once, and the session kept working with the new token
    await page.reload();
    await weather.locator('dl.facts').waitFor();
    await page.getByLabel('무엇이 먹고 싶나요?').fill('안 매운 국물, 혼자');
    await page.getByRole('button', { name: '추천 받기' }).click();
    await expect.poll(() => page.getByTestId('menu-list').locator('li').count(), { timeout: 15_000 }).toBe(5);
    await basics(page);
    await w.shot('mealbuddy-menu-1280');
    expect(scriptErrors(w, [400, 404])).toEqual([]);
  }, 120_000);
});
