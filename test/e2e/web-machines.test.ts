// The machines section in a real browser: sign up, create (field errors), START/STOP with the
// run's progress and the status updating live over WebSocket (also for a change made outside the
// page), edit, history with filters, delete; a history link for one machine (?machine=) whose
// filter keeps that machine, laid out without overlaps at 1280 px. The simulator takes 1.5 s per
// command.
import { describe, expect, it } from 'vitest';
import { basics, machinesApi, machinesUser, scriptErrors, uniq, webRig, type WebRig } from './web-helpers.js';

/** a machines user with two machines and runs on both (START on the first; START, STOP on the second), through the API */
async function withRuns(rig: WebRig) {
  const api = machinesApi(rig);
  const { token, a, b, session } = await machinesUser(api, 'hist');
  const finished = async (machine: number, command: string) => {
    const { run_id } = await api<{ run_id: number }>('POST', `/api/machines/${machine}/operation/`, token, { command });
    await expect
      .poll(async () => (await api<{ state: string }>('GET', `/api/machines/${machine}/runs/${run_id}/`, token)).state, { timeout: 15_000 })
      .toBe('done');
  };
  await finished(a.id, 'START');
  await finished(b.id, 'START');
  await finished(b.id, 'STOP');
  return { b: b.id, session };
}

const rig = webRig({ MACHINE_SIM_LATENCY_MS: '1500' });

