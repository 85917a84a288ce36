/**
 * lockdep's nest_lock check for a ww_mutex taken through an acquire context the task does not
 * hold (a finished context here): "nested lock was not taken" (WW_CTX_STALE). The kernel turns
 * lockdep off there; the model goes on validating and still pushes the lock on the held stack
 * (lockdep.ts, after a report), so its unlock releases its own entry and not another lock's.
 */
import { describe, expect, it } from 'vitest';
import { lockdepHasEdge, lockdepHeld, lockdepMutexClassOf } from '../../../src/kernel/lockdep.js';
import {
  mutex_init, mutex_lock, mutex_unlock, ww_acquire_done, ww_acquire_fini, ww_acquire_init, ww_class_init, ww_mutex_init, ww_mutex_lock,
  ww_mutex_trylock, ww_mutex_unlock, type KGen, type Mutex, type Task, type WwClass, type WwCtx,
} from '../../fixtures/kernel.js';
import { codes, runOnce } from '../../fixtures/lockdep/run_once.js';
import { scripted } from '../../fixtures/lockdep/scripted.js';

interface Env {
  readonly cls: WwClass; readonly cls2: WwClass; readonly a: Mutex; readonly b: Mutex; readonly c: Mutex; readonly x: Mutex;
}

const nest = scripted('lockdep-nest-lock', (t: Task): Env => {
  const cls = ww_class_init(t, false);
  return {
    cls, cls2: ww_class_init(t, false), a: ww_mutex_init(t, cls), b: ww_mutex_init(t, cls), c: ww_mutex_init(t, cls),
    x: mutex_init(t, 'nest_lock_x'),
  };
});

/** A context made and finished at once: the task no longer holds its map. */
function finished(t: Task, e: Env): WwCtx {
  const ctx = ww_acquire_init(t, e.cls);
  ww_acquire_fini(t, ctx);
  return ctx;
}

const STALE = ['WW_CTX_STALE', 'assertion in ww_mutex_lock (Nested lock was not taken)'];
/** A trylock's findings are titled after ww_mutex_trylock, where the kernel's WARN comes from. */
const TRY_STALE = ['WW_CTX_STALE', 'assertion in ww_mutex_trylock (Nested lock was not taken)'];
const TRY_DONE = ['WW_LOCK_AFTER_DONE', 'assertion in ww_mutex_trylock (ww_ctx->done_acquire)'];
const RECURSIVE = ['LOCK_RECURSIVE', 'assertion in ww_mutex_lock (possible recursive locking detected)'];

describe('a ww_mutex taken through a context the task does not hold', () => {
  const TAKE = [
    ['ww_mutex_lock', function* (t: Task, m: Mutex, ctx: WwCtx): KGen<number> { return yield* ww_mutex_lock(t, m, ctx); }, 0, STALE],
    ['ww_mutex_trylock', function* (t: Task, m: Mutex, ctx: WwCtx): KGen<number> { return yield* ww_mutex_trylock(t, m, ctx); }, 1, TRY_STALE],
  ] as const;

  it.each(TAKE)('by %s is still held, so its unlock leaves a lock taken after it held: a lock of that class is recursive', (_fn, take, ok, stale) => {
    let objs: number[] = [];
    const { r } = runOnce(nest, function* (t, e) {
      objs = [e.a, e.b, e.c];
      expect(yield* take(t, e.a, finished(t, e))).toBe(ok);
      expect(yield* ww_mutex_lock(t, e.b, null)).toBe(0);
      ww_mutex_unlock(t, e.a);
      expect(yield* ww_mutex_lock(t, e.c, null)).toBe(0);
      ww_mutex_unlock(t, e.c);
      ww_mutex_unlock(t, e.b);
    });
    expect(r.end).toBe('done');
    expect(codes(r)).toEqual([stale, RECURSIVE, RECURSIVE]);
    expect(r.findings.map((f) => f.obj)).toEqual(objs);
  });

  it.each(TAKE)('by %s is still held, so its unlock leaves a lock taken after it held: a later lock depends on it', (_fn, take, ok) => {
    let held: unknown;
    let want: unknown;
    let edge = false;
    const { r } = runOnce(nest, function* (t, e) {
      expect(yield* take(t, e.a, finished(t, e))).toBe(ok);
      expect(yield* ww_mutex_lock(t, e.b, null)).toBe(0);
      ww_mutex_unlock(t, e.a);
      held = lockdepHeld(t);
      want = [[lockdepMutexClassOf(t.arena, e.b), e.b + 1, 1]];
      yield* mutex_lock(t, e.x);
      edge = lockdepHasEdge(t.arena, lockdepMutexClassOf(t.arena, e.b), lockdepMutexClassOf(t.arena, e.x));
      mutex_unlock(t, e.x);
      ww_mutex_unlock(t, e.b);
    });
    expect(r.end).toBe('done');
    expect(held).toEqual(want);
    expect(edge).toBe(true);
  });
});

describe('ww_mutex_trylock through a context the task does not hold, with a ww misuse too', () => {
  /** Finish a context, after ww_acquire_done when `done`. */
  function finishedAfter(t: Task, e: Env, done: boolean): WwCtx {
    const ctx = ww_acquire_init(t, e.cls);
    if (done) ww_acquire_done(t, ctx);
    ww_acquire_fini(t, ctx);
    return ctx;
  }

  it.each([
    ['ww_mutex_trylock reports the ww check first (its order), which silences lockdep', true, 1, [TRY_DONE]],
    ['ww_mutex_trylock of a context never done is lockdep\'s alone', false, 1, [TRY_STALE]],
    ['ww_mutex_lock reports lockdep first, which silences the ww checks', true, 0, [STALE]],
  ] as const)('%s', (_how, done, tryIt, found) => {
    const { r } = runOnce(nest, function* (t, e) {
      const ctx = finishedAfter(t, e, done);
      expect(tryIt === 1 ? yield* ww_mutex_trylock(t, e.a, ctx) : yield* ww_mutex_lock(t, e.a, ctx)).toBe(tryIt === 1 ? 1 : 0);
      ww_mutex_unlock(t, e.a);
    });
    expect(r.end).toBe('done');
    expect(codes(r)).toEqual(found);
  });

  it('ww_mutex_trylock reports the first ww check in ww_mutex_lock_acquired\'s order (done_acquire), which silences the class', () => {
    const { r } = runOnce(nest, function* (t, e) {
      const ctx = ww_acquire_init(t, e.cls2);
      ww_acquire_done(t, ctx);
      expect(yield* ww_mutex_trylock(t, e.a, ctx)).toBe(1);
      ww_mutex_unlock(t, e.a);
      ww_acquire_fini(t, ctx);
    });
    expect(codes(r)).toEqual([TRY_DONE]);
  });
});
