// npm run bench [-- name …]: runs the named benchmarks (default: all in bench/), printing tables.
import { readdirSync } from 'node:fs';
import path from 'node:path';

const here = import.meta.dirname;
const all = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'lib.ts'].includes(f))
  .map((f) => f.replace(/\.ts$/, ''));
const chosen = process.argv.slice(2).filter((a) => a !== '--');
const names = chosen.length ? chosen : all;

for (const name of names) {
  if (!all.includes(name)) {
    console.error(`unknown benchmark "${name}"; available: ${all.join(', ')}`);
    process.exit(2);
  }
  console.log(`\n# bench: ${name} (${new Date().toISOString()})`);
  const mod = (await import(path.join(here, `${name}.ts`))) as { default: () => Promise<void> };
  await mod.default();
}
process.exit(0);
