/**
 * lockdep's nest_lock check for a ww_mutex taken through an acquire context the task does not
 * hold (a finished context here): "nested lock was not taken" (WW_CTX_STALE). In the kernel
 * print_lock_nested_lock_not_held turns lockdep off and __lock_acquire returns before the lock
 * joins the held stack, so nothing more is reported about that lock: the model does not push it
 * either, and a later lock of its class taken without a context is no recursive locking.
 */
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import type { TrialResult } from '../../../src/exec/result.js';
import { lockdepHeld } from '../../../src/kernel/lockdep.js';
import {
  ww_acquire_done, ww_acquire_fini, ww_acquire_init, ww_class_init, ww_mutex_init, ww_mutex_lock, ww_mutex_trylock, ww_mutex_unlock,
  type KGen, type Mutex, type Task, type WwClass, type WwCtx,
} from '../../fixtures/kernel.js';
import { scripted } from '../../fixtures/lockdep/scripted.js';

interface Env { readonly cls: WwClass; readonly cls2: WwClass; readonly a: Mutex; readonly b: Mutex }
type Program = (t: Task, e: Env) => KGen<void>;

const nest = scripted('lockdep-nest-lock', (t: Task): Env => {
  const cls = ww_class_init(t, false);
  return { cls, cls2: ww_class_init(t, false), a: ww_mutex_init(t, cls), b: ww_mutex_init(t, cls) };
});

function runOnce(run: Program): TrialResult {
  const ex = new InlineExecutor(nest.scenario);
  nest.program = run;
  const r = ex.runTrial(0);
  ex.close();
  return r;
}

/** A context made and finished at once: the task no longer holds its map. */
function finished(t: Task, e: Env): WwCtx {
  const ctx = ww_acquire_init(t, e.cls);
  ww_acquire_fini(t, ctx);
  return ctx;
}

const STALE = ['WW_CTX_STALE', 'assertion in ww_mutex_lock (Nested lock was not taken)'];
const DONE = ['WW_LOCK_AFTER_DONE', 'assertion in ww_mutex_lock (ww_ctx->done_acquire)'];
const codes = (r: TrialResult): string[][] => r.findings.map((f) => [f.code, f.title]);

describe('a ww_mutex taken through a context the task does not hold', () => {
  it.each([
    ['ww_mutex_lock', function* (t: Task, m: Mutex, ctx: WwCtx): KGen<number> { return yield* ww_mutex_lock(t, m, ctx); }, 0],
    ['ww_mutex_trylock', function* (t: Task, m: Mutex, ctx: WwCtx): KGen<number> { return yield* ww_mutex_trylock(t, m, ctx); }, 1],
  ] as const)('by %s does not join the held stack, so a later lock of its class is no recursive locking', (_fn, take, ok) => {
    let held: unknown;
    const r = runOnce(function* (t, e) {
      const ctx = finished(t, e);
      expect(yield* take(t, e.a, ctx)).toBe(ok);
      held = lockdepHeld(t);
      expect(yield* ww_mutex_lock(t, e.b, null)).toBe(0);
      ww_mutex_unlock(t, e.b);
      ww_mutex_unlock(t, e.a);
    });
    expect(r.end).toBe('done');
    expect(held).toEqual([]);
    expect(codes(r)).toEqual([STALE]);
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
    ['ww_mutex_trylock reports the ww check first (its order), which silences lockdep', true, 1, [DONE]],
    ['ww_mutex_trylock of a context never done is lockdep\'s alone', false, 1, [STALE]],
    ['ww_mutex_lock reports lockdep first, which silences the ww checks', true, 0, [STALE]],
  ] as const)('%s', (_how, done, tryIt, found) => {
    const r = runOnce(function* (t, e) {
      const ctx = finishedAfter(t, e, done);
      expect(tryIt === 1 ? yield* ww_mutex_trylock(t, e.a, ctx) : yield* ww_mutex_lock(t, e.a, ctx)).toBe(tryIt === 1 ? 1 : 0);
      ww_mutex_unlock(t, e.a);
    });
    expect(r.end).toBe('done');
    expect(codes(r)).toEqual(found);
  });

  it('ww_mutex_trylock reports the ww checks in ww_mutex_lock_acquired\'s order: done_acquire before the class', () => {
    const r = runOnce(function* (t, e) {
      const ctx = ww_acquire_init(t, e.cls2);
      ww_acquire_done(t, ctx);
      expect(yield* ww_mutex_trylock(t, e.a, ctx)).toBe(1);
      ww_mutex_unlock(t, e.a);
      ww_acquire_fini(t, ctx);
    });
    expect(codes(r).map(([code]) => code)).toEqual(['WW_LOCK_AFTER_DONE', 'WW_CLASS_MISMATCH']);
  });
});
