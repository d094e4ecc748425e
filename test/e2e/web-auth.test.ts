// The auth section in a real browser: sign up (field errors under inputs), my account, the token
// checker's three answers in words, automatic refresh after the access token expires, log out,
// and the English toggle. Also the home page and the basics at 375 px.
import { describe, expect, it } from 'vitest';
import { basics, scriptErrors, uniq, webRig } from './web-helpers.js';

// access tokens live 20 s so the test can watch one expire and be refreshed (short enough to
// wait for, long enough for the steps before the wait on a busy machine)
const TTL_S = 20;
const rig = webRig({ ACCESS_TOKEN_TTL: String(TTL_S) });

describe('web: home and auth', () => {
  it('home lists the five systems, switches language, and passes the basics at 375 px', async () => {
    const w = await rig.page({ width: 375, height: 812 });
    await w.goto('/');
    await w.page.getByRole('heading', { level: 1, name: /마당/ }).waitFor();
    expect(await w.page.locator('.cards > li').count()).toBe(5);
    await basics(w.page);
    await w.shot('home-375');
    await w.page.getByRole('button', { name: 'Switch to English' }).click();
    await w.page.getByRole('heading', { level: 1, name: /five services/ }).waitFor();
    expect(await w.page.evaluate(() => document.documentElement.lang)).toBe('en');
    await w.page.reload();
    await w.page.getByRole('heading', { level: 1, name: /five services/ }).waitFor();
    expect(w.errors).toEqual([]);
  });

  it('sign up, my account, token errors in words, refresh after expiry, log out', async () => {
    const w = await rig.page();
    const { page } = w;
    await w.goto('/auth/signup');
    const name = uniq('web');

    // server-side validation: messages under the inputs they belong to
    await page.getByLabel('아이디').fill(name);
    await page.getByLabel('비밀번호').fill('short');
    await page.getByLabel('닉네임').fill(name);
    await page.getByRole('button', { name: '회원가입' }).click();
    await expect.poll(() => page.locator('.field-error[data-field="password"]').textContent()).toMatch(/8/);
    expect(await page.getByRole('alert').textContent()).toBeTruthy();
    await basics(page);
    await w.shot('auth-signup-errors');

    await page.getByLabel('비밀번호').fill('web-password-1');
    await page.getByRole('button', { name: '회원가입' }).click();
    const me = page.getByTestId('auth-me');
    await me.waitFor();
    expect(await me.textContent()).toContain(name);
    expect(page.url()).toMatch(/\/auth\/me$/);

    // the three token answers
    const verify = page.getByRole('button', { name: '검증' });
    await verify.click();
    await expect.poll(() => page.getByTestId('verify-explain').textContent()).toMatch(/토큰을 보내지 않았습니다/);
    expect(await page.getByRole('alert').textContent()).toBe('토큰이 없습니다.');
    await page.getByRole('textbox', { name: '토큰' }).fill('not.a.jwt');
    await verify.click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('토큰이 유효하지 않습니다.');
    await page.getByRole('button', { name: '내 접근 토큰 넣기' }).click();
    const firstAccess = await page.getByRole('textbox', { name: '토큰' }).inputValue();
    await verify.click();
    await expect.poll(() => page.getByTestId('verify-result').textContent()).toBe('유효한 토큰입니다.');
    await w.shot('auth-account');

    // after the access token expires, my account still loads: the client refreshed the pair
    const exp = (JSON.parse(Buffer.from(firstAccess.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp;
    await page.waitForTimeout(Math.max(0, exp * 1000 + 1000 - Date.now()));
    await verify.click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('토큰이 만료되었습니다.');
    expect(await page.getByTestId('verify-explain').textContent()).toMatch(/유효 기간이 지났습니다/);
    await page.reload();
    await page.getByTestId('auth-me').waitFor();
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('madang.session.auth') ?? '{}') as { access?: string });
    expect(stored.access).toBeTruthy();
    expect(stored.access).not.toBe(firstAccess);

    await page.getByRole('button', { name: '로그아웃' }).click();
    await page.getByRole('status').filter({ hasText: '로그아웃되었습니다.' }).waitFor();
    await page.getByRole('heading', { name: '로그인' }).waitFor();

    // wrong password: the envelope's message
    await page.getByLabel('아이디').fill(name);
    await page.getByLabel('비밀번호').fill('wrong-password');
    await page.getByRole('button', { name: '로그인' }).click();
    // (the wording is the app catalogue's; the code is what this test relies on)
    await expect.poll(() => page.getByRole('alert').getAttribute('data-code')).toBe('INVALID_CREDENTIALS');
    expect(await page.getByRole('alert').textContent()).toMatch(/올바르지 않습니다/);
    expect(scriptErrors(w, [400, 401])).toEqual([]);
  }, 90_000);
});
