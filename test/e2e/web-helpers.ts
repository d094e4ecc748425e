// Browser tests of the web front end: the real server process (embedded defaults) serving the
// built SPA, driven by headless Chromium through playwright-core: the system's /usr/bin/chromium when
// there is one, otherwise the Chromium that comes from npm (@sparticuz/chromium, a dev dependency),
// so `npm install && npm test` needs nothing installed by hand. MADANG_IGNORE_SYSTEM_CHROMIUM=1
// uses the npm one even where the system has its own. Every page records its console errors;
// `basics` checks alt texts, labels and the 375 px layout on the current page.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { ensureBuilt } from '../../web/scripts/ensure-built.js';
import { npmChromium, SYSTEM_CHROMIUM, usesSystemChromium } from '../chromium.js';
import { processEnv, startProcess, type Proc } from '../process.js';

const RESULTS = path.resolve(import.meta.dirname, '../../test-results');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

async function launchChromium(): Promise<Browser> {
  if (usesSystemChromium()) return chromium.launch({ executablePath: SYSTEM_CHROMIUM, args: ARGS });
  const npm = await npmChromium();
  return chromium.launch({ executablePath: npm.executablePath, args: [...ARGS, ...npm.args] });
}

export interface WebRig {
  server: Proc;
  browser: Browser;
  /** a fresh browser context (own storage) with a page that records console errors */
  page(opts?: PageOptions): Promise<WebPage>;
}

export interface PageOptions {
  width?: number;
  height?: number;
  lang?: string;
  /** grants geolocation at this point ("use my location") */
  geo?: { latitude: number; longitude: number };
}

export interface WebPage {
  page: Page;
  errors: string[];
  goto(pathname: string): Promise<void>;
  /** writes test-results/web-<name>.png */
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** starts the server and the browser once per test file, stops both afterwards */
export function webRig(env: Record<string, string> = {}): WebRig {
  const rig = {} as WebRig;
  const opened: WebPage[] = [];
  beforeAll(async () => {
    await ensureBuilt();
    const [server, browser] = await Promise.all([
      startProcess('serve', processEnv({ RUN_WORKERS: 'true', ...env }), false).then(ready),
      launchChromium(),
    ]);
    rig.server = server;
    rig.browser = browser;
    rig.page = async (opts = {}) => {
      const context = await browser.newContext({
        viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 },
        locale: opts.lang ?? 'ko-KR',
        ...(opts.geo ? { geolocation: opts.geo, permissions: ['geolocation'] } : {}),
      });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      const w: WebPage = {
        page,
        errors,
        goto: async (p) => {
          await page.goto(`${server.url}${p}`);
        },
        shot: async (name) => {
          mkdirSync(RESULTS, { recursive: true });
          await page.screenshot({ path: path.join(RESULTS, `web-${name}.png`), fullPage: true });
        },
        close: () => context.close(),
      };
      opened.push(w);
      return w;
    };
  }, 300_000);
  afterAll(async () => {
    for (const w of opened.splice(0)) await w.close().catch(() => undefined);
    await rig.browser?.close();
    await rig.server?.stop();
  });
  return rig;
}

/**
 * waits for /readyz longer than startProcess does: five apps booting on a busy shared machine
 * (other suites running) can take more than its 45 s
 */
async function ready(proc: Proc, timeoutMs = 150_000): Promise<Proc> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`server exited (${proc.child.exitCode}):\n${proc.output()}`);
    const ok = await fetch(`${proc.url}/readyz`).then((r) => r.status === 200, () => false);
    if (ok) return proc;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server not ready after ${timeoutMs} ms:\n${proc.output()}`);
}

/** every image has alt text, every form control a label, nothing wider than the viewport */
export async function basics(page: Page): Promise<void> {
  const report = await page.evaluate(() => {
    const noAlt = [...document.querySelectorAll('img')].filter((i) => !i.hasAttribute('alt')).map((i) => i.outerHTML.slice(0, 120));
    const controls = [...document.querySelectorAll('input, select, textarea')].filter(
      (el) => (el as HTMLInputElement).type !== 'hidden',
    ) as HTMLInputElement[];
    const unlabelled = controls
      .filter((el) => !(el.labels && el.labels.length > 0) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
      .map((el) => el.outerHTML.slice(0, 120));
    const width = document.documentElement.clientWidth;
    const overflow = document.documentElement.scrollWidth > width + 1;
    return { noAlt, unlabelled, overflow, width, scroll: document.documentElement.scrollWidth };
  });
  expect(report.noAlt, 'images without alt').toEqual([]);
  expect(report.unlabelled, 'inputs without a label').toEqual([]);
  expect(report.overflow, `page is ${report.scroll}px wide in a ${report.width}px viewport`).toBe(false);
}

/**
 * console errors other than Chromium's network lines for the given statuses: a test that provokes
 * a 400 on purpose (to show field errors) sees Chromium log the failed request; that is expected
 */
export function scriptErrors(w: WebPage, expectedStatuses: number[] = []): string[] {
  const expected = new RegExp(`status of (${expectedStatuses.join('|') || 'none'}) `);
  return w.errors.filter((e) => !(e.startsWith('Failed to load resource') && expected.test(e)));
}

export const uniq = (prefix: string) => `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

export type MachinesApi = <T>(method: string, path: string, token?: string, body?: unknown) => Promise<T>;

/** the machines API of the rig's server, as the page's own requests would call it (any non-2xx fails the test) */
export function machinesApi(rig: WebRig): MachinesApi {
  return async <T>(method: string, path: string, token?: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${rig.server.url}/machines${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(res.status, `${method} ${path}`).toBeLessThan(300);
    return ((await res.json()) as { result: T }).result;
  };
}

/** a new machines user with two machines (Press-A, Press-B), and the session the web page keeps */
export async function machinesUser(api: MachinesApi, prefix: string) {
  const name = uniq(prefix);
  const signed = await api<{ user: { id: number; username: string }; token: { access: string; refresh: string } }>('POST', '/api/sign-up/', undefined, {
    username: name,
    password: 'machine-pass-1',
    email: `${name}@example.com`,
  });
  const token = signed.token.access;
  const a = await api<{ id: number }>('POST', '/api/machines/', token, { name: 'Press-A', location: 'A동' });
  const b = await api<{ id: number }>('POST', '/api/machines/', token, { name: 'Press-B', location: 'B동' });
  const session = { access: token, refresh: signed.token.refresh, user: { id: signed.user.id, username: signed.user.username } };
  return { name, token, a, b, session };
}
