/**
 * An acquire context's lockdep maps (include/linux/ww_mutex.h since 6.13): ww_acquire_init takes
 * the context's map and its first_lock_dep_map — a pseudo lock of the ww_class's mutex class,
 * nested under the context's map — and holds both until ww_acquire_fini. So a lock taken after
 * ww_acquire_init is ordered after the mutex class even before the context's first ww_mutex, a
 * ww_mutex taken through the context adds no dependency of its own, and one taken without the
 * context while it lives is recursive locking (as is making a context while holding one, and
 * might_lock of one: lock_acquire with no nest_lock).
 */
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { defineScenario } from '../../../src/exec/scenario.js';
import type { TrialResult } from '../../../src/exec/result.js';
import { lockdepHasEdge, lockdepMutexClassOf, lockdep_class, might_lock } from '../../../src/kernel/lockdep.js';
import {
  mutex_init, mutex_lock, mutex_unlock, ww_acquire_fini, ww_acquire_init, ww_class_init, ww_mutex_init, ww_mutex_lock,
  ww_mutex_unlock, type KGen, type Mutex, type Task, type WwClass, type WwCtx,
} from '../../fixtures/kernel.js';

interface Env {
  readonly cls: WwClass; readonly a: Mutex; readonly b: Mutex; readonly c: Mutex; readonly x: Mutex;
  /** A second ww_class and a ww_mutex of it. */
  readonly cls2: WwClass; readonly d: Mutex;
}
type Program = (t: Task, e: Env) => KGen<void>;
let program: Program = function* () { /* set by each test */ };

/** One actor running `program` (inline only: the test sets it between trials, in one thread). */
const scripted = defineScenario({
  name: 'lockdep-ww-ctx', module: import.meta.url, params: {}, expect: 'clean',
  setup: (t: Task): Env => {
    const cls = ww_class_init(t, true);
    const cls2 = ww_class_init(t, false);
    return {
      cls, a: ww_mutex_init(t, cls), b: ww_mutex_init(t, cls), c: ww_mutex_init(t, cls), x: mutex_init(t, 'lock_x'),
      cls2, d: ww_mutex_init(t, cls2),
    };
  },
  actors: () => [{ name: 'T', run: (t: Task, e: Env) => program(t, e) }],
});

/** Take `m` through `ctx` (the test's locks are never contended: one actor). */
function* wwLock(t: Task, m: Mutex, ctx: WwCtx | null): KGen<void> {
  expect(yield* ww_mutex_lock(t, m, ctx)).toBe(0);
}

/** Make a context, take `locks` through it, release them and finish it. */
function* throughCtx(t: Task, e: Env, locks: readonly Mutex[]): KGen<void> {
  const ctx = ww_acquire_init(t, e.cls);
  for (const m of locks) yield* wwLock(t, m, ctx);
  for (const m of [...locks].reverse()) ww_mutex_unlock(t, m);
  ww_acquire_fini(t, ctx);
}

const seen = (r: TrialResult): [string, string, number][] => r.findings.map((f) => [f.code, f.title, f.obj]);
const RECURSIVE = 'possible recursive locking detected';

/** Run `run` as one trial: it ends, with exactly `found` ([code, title, the lock's name in Env]). */
function expectFound(run: Program, found: readonly (readonly string[])[]): void {
  const ex = new InlineExecutor(scripted);
  let env: Env | undefined;
  program = function* (t, e) { env = e; yield* run(t, e); };
  const r = ex.runTrial(0);
  expect(r.end).toBe('done');
  expect(seen(r)).toEqual(found.map(([code, title, lock]) => [code, title, env![lock as 'a']]));
  ex.close();
}

describe('a lock taken between ww_acquire_init and the context\'s first ww_mutex', () => {
  /** ww_acquire_init; mutex_lock(x); ww_mutex_lock(a, ctx): x is taken under the first_lock_dep_map. */
  const xThenA: Program = function* (t, e) {
    const ctx = ww_acquire_init(t, e.cls);
    yield* mutex_lock(t, e.x);
    yield* wwLock(t, e.a, ctx);
    ww_mutex_unlock(t, e.a);
    mutex_unlock(t, e.x);
    ww_acquire_fini(t, ctx);
  };

  it('is ordered after the ww_class\'s mutex class, and the ww_mutex after it is not ordered after it', () => {
    const ex = new InlineExecutor(scripted);
    let env: Env | undefined;
    program = function* (t, e) { env = e; yield* xThenA(t, e); };
    expect(ex.runTrial(0).findings).toEqual([]);
    const a = ex.arena;
    const [mutexClass, x] = [lockdepMutexClassOf(a, env!.a), lockdep_class(a, 'lock_x')];
    expect(lockdepHasEdge(a, mutexClass, x)).toBe(true);
    expect(lockdepHasEdge(a, x, mutexClass)).toBe(false);
    ex.close();
  });

  it('is no inversion against a context taking a ww_mutex, then x (the order lockdep also records)', () => {
    const ex = new InlineExecutor(scripted);
    program = xThenA;
    expect(ex.runTrial(0).findings).toEqual([]);
    program = function* (t, e) {
      const ctx = ww_acquire_init(t, e.cls);
      yield* wwLock(t, e.b, ctx);
      yield* mutex_lock(t, e.x);
      mutex_unlock(t, e.x);
      ww_mutex_unlock(t, e.b);
      ww_acquire_fini(t, ctx);
    };
    expect(ex.runTrial(1).findings).toEqual([]);
    ex.close();
  });

  it('still closes a cycle when taken after the context\'s first ww_mutex and before another (a, x, b)', () => {
    const ex = new InlineExecutor(scripted);
    program = function* (t, e) {
      const ctx = ww_acquire_init(t, e.cls);
      yield* wwLock(t, e.a, ctx);
      yield* mutex_lock(t, e.x);
      yield* wwLock(t, e.b, ctx);
      ww_mutex_unlock(t, e.b);
      mutex_unlock(t, e.x);
      ww_mutex_unlock(t, e.a);
      ww_acquire_fini(t, ctx);
    };
    expect(ex.runTrial(0).findings.map((f) => [f.code, f.title])).toEqual([['LOCKDEP_CIRCULAR', 'circular-locking in ww_mutex_lock']]);
    ex.close();
  });
});

