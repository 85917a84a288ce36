/**
 * The model wakes sleeping threads only through Task.wake, so the stress executor can count and
 * time every wake-up (stress-recorder.ts): a fence signal wakes only when a sleeper announced
 * itself on the fence, wake_up only under the stress executor.
 */
import { describe, expect, it } from 'vitest';
import { Arena } from '../../../src/shm/arena.js';
import { EXEC_INLINE, EXEC_STRESS, FENCEF_WAITERS, F_FLAGS } from '../../../src/shm/layout.js';
import { kernelBoot } from '../../../src/kernel/boot.js';
import { wake_up_word } from '../../../src/kernel/kref.js';
import { Task } from '../../../src/kernel/task.js';
import { dma_fence_context_alloc, dma_fence_init, dma_fence_signal } from '../../../src/kernel/index.js';

/** A booted task whose wake-ups are recorded (the words woken) instead of made. */
function boot(mode: number): { t: Task; woken: number[] } {
  const a = Arena.create();
  a.resetTrial({ actors: 1, mode, stepLimit: 100, waitPolicy: 0, replayLen: 0 });
  const woken: number[] = [];
  const t = new Task(a, 0, 'signaller', { wake: (_t, index) => { woken.push(index); return 0; } });
  kernelBoot(t);
  return { t, woken };
}

describe('Task.wake', () => {
  it.each([
    ['no sleeper announced itself', false, 0],
    ['a sleeper announced itself', true, 1],
  ])('a fence signal when %s wakes its flags word %i time(s)', (_what, announced, times) => {
    const { t, woken } = boot(EXEC_STRESS);
    const f = dma_fence_init(t, dma_fence_context_alloc(t, 1), 1);
    const flags = t.arena.fence(f) + F_FLAGS;
    if (announced) Atomics.or(t.i32, flags, FENCEF_WAITERS);
    dma_fence_signal(t, f);
    expect(woken).toEqual(Array<number>(times).fill(flags));
  });

  it.each([
    ['stress', EXEC_STRESS, 1],
    ['inline', EXEC_INLINE, 0],
  ])('wake_up under the %s executor wakes %i time(s)', (_name, mode, times) => {
    const { t, woken } = boot(mode);
    const word = t.arena.layout.user;
    wake_up_word(t, word);
    expect(woken).toEqual(Array<number>(times).fill(word));
  });
});
