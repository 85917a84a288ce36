// A driver's own fence ops (src/kernel/dma_fence_user_ops.ts): the core calls enable_signaling
// once under the fence lock (false: the core signals), signaled from dma_fence_is_signaled without
// the lock, release at the last put; dma_fence_signal_locked WARNs without the lock held.
import { describe, expect, it } from 'vitest';
import { container_ops } from '../../../src/kernel/dma_fence_ops.js';
import { in_atomic } from '../../../src/kernel/preempt.js';
import { spin_held_by } from '../../../src/kernel/spinlock.js';
import type { Task } from '../../../src/kernel/task.js';
import { FOPS_USER, FOPS_USER_SHIFT, F_LOCK, F_OPS, F_PRIV } from '../../../src/shm/layout.js';
import {
  dma_fence_add_callback, dma_fence_cb_alloc, dma_fence_context_alloc, dma_fence_enable_sw_signaling, dma_fence_get, dma_fence_init,
  dma_fence_is_signaled, dma_fence_ops_register, dma_fence_put, dma_fence_signal_locked, dma_fence_test_signaled_flag,
  dma_fence_wait_timeout, dma_resv_add_fence, dma_resv_init, dma_resv_lock, dma_resv_reserve_fences, dma_resv_test_signaled,
  dma_resv_unlock, dma_resv_wait_timeout, DMA_RESV_USAGE_BOOKKEEP, MAX_SCHEDULE_TIMEOUT, type DmaFenceOps, type Fence,
} from '../../fixtures/kernel.js';
import { drive, fenceTask, findingCodes } from '../../support/fence_task.js';

interface Calls { enable: number; enableLocked: boolean[]; signaled: number; signaledLocked: boolean[]; release: Fence[]; privs: number[] }

function recordingOps(calls: Calls, enableResult: boolean, done = (): boolean => false): DmaFenceOps {
  const locked = (t: Task, f: Fence): boolean => in_atomic(t) && spin_held_by(t, t.arena.fence(f) + F_LOCK);
  return {
    get_driver_name: 'test', get_timeline_name: 'test-timeline',
    enable_signaling: (t, f) => { calls.enable++; calls.enableLocked.push(locked(t, f)); return enableResult; },
    signaled: (t, f) => { calls.signaled++; calls.signaledLocked.push(locked(t, f)); return done(); },
    release: (t, f) => { calls.release.push(f); calls.privs.push(t.i32[t.arena.fence(f) + F_PRIV]!); },
  };
}

function fresh(): Calls {
  return { enable: 0, enableLocked: [], signaled: 0, signaledLocked: [], release: [], privs: [] };
}

describe('driver fence ops', () => {
  it('calls enable_signaling once, under the fence lock, whoever enables first', () => {
    const calls = fresh();
    const id = dma_fence_ops_register('test_once_ops', recordingOps(calls, true));
    const t = fenceTask();
    const f = dma_fence_init(t, dma_fence_context_alloc(t, 1), 1, { ops: id, signaler: -1 });
    dma_fence_enable_sw_signaling(t, f);
    dma_fence_enable_sw_signaling(t, f);
    t.callbacks = [() => undefined];
    expect(dma_fence_add_callback(t, f, dma_fence_cb_alloc(t), 0)).toBe(0);
    expect(drive(dma_fence_wait_timeout(t, f, false, 0))).toBe(0);
    expect(calls.enable).toBe(1);
    expect(calls.enableLocked).toEqual([true]);
    expect(dma_fence_test_signaled_flag(t, f)).toBe(false);
  });

  it('signals the fence when enable_signaling returns false, and never calls it again', () => {
    const calls = fresh();
    const id = dma_fence_ops_register('test_done_ops', recordingOps(calls, false));
    const t = fenceTask();
    const f = dma_fence_init(t, dma_fence_context_alloc(t, 1), 1, { ops: id, signaler: -1 });
    expect(drive(dma_fence_wait_timeout(t, f, false, 0))).toBe(1);
    expect(dma_fence_test_signaled_flag(t, f)).toBe(true);
    dma_fence_enable_sw_signaling(t, f);
    expect(calls.enable).toBe(1);
  });

  it('asks signaled without the fence lock; true signals the fence', () => {
    const calls = fresh();
    let done = false;
    const id = dma_fence_ops_register('test_signaled_ops', recordingOps(calls, true, () => done));
    const t = fenceTask();
    const f = dma_fence_init(t, dma_fence_context_alloc(t, 1), 1, { ops: id, signaler: -1 });
    expect(dma_fence_is_signaled(t, f)).toBe(false);
    done = true;
    expect(dma_fence_is_signaled(t, f)).toBe(true);
    expect(dma_fence_test_signaled_flag(t, f)).toBe(true);
    expect(calls.signaledLocked).toEqual([false, false]);
    expect(calls.enable).toBe(0);
  });

  it('calls release at the last put only, with the driver words still in F_PRIV', () => {
    const calls = fresh();
    const id = dma_fence_ops_register('test_release_ops', recordingOps(calls, true));
    const t = fenceTask();
    const f = dma_fence_init(t, dma_fence_context_alloc(t, 1), 1, { ops: id, priv: 42, signaler: -1 });
    dma_fence_get(t, f);
    dma_fence_put(t, f);
    expect(calls.release).toEqual([]);
    dma_fence_put(t, f);
    expect(calls.release).toEqual([f]);
    expect(calls.privs).toEqual([42]);
  });

  it('leaves a plain fence without ops (no FOPS_USER bit, no lookup)', () => {
    const t = fenceTask();
    const f = dma_fence_init(t, dma_fence_context_alloc(t, 1), 1, { signaler: -1 });
    expect(t.i32[t.arena.fence(f) + F_OPS]! & FOPS_USER).toBe(0);
    expect(container_ops(t, f)).toBeUndefined();
  });

  it('WARNs FENCE_LOCK_NOT_HELD for dma_fence_signal_locked without the lock, not from enable_signaling', () => {
    const id = dma_fence_ops_register('test_signal_locked_ops', {
      get_driver_name: 'test', get_timeline_name: 'test-timeline',
      enable_signaling: (t, f) => { dma_fence_signal_locked(t, f); return true; },
    });
    const t = fenceTask();
    const ctx = dma_fence_context_alloc(t, 1);
    const inside = dma_fence_init(t, ctx, 1, { ops: id, signaler: -1 });
    dma_fence_enable_sw_signaling(t, inside);
    expect(dma_fence_test_signaled_flag(t, inside)).toBe(true);
    expect(findingCodes(t)).toEqual([]);
    const outside = dma_fence_init(t, ctx, 2, { signaler: -1 });
    dma_fence_signal_locked(t, outside);
    expect(dma_fence_test_signaled_flag(t, outside)).toBe(true);
    expect(findingCodes(t)).toEqual(['FENCE_LOCK_NOT_HELD']);
  });
});

