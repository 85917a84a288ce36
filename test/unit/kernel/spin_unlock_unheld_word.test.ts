// The model's own spin_unlock (spinlock.ts) releases only what its caller took: a task holding no
// spinlock that releases one is a defect of the model, not a finding. It throws ERR_MODEL and
// changes nothing, so the task's count of held spinlocks (in_atomic()) never goes below zero.
import { describe, expect, it } from 'vitest';
import { A_SPIN } from '../../../src/shm/layout.js';
import { in_atomic, spin_lock, spin_unlock } from '../../../src/kernel/spinlock.js';
import { fenceTask, findingCodes } from '../../support/fence_task.js';

describe('spinlock.ts spin_unlock by a task holding no spinlock', () => {
  it('throws ERR_MODEL and leaves the word and the task\'s count of held spinlocks as they were', () => {
    const t = fenceTask();
    const word = t.arena.layout.user;
    Atomics.store(t.i32, word, 1);
    expect(() => spin_unlock(t, word)).toThrow(expect.objectContaining({ code: 'ERR_MODEL' }));
    expect([Atomics.load(t.i32, word), t.i32[t.base + A_SPIN], findingCodes(t)]).toEqual([1, 0, []]);
    Atomics.store(t.i32, word, 0);
    spin_lock(t, word, 0);
    expect(in_atomic(t)).toBe(true);
  });
});
