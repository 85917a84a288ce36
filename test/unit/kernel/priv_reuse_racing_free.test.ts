// A kzalloc reusing a given-back block (src/kernel/priv.ts takeFreed) against a racing stale
// kfree_words of that block: taking the block, unpoisoning, zeroing and writing its record are one
// step under C_FENCE_LOCK, so a free that comes in right after the lock is released frees a live
// block of the new owner — the record names that freer, and the block is on the free list again
// with the rest of the list behind it. The window opens deterministically: the stale free is an
// RCU callback queued on the allocating task, which spin_unlock runs as the task releases its last
// spinlock (kernel/call_rcu.ts), i.e. right after takeFreed's unlock. On the old code the block
// was unpoisoned, zeroed and recorded only after that unlock: a free at this point saw it still
// poisoned and was dropped as a double free (both tests fail so); one a little later, after the
// unpoisoning, had its record wiped by the reuser's (a poisoned block recorded as live) and its
// link word zeroed (the rest of the free list cut off).
import { describe, expect, it } from 'vitest';
import { collectResult } from '../../../src/exec/collect_result.js';
import type { Finding } from '../../../src/exec/result.js';
import { GFP_KERNEL } from '../../../src/kernel/gfp.js';
import { kfree_words, kzalloc_words_or_fail } from '../../../src/kernel/priv.js';
import { Task } from '../../../src/kernel/task.js';
import { exhaustPriv, fenceTask } from '../../support/fence_task.js';
import { driver_alloc, driver_read, driver_realloc, driver_release } from '../../support/priv_sites.js';

function stale_release(t: Task, w: number, n: number): void {
  kfree_words(t, w, n, stale_release);
}

/** `t` reuses a given-back block of `n` words while task `u` frees words `w` (its stale pointer)
 *  in the window right after the reuse releases C_FENCE_LOCK; what the kzalloc returned. */
function reuseWithRacingFree(t: Task, u: Task, w: number, n: number): number {
  t.rcuWork.push(() => stale_release(u, w, n));
  return driver_realloc(t, n);
}

function slabFindings(t: Task): readonly Finding[] {
  return collectResult(t.arena, 0, { actorNames: ['T', 'U'], leakCheck: false }).findings.filter((f) => f.code.startsWith('PRIV_'));
}

describe('a kzalloc reusing a block against a racing stale kfree_words of it', () => {
  it('the racing free is kept in the record: a later read is a use-after-free naming the reuser and the stale freer', () => {
    const t = fenceTask();
    const u = new Task(t.arena, 1, 'U');
    const w = driver_alloc(t, 4);
    driver_release(t, w, 4);
    exhaustPriv(t);
    expect(reuseWithRacingFree(t, u, w, 4)).toBe(w);
    driver_read(t, w);
    expect(slabFindings(t).map((f) => [f.code, f.slab])).toEqual([
      ['PRIV_USE_AFTER_FREE', { allocBy: 0, allocFn: 'driver_realloc', freeBy: 1, freeFn: 'stale_release' }],
    ]);
  });

  it('the racing free keeps the rest of the free list: both given-back blocks are taken again', () => {
    const t = fenceTask();
    const u = new Task(t.arena, 1, 'U');
    const a = driver_alloc(t, 4);
    const b = driver_alloc(t, 4);
    driver_release(t, a, 4);
    driver_release(t, b, 4);
    exhaustPriv(t);
    expect(reuseWithRacingFree(t, u, b, 4)).toBe(b);
    expect([kzalloc_words_or_fail(t, 4, GFP_KERNEL, 'test_alloc'), kzalloc_words_or_fail(t, 4, GFP_KERNEL, 'test_alloc')]).toEqual([b, a]);
    expect(slabFindings(t)).toEqual([]);
  });
});
