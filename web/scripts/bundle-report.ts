// Prints every JS chunk with its gzip size after a build and fails the build when the JS a first
// visit loads (the entry chunk and its static imports, not the lazy sections) exceeds the budget.
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

interface ChunkLike {
  type: 'chunk';
  fileName: string;
  code: string;
  isEntry: boolean;
  imports: string[];
}

export function initialBundleReport(budgetBytes: number): Plugin {
  return {
    name: 'madang-initial-bundle-report',
    apply: 'build',
    writeBundle(_options, bundle) {
      const chunks = new Map<string, ChunkLike>();
      for (const [name, item] of Object.entries(bundle)) if (item.type === 'chunk') chunks.set(name, item as ChunkLike);
      const initial = new Set<string>();
      const visit = (name: string) => {
        if (initial.has(name)) return;
        initial.add(name);
        for (const dep of chunks.get(name)?.imports ?? []) visit(dep);
      };
      for (const [name, c] of chunks) if (c.isEntry) visit(name);
      const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
      let initialGzip = 0;
      const lines = [...chunks.values()]
        .map((c) => ({ c, gz: gzipSync(c.code).length }))
        .sort((a, b) => b.gz - a.gz)
        .map(({ c, gz }) => {
          if (initial.has(c.fileName)) initialGzip += gz;
          return `  ${initial.has(c.fileName) ? 'initial' : 'lazy   '}  ${kb(gz).padStart(9)} gzip  ${c.fileName}`;
        });
      process.stdout.write(`\ninitial JS: ${kb(initialGzip)} gzip (budget ${kb(budgetBytes)})\n${lines.join('\n')}\n`);
      if (initialGzip > budgetBytes) this.error(`initial JS ${kb(initialGzip)} gzip exceeds the ${kb(budgetBytes)} budget`);
    },
  };
}
