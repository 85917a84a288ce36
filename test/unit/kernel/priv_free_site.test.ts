// A bad kfree_words is titled after the freeing function it is given (`by`, the site its block
// record names too), not after whoever called it: a helper that frees on a driver's behalf
// reports the driver's function.
import { describe, expect, it } from 'vitest';
import { GFP_KERNEL } from '../../../src/kernel/gfp.js';
import { kfree_words, kzalloc_words } from '../../../src/kernel/priv.js';
import type { Task } from '../../../src/kernel/task.js';
import { fenceTask, taskFindingTitles } from '../../support/fence_task.js';

function driver_release(): void { /* the freeing function a helper names */ }

function free_helper(t: Task, w: number, n: number): void {
  kfree_words(t, w, n, driver_release);
}

describe('a bad kfree_words is titled after its `by`, not its caller', () => {
  it('double free: use-after-free in driver_release', () => {
    const t = fenceTask();
    const w = kzalloc_words(t, 4, GFP_KERNEL, 'test_alloc');
    free_helper(t, w, 4);
    free_helper(t, w, 4);
    expect(taskFindingTitles(t)).toEqual(['PRIV_DOUBLE_FREE: use-after-free in driver_release (double-free)']);
  });

  it('invalid free past the cursor: use-after-free in driver_release', () => {
    const t = fenceTask();
    const w = kzalloc_words(t, 4, GFP_KERNEL, 'test_alloc');
    free_helper(t, w + 4, 4);
    expect(taskFindingTitles(t)).toEqual(['PRIV_INVALID_FREE: use-after-free in driver_release (invalid-free)']);
  });
});
