/**
 * One acquisition, one ww report (kernel/ww_mutex_acquired.ts, lockdep.ts): the kernel's ww debug
 * checks are DEBUG_LOCKS_WARN_ONs, and the first that fires turns debug_locks off, silencing the
 * later checks of the same call. The model reports only that first check of an acquisition, in
 * the kernel's order, and checks the next acquisition afresh.
 */
import { describe, expect, it } from 'vitest';
import {
  ww_acquire_done, ww_acquire_fini, ww_acquire_init, ww_class_init, ww_mutex_init, ww_mutex_lock, ww_mutex_lock_slow,
  ww_mutex_unlock, type Mutex, type Task, type WwClass,
} from '../../fixtures/kernel.js';
import { codes, runOnce } from '../../fixtures/lockdep/run_once.js';
import { scripted } from '../../fixtures/lockdep/scripted.js';

interface Env { readonly cls: WwClass; readonly other: WwClass; readonly a: Mutex; readonly b: Mutex }

const one = scripted('ww-one-report', (t: Task): Env => {
  const cls = ww_class_init(t, false);
  return { cls, other: ww_class_init(t, false), a: ww_mutex_init(t, cls), b: ww_mutex_init(t, cls) };
});

const DONE = ['WW_LOCK_AFTER_DONE', 'assertion in ww_mutex_lock (ww_ctx->done_acquire)'];
const SLOW = ['WW_SLOW_NO_EDEADLK', 'assertion in ww_mutex_lock_slow'];

describe('an acquisition failing several ww debug checks', () => {
  it('ww_mutex_lock reports the first in ww_mutex_lock_acquired\'s order (done_acquire), not the class after it', () => {
    const { r } = runOnce(one, function* (t, e) {
      const ctx = ww_acquire_init(t, e.other);
      ww_acquire_done(t, ctx);
      expect(yield* ww_mutex_lock(t, e.a, ctx)).toBe(0);
      ww_mutex_unlock(t, e.a);
      ww_acquire_fini(t, ctx);
    });
    expect(r.end).toBe('done');
    expect(codes(r)).toEqual([DONE]);
  });

  it('ww_mutex_lock_slow reports its missing -EDEADLK, which silences the acquired checks (done_acquire)', () => {
    const { r } = runOnce(one, function* (t, e) {
      const ctx = ww_acquire_init(t, e.cls);
      ww_acquire_done(t, ctx);
      yield* ww_mutex_lock_slow(t, e.a, ctx);
      ww_mutex_unlock(t, e.a);
      ww_acquire_fini(t, ctx);
    });
    expect(r.end).toBe('done');
    expect(codes(r)).toEqual([SLOW]);
  });

  it('ww_mutex_lock_slow reports its missing -EDEADLK, which silences lockdep\'s "nested lock was not taken"', () => {
    const { r } = runOnce(one, function* (t, e) {
      const ctx = ww_acquire_init(t, e.cls);
      ww_acquire_fini(t, ctx);
      yield* ww_mutex_lock_slow(t, e.a, ctx);
      ww_mutex_unlock(t, e.a);
    });
    expect(r.end).toBe('done');
    expect(codes(r)).toEqual([SLOW]);
  });
});

describe('the next acquisition', () => {
  it('is checked afresh: each lock after ww_acquire_done reports', () => {
    let objs: number[] = [];
    const { r } = runOnce(one, function* (t, e) {
      objs = [e.a, e.b];
      const ctx = ww_acquire_init(t, e.cls);
      ww_acquire_done(t, ctx);
      expect(yield* ww_mutex_lock(t, e.a, ctx)).toBe(0);
      expect(yield* ww_mutex_lock(t, e.b, ctx)).toBe(0);
      ww_mutex_unlock(t, e.b);
      ww_mutex_unlock(t, e.a);
      ww_acquire_fini(t, ctx);
    });
    expect(r.end).toBe('done');
    expect(codes(r)).toEqual([DONE, DONE]);
    expect(r.findings.map((f) => f.obj)).toEqual(objs);
  });
});
