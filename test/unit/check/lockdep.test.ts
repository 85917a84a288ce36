/**
 * The lock-class dependency validator (kernel/lockdep.ts): edges kept across trials, cycles
 * reported once with a stable title, no edges for same-class ww nesting or trylocks, fence waits
 * and signalling sections as dma_fence_map, and dma_resv_lockdep() priming.
 */
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { defineScenario } from '../../../src/exec/scenario.js';
import type { TrialResult } from '../../../src/exec/result.js';
import {
  EALREADY_RET, EDEADLK_RET, RESERVATION_WW_CLASS, STUB_FENCE, dma_fence_begin_signalling, dma_fence_end_signalling,
  dma_fence_wait, dma_resv_init, dma_resv_lock, dma_resv_lock_slow, dma_resv_unlock, mutex_init,
  mutex_lock, mutex_trylock, mutex_unlock, ww_acquire_fini, ww_acquire_init, ww_class_init,
  ww_mutex_init, ww_mutex_lock, ww_mutex_lock_slow, ww_mutex_unlock, type KGen, type Mutex, type Resv,
  type Task,
} from '../../fixtures/kernel.js';
import {
  fenceMapClass, lock_map_acquire, lock_map_release, lockdepEdgeCount, lockdepHasEdge, lockdepHeld,
  lockdep_class, reservationClass,
} from '../../../src/kernel/lockdep.js';
import { abbaWwBackoff } from '../../../scenarios/abba-ww-backoff.js';
import { nested } from '../../fixtures/lockdep/scripted.js';
import { CIRCULAR_HEADER } from '../../../src/check/lockdep_report.js';
import { DEFAULT_GEOMETRY, lockdepSize } from '../../../src/shm/layout.js';
import { lockdepWordsNeeded } from '../../../src/kernel/lockdep_layout.js';

/** Edges dma_resv_lockdep() primes: mmap_lock, resv acquire context, resv, fs_reclaim, i_mmap,
 *  mmu notifier, fence map (each on every class held before it). */
const PRIMED_EDGES = 19;

function circular(r: TrialResult): string[] {
  return r.findings.filter((f) => f.kind === 'circular-locking').map((f) => f.title);
}

// A one-actor program whose steps a test changes between trials (inline only: same thread).
type Step = (t: Task, e: Env) => KGen<unknown>;
interface Env { readonly a: Mutex; readonly b: Mutex; readonly c: Mutex; readonly n7: Mutex; readonly n9: Mutex }
let program: Step = function* () { /* set by each test */ };

const scripted = defineScenario({
  name: 'lockdep-scripted', module: import.meta.url, params: {}, expect: 'clean',
  setup: (t): Env => ({
    a: mutex_init(t, 'lock_a'), b: mutex_init(t, 'lock_b'), c: mutex_init(t, 'lock_c'),
    n7: ww_mutex_init(t, null, 7), n9: mutex_init(t, 9),
  }),
  actors: () => [{ name: 'T', run: (t: Task, e: Env) => program(t, e) }],
});

