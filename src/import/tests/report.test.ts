import { describe, expect, it } from 'vitest';
import { terminalProgress } from '../progress.js';
import { Report } from '../report.js';

describe('Report', () => {
  it('prints one line per table and every reason with a few examples', () => {
    const r = new Report('machines', 'postgres://u:***@h/db', false);
    Object.assign(r.stats('accounts'), { read: 3, imported: 3, repaired: 1 });
    r.reason('accounts', 'repaired', 'username already used', '2 ("a" → "a_2")');
    for (let i = 1; i <= 7; i++) r.skipped('machines_history', 'issuing user no longer exists', String(i));
    r.stats('machines_history').read = 7;
    const out = r.summary();
    expect(out).toMatch(/^accounts\s+3\s+3\s+1\s+0\s+0\s+0\s+0$/m);
    expect(out).toMatch(/^machines_history\s+7\s+0\s+0\s+0\s+7\s+0\s+0$/m);
    expect(out).toContain('accounts: username already used (1): 2 ("a" → "a_2")');
    expect(out).toContain('machines_history: issuing user no longer exists (7): 1, 2, 3, 4, 5, … 2 more');
    expect(r.anyFailed).toBe(false);
    r.failed('machines_history', 'boom', '8');
    expect(r.anyFailed).toBe(true);
    expect(r.toJson().reasons.find((x) => x.kind === 'skipped')!.examples).toHaveLength(7);
  });

  it('a stopped run says so and how to continue', () => {
    const r = new Report('auth', 'x', false);
    r.error = 'connection refused';
    expect(r.summary()).toContain('Stopped: connection refused\nRun the same command again');
    expect(r.anyFailed).toBe(true);
  });
});

describe('terminalProgress', () => {
  const stream = (isTTY: boolean) => {
    const chunks: string[] = [];
    return { chunks, out: { isTTY, columns: 120, write: (s: string) => chunks.push(s) } as unknown as NodeJS.WriteStream };
  };

  it('draws a bar in place on a terminal', () => {
    const s = stream(true);
    const p = terminalProgress(s.out);
    p.start('machines_history', 200);
    p.advance(100);
    p.done();
    expect(s.chunks[0]).toMatch(/^\rmachines_history\s+\[\.{30}\] 0\/200/);
    expect(s.chunks.at(-2)).toMatch(/\[#{30}\] 100\/200|\[#{15}\.{15}\] 100\/200/);
    expect(s.chunks.at(-1)).toBe('\n');
  });

  it('writes nothing to a pipe or a file', () => {
    const s = stream(false);
    const p = terminalProgress(s.out);
    p.start('x', 10);
    p.advance(10);
    p.done();
    expect(s.chunks).toEqual([]);
  });
});
