// issue 15 #10: the HTML Content-Security-Policy allowed 'unsafe-inline' scripts, so markup
// injected into a page could run. Now script-src is 'self' alone; every page the server sends as
// HTML (the SPA, the Scalar reference, both Swagger UIs) must still render in a real browser with
// no policy violation, and a <script> or on…= handler injected into a page must not run.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { webRig, type WebPage } from './web-helpers.js';

const rig = webRig();

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
}

/** records every securitypolicyviolation event of the page (the init script is not subject to the policy) */
async function watchViolations(page: Page): Promise<() => Promise<Violation[]>> {
  await page.addInitScript(() => {
    const seen: Violation[] = [];
    (window as unknown as { __violations: Violation[] }).__violations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample }),
    );
  });
  return () => page.evaluate(() => (window as unknown as { __violations: Violation[] }).__violations);
}

/** a policy header as directive → values */
function directives(header: string): Record<string, string[]> {
  const parts = header.split(';').map((d) => d.trim().split(/\s+/));
  return Object.fromEntries(parts.filter((p) => p[0]).map(([name, ...values]) => [name, values]));
}

const cspErrors = (w: WebPage) => w.errors.filter((e) => /Content Security Policy/i.test(e));

/** the pages and what shows each has rendered (its scripts ran) */
const PAGES: Array<[string, (page: Page) => Promise<unknown>]> = [
  ['/', (page) => page.getByRole('heading', { level: 1, name: /마당/ }).waitFor()],
  ['/mealbuddy', (page) => page.getByRole('heading', { level: 1, name: /밀버디/ }).waitFor()],
  ['/api/docs/', (page) => page.getByRole('heading', { name: 'madang API' }).first().waitFor({ timeout: 30_000 })],
  ['/swagger', (page) => page.locator('.swagger-ui .info .title', { hasText: 'madang API' }).waitFor({ timeout: 30_000 })],
  ['/api/swagger/', (page) => page.locator('.swagger-ui .info .title', { hasText: 'madang API' }).waitFor({ timeout: 30_000 })],
];

describe('web: content security policy', () => {
  it('every HTML page is sent with script-src \'self\' only and renders with no violation', async () => {
    for (const [url, rendered] of PAGES) {
      const w = await rig.page();
      const violations = await watchViolations(w.page);
      const res = await w.page.goto(`${rig.server.url}${url}`);
      const csp = directives(res?.headers()['content-security-policy'] ?? '');
      expect([csp['script-src'], csp['script-src-attr'], csp['script-src-elem']], url).toEqual([["'self'"], ["'none'"], undefined]);
      await rendered(w.page);
      await w.page.waitForLoadState('networkidle');
      expect(await violations(), url).toEqual([]);
      expect(cspErrors(w), url).toEqual([]);
      if (url === '/api/docs/') await w.shot('csp-docs');
      await w.close();
    }
  }, 180_000);

  it('a <script> or an on…= handler injected into a page does not run, and the page still renders', async () => {
    for (const [url, rendered] of [PAGES[1]!, PAGES[2]!]) {
      const w = await rig.page();
      const violations = await watchViolations(w.page);
      // the server's own answer, headers and all, with markup an attacker got into it
      await w.page.route(`${rig.server.url}${url}`, async (route) => {
        const original = await route.fetch();
        const html = (await original.text()).replace(
          '</body>',
          '<script>window.__injected = "script"</script><img alt="" src="/no-such.png" onerror="window.__handler = 1"></body>',
        );
        await route.fulfill({ response: original, body: html });
      });
      const res = await w.page.goto(`${rig.server.url}${url}`);
      expect(res?.headers()['content-security-policy'], url).toContain("script-src 'self'");
      await rendered(w.page);
      await w.page.waitForLoadState('networkidle');
      expect(await w.page.evaluate(() => [(window as { __injected?: string }).__injected, (window as { __handler?: number }).__handler]), url).toEqual([
        undefined,
        undefined,
      ]);
      const seen = await violations();
      expect(seen.map((v) => v.directive).sort(), url).toEqual(['script-src-attr', 'script-src-elem']);
      expect(seen.find((v) => v.directive === 'script-src-elem')?.blocked, url).toBe('inline');
      expect(cspErrors(w).length, url).toBeGreaterThan(0); // Chromium reports the refusals on the console
      await w.close();
    }
  }, 120_000);
});
