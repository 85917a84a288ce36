/**
 * lockdep's nest_lock check for a ww_mutex taken through an acquire context the task does not
 * hold (a finished context here): "nested lock was not taken" (WW_CTX_STALE). In the kernel
 * print_lock_nested_lock_not_held turns lockdep off and __lock_acquire returns before the lock
 * joins the held stack, so nothing more is reported about that lock: the model does not push it
 * either, and a later lock of its class taken without a context is no recursive locking.
 */
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { defineScenario } from '../../../src/exec/scenario.js';
import type { TrialResult } from '../../../src/exec/result.js';
import { lockdepHeld } from '../../../src/kernel/lockdep.js';
import {
  ww_acquire_fini, ww_acquire_init, ww_class_init, ww_mutex_init, ww_mutex_lock, ww_mutex_trylock, ww_mutex_unlock,
  type KGen, type Mutex, type Task, type WwClass, type WwCtx,
} from '../../fixtures/kernel.js';

interface Env { readonly cls: WwClass; readonly a: Mutex; readonly b: Mutex }
type Program = (t: Task, e: Env) => KGen<void>;
let program: Program = function* () { /* set by each test */ };

/** One actor running `program` (inline only: the test sets it between trials, in one thread). */
const scripted = defineScenario({
  name: 'lockdep-nest-lock', module: import.meta.url, params: {}, expect: 'clean',
  setup: (t: Task): Env => {
    const cls = ww_class_init(t, false);
    return { cls, a: ww_mutex_init(t, cls), b: ww_mutex_init(t, cls) };
  },
  actors: () => [{ name: 'T', run: (t: Task, e: Env) => program(t, e) }],
});

function runOnce(run: Program): TrialResult {
  const ex = new InlineExecutor(scripted);
  program = run;
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