describe('web: machines', () => {
  it('manages machines with live status, runs and history', async () => {
    const w = await rig.page({ width: 375, height: 900 });
    const { page } = w;
    page.on('dialog', (d) => void d.accept());
    await w.goto('/machines');
    await page.getByRole('button', { name: '회원가입' }).click();
    const name = uniq('mc');
    await page.getByLabel('아이디').fill(name);
    await page.getByLabel('비밀번호').fill('machine-pass-1');
    await page.getByLabel('이메일').fill(`${name}@example.com`);
    await page.getByRole('button', { name: '회원가입' }).first().click();
    await page.getByTestId('live').and(page.locator('[data-state="open"]')).waitFor();

    // empty name: the server's field message under the input
    const form = page.getByRole('form', { name: '기계 등록' });
    await form.getByLabel('위치').fill('A동 1라인');
    await form.getByRole('button', { name: '저장' }).click();
    await expect.poll(() => form.locator('.field-error[data-field="name"]').textContent()).toBeTruthy();
    await form.getByLabel('이름').fill('Press-1');
    await form.getByRole('button', { name: '저장' }).click();
    const card = page.locator('li.card', { hasText: 'Press-1' });
    await card.waitFor();
    expect(await card.getByTestId('status').textContent()).toBe('대기');
    await basics(page);

    // START: progress through the run's states, the status turns RUNNING live
    await card.getByRole('button', { name: '가동' }).click();
    await card.locator('.run[data-state="pending"], .run[data-state="running"]').first().waitFor();
    await w.shot('machines-running');
    await card.locator('.run[data-state="done"]', { hasText: 'START' }).waitFor({ timeout: 15_000 });
    await expect.poll(() => card.getByTestId('status').textContent()).toBe('가동 중');
    await card.getByRole('button', { name: '정지' }).click();
    await card.locator('.run[data-state="done"]', { hasText: 'STOP' }).waitFor({ timeout: 15_000 });
    await expect.poll(() => card.getByTestId('status').textContent()).toBe('대기');

    // a change made elsewhere (another client) arrives over the socket
    const session = await page.evaluate(() => JSON.parse(localStorage.getItem('madang.session.machines') ?? '{}') as { access: string });
    const id = Number((await card.getAttribute('data-testid'))!.replace('machine-', ''));
    const put = await fetch(`${rig.server.url}/machines/api/machines/${id}/`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${session.access}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Press-1', location: 'A동 1라인', status: 4 }),
    });
    expect(put.status).toBe(200);
    await expect.poll(() => card.getByTestId('status').textContent(), { timeout: 5000 }).toBe('오류');

    // edit
    await card.getByRole('button', { name: '수정' }).click();
    const edit = card.getByRole('form', { name: '수정' });
    await edit.getByLabel('이름').fill('Press-1B');
    await edit.getByLabel('상태').selectOption('1');
    await edit.getByRole('button', { name: '저장' }).click();
    await page.locator('li.card h3', { hasText: 'Press-1B' }).waitFor();
    await w.shot('machines-dashboard');

    // history: two runs, filterable by command
    await page.locator('li.card', { hasText: 'Press-1B' }).getByRole('link', { name: '작업 이력' }).click();
    const rows = page.getByTestId('history').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    await page.getByLabel('명령').selectOption('START');
    await page.getByRole('button', { name: '조회' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('START');
    expect(page.url()).toContain('command=START');
    expect(await page.getByRole('button', { name: /다음 페이지/ }).isDisabled()).toBe(true);
    await basics(page);
    await w.shot('machines-history');

    // delete
    await page.getByRole('link', { name: '기계 목록으로' }).click();
    const again = page.locator('li.card', { hasText: 'Press-1B' });
    await again.getByRole('button', { name: '삭제' }).click();
    await again.waitFor({ state: 'detached' });
    await page.getByText('등록된 기계가 없습니다.').waitFor();
    expect(scriptErrors(w, [400])).toEqual([]);
  }, 120_000);

  it('history of one machine: ?machine= preselects it, another filter keeps it, no overlaps at 1280 px', async () => {
    const { b, session } = await withRuns(rig);
    for (const width of [1280, 375]) {
      const w = await rig.page({ width, height: 900 });
      const { page } = w;
      await w.goto('/');
      await page.evaluate((s) => localStorage.setItem('madang.session.machines', JSON.stringify(s)), session);
      await w.goto(`/machines/history?machine=${b}`);
      await page.getByRole('heading', { name: 'Press-B 이력' }).waitFor();
      const filters = page.getByRole('form', { name: '조회' });
      const machine = filters.getByLabel('기계');
      // the machines load after the form: the select still shows the machine of the URL
      await expect.poll(() => machine.inputValue()).toBe(String(b));
      expect(await machine.locator('option:checked').textContent()).toBe('Press-B');
      const rows = page.getByTestId('history').locator('tbody tr');
      await expect.poll(() => rows.count()).toBe(2);

      // another filter: the machine stays in the URL, the select and the rows
      await filters.getByLabel('명령').selectOption('STOP');
      await filters.getByRole('button', { name: '조회' }).click();
      await expect.poll(() => new URL(page.url()).searchParams.get('command')).toBe('STOP');
      expect(new URL(page.url()).searchParams.get('machine')).toBe(String(b));
      await expect.poll(() => rows.count()).toBe(1);
      expect(await rows.first().textContent()).toContain('Press-B');
      expect(await page.getByRole('heading', { level: 2 }).first().textContent()).toBe('Press-B 이력');
      await expect.poll(() => filters.getByLabel('기계').inputValue()).toBe(String(b));

      // every field stays inside its cell and no two cells (or the button) overlap
      const layout = await page.evaluate(() => {
        const boxes = [...document.querySelectorAll('form.filters > *')].map((el) => el.getBoundingClientRect());
        const overflowing = [...document.querySelectorAll('form.filters .field')].filter((f) => {
          const input = f.querySelector('input, select')!.getBoundingClientRect();
          const cell = f.getBoundingClientRect();
          return input.right > cell.right + 1 || input.left < cell.left - 1;
        }).length;
        let overlaps = 0;
        for (let i = 0; i < boxes.length; i++) {
          for (let j = i + 1; j < boxes.length; j++) {
            const p = boxes[i]!;
            const q = boxes[j]!;
            if (p.left < q.right - 1 && q.left < p.right - 1 && p.top < q.bottom - 1 && q.top < p.bottom - 1) overlaps++;
          }
        }
        return { overflowing, overlaps };
      });
      expect(layout).toEqual({ overflowing: 0, overlaps: 0 });
      await basics(page);
      await w.shot(`machines-history-filter-${width}`);

      // all machines again: the first machine's run is back
      await filters.getByLabel('기계').selectOption('');
      await filters.getByLabel('명령').selectOption('START');
      await filters.getByRole('button', { name: '조회' }).click();
      await expect.poll(() => new URL(page.url()).searchParams.get('machine')).toBeNull();
      await expect.poll(() => rows.count()).toBe(2);
      expect(await page.getByTestId('history').textContent()).toContain('Press-A');
      expect(scriptErrors(w)).toEqual([]);
      await w.close();
    }
  }, 120_000);
});
