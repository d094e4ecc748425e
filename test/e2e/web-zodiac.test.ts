// Zodiac in a real browser: sign up, choose a face photo (preview), watch the progress bar move
// with the task's pushed events, read the result (top 3 with bars, the animal, today's fortune),
// then the 12 animals, leaderboard, history, challenges and statistics.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { syntheticFace } from '../fixtures/images.js';
import { basics, scriptErrors, webRig } from './web-helpers.js';

const rig = webRig();

describe('web: zodiac', () => {
  it('analyses a photo and shows the result and the browse pages', async () => {
    const photo = path.join(mkdtempSync(path.join(tmpdir(), 'madang-web-z-')), 'face.jpg');
    writeFileSync(photo, await syntheticFace('jpeg'));
    const w = await rig.page({ width: 375, height: 900 });
    const { page } = w;
    await w.goto('/zodiac');
    await page.getByRole('button', { name: '회원가입' }).click();
    // the original's rules: username and alias 2–10 characters
    const name = `z${Date.now().toString(36).slice(-7)}`;
    await page.getByLabel('아이디').fill(name);
    await page.getByLabel('비밀번호').fill('Passw0rd!long');
    await page.getByLabel('이메일').fill(`${name}@example.com`);
    await page.getByLabel('별명').fill(`별명${name.slice(-4)}`);
    await page.getByRole('button', { name: '회원가입' }).first().click();

    await page.getByLabel('얼굴 사진').setInputFiles(photo);
    await page.getByRole('img', { name: '선택한 사진 미리보기' }).waitFor();
    await page.getByRole('button', { name: '분석하기' }).click();
    await page.getByTestId('z-progress').waitFor();
    await w.shot('zodiac-progress');
    await page.locator('[data-testid="z-progress"][data-status="done"]').waitFor({ timeout: 90_000 });
    const result = page.getByTestId('z-result');
    await expect.poll(() => result.locator('ol.ranking > li').count()).toBe(3);
    expect(await page.locator('progress[max="3"]').evaluate((p) => (p as HTMLProgressElement).value)).toBe(3);
    await result.getByTestId('z-fortune').waitFor();
    expect((await result.locator('img.animal').getAttribute('alt'))?.length).toBeGreaterThan(0);
    await basics(page);
    await w.shot('zodiac-result');

    await page.getByRole('link', { name: '십이지신', exact: true }).click();
    await expect.poll(() => page.getByTestId('z-animals').locator('> li').count()).toBe(12);
    await page.getByRole('link', { name: '순위', exact: true }).click();
    await expect.poll(() => page.getByTestId('z-rank').locator('tbody tr').count()).toBeGreaterThanOrEqual(1);
    // the API's rank counts from 0 (for the original front end); the page shows the place, from 1
    expect(await page.getByTestId('z-rank').locator('tbody tr td').first().textContent()).toBe('1');
    await w.shot('zodiac-rank-375');
    await page.setViewportSize({ width: 1280, height: 900 });
    await w.shot('zodiac-rank-1280');
    await page.setViewportSize({ width: 375, height: 900 });
    await page.getByRole('link', { name: '내 기록', exact: true }).click();
    await expect.poll(() => page.getByTestId('z-history').locator('img').count()).toBe(1);
    await page.getByRole('link', { name: '도전 과제', exact: true }).click();
    await expect.poll(() => page.getByTestId('z-challenges').locator('> li').count()).toBeGreaterThan(0);
    await page.getByRole('link', { name: '통계', exact: true }).click();
    await expect.poll(() => page.getByTestId('z-stats').locator('.chart-row').count()).toBeGreaterThanOrEqual(1);
    await basics(page);
    await w.shot('zodiac-stats');
    expect(scriptErrors(w)).toEqual([]);
  }, 180_000);
});
