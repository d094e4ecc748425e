// Demo data for trying madang by hand. Passwords come from DEMO_PASSWORD or are generated and
// printed once; nothing is taken from the originals' committed credentials.
import { randomBytes } from 'node:crypto';
import type { Container } from './container.js';

export async function seedDemo(container: Container): Promise<void> {
  const password = container.core.config.DEMO_PASSWORD ?? randomBytes(9).toString('base64url');
  const results: string[] = [];
  for (const mod of container.apps) {
    const seeded = await mod.seedDemo?.(password);
    if (seeded) results.push(`${mod.name}: ${seeded}`);
  }
  process.stdout.write(`${results.join('\n')}\n`);
  if (!container.core.config.DEMO_PASSWORD) process.stdout.write(`demo password (shown once): ${password}\n`);
}
