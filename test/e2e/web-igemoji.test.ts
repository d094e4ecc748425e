// IGE-MOJI in a real browser: sign up, create a template from seven pictures (each previewed),
// find it in the gallery, choose it, upload a photo, follow the pushed progress to the composited
// result with its download link and the number of faces found, tap the face to give it another
// picture (a new composite), then the top 3 and my page. And the compose panel before a
// template is chosen: a hint says why 합성하기 is disabled, and nothing in it is stretched.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { colourPictures } from '../fixtures/igemoji/helpers.js';
import { syntheticFace } from '../fixtures/images.js';
import { basics, scriptErrors, webRig } from './web-helpers.js';

const rig = webRig();
const LABELS = ['기본 표정 (프로필)', '화남', '혐오', '두려움', '기쁨', '슬픔', '놀람'];

describe('web: igemoji', () => {
  it('creates a template, composites a photo and shows the rankings', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'madang-web-ig-'));
    const pictures = (await colourPictures()).map((buf, i) => {
      const file = path.join(dir, `p${i}.jpg`);
      writeFileSync(file, buf);
      return file;
    });
    const photo = path.join(dir, 'face.jpg');
    writeFileSync(photo, await syntheticFace('jpeg'));

    const w = await rig.page({ width: 375, height: 900 });
    const { page } = w;
    await w.goto('/igemoji/create');
    await page.getByRole('button', { name: '회원가입' }).click();
    const alias = `ig${Date.now().toString(36).slice(-6)}`;
    await page.getByLabel('이메일').fill(`${alias}@example.com`);
    await page.getByLabel('비밀번호').fill('passw0rd!');
    await page.getByLabel('닉네임').fill(alias);
    await page.getByRole('button', { name: '회원가입' }).first().click();

    const form = page.getByRole('form', { name: '템플릿 만들기' });
    await form.getByLabel('템플릿 이름').fill('색깔 템플릿');
    for (let i = 0; i < LABELS.length; i++) await form.getByLabel(LABELS[i]!, { exact: true }).setInputFiles(pictures[i]!);
    await expect.poll(() => form.locator('.slot img').count()).toBe(7);
    expect(await form.getByRole('img', { name: '화남 미리보기' }).count()).toBe(1);
    await basics(page);
    await w.shot('igemoji-create');
    await form.getByRole('button', { name: '만들기' }).click();

    const card = page.getByTestId('ig-gallery').locator('li.card', { hasText: '색깔 템플릿' });
    await card.waitFor();
    await card.getByRole('button', { name: '이 템플릿 쓰기' }).click();
    await page.getByTestId('ig-chosen').waitFor();
    await page.getByLabel('사진').setInputFiles(photo);
    await page.getByRole('button', { name: '합성하기' }).click();
    await page.getByTestId('ig-progress').waitFor();
    await page.locator('[data-testid="ig-progress"][data-status="done"]').waitFor({ timeout: 90_000 });
    const result = page.getByTestId('ig-result');
    await result.getByRole('img', { name: '이모지를 합성한 사진' }).waitFor();
    expect(await result.getByRole('link', { name: '내려받기' }).getAttribute('href')).toMatch(/download=1$/);
    const composite = result.getByRole('img', { name: '이모지를 합성한 사진' });
    expect(await composite.evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    // how many faces were found, and a tap on a face gives it another picture (a new composite)
    expect(await result.getByTestId('ig-face-count').textContent()).toBe('얼굴 1개를 찾았어요. 얼굴을 누르면 다른 그림으로 바꿀 수 있어요.');
    await expect.poll(() => result.getByTestId('ig-face').count()).toBe(1);
    const before = await composite.getAttribute('src');
    await result.getByTestId('ig-face').click();
    const pick = result.getByTestId('ig-pick');
    await pick.waitFor();
    const other = (await pick.getByRole('button', { pressed: false }).first().textContent())!;
    await pick.getByRole('button', { name: other, exact: true }).click();
    await expect.poll(() => composite.getAttribute('src'), { timeout: 30_000 }).not.toBe(before);
    expect(await result.getByTestId('ig-face').getAttribute('aria-label')).toBe(`1번째 얼굴 (${other}) 그림 바꾸기`);
    await basics(page);
    await w.shot('igemoji-result');

    await page.getByRole('link', { name: '인기 TOP 3' }).click();
    await page.getByTestId('ig-top3').locator('li', { hasText: '색깔 템플릿' }).waitFor();
    await page.getByRole('link', { name: '마이페이지' }).click();
    await page.getByTestId('ig-my-upload').getByText('색깔 템플릿').waitFor();
    await expect.poll(() => page.getByTestId('ig-my-result').locator('li').count()).toBe(1);
    await basics(page);
    expect(scriptErrors(w)).toEqual([]);
  }, 180_000);

  it('compose panel: a hint until a template is chosen, laid out without stretching at 1280 and 375 px', async () => {
    const alias = `hint${Date.now().toString(36).slice(-6)}`;
    const post = async <T>(path: string, body: unknown): Promise<T> => {
      const res = await fetch(`${rig.server.url}/igemoji${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status, path).toBeLessThan(300);
      return (await res.json()) as T;
    };
    const me = await post<{ id: number }>('/api/v1/users/', { email: `${alias}@example.com`, password: 'passw0rd!', alias });
    const pair = await post<{ access_token: string; refresh_token: string }>('/api/v1/users/auth', { email: `${alias}@example.com`, password: 'passw0rd!' });
    for (const width of [1280, 375]) {
      const w = await rig.page({ width, height: 900 });
      const { page } = w;
      await w.goto('/');
      await page.evaluate(
        (s) => localStorage.setItem('madang.session.igemoji', JSON.stringify(s)),
        { access: pair.access_token, refresh: pair.refresh_token, user: { id: me.id, alias } },
      );
      await w.goto('/igemoji');
      const compose = page.getByRole('form', { name: '합성하기' });
      const button = compose.getByRole('button', { name: '합성하기' });
      const hint = page.getByTestId('ig-choose-first');
      await hint.waitFor();
      expect(await hint.textContent()).toBe('먼저 템플릿 목록에서 「이 템플릿 쓰기」를 눌러 템플릿을 골라 주세요.');
      expect(await button.isDisabled()).toBe(true);
      expect(await button.getAttribute('aria-describedby')).toBe(await hint.getAttribute('id'));
      // the panel is as tall as its content: a normal button, a one-line file field
      const sizes = await page.evaluate(() => {
        const form = document.querySelector('form[aria-labelledby="ig-compose-title"]')!;
        const h = (sel: string) => Math.round(form.querySelector(sel)!.getBoundingClientRect().height);
        return { button: h('button[type="submit"]'), file: h('input[type="file"]') };
      });
      expect(sizes.button).toBeLessThan(60);
      expect(sizes.file).toBeLessThan(60);
      await page.getByTestId('ig-gallery').locator('li.card').first().waitFor();
      await page.waitForLoadState('networkidle');
      await basics(page);
      await w.shot(`igemoji-compose-hint-${width}`);
      await page.getByTestId('ig-gallery').getByRole('button', { name: '이 템플릿 쓰기' }).first().click();
      await page.getByTestId('ig-chosen').waitFor();
      expect(await hint.count()).toBe(0);
      expect(await button.getAttribute('aria-describedby')).toBeNull();
      expect(scriptErrors(w)).toEqual([]);
      await w.close();
    }
  }, 120_000);
});
