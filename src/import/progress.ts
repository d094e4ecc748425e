// A progress bar on a terminal (redrawn in place, at most ten times a second); nothing when the
// output is a pipe or a file, where the summary at the end is what gets read.

export interface Progress {
  start(label: string, total: number): void;
  advance(rows: number): void;
  done(): void;
}

export const silentProgress: Progress = { start() {}, advance() {}, done() {} };

export function terminalProgress(out: NodeJS.WriteStream): Progress {
  if (!out.isTTY) return silentProgress;
  let label = '';
  let total = 0;
  let seen = 0;
  let began = 0;
  let drawn = 0;
  const draw = (force = false) => {
    const now = Date.now();
    if (!force && now - drawn < 100) return;
    drawn = now;
    const width = 30;
    const share = total > 0 ? Math.min(1, seen / total) : 1;
    const filled = Math.round(share * width);
    const rate = seen / Math.max(0.001, (now - began) / 1000);
    const text = `${label.padEnd(24).slice(0, 24)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${seen}/${total} ${Math.round(rate)} rows/s`;
    out.write(`\r${text.slice(0, Math.max(20, (out.columns ?? 100) - 1))}\u001b[K`);
  };
  return {
    start(l, t) {
      label = l;
      total = t;
      seen = 0;
      began = Date.now();
      draw(true);
    },
    advance(rows) {
      seen += rows;
      draw();
    },
    done() {
      draw(true);
      out.write('\n');
    },
  };
}
