/**
 * Named allocation and free sites for the private-word tests (kernel/priv.ts): each passes itself
 * as `by`, so a block record names it (Finding.slab's allocFn / freeFn), and a read titles a
 * use-after-free after it.
 */
import { GFP_KERNEL } from '../../src/kernel/gfp.js';
import { kfree_words, kzalloc_words, priv_load } from '../../src/kernel/priv.js';
import type { Task } from '../../src/kernel/task.js';

export function driver_alloc(t: Task, n: number): number {
  return kzalloc_words(t, n, GFP_KERNEL, driver_alloc);
}

export function driver_realloc(t: Task, n: number): number {
  return kzalloc_words(t, n, GFP_KERNEL, driver_realloc);
}

export function driver_release(t: Task, w: number, n: number): void {
  kfree_words(t, w, n, driver_release);
}

export function driver_read(t: Task, w: number): number {
  return priv_load(t, w);
}