describe('lockdep: cycles across trials', () => {
  it('reports a plain two-mutex AB-BA whose orders happen in two different trials, on the second, once', () => {
    const ex = new InlineExecutor(scripted);
    program = (t, e) => nested(t, e.a, e.b);
    const first = ex.runTrial(0);
    expect(first.end).toBe('done');
    expect(first.findings).toEqual([]);
    program = (t, e) => nested(t, e.b, e.a);
    const second = ex.runTrial(1);
    expect(second.end).toBe('done');
    expect(second.findings.map((f) => [f.code, f.kind, f.title])).toEqual([
      ['LOCKDEP_CIRCULAR', 'circular-locking', 'circular-locking in mutex_lock'],
    ]);
    const msg = second.findings[0]!.message;
    expect(msg.split('\n')).toContain(CIRCULAR_HEADER);
    expect(msg).toContain('lock_a lock#0 --> lock_b lock#1: first seen in T, trial 1');
    expect(msg).toContain('lock_b lock#1 --> lock_a lock#0: first seen in T, trial 2');
    // Seen again: the dependency is known, nothing new to report.
    expect(ex.runTrial(2).findings).toEqual([]);
  });

  it('reports a longer chain A→B, B→C, then C→A with "Chain exists of"', () => {
    const ex = new InlineExecutor(scripted);
    program = (t, e) => nested(t, e.a, e.b);
    ex.runTrial(0);
    program = (t, e) => nested(t, e.b, e.c);
    expect(ex.runTrial(1).findings).toEqual([]);
    program = (t, e) => nested(t, e.c, e.a);
    const r = ex.runTrial(2);
    expect(circular(r)).toEqual(['circular-locking in mutex_lock']);
    expect(r.findings[0]!.message).toContain('Chain exists of:\n  lock_a --> lock_b --> lock_c');
  });

  it('keeps numeric class keys working', () => {
    const ex = new InlineExecutor(scripted);
    program = function* (t, e) { yield* nested(t, e.n7, e.n9); yield* nested(t, e.n9, e.n7); };
    const r = ex.runTrial(0);
    expect(circular(r)).toEqual(['circular-locking in mutex_lock']);
    expect(r.findings[0]!.message).toContain('(key#7)');
  });

  it('empties held stacks between trials (a lock left held does not leak into the next trial)', () => {
    const ex = new InlineExecutor(scripted);
    program = function* (t, e) { yield* mutex_lock(t, e.a); };
    ex.runTrial(0);
    program = (t, e) => nested(t, e.b, e.c);
    ex.runTrial(1);
    const a = ex.arena;
    expect(lockdepHasEdge(a, lockdep_class(a, 'lock_a'), lockdep_class(a, 'lock_b'))).toBe(false);
    expect(lockdepHasEdge(a, lockdep_class(a, 'lock_b'), lockdep_class(a, 'lock_c'))).toBe(true);
  });
});

describe('lockdep: what adds no edge', () => {
  it('adds no edge for a trylock, but later locks depend on the trylocked one', () => {
    const ex = new InlineExecutor(scripted);
    program = function* (t, e) {
      yield* mutex_lock(t, e.a);
      expect(yield* mutex_trylock(t, e.b)).toBe(1);
      yield* mutex_lock(t, e.c);
      mutex_unlock(t, e.c);
      mutex_unlock(t, e.b);
      mutex_unlock(t, e.a);
    };
    expect(ex.runTrial(0).findings).toEqual([]);
    const a = ex.arena;
    const [la, lb, lc] = ['lock_a', 'lock_b', 'lock_c'].map((n) => lockdep_class(a, n)) as [number, number, number];
    expect(lockdepHasEdge(a, la, lb)).toBe(false);
    expect(lockdepHasEdge(a, lb, lc)).toBe(true);
    expect(lockdepHasEdge(a, la, lc)).toBe(true);
    // The inverse order B→A is therefore no inversion.
    program = (t, e) => nested(t, e.b, e.a);
    expect(ex.runTrial(1).findings).toEqual([]);
  });

  it('keeps the ww AB-BA with backoff (one context, one class) free of edges and reports', () => {
    const ex = new InlineExecutor(abbaWwBackoff, { strategy: 'pct:2' });
    for (let seed = 0; seed < 500; seed++) expect(ex.runTrial(seed).findings).toEqual([]);
    const rc = reservationClass(ex.arena);
    expect(lockdepHasEdge(ex.arena, rc, rc)).toBe(false);
    expect(lockdepEdgeCount(ex.arena)).toBe(PRIMED_EDGES);
  });

  it('adds no edge for same-class ww locks taken under one context of another ww class (but its context\'s own)', () => {
    const s = defineScenario({
      name: 'lockdep-ww-nest', module: import.meta.url, params: {}, expect: 'clean',
      setup: (t) => {
        const cls = ww_class_init(t, false);
        return { cls, m: [ww_mutex_init(t, cls), ww_mutex_init(t, cls), ww_mutex_init(t, cls)] };
      },
      actors: () => [0, 1].map((k) => ({
        name: `W${k}`,
        run: function* (t: Task, e: { cls: number; m: Mutex[] }): KGen<void> {
          const order = k === 0 ? [0, 1, 2] : [2, 1, 0];
          const ctx = ww_acquire_init(t, e.cls as never);
          const held: Mutex[] = [];
          for (let i = 0; i < order.length; i++) {
            const m = e.m[order[i]!]!;
            const ret = yield* ww_mutex_lock(t, m, ctx);
            if (ret === EALREADY_RET) continue;
            if (ret === EDEADLK_RET) {
              for (const h of held.splice(0)) ww_mutex_unlock(t, h);
              yield* ww_mutex_lock_slow(t, m, ctx);
              held.push(m);
              i = -1;
              continue;
            }
            held.push(m);
          }
          for (const h of held) ww_mutex_unlock(t, h);
          ww_acquire_fini(t, ctx);
        },
      })),
    });
    const ex = new InlineExecutor(s);
    for (let seed = 0; seed < 300; seed++) expect(ex.runTrial(seed).findings.map((f) => f.title)).toEqual([]);
    // ww_acquire_init: the class's acquire map, then its first_lock_dep_map (6.13+).
    expect(lockdepEdgeCount(ex.arena)).toBe(PRIMED_EDGES + 1);
    const [acquire, mutex] = ['ww_class1_acquire', 'ww_class1_mutex'].map((n) => lockdep_class(ex.arena, n)) as [number, number];
    expect(lockdepHasEdge(ex.arena, acquire, mutex)).toBe(true);
    expect(lockdepHasEdge(ex.arena, mutex, mutex)).toBe(false);
  });
});

