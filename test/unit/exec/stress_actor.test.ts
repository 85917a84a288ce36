import { describe, expect, it } from 'vitest';
import { Arena } from '../../../src/shm/arena.js';
import {
  C_AWAKE, EXEC_STRESS, FENCEF_WAITERS, F_FLAGS, WAITK_FENCE, WAIT_ADAPT, WAIT_SLEEP, WAIT_SPIN,
} from '../../../src/shm/layout.js';
import { kernelBoot } from '../../../src/kernel/boot.js';
import { Task } from '../../../src/kernel/task.js';
import { block } from '../../../src/kernel/wait.js';
import { dma_fence_context_alloc, dma_fence_init, dma_fence_signal, type Fence } from '../../../src/kernel/index.js';
import { announce, mayPoll } from '../../../src/exec/stress-actor.js';

/** Atomics.waitAsync (Node ≥ 16; not in this TypeScript lib): a sleeper this thread can await. */
const waitAsync = (Atomics as unknown as {
  waitAsync(i32: Int32Array, idx: number, value: number, ms: number): { async: boolean; value: Promise<string> | string };
}).waitAsync;

/** A stress-mode arena with a waiter blocked on a fresh fence and a signaler. */
function blockedOnFence(): { waiter: Task; signaler: Task; f: Fence; word: number } {
  const a = Arena.create();
  a.resetTrial({ actors: 2, mode: EXEC_STRESS, stepLimit: 100, waitPolicy: WAIT_SLEEP, replayLen: 0 });
  const waiter = new Task(a, 0, 'waiter');
  const signaler = new Task(a, 1, 'signaler');
  kernelBoot(waiter);
  const f = dma_fence_init(signaler, dma_fence_context_alloc(signaler, 1), 1);
  block(waiter, WAITK_FENCE, f, 0, 0, 0);
  return { waiter, signaler, f, word: a.fence(f) + F_FLAGS };
}

describe('stress fence waits', () => {
  it('wake a waiter that announced itself before the signal', async () => {
    const { waiter, signaler, f, word } = blockedOnFence();
    const v = announce(waiter.arena, waiter, word);
    expect(v & FENCEF_WAITERS).toBe(FENCEF_WAITERS);
    const sleep = waitAsync(waiter.i32, word, v, 10_000);
    expect(sleep.async).toBe(true);
    dma_fence_signal(signaler, f);
    expect(await sleep.value).toBe('ok');
  });

  it('do not let a waiter announcing after the signal sleep on the signalled word', () => {
    const { waiter, signaler, f, word } = blockedOnFence();
    dma_fence_signal(signaler, f);
    const v = announce(waiter.arena, waiter, word);
    expect(Atomics.wait(waiter.i32, word, v, 10_000)).toBe('not-equal');
  });

  it('leave FENCEF_WAITERS clear when nobody sleeps, so the signal skips the wake-up', async () => {
    const { signaler, f, word } = blockedOnFence();
    // A sleeper that did not announce itself stands for any thread on the word: a signal that
    // notified regardless would wake it at once ('ok'); skipping the notify leaves it to time out.
    const sleep = waitAsync(signaler.i32, word, Atomics.load(signaler.i32, word), 50);
    dma_fence_signal(signaler, f);
    expect(signaler.i32[word]! & FENCEF_WAITERS).toBe(0);
    expect(await sleep.value).toBe('timed-out');
  });
});

describe('stress wait policy', () => {
  it.each([
    [WAIT_ADAPT, 2, 2, true], [WAIT_ADAPT, 3, 2, false], [WAIT_ADAPT, 1, 1, true],
    [WAIT_SPIN, 3, 2, true], [WAIT_SLEEP, 1, 2, false],
  ])('policy %i with %i actors awake on %i cores: may poll %s', (waitPolicy, awake, cores, expected) => {
    const a = Arena.create();
    a.resetTrial({ actors: 4, mode: EXEC_STRESS, stepLimit: 100, waitPolicy, spinCores: cores, replayLen: 0 });
    a.setCtl(C_AWAKE, awake);
    expect(mayPoll(a)).toBe(expected);
  });

  it('counts every actor awake at the start of a trial', () => {
    const a = Arena.create();
    a.resetTrial({ actors: 3, mode: EXEC_STRESS, stepLimit: 100, waitPolicy: WAIT_ADAPT, spinCores: 2, replayLen: 0 });
    expect(a.ctl(C_AWAKE)).toBe(3);
  });
});