describe('a fence that signals only once asked (a preempt fence) in BOOKKEEP', () => {
  it('stays unsignalled for a dma_resv_test_signaled poller, and signals for a dma_resv_wait_timeout waiter', () => {
    const calls = fresh();
    const id = dma_fence_ops_register('test_preempt_like_ops', recordingOps(calls, false));
    const t = fenceTask();
    const obj = dma_resv_init(t);
    const f = dma_fence_init(t, dma_fence_context_alloc(t, 1), 1, { ops: id, signaler: -1 });
    drive(dma_resv_lock(t, obj, null));
    expect(dma_resv_reserve_fences(t, obj, 1)).toBe(0);
    dma_resv_add_fence(t, obj, f, DMA_RESV_USAGE_BOOKKEEP);
    dma_resv_unlock(t, obj);
    for (let i = 0; i < 3; i++) expect(dma_resv_test_signaled(t, obj, DMA_RESV_USAGE_BOOKKEEP)).toBe(false);
    expect(calls.enable).toBe(0);
    expect(drive(dma_resv_wait_timeout(t, obj, DMA_RESV_USAGE_BOOKKEEP, false, MAX_SCHEDULE_TIMEOUT))).toBeGreaterThan(0);
    expect(calls.enable).toBe(1);
    expect(dma_resv_test_signaled(t, obj, DMA_RESV_USAGE_BOOKKEEP)).toBe(true);
  });
});

describe('dma_fence_ops_register', () => {
  const ops: DmaFenceOps = { get_driver_name: 'drv', get_timeline_name: 'tl' };

  it('gives the same id for the same ops again, stored above the FOPS bits', () => {
    const id = dma_fence_ops_register('test_reg_ops', ops);
    expect(dma_fence_ops_register('test_reg_ops', ops)).toBe(id);
    const t = fenceTask();
    const f = dma_fence_init(t, dma_fence_context_alloc(t, 1), 1, { ops: id, signaler: -1 });
    expect(t.i32[t.arena.fence(f) + F_OPS]! >>> FOPS_USER_SHIFT).toBe(id);
  });

  it('refuses other ops under a registered name, and ops without names (ERR_SCENARIO)', () => {
    dma_fence_ops_register('test_twice_ops', ops);
    expect(() => dma_fence_ops_register('test_twice_ops', { ...ops })).toThrow(expect.objectContaining({ code: 'ERR_SCENARIO' }));
    expect(() => dma_fence_ops_register('test_noname_ops', { get_driver_name: '', get_timeline_name: 'tl' }))
      .toThrow(expect.objectContaining({ code: 'ERR_SCENARIO' }));
  });

  it('refuses ops whose names are missing, not only empty (dma_fence_init BUG_ONs on NULL)', () => {
    const nameless = { get_timeline_name: 'tl' } as unknown as DmaFenceOps;
    expect(() => dma_fence_ops_register('test_nodriver_ops', nameless)).toThrow(expect.objectContaining({ code: 'ERR_SCENARIO' }));
    const untimed = { get_driver_name: 'drv' } as unknown as DmaFenceOps;
    expect(() => dma_fence_ops_register('test_notimeline_ops', untimed)).toThrow(expect.objectContaining({ code: 'ERR_SCENARIO' }));
  });

  it('refuses a second name whose id collides with a registered one (test_ops_18, test_ops_9612)', () => {
    const id = dma_fence_ops_register('test_ops_18', ops);
    expect(() => dma_fence_ops_register('test_ops_9612', ops)).toThrow(expect.objectContaining({ code: 'ERR_SCENARIO' }));
    expect(dma_fence_ops_register('test_ops_18', ops)).toBe(id);
  });

  it('throws ERR_FENCE_OPS for a driver ops id not registered in this thread', () => {
    const t = fenceTask();
    const f = dma_fence_init(t, dma_fence_context_alloc(t, 1), 1, { signaler: -1 });
    t.i32[t.arena.fence(f) + F_OPS] = FOPS_USER | (12345 << FOPS_USER_SHIFT);
    expect(() => container_ops(t, f)).toThrow(expect.objectContaining({ code: 'ERR_FENCE_OPS' }));
  });
});
