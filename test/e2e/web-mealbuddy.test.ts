// MealBuddy in a real browser, two neighbours: sign up with "use my location", write a post (field
// errors), the board's category chips and ten-page paginator, the weather card and a menu
// suggestion, join from the detail page, chat live, and the deleted room's 4040 notice.
import { describe, expect, it } from 'vitest';
import { basics, scriptErrors, uniq, webRig, type WebRig } from './web-helpers.js';

const rig = webRig();
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

    // weather (no KMA key on embedded defaults: the server says so in words) and a menu idea
    await a.page.getByTestId('weather').getByRole('alert').waitFor();
    await a.page.getByLabel('무엇이 먹고 싶나요?').fill('따뜻한 국물');
    await a.page.getByRole('button', { name: '추천 받기' }).click();
    await a.page.getByTestId('menu').locator('li.assistant').first().waitFor({ timeout: 15_000 });

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

    // the writer deletes the post: the neighbour's room closes with 4040
    await a.page.goto(postUrl);
    await a.page.getByRole('button', { name: '삭제' }).click();
    await a.page.getByRole('heading', { name: '우리 동네 모집 글' }).waitFor();
    await expect.poll(() => b.page.getByTestId('chat-ended').textContent(), { timeout: 5000 }).toBe('방이 삭제되었습니다.');
    expect(await b.page.getByRole('button', { name: '보내기' }).isDisabled()).toBe(true);
    await b.w.shot('mealbuddy-room-deleted');
    // expected answers: 400 (the empty title), 404 (no menu conversation yet), 503 (no weather key)
    expect(scriptErrors(a.w, [400, 404, 503])).toEqual([]);
    expect(scriptErrors(b.w, [404, 503])).toEqual([]);
  }, 150_000);
});
