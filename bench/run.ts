// npm run bench [-- name … [folder] [--flag]]: runs the named benchmarks (default: all in bench/), printing tables;
// a run of all of them also writes bench/REPORT.md (date, machine, every table printed).
import { writeFileSync } from 'node:fs';
import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const here = import.meta.dirname;
const all = readdirSync(here)
  // helpers are lib.ts and <bench>.<part>.ts; every other <name>.ts is a benchmark
  .filter((f) => /^[a-z][a-z-]*\.ts$/.test(f) && !['run.ts', 'lib.ts'].includes(f))
  .map((f) => f.replace(/\.ts$/, ''));
// arguments that are not benchmark names (a folder, --write) are left for the benchmarks to read
const chosen = process.argv.slice(2).filter((a) => a !== '--' && !a.startsWith('-') && !a.includes('/') && !a.includes('.'));
const names = chosen.length ? chosen : all;

const lines: string[] = [];
const print = console.log.bind(console);
console.log = (...args: unknown[]) => {
  lines.push(args.map(String).join(' '));
  print(...args);
};

for (const name of names) {
  if (!all.includes(name)) {
    console.error(`unknown benchmark "${name}"; available: ${all.join(', ')}`);
    process.exit(2);
  }
  console.log(`\n# bench: ${name} (${new Date().toISOString()})`);
  const mod = (await import(path.join(here, `${name}.ts`))) as { default: () => Promise<void> };
  await mod.default();
}

if (!chosen.length) {
  const cpus = os.cpus();
  const header = [
    '# madang benchmark report',
    '',
    `- date: ${new Date().toISOString()}`,
    `- machine: ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}`,
    `- node ${process.version}; load average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    '- each HTTP figure is compared with bare node:http measured in the same run',
    '',
  ];
  writeFileSync(path.join(here, 'REPORT.md'), `${header.join('\n')}${lines.join('\n')}\n`);
}
process.exit(0);
