// The model's own spin_unlock (spinlock.ts) releases only what its caller took: a task holding no
// spinlock, or one holding a spinlock that releases a word it does not own (free, or another
// task's), is a defect of the model, not a finding. It throws ERR_MODEL and changes nothing, so the
// task's count of held spinlocks (in_atomic()) never goes below zero and no owner loses its lock.
import { describe, expect, it } from 'vitest';
import { A_SPIN } from '../../../src/shm/layout.js';
import { in_atomic } from '../../../src/kernel/preempt.js';
import { spin_lock, spin_unlock } from '../../../src/kernel/spinlock.js';
import { fenceTask, findingCodes } from '../../support/fence_task.js';
import { twoTasks } from '../../support/two_tasks.js';

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

  it('throws ERR_MODEL for a task holding a spinlock that releases another task\'s, which keeps it', () => {
    const [u, t] = twoTasks();
    const [mine, theirs] = [u.arena.layout.user, u.arena.layout.user + 1];
    spin_lock(t, mine, 0);
    spin_lock(u, theirs, 0);
    expect(() => spin_unlock(t, theirs)).toThrow(expect.objectContaining({ code: 'ERR_MODEL' }));
    expect([Atomics.load(t.i32, theirs), t.i32[t.base + A_SPIN], findingCodes(t)]).toEqual([u.id + 1, 1, []]);
    spin_unlock(u, theirs);
    spin_unlock(t, mine);
    expect([in_atomic(t), in_atomic(u)]).toEqual([false, false]);
  });
});
