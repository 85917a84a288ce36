/** A booted task of a one-actor inline trial, for tests that call the fence model directly. */
import { Arena } from '../../src/shm/arena.js';
import { C_NFINDINGS, EXEC_INLINE, G_ARG, G_CODE, WAIT_SLEEP, type Geometry } from '../../src/shm/layout.js';
import { kernelBoot } from '../../src/kernel/boot.js';
import { Task } from '../../src/kernel/task.js';
import { WARNINGS, siteName, warnSpec } from '../../src/kernel/warn.js';
import { titleOf } from '../../src/exec/result.js';
import { GFP_KERNEL } from '../../src/kernel/gfp.js';
import { kzalloc_words_or_fail } from '../../src/kernel/priv.js';
import { DMA_RESV_USAGE_BOOKKEEP, dma_resv_lock, dma_resv_unlock } from '../../src/kernel/dma_resv.js';
import { dma_resv_for_each_fence } from '../../src/kernel/dma_resv_query.js';
import type { Fence, Resv } from '../../src/kernel/types.js';
import { drive } from './drive.js';

/** Task 0 of a fresh inline trial in an arena of `geometry` (defaults for the rest), booted. */
export function fenceTask(geometry: Partial<Geometry> = {}): Task {
  const a = Arena.create(geometry);
  a.resetTrial({ actors: 1, mode: EXEC_INLINE, stepLimit: 100, waitPolicy: WAIT_SLEEP, replayLen: 0 });
  const t = new Task(a, 0, 'T');
  kernelBoot(t);
  return t;
}

/** The codes (warn.ts names) of the findings recorded so far, in order. */
export function findingCodes(t: Task): string[] {
  const n = Atomics.load(t.i32, t.ctl + C_NFINDINGS);
  return Array.from({ length: n }, (_, i) => WARNINGS[t.i32[t.arena.finding(i) + G_CODE]! - 1]?.name ?? '?');
}

/** Take every private word left in `t`'s arena, so the next kzalloc can only reuse a given-back block. */
export function exhaustPriv(t: Task): void {
  while (kzalloc_words_or_fail(t, 1, GFP_KERNEL, exhaustPriv) >= 0);
}

/** `code: title` of every finding recorded in `t`'s arena this trial, in order, titled as a
 *  trial's result titles them (result.ts titleOf). */
export function taskFindingTitles(t: Task): string[] {
  const n = Atomics.load(t.i32, t.ctl + C_NFINDINGS);
  return Array.from({ length: n }, (_, i) => {
    const g = t.arena.finding(i);
    const spec = warnSpec(t.i32[g + G_CODE]!);
    return spec === undefined ? '?' : `${spec.name}: ${titleOf(spec, siteName(t.i32[g + G_ARG]!) || spec.fn)}`;
  });
}

/** Run kernel generator `g` to its end outside an executor (one task: nothing contends), bounded. */
export { drive };

/** Every slot of `r` as [fence, usage], in list order (a locked walk; signaled fences too). */
export function resvSlots(t: Task, r: Resv): [Fence, number][] {
  drive(dma_resv_lock(t, r, null));
  const out: [Fence, number][] = [];
  dma_resv_for_each_fence(t, r, DMA_RESV_USAGE_BOOKKEEP, (f, u) => out.push([f, u]));
  dma_resv_unlock(t, r);
  return out;
}
