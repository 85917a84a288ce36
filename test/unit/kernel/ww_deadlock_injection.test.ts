/**
 * The stress executor's -EDEADLK injection (CONFIG_DEBUG_WW_MUTEX_SLOWPATH) follows
 * ww_mutex_deadlock_injection: it fires only after ww_mutex_lock through a context that already
 * held a lock succeeded — the lock is taken, then released with ww_mutex_unlock, which wakes a
 * waiter, and recorded as the context's contended lock, so the caller's lock_slow on it is the
 * proper back-off (no warning).
 */
import { describe, expect, it } from 'vitest';
import { Arena } from '../../../src/shm/arena.js';
import { C_NFINDINGS, EXEC_STRESS, M_OWNER, M_WAITERS, X_CONTENDING, packOp } from '../../../src/shm/layout.js';
import { EV_ACQUIRED, EV_EDEADLK, EV_RELEASED } from '../../../src/trace/ops.js';
import { kernelBoot } from '../../../src/kernel/boot.js';
import { Task } from '../../../src/kernel/task.js';
import {
  ww_acquire_fini, ww_acquire_init, ww_class_init, ww_ctx_acquired, ww_mutex_init, ww_mutex_is_locked, ww_mutex_lock,
  ww_mutex_lock_slow, ww_mutex_unlock,
} from '../../../src/kernel/index.js';
import { EDEADLK_RET } from '../../fixtures/kernel.js';
import { drive } from '../../support/drive.js';


/** A booted stress task whose every lock may get an injected -EDEADLK; its events and wake-ups. */
function boot(): { t: Task; events: number[]; woken: number[] } {
  const a = Arena.create();
  a.resetTrial({ actors: 2, mode: EXEC_STRESS, stepLimit: 100, waitPolicy: 0, replayLen: 0 });
  const events: number[] = [];
  const woken: number[] = [];
  const t = new Task(a, 0, 'locker', {
    injectDeadlk: () => true, traced: (_t, packed) => { events.push(packed); }, wake: (_t, index) => { woken.push(index); },
  });
  kernelBoot(t);
  return { t, events, woken };
}

describe('injected -EDEADLK', () => {
  it('takes the lock, releases it (waking a waiter) and records it as contended; lock_slow then backs off cleanly', () => {
    const { t, events, woken } = boot();
    const cls = ww_class_init(t, false);
    const [a, b] = [ww_mutex_init(t, cls), ww_mutex_init(t, cls)];
    const ctx = ww_acquire_init(t, cls);
    expect(drive(ww_mutex_lock(t, a, ctx))).toBe(0);
    Atomics.store(t.i32, t.arena.mutex(b) + M_WAITERS, 1);
    events.length = 0;
    expect(drive(ww_mutex_lock(t, b, ctx))).toBe(EDEADLK_RET);
    expect(events).toEqual([packOp(EV_ACQUIRED, b), packOp(EV_RELEASED, b), packOp(EV_EDEADLK, b)]);
    expect(woken).toEqual([t.arena.mutex(b) + M_OWNER]);
    expect([ww_mutex_is_locked(t, b), ww_ctx_acquired(t, ctx), t.i32[t.arena.ctx(ctx) + X_CONTENDING]]).toEqual([false, 1, b + 1]);
    ww_mutex_unlock(t, a);
    drive(ww_mutex_lock_slow(t, b, ctx));
    ww_mutex_unlock(t, b);
    ww_acquire_fini(t, ctx);
    expect(t.arena.ctl(C_NFINDINGS)).toBe(0);
  });

  it('never fires on a context\'s first lock', () => {
    const { t } = boot();
    const cls = ww_class_init(t, true);
    const m = ww_mutex_init(t, cls);
    const ctx = ww_acquire_init(t, cls);
    expect(drive(ww_mutex_lock(t, m, ctx))).toBe(0);
    expect(ww_ctx_acquired(t, ctx)).toBe(1);
  });
});
