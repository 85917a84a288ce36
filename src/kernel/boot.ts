/**
 * Per-trial kernel boot: the globals every trial starts with, made right after the arena reset
 * by the setup task — reservation_ww_class (wait-die, class 0), the stub fence (fence 0, context
 * 0, signaled), the fence context counter starting at 1, and the loaded modules' reference
 * counts (module_refs_init). Precondition: `t.symtabs` holds the trial's loaded modules.
 */
import { C_FENCE_CONTEXT } from '../shm/layout.js';
import { initStubFence } from './dma_fence_init.js';
import { memoryBoot } from './memory.js';
import { module_refs_init } from './module/module_ref.js';
import type { Task } from './task.js';
import { ww_class_init } from './ww_acquire.js';

export function kernelBoot(t: Task): void {
  ww_class_init(t, true);
  initStubFence(t);
  memoryBoot(t);
  t.i32[t.ctl + C_FENCE_CONTEXT] = 1;
  module_refs_init(t);
}
