/**
 * After -EDEADLK (the stress executor's injected one, ww_deadlock_injection.test.ts), the lock
 * the context takes next is checked by ww_mutex_lock_acquired's two contended-lock checks, and
 * as for every acquisition only the first that fails reports (lockdep.ts, one report per
 * acquisition): another lock is WW_WRONG_LOCK_AFTER_EDEADLK alone, even while other locks are
 * still held; the contended lock itself while other locks are held is WW_HOLDING_AFTER_EDEADLK.
 * An acquisition that already reported and then dies (__ww_mutex_kill) does not also report
 * WW_EDEADLK_AGAIN: the first report silenced the rest.
 */
import { describe, expect, it } from 'vitest';
import { kernelBoot } from '../../../src/kernel/boot.js';
import {
  ww_acquire_init, ww_class_init, ww_mutex_init, ww_mutex_lock, ww_mutex_lock_slow, type Mutex, type WwCtx,
} from '../../../src/kernel/index.js';
import { Task } from '../../../src/kernel/task.js';
import { warnSpec } from '../../../src/kernel/warn.js';
import { Arena } from '../../../src/shm/arena.js';
import { C_NFINDINGS, EXEC_STRESS, G_CODE } from '../../../src/shm/layout.js';
import { EDEADLK_RET } from '../../fixtures/kernel.js';
import { drive } from '../../support/drive.js';


/** The names of the checks `t`'s arena recorded, in order. */
function recorded(t: Task): string[] {
  const a = t.arena;
  return Array.from({ length: a.ctl(C_NFINDINGS) }, (_, i) => warnSpec(a.i32[a.finding(i) + G_CODE]!)!.name);
}

/**
 * A booted stress task holding a, its context's ww_mutex_lock of b turned into -EDEADLK by one
 * injection (b is its contended lock); c is a third lock of the class.
 */
function afterEdeadlk(): { t: Task; ctx: WwCtx; b: Mutex; c: Mutex } {
  const a = Arena.create();
  a.resetTrial({ actors: 1, mode: EXEC_STRESS, stepLimit: 100, waitPolicy: 0, replayLen: 0 });
  let injections = 1;
  const t = new Task(a, 0, 'locker', { injectDeadlk: () => injections-- > 0 });
  kernelBoot(t);
  const cls = ww_class_init(t, false);
  const [m1, b, c] = [ww_mutex_init(t, cls), ww_mutex_init(t, cls), ww_mutex_init(t, cls)];
  const ctx = ww_acquire_init(t, cls);
  expect(drive(ww_mutex_lock(t, m1, ctx))).toBe(0);
  expect(drive(ww_mutex_lock(t, b, ctx))).toBe(EDEADLK_RET);
  return { t, ctx, b, c };
}

describe('a lock taken after -EDEADLK with another lock still held', () => {
  it('is the wrong lock first: WW_WRONG_LOCK_AFTER_EDEADLK alone', () => {
    const { t, ctx, c } = afterEdeadlk();
    expect(drive(ww_mutex_lock(t, c, ctx))).toBe(0);
    expect(recorded(t)).toEqual(['WW_WRONG_LOCK_AFTER_EDEADLK']);
  });

  it('the contended lock itself is WW_HOLDING_AFTER_EDEADLK', () => {
    const { t, ctx, b } = afterEdeadlk();
    drive(ww_mutex_lock_slow(t, b, ctx));
    expect(recorded(t)).toEqual(['WW_HOLDING_AFTER_EDEADLK']);
  });
});

describe('an acquisition that already reported and then dies', () => {
  it('through another task\'s context, against an older holder (wait-die): WW_CTX_STALE alone', () => {
    const a = Arena.create();
    a.resetTrial({ actors: 3, mode: EXEC_STRESS, stepLimit: 100, waitPolicy: 0, replayLen: 0 });
    let injections = 1;
    const t = new Task(a, 0, 'owner', { injectDeadlk: () => injections-- > 0 });
    const other = new Task(a, 1, 'borrower', { injectDeadlk: () => false });
    const holder = new Task(a, 2, 'holder', { injectDeadlk: () => false });
    kernelBoot(t);
    const cls = ww_class_init(t, true);
    const [m1, b, c] = [ww_mutex_init(t, cls), ww_mutex_init(t, cls), ww_mutex_init(t, cls)];
    const older = ww_acquire_init(holder, cls);
    const ctx = ww_acquire_init(t, cls);
    expect(drive(ww_mutex_lock(holder, c, older))).toBe(0);
    expect(drive(ww_mutex_lock(t, m1, ctx))).toBe(0);
    expect(drive(ww_mutex_lock(t, b, ctx))).toBe(EDEADLK_RET);
    expect(recorded(t)).toEqual([]);
    expect(drive(ww_mutex_lock(other, c, ctx))).toBe(EDEADLK_RET);
    expect(recorded(t)).toEqual(['WW_CTX_STALE']);
  });
});
