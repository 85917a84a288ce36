/**
 * Per-trial kernel boot: the globals every trial starts with, made right after the arena reset
 * by the setup task — reservation_ww_class (wait-die, class 0), the stub fence (fence 0, context
 * 0, signaled) and the fence context counter starting at 1.
 */
import { C_FENCE_CONTEXT } from '../shm/layout.js';
import { initStubFence } from './dma_fence_init.js';
import { memoryBoot } from './memory.js';
import type { Task } from './task.js';
import { ww_class_init } from './ww_acquire.js';

export function kernelBoot(t: Task): void {
  ww_class_init(t, true);
  initStubFence(t);
  memoryBoot(t);
  t.i32[t.ctl + C_FENCE_CONTEXT] = 1;
}
