// KASAN reports an access through freed private words once per accessing function and task: a
// loop over a freed block is one PRIV_USE_AFTER_FREE finding (its repeats counted), not one per
// word filling the findings table.
import { describe, expect, it } from 'vitest';
import { GFP_KERNEL } from '../../../src/kernel/gfp.js';
import { kfree_words, kzalloc_words, priv_load } from '../../../src/kernel/priv.js';
import type { Task } from '../../../src/kernel/task.js';
import { C_FINDINGS_LOST } from '../../../src/shm/layout.js';
import { fenceTask, taskFindingTitles } from '../../support/fence_task.js';

function driver_sum(t: Task, w: number, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += priv_load(t, w + i);
  return sum;
}

describe('a loop over a freed block', () => {
  it('is one finding, and none is lost', () => {
    const t = fenceTask();
    const w = kzalloc_words(t, 38, GFP_KERNEL, 'test_alloc');
    kfree_words(t, w, 38, 'test_free');
    driver_sum(t, w, 38);
    expect(taskFindingTitles(t)).toEqual(['PRIV_USE_AFTER_FREE: use-after-free in driver_sum (slab-use-after-free)']);
    expect(t.i32[t.ctl + C_FINDINGS_LOST]).toBe(0);
  });
});
