import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { HashQueue, hashPassword, hashQueue, verifyPassword } from './password.js';

describe('password hashing', () => {
  it('argon2id with OWASP parameters, verified and not in need of a re-hash', async () => {
    const h = await hashPassword('12341234');
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(h, '12341234')).toEqual({ ok: true, needsRehash: false });
    expect(await verifyPassword(h, '12341235')).toEqual({ ok: false, needsRehash: false });
  });

  it('verifies a Django pbkdf2_sha256 hash (vector computed with Python hashlib) and asks for a re-hash', async () => {
    const django = 'pbkdf2_sha256$1000$madangsalt$tH1qg2BW9c3HmXbCbzadC4y/j6j+/usvNOLzRNpg1JU=';
    expect(await verifyPassword(django, '12341234')).toEqual({ ok: true, needsRehash: true });
    expect(await verifyPassword(django, 'wrong')).toEqual({ ok: false, needsRehash: false });
    expect((await verifyPassword('pbkdf2_sha256$abc$salt$x', '12341234')).ok).toBe(false);
  });

  it('verifies bcrypt $2b$ hashes and asks for a re-hash', async () => {
    const h = bcrypt.hashSync('secret-pass', 4).replace(/^\$2a\$/, '$2b$');
    expect(await verifyPassword(h, 'secret-pass')).toEqual({ ok: true, needsRehash: true });
    expect((await verifyPassword(h, 'other')).ok).toBe(false);
  });

  it('an older argon2 parameter set verifies and asks for a re-hash; unknown formats never verify', async () => {
    const { hash } = await import('@node-rs/argon2');
    const weak = await hash('pw-123456', { algorithm: 2, memoryCost: 8192, timeCost: 1, parallelism: 1 });
    expect(await verifyPassword(weak, 'pw-123456')).toEqual({ ok: true, needsRehash: true });
    expect((await verifyPassword('plaintext', 'plaintext')).ok).toBe(false);
    expect((await verifyPassword('md5$abc$def', 'x')).ok).toBe(false);
  });

  it('over-long passwords are refused before hashing', async () => {
    const h = await hashPassword('short-password');
    expect((await verifyPassword(h, 'x'.repeat(10_000))).ok).toBe(false);
  });

  it('hashes wait in one queue: at most `concurrency` run at once, first come first served, overflow refused with 503', async () => {
    const queue = new HashQueue(2, 3);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const releases: Array<() => void> = [];
    const job = (i: number) =>
      queue.run(async () => {
        running++;
        most = Math.max(most, running);
        order.push(i);
        await new Promise<void>((r) => releases.push(r));
        running--;
        return i;
      });
    const jobs = [0, 1, 2, 3, 4].map(job);
    await expect(job(5)).rejects.toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(queue.queued).toBe(3);
    while (order.length < 5 || releases.length) {
      await new Promise((r) => setImmediate(r));
      releases.shift()?.();
    }
    expect(await Promise.all(jobs)).toEqual([0, 1, 2, 3, 4]);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
    // a failed job frees its slot too
    await expect(queue.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await queue.run(async () => 'next')).toBe('next');
  });

  it('the process queue runs one password hash per core at a time', async () => {
    expect(hashQueue.concurrency).toBeGreaterThanOrEqual(1);
    const hashes = await Promise.all(Array.from({ length: 4 }, (_, i) => hashPassword(`pw-${i}-12345678`)));
    expect(await Promise.all(hashes.map((h, i) => verifyPassword(h, `pw-${i}-12345678`)))).toEqual(Array(4).fill({ ok: true, needsRehash: false }));
  });
});
