/**
 * ww_mutex_lock_slow on a lock its own context already holds, without a prior -EDEADLK: the
 * kernel's ww_mutex_lock_slow checks ctx->contending_lock (DEBUG_LOCKS_WARN_ON, ww_mutex.h)
 * before ww_mutex_lock reaches __mutex_lock_common's -EALREADY, so the misuse warns even though
 * the lock call then returns -EALREADY without acquiring anything.
 */
import { describe, expect, it } from 'vitest';
import {
  EALREADY_RET, ww_acquire_fini, ww_acquire_init, ww_class_init, ww_mutex_init, ww_mutex_lock, ww_mutex_lock_slow,
  ww_mutex_lock_slow_interruptible, ww_mutex_unlock, type Mutex, type Task, type WwClass,
} from '../../fixtures/kernel.js';
import { codes, runOnce } from '../../fixtures/lockdep/run_once.js';
import { scripted } from '../../fixtures/lockdep/scripted.js';

interface Env { readonly cls: WwClass; readonly a: Mutex }

const held = scripted('ww-slow-already-held', (t: Task): Env => {
  const cls = ww_class_init(t, false);
  return { cls, a: ww_mutex_init(t, cls) };
});

const SLOW = ['WW_SLOW_NO_EDEADLK', 'assertion in ww_mutex_lock_slow'];

describe('ww_mutex_lock_slow on a lock its context already holds, with no -EDEADLK before', () => {
  it('warns its missing -EDEADLK before the lock call returns -EALREADY', () => {
    const { r } = runOnce(held, function* (t, e) {
      const ctx = ww_acquire_init(t, e.cls);
      expect(yield* ww_mutex_lock(t, e.a, ctx)).toBe(0);
      yield* ww_mutex_lock_slow(t, e.a, ctx);
      ww_mutex_unlock(t, e.a);
      ww_acquire_fini(t, ctx);
    });
    expect(r.end).toBe('done');
    expect(codes(r)).toEqual([SLOW]);
  });

  it('the interruptible variant warns too and returns -EALREADY', () => {
    const { r } = runOnce(held, function* (t, e) {
      const ctx = ww_acquire_init(t, e.cls);
      expect(yield* ww_mutex_lock(t, e.a, ctx)).toBe(0);
      expect(yield* ww_mutex_lock_slow_interruptible(t, e.a, ctx)).toBe(EALREADY_RET);
      ww_mutex_unlock(t, e.a);
      ww_acquire_fini(t, ctx);
    });
    expect(r.end).toBe('done');
    expect(codes(r)).toEqual([SLOW]);
  });
});
