// Which Chromium the browser tests launch: the system's /usr/bin/chromium when there is one,
// otherwise the one that comes from npm (@sparticuz/chromium, a dev dependency), so `npm install &&
// npm test` needs nothing installed by hand. MADANG_IGNORE_SYSTEM_CHROMIUM=1 uses the npm one even
// where the system has its own.
import { existsSync } from 'node:fs';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export function usesSystemChromium(): boolean {
  return !process.env.MADANG_IGNORE_SYSTEM_CHROMIUM && existsSync(SYSTEM_CHROMIUM);
}

/**
 * The npm Chromium's executable and the flags of its build that the tests keep. Its first call on a
 * machine unpacks the brotli-compressed build (and fonts, Korean included) into the temp dir, writing
 * straight to the final path, and a later call only checks the path exists: test/global-setup.ts
 * calls it once before the test files run in parallel, or one of them would launch the file while
 * another is still writing it (ETXTBSY, seen on a fresh machine).
 */
export async function npmChromium(): Promise<{ executablePath: string; args: string[] }> {
  const { default: chromium } = await import('@sparticuz/chromium');
  // not its serverless flags: --single-process breaks a second browser context, and the tests must
  // see the web security a real browser has; only its software GL is kept
  const args = chromium.args.filter((a) => /^--(use-gl|use-angle|enable-unsafe-swiftshader|in-process-gpu|no-zygote)/.test(a));
  return { executablePath: await chromium.executablePath(), args };
}
