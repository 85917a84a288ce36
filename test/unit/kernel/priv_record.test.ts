// The allocator's per-block records (src/kernel/priv_record.ts, kept by priv.ts): kfree_words of a
// pointer that is no block's start, or with a length other than the block's, is KASAN's
// invalid-free and changes nothing — also below the cursor, where the old allocator trusted the
// caller's length and poisoned the neighbour block — and every KASAN report on private words
// carries who allocated and who freed the block, in which function (Finding.slab), the block's
// current record after a reuse. A freed block freed again is a double free whatever the length
// (the kernel's kfree takes no size).
import { describe, expect, it } from 'vitest';
import { collectResult } from '../../../src/exec/collect_result.js';
import type { Finding } from '../../../src/exec/result.js';
import { C_NEXT_PRIV } from '../../../src/shm/layout.js';
import { kfree_words } from '../../../src/kernel/priv.js';
import type { Task } from '../../../src/kernel/task.js';
import { exhaustPriv, fenceTask, taskFindingTitles } from '../../support/fence_task.js';
import { driver_alloc, driver_read, driver_realloc, driver_release } from '../../support/priv_sites.js';

/** The model's findings of `t`'s trial as a result reads them (task 0 is actor 'T'; the trial
 *  never ended, so its end-state finding is left out). */
function findings(t: Task): readonly Finding[] {
  return collectResult(t.arena, 0, { actorNames: ['T'], leakCheck: false }).findings.filter((f) => f.code.startsWith('PRIV_'));
}

describe('kfree_words checks the pointer and the length against the block record', () => {
  it('a wrong length below the cursor (kfree(w, 8) of a 4-word block) is PRIV_INVALID_FREE; neither block is poisoned', () => {
    const t = fenceTask();
    const w = driver_alloc(t, 4);
    const next = driver_alloc(t, 4);
    driver_release(t, w, 8);
    expect(taskFindingTitles(t)).toEqual(['PRIV_INVALID_FREE: use-after-free in driver_release (invalid-free)']);
    for (let i = 0; i < 4; i++) { driver_read(t, w + i); driver_read(t, next + i); }
    expect(taskFindingTitles(t)).toHaveLength(1);
  });

  it('a pointer inside a block is PRIV_INVALID_FREE naming the block\'s allocator, and nothing is poisoned', () => {
    const t = fenceTask();
    const w = driver_alloc(t, 4);
    driver_alloc(t, 4);
    driver_release(t, w + 1, 3);
    expect(taskFindingTitles(t)).toEqual(['PRIV_INVALID_FREE: use-after-free in driver_release (invalid-free)']);
    expect(findings(t)[0]?.slab).toEqual({ allocBy: 0, allocFn: 'driver_alloc', freeBy: -1, freeFn: '' });
    for (let i = 0; i < 4; i++) driver_read(t, w + i);
    expect(taskFindingTitles(t)).toHaveLength(1);
  });

  it('a second free with another length (alloc 4, free 4, free 3) is PRIV_DOUBLE_FREE: kfree takes no size', () => {
    const t = fenceTask();
    const w = driver_alloc(t, 4);
    driver_release(t, w, 4);
    driver_release(t, w, 3);
    expect(findings(t).map((f) => [f.code, f.title, f.slab])).toEqual([
      ['PRIV_DOUBLE_FREE', 'use-after-free in driver_release (double-free)', { allocBy: 0, allocFn: 'driver_alloc', freeBy: 0, freeFn: 'driver_release' }],
    ]);
  });

  it('a word of a block whose record another task has not written yet (after its cursor CAS) is PRIV_INVALID_FREE naming no block', () => {
    const t = fenceTask();
    driver_alloc(t, 4);
    const w = Atomics.add(t.i32, t.ctl + C_NEXT_PRIV, 4);
    driver_release(t, w + 1, 3);
    expect(findings(t).map((f) => [f.code, f.slab])).toEqual([
      ['PRIV_INVALID_FREE', { allocBy: -1, allocFn: '', freeBy: -1, freeFn: '' }],
    ]);
  });

  it('a one-word block is a block: freed, then read, it is a use-after-free', () => {
    const t = fenceTask();
    const w = driver_alloc(t, 1);
    driver_release(t, w, 1);
    driver_read(t, w);
    expect(taskFindingTitles(t)).toEqual(['PRIV_USE_AFTER_FREE: use-after-free in driver_read (slab-use-after-free)']);
  });
});

describe('a KASAN report on private words', () => {
  it('says "BUG: KASAN:" once, on its first line (the explanation below carries no second head)', () => {
    const t = fenceTask();
    const w = driver_alloc(t, 4);
    driver_release(t, w, 4);
    driver_release(t, w, 4);
    const lines = findings(t)[0]!.message.split('\n');
    expect(lines[0]).toBe('BUG: KASAN: double-free in driver_release');
    expect(lines.filter((l) => l.includes('BUG:'))).toHaveLength(1);
  });

  it('names who allocated and who freed the block, in which function (use-after-free and double-free)', () => {
    const t = fenceTask();
    const w = driver_alloc(t, 4);
    driver_release(t, w, 4);
    driver_read(t, w + 2);
    driver_release(t, w, 4);
    const record = { allocBy: 0, allocFn: 'driver_alloc', freeBy: 0, freeFn: 'driver_release' };
    expect(findings(t).map((f) => [f.code, f.slab])).toEqual([['PRIV_USE_AFTER_FREE', record], ['PRIV_DOUBLE_FREE', record]]);
  });

  it('after the block was reused, names its new allocation and free, not the first', () => {
    const t = fenceTask();
    const w = driver_alloc(t, 4);
    kfree_words(t, w, 4, 'test_free');
    exhaustPriv(t);
    expect(driver_realloc(t, 4)).toBe(w);
    driver_release(t, w, 4);
    driver_read(t, w);
    expect(findings(t).map((f) => [f.code, f.slab])).toEqual([
      ['PRIV_USE_AFTER_FREE', { allocBy: 0, allocFn: 'driver_realloc', freeBy: 0, freeFn: 'driver_release' }],
    ]);
  });

  it('after the block was reused and is live, names the reuser and no freer (the reuse cleared the old free)', () => {
    const t = fenceTask();
    const w = driver_alloc(t, 4);
    driver_release(t, w, 4);
    exhaustPriv(t);
    expect(driver_realloc(t, 4)).toBe(w);
    driver_release(t, w, 3);
    expect(findings(t).map((f) => [f.code, f.slab])).toEqual([
      ['PRIV_INVALID_FREE', { allocBy: 0, allocFn: 'driver_realloc', freeBy: -1, freeFn: '' }],
    ]);
  });
});