describe('lockdep: fences and priming', () => {
  it('primes dma_resv_lockdep(): reservation_ww_class_mutex → dma_fence_map', () => {
    const ex = new InlineExecutor(scripted);
    const a = ex.arena;
    expect(lockdepHasEdge(a, reservationClass(a), fenceMapClass(a))).toBe(true);
    expect(lockdepHasEdge(a, fenceMapClass(a), reservationClass(a))).toBe(false);
    expect(lockdepEdgeCount(a)).toBe(PRIMED_EDGES);
  });

  it('makes "wait while holding L" then "take L while signalling" a cycle, titled after mutex_lock', () => {
    const ex = new InlineExecutor(scripted);
    program = function* (t, e) { yield* mutex_lock(t, e.a); yield* dma_fence_wait(t, STUB_FENCE, false); mutex_unlock(t, e.a); };
    expect(ex.runTrial(0).findings).toEqual([]);
    program = function* (t, e) {
      const cookie = dma_fence_begin_signalling(t);
      yield* nested(t, e.a, e.b);
      dma_fence_end_signalling(t, cookie);
    };
    const r = ex.runTrial(1);
    expect(circular(r)).toEqual(['circular-locking in mutex_lock']);
    expect(r.findings[0]!.message).toContain('  rlock(dma_fence_map);');
  });

  it('makes "take L while signalling" then "wait while holding L" a cycle, titled after dma_fence_wait', () => {
    const ex = new InlineExecutor(scripted);
    program = function* (t, e) {
      const cookie = dma_fence_begin_signalling(t);
      yield* mutex_lock(t, e.a);
      mutex_unlock(t, e.a);
      dma_fence_end_signalling(t, cookie);
    };
    expect(ex.runTrial(0).findings).toEqual([]);
    program = function* (t, e) { yield* mutex_lock(t, e.a); yield* dma_fence_wait(t, STUB_FENCE, false); mutex_unlock(t, e.a); };
    const r = ex.runTrial(1);
    expect(circular(r)).toEqual(['circular-locking in dma_fence_wait']);
    expect(r.findings[0]!.message).toContain(`(dma_fence_map) fence#${STUB_FENCE}, at: dma_fence_wait`);
  });

  it('adds no edge for a wait inside a signalling section without other locks, and releases the section', () => {
    const ex = new InlineExecutor(scripted);
    let inside: number[][] = [];
    let after: number[][] = [];
    program = function* (t, e) {
      const outer = dma_fence_begin_signalling(t);
      const inner = dma_fence_begin_signalling(t);
      yield* dma_fence_wait(t, STUB_FENCE, false);
      inside = lockdepHeld(t);
      dma_fence_end_signalling(t, outer);
      void inner;
      yield* mutex_lock(t, e.a);
      after = lockdepHeld(t);
      mutex_unlock(t, e.a);
    };
    expect(ex.runTrial(0).findings).toEqual([]);
    const a = ex.arena;
    expect(inside).toEqual([[fenceMapClass(a), 0, 2]]);
    expect(after).toEqual([[lockdep_class(a, 'lock_a'), 1, 1]]);
    expect(lockdepHasEdge(a, fenceMapClass(a), lockdep_class(a, 'lock_a'))).toBe(false);
    expect(lockdepEdgeCount(a)).toBe(PRIMED_EDGES);
  });

  it('reports a resv lock taken inside a signalling section on first sight (priming)', () => {
    const s = defineScenario({
      name: 'lockdep-resv-in-section', module: import.meta.url, params: {}, expect: 'circular-locking',
      setup: (t): Resv => dma_resv_init(t),
      actors: () => [{
        name: 'signaller',
        run: function* (t: Task, r: Resv): KGen<void> {
          const cookie = dma_fence_begin_signalling(t);
          const ctx = ww_acquire_init(t, RESERVATION_WW_CLASS);
          if ((yield* dma_resv_lock(t, r, ctx)) === EDEADLK_RET) yield* dma_resv_lock_slow(t, r, ctx);
          dma_resv_unlock(t, r);
          ww_acquire_fini(t, ctx);
          dma_fence_end_signalling(t, cookie);
        },
      }],
    });
    const r = new InlineExecutor(s).runTrial(0);
    // Reported where the context's map is taken (6.13+), before the resv lock itself.
    expect(r.findings.map((f) => f.title)).toEqual(['circular-locking in ww_acquire_init']);
    expect(r.findings[0]!.message).toContain('primed at boot by dma_resv_lockdep()');
  });

  it('treats lock_map_acquire/release as a pseudo lock', () => {
    const ex = new InlineExecutor(scripted);
    program = function* (t, e) { lock_map_acquire(t, 'my_map'); yield* mutex_lock(t, e.a); mutex_unlock(t, e.a); lock_map_release(t, 'my_map'); };
    expect(ex.runTrial(0).findings).toEqual([]);
    program = function* (t, e) { yield* mutex_lock(t, e.a); lock_map_acquire(t, 'my_map'); lock_map_release(t, 'my_map'); mutex_unlock(t, e.a); };
    expect(circular(ex.runTrial(1))).toEqual(['circular-locking in lock_map_acquire']);
  });
});

describe('lockdep region', () => {
  it.each([1, 2, 31, 32, 33, 64, 100])('is sized by lockdepSize exactly as the sub-layout needs (%i classes)', (classes) => {
    for (const actors of [1, 9, 31]) {
      expect(lockdepSize({ ...DEFAULT_GEOMETRY, actors, lockClasses: classes })).toBe(lockdepWordsNeeded(actors, classes));
    }
  });

  it('survives trial resets: the matrix and class table are per executor, not per trial', () => {
    const ex = new InlineExecutor(scripted);
    program = (t, e) => nested(t, e.a, e.b);
    ex.runTrial(0);
    const edges = lockdepEdgeCount(ex.arena);
    expect(edges).toBe(PRIMED_EDGES + 1);
    program = function* () { /* nothing */ };
    for (let seed = 1; seed < 5; seed++) ex.runTrial(seed);
    expect(lockdepEdgeCount(ex.arena)).toBe(edges);
    // Another executor has its own arena, hence its own matrix.
    expect(lockdepEdgeCount(new InlineExecutor(scripted).arena)).toBe(PRIMED_EDGES);
  });
});
