import { describe, expect, it } from 'vitest';
import { rankResults } from '../apps/zodiac.js';
import { parseMediaRef } from '../media.js';
import { runState } from '../../apps/machines/machines.table.js';
import { machineRunRow, RESULT } from '../task-rows.js';

describe('machineRunRow: a history row is always a finished run', () => {
  const base = { id: 1, machineId: 2, workerId: 3, machineOwnerId: 3, command: 'START' as const, requestDatetime: new Date(1000), createdAt: new Date(11_000) };
  it.each([
    [RESULT.SUCCESS, 'done', null, null, 1],
    [RESULT.REMOTEFAILED, 'done', null, 'remote_failed', 4],
    [RESULT.INTERNALFAILED, 'failed', 'INTERNAL_FAILED', 'internal_error', null],
    [RESULT.PENDING, 'done', null, 'unknown_reply', 3],
    [RESULT.PERMISSIONDENIED, 'failed', 'REJECTED', 'not_owner', null],
    [RESULT.INVALIDCOMMAND, 'failed', 'REJECTED', 'invalid_state', null],
  ])('result %i → %s %s (%s), status after %s', (result, status, errorCode, reason, statusAfter) => {
    const row = machineRunRow({ ...base, result });
    expect(row).toMatchObject({ status, errorCode, reason, statusAfter, result, leaseOwner: null, leaseUntil: null, finishedAt: base.createdAt });
    expect(runState({ status: row.status!, errorCode: row.errorCode ?? null })).toBe(
      errorCode === 'REJECTED' ? 'rejected' : status,
    );
  });
});

describe('rankResults (zodiac: no rank column, a row per poll, the mouse bug)', () => {
  const animals = new Map(Array.from({ length: 12 }, (_, i) => [i + 1, i + 1]));
  const r = (id: number, great: number, similarity: number) => ({ id, great_id: great, similarity, picture_id: 1 });
  it('one row per animal, by similarity, three at most; repeats merge into the kept row', () => {
    const out = rankResults([r(1, 3, 87.3), r(2, 11, 6.1), r(3, 2, 2), r(4, 3, 87.3), r(5, 5, 1.5)], animals);
    expect(out.kept.map((k) => [k.rank, k.animalId, k.similarity, k.row.id])).toEqual([
      [1, 3, 87.3, 1],
      [2, 11, 6.1, 2],
      [3, 2, 2, 3],
    ]);
    expect(out.dropped.map((d) => [d.row.id, d.into ?? null])).toEqual([
      [4, 1],
      [5, null],
    ]);
  });

  it('an unknown animal is dropped; similarity is kept within 0–100', () => {
    const out = rankResults([r(1, 13, 50), r(2, 4, 140)], animals);
    expect(out.kept.map((k) => k.similarity)).toEqual([100]);
    expect(out.dropped[0]!.reason).toContain('not one of the twelve');
  });
});

describe('parseMediaRef', () => {
  it('an S3 URL gives its key, then the key without a path-style bucket, then the file name', () => {
    expect(parseMediaRef('https://greatman-bucket2.s3.ap-northeast-2.amazonaws.com/image/a-b.png').candidates).toEqual(['image/a-b.png', 'a-b.png']);
    expect(parseMediaRef('https://s3.ap-northeast-2.amazonaws.com/what-moji/x.jpg').candidates).toEqual(['what-moji/x.jpg', 'x.jpg']);
  });

  it('notices credentials in the URL', () => {
    expect(parseMediaRef('https://b.s3.amazonaws.com/k.png?X-Amz-Algorithm=A&X-Amz-Signature=abc').leaked).toBe(true);
    expect(parseMediaRef('https://user:pw@host/k.png').leaked).toBe(true);
    expect(parseMediaRef('https://b.s3.amazonaws.com/k.png?v=2').leaked).toBe(false);
  });

  it('names nothing outside the folder, and nothing for empty or broken references', () => {
    expect(parseMediaRef('../../etc/passwd').candidates).toEqual([]);
    expect(parseMediaRef('https://host/a%2F..%2F..%2Fsecret').candidates).toEqual([]);
    expect(parseMediaRef('').candidates).toEqual([]);
    expect(parseMediaRef('http://[broken').candidates).toEqual([]);
    expect(parseMediaRef('media/x.png').candidates).toEqual(['media/x.png', 'x.png']);
  });
});