describe('a ww_mutex of the context\'s class taken without the context', () => {
  it.each([
    {
      name: 'while the context lives: recursive locking there; a later lock through the context nests',
      run: function* (t: Task, e: Env): KGen<void> {
        const ctx = ww_acquire_init(t, e.cls);
        yield* wwLock(t, e.a, null);
        yield* wwLock(t, e.b, ctx);
        ww_mutex_unlock(t, e.b);
        ww_mutex_unlock(t, e.a);
        ww_acquire_fini(t, ctx);
      },
      found: [['LOCK_RECURSIVE', `assertion in ww_mutex_lock (${RECURSIVE})`, 'a']],
    },
    {
      name: 'held when the context is made: recursive locking in ww_acquire_init; later locks through it nest',
      run: function* (t: Task, e: Env): KGen<void> {
        yield* wwLock(t, e.a, null);
        yield* throughCtx(t, e, [e.b, e.c]);
        ww_mutex_unlock(t, e.a);
      },
      found: [['LOCK_RECURSIVE', `assertion in ww_acquire_init (${RECURSIVE})`, 'a']],
    },
    {
      name: 'released before the context is made: clean',
      run: function* (t: Task, e: Env): KGen<void> {
        yield* wwLock(t, e.a, null);
        ww_mutex_unlock(t, e.a);
        yield* throughCtx(t, e, [e.b, e.c]);
      },
      found: [],
    },
    {
      name: 'after the context is finished: clean',
      run: function* (t: Task, e: Env): KGen<void> {
        yield* throughCtx(t, e, [e.b]);
        yield* wwLock(t, e.a, null);
        ww_mutex_unlock(t, e.a);
      },
      found: [],
    },
  ])('$name', ({ run, found }) => { expectFound(run, found); });
});

describe('might_lock of a ww_mutex (no nest_lock)', () => {
  it.each([
    {
      name: 'while a context of its class lives, before the context\'s first lock: recursive locking',
      run: function* (t: Task, e: Env): KGen<void> {
        const ctx = ww_acquire_init(t, e.cls);
        might_lock(t, e.a);
        yield* wwLock(t, e.a, ctx);
        ww_mutex_unlock(t, e.a);
        ww_acquire_fini(t, ctx);
      },
      found: [['LOCK_RECURSIVE', `assertion in might_lock (${RECURSIVE})`, 'a']],
    },
    {
      name: 'while the context holds another of its class: recursive locking',
      run: function* (t: Task, e: Env): KGen<void> {
        const ctx = ww_acquire_init(t, e.cls);
        yield* wwLock(t, e.a, ctx);
        might_lock(t, e.b);
        ww_mutex_unlock(t, e.a);
        ww_acquire_fini(t, ctx);
      },
      found: [['LOCK_RECURSIVE', `assertion in might_lock (${RECURSIVE})`, 'b']],
    },
    {
      name: 'holding another of its class without a context: recursive locking',
      run: function* (t: Task, e: Env): KGen<void> {
        yield* wwLock(t, e.a, null);
        might_lock(t, e.b);
        ww_mutex_unlock(t, e.a);
      },
      found: [['LOCK_RECURSIVE', `assertion in might_lock (${RECURSIVE})`, 'b']],
    },
    {
      name: 'after the context is finished: clean',
      run: function* (t: Task, e: Env): KGen<void> {
        yield* throughCtx(t, e, [e.b]);
        might_lock(t, e.a);
      },
      found: [],
    },
  ])('$name', ({ run, found }) => { expectFound(run, found); });

  it('holding a lock of another class records that dependency, as taking it would', () => {
    const ex = new InlineExecutor(scripted);
    let env: Env | undefined;
    program = function* (t, e) {
      env = e;
      yield* mutex_lock(t, e.x);
      might_lock(t, e.a);
      mutex_unlock(t, e.x);
    };
    expect(ex.runTrial(0).findings).toEqual([]);
    const a = ex.arena;
    expect(lockdepHasEdge(a, lockdep_class(a, 'lock_x'), lockdepMutexClassOf(a, env!.a))).toBe(true);
    ex.close();
  });
});

describe('contexts of two ww_classes held together', () => {
  it('each nests its own ww_mutexes: the earlier context\'s lock taken above the later context\'s map and lock is not recursive', () => {
    const ex = new InlineExecutor(scripted);
    program = function* (t, e) {
      const x1 = ww_acquire_init(t, e.cls);
      const x2 = ww_acquire_init(t, e.cls2);
      yield* wwLock(t, e.d, x2);
      yield* wwLock(t, e.a, x1);
      ww_mutex_unlock(t, e.a);
      ww_mutex_unlock(t, e.d);
      ww_acquire_fini(t, x2);
      ww_acquire_fini(t, x1);
    };
    const r = ex.runTrial(0);
    expect(r.end).toBe('done');
    expect(seen(r)).toEqual([]);
    ex.close();
  });
});
