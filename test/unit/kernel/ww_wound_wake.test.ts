/**
 * Wound-wait's wake of the wounded owner (kernel/locking/ww_mutex.h __ww_mutex_wound): an older
 * context queueing on a lock a younger context holds wounds that context and wakes the owner, so
 * an owner asleep on another lock notices at once that it must back off. Under stress the owner
 * sleeps on that other lock's futex word, which nothing else would touch; inline and controlled
 * recompute who may run at every step and wake nobody.
 */
import { describe, expect, it } from 'vitest';
import { Arena } from '../../../src/shm/arena.js';
import { ACTOR_BLOCKED, A_STATE, A_WAIT_KIND, A_WAIT_OBJ, EXEC_INLINE, EXEC_STRESS, M_OWNER, WAITK_MUTEX } from '../../../src/shm/layout.js';
import { kernelBoot } from '../../../src/kernel/boot.js';
import { Task } from '../../../src/kernel/task.js';
import type { Mutex } from '../../../src/kernel/types.js';
import { ww_acquire_init, ww_class_init, ww_ctx_wounded, ww_mutex_init, ww_mutex_lock } from '../../../src/kernel/index.js';
import { drive } from '../../support/drive.js';


interface Case { readonly waitDie: boolean; readonly mode: number; readonly ownerAsleep: boolean }

/**
 * The older context (task 0) holds a lock and queues on `held`, which the younger one (task 1)
 * holds while it sleeps on `other` (or is awake). Returns the futex words task 0 woke, the word
 * task 1 sleeps on, and whether task 1's context got wounded.
 */
function queueOnYoungerHolder(c: Case): { woken: number[]; otherWord: number; wounded: boolean } {
  const a = Arena.create();
  a.resetTrial({ actors: 2, mode: c.mode, stepLimit: 100, waitPolicy: 0, replayLen: 0 });
  const woken: number[] = [];
  const old = new Task(a, 0, 'older', { wake: (_t, index) => { woken.push(index); } });
  const young = new Task(a, 1, 'younger');
  kernelBoot(old);
  const cls = ww_class_init(old, c.waitDie);
  const [first, held, other] = [0, 1, 2].map(() => ww_mutex_init(old, cls)) as [Mutex, Mutex, Mutex];
  const oldCtx = ww_acquire_init(old, cls);
  const youngCtx = ww_acquire_init(young, cls);
  expect(drive(ww_mutex_lock(old, first, oldCtx))).toBe(0);
  expect(drive(ww_mutex_lock(young, held, youngCtx))).toBe(0);
  if (c.ownerAsleep) {
    const b = a.actor(1);
    a.i32[b + A_WAIT_KIND] = WAITK_MUTEX;
    a.i32[b + A_WAIT_OBJ] = other;
    Atomics.store(a.i32, b + A_STATE, ACTOR_BLOCKED);
  }
  const g = ww_mutex_lock(old, held, oldCtx);
  g.next(); // the scheduling point before the attempt
  expect(g.next().done).toBe(false); // queued on `held`, asleep
  return { woken, otherWord: a.mutex(other) + M_OWNER, wounded: ww_ctx_wounded(young, youngCtx) };
}

describe('wound-wait wakes the owner it wounds', () => {
  it.each([
    { name: 'wound-wait, stress, owner asleep on another lock', waitDie: false, mode: EXEC_STRESS, ownerAsleep: true, wounds: true, wakes: true },
    { name: 'wound-wait, stress, owner awake', waitDie: false, mode: EXEC_STRESS, ownerAsleep: false, wounds: true, wakes: false },
    { name: 'wound-wait, inline, owner asleep on another lock', waitDie: false, mode: EXEC_INLINE, ownerAsleep: true, wounds: true, wakes: false },
    { name: 'wait-die, stress, owner asleep on another lock', waitDie: true, mode: EXEC_STRESS, ownerAsleep: true, wounds: false, wakes: false },
  ])('$name: wounds $wounds, wakes the owner\'s futex word $wakes', ({ wounds, wakes, ...c }) => {
    const r = queueOnYoungerHolder(c);
    expect(r.wounded).toBe(wounds);
    expect(r.woken).toEqual(wakes ? [r.otherWord] : []);
  });
});
