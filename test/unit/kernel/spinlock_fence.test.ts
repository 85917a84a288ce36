/**
 * The fence lock as a lockdep class (kernel/spinlock_fence.ts): one class per fence ops, so a
 * driver whose enable_signaling takes its own spinlock_t under the fence lock, and which holds
 * that spinlock around dma_fence_signal elsewhere, is lockdep's circular locking dependency on
 * the fence lock — found in one trial whatever the interleaving, since lockdep reports from the
 * dependency graph; the fixed twin (signal after dropping the driver lock) stays clean. A plain
 * fence (no ops: any provider's) has no class.
 */
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../../src/errno/errors.js';
import { InlineExecutor } from '../../../src/exec/inline.js';
import type { TrialResult } from '../../../src/exec/result.js';
import { lockdepHasEdge, lockdep_class } from '../../../src/kernel/lockdep.js';
import { user_ops_word } from '../../../src/kernel/dma_fence_user_ops.js';
import { LD_DROPPED, lockdepLayout } from '../../../src/kernel/lockdep_layout.js';
import { fenceLockClassName, fence_spin_lock, fence_spin_unlock } from '../../../src/kernel/spinlock_fence.js';
import { siteId } from '../../../src/kernel/warn.js';
import type { Arena } from '../../../src/shm/arena.js';
import { FOPS_ARRAY, FOPS_CHAIN, FOPS_ENABLE_SIGNALS, F_OPS } from '../../../src/shm/layout.js';
import {
  dma_fence_add_callback, dma_fence_array_create, dma_fence_cb_alloc, dma_fence_context_alloc, dma_fence_init, dma_fence_signal,
  dma_fence_chain_init, dma_fence_enable_sw_signaling, dma_fence_ops_register, NULL_FENCE, type DmaFenceOpsId, type Fence, type Task,
} from '../../fixtures/kernel.js';
import { ABBA_FENCE_OPS, fenceLockAbba, type FenceLockPath } from '../../fixtures/lockdep/fence_lock_abba.js';
import { codes, runOnce } from '../../fixtures/lockdep/run_once.js';
import { scripted } from '../../fixtures/lockdep/scripted.js';

/** The two titles: the cycle closed taking the fence lock (signal last) or the driver lock (enable last). */
const TITLES = ['circular-locking in spin_lock_irqsave', 'circular-locking in spin_lock'];
/** Seeds tried, one trial each on a fresh executor (a fresh dependency graph): the trial budget. */
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
/** Where the driver takes its lock under the fence lock: enable_signaling, or a fence callback. */
const PATHS: readonly FenceLockPath[] = ['enable', 'callback'];

/** One trial of the driver taking its lock on `path` with `seed` on a fresh executor. */
function trial(fixed: boolean, path: FenceLockPath, seed: number): TrialResult {
  const ex = new InlineExecutor(fenceLockAbba, { params: { fixed, path } });
  try {
    return ex.runTrial(seed);
  } finally {
    ex.close();
  }
}

/** The classes of a finding's dependency chain, by key. */
function chainKeys(r: TrialResult): number[] {
  const f = r.findings.find((x) => x.code === 'LOCKDEP_CIRCULAR');
  return [...new Set((f?.lockdep ?? []).flatMap((d) => [d.from.key, d.to.key]))].sort();
}

describe('the fence lock as a lockdep class', () => {
  it.each(PATHS)('reports driver lock → fence lock against fence lock → driver lock (%s) within one trial, every seed', (path) => {
    for (const seed of SEEDS) {
      const r = trial(false, path, seed);
      expect(r.end).toBe('done');
      expect(r.findings.map((f) => f.code)).toEqual(['LOCKDEP_CIRCULAR']);
      expect(TITLES).toContain(r.findings[0]!.title);
      expect(chainKeys(r)).toEqual([siteId('test_abba_drv_lock'), siteId('test_abba_fence_ops.lock')].sort());
    }
  });

  it.each(PATHS)('stays clean when the driver signals after dropping its lock (%s)', (path) => {
    for (const seed of SEEDS) expect(trial(true, path, seed).findings.map((f) => f.code)).toEqual([]);
  });

  it('names one class per fence ops, none for a plain fence', () => {
    expect(fenceLockClassName(0)).toBe('');
    expect(fenceLockClassName(FOPS_ENABLE_SIGNALS)).toBe('');
    expect(fenceLockClassName(user_ops_word(ABBA_FENCE_OPS))).toBe('test_abba_fence_ops.lock');
    expect(fenceLockClassName(FOPS_ARRAY)).toBe('dma_fence_array_ops.lock');
    expect(fenceLockClassName(FOPS_CHAIN)).toBe('dma_fence_chain_ops.lock');
  });

  it('refuses driver ops this thread never registered (ERR_FENCE_OPS), not a second class under a made-up name', () => {
    // Registered ids are odd (dma_fence_user_ops.ts idOf): 2 is nobody's.
    const word = user_ops_word(2 as DmaFenceOpsId);
    let err: unknown;
    try { fenceLockClassName(word); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(HarnessError);
    expect((err as HarnessError).code).toBe('ERR_FENCE_OPS');
  });
});

/** A driver's fence ops with no callbacks of its own: its fences' locks are one class. */
const PLAIN_DRIVER_OPS = dma_fence_ops_register('test_nesting_fence_ops', { get_driver_name: 'test', get_timeline_name: 'test-ring' });

interface Env { readonly b: Fence; readonly x: Fence; readonly p: Fence; readonly q: Fence }
const env = scripted('fence-lock-nesting', (t: Task): Env => {
  const ctx = dma_fence_context_alloc(t, 4);
  const fence = (i: number, ops?: DmaFenceOpsId): Fence => dma_fence_init(t, ctx + i, 1, { signaler: -1, ...(ops === undefined ? {} : { ops }) });
  return { b: fence(0, PLAIN_DRIVER_OPS), x: fence(1, PLAIN_DRIVER_OPS), p: fence(2), q: fence(3) };
});

describe('fence locks nested by the core', () => {
  it('an array signalled by its last fence takes its lock from irq_work, not under the fence lock: clean', () => {
    const { r, seen } = runOnce(env, function* (t, e) {
      const arr = dma_fence_array_create(t, 2, [e.b, e.x], dma_fence_context_alloc(t, 1), 1, false);
      dma_fence_enable_sw_signaling(t, arr);
      dma_fence_signal(t, e.b);
      dma_fence_signal(t, e.x);
      yield* [];
    }, (a) => {
      const [arr, drv] = ['dma_fence_array_ops.lock', 'test_nesting_fence_ops.lock'].map((n) => lockdep_class(a, n)) as [number, number];
      return [lockdepHasEdge(a, arr, drv), lockdepHasEdge(a, drv, arr)];
    });
    expect(codes(r)).toEqual([]);
    // enable_signaling adds its callbacks under the array's lock; nothing takes it under theirs.
    expect(seen).toEqual([true, false]);
  });

  it('a chain signalled by its fence takes its lock from irq_work, not under the fence lock: clean', () => {
    const { r, seen } = runOnce(env, function* (t, e) {
      const chain = dma_fence_chain_init(t, NULL_FENCE, e.b, 1);
      dma_fence_enable_sw_signaling(t, chain);
      dma_fence_signal(t, e.b);
      yield* [];
    }, (a) => {
      const [chain, drv] = ['dma_fence_chain_ops.lock', 'test_nesting_fence_ops.lock'].map((n) => lockdep_class(a, n)) as [number, number];
      return [lockdepHasEdge(a, chain, drv), lockdepHasEdge(a, drv, chain)];
    });
    expect(codes(r)).toEqual([]);
    // enable_signaling arms its callback on the fence under the chain's lock (dma-fence-chain.c).
    expect(seen).toEqual([true, false]);
  });

  it('a callback signalling a plain fence under another plain fence\'s lock is clean: plain fences have no class', () => {
    const { r } = runOnce(env, function* (t, e) {
      t.callbacks = [(u: Task) => dma_fence_signal(u, e.q)];
      dma_fence_add_callback(t, e.p, dma_fence_cb_alloc(t), 0);
      dma_fence_signal(t, e.p);
      yield* [];
    });
    expect(codes(r)).toEqual([]);
  });

  it('a callback signalling a fence of the same driver ops under its fence lock is recursive locking', () => {
    const { r } = runOnce(env, function* (t, e) {
      t.callbacks = [(u: Task) => dma_fence_signal(u, e.x)];
      dma_fence_add_callback(t, e.b, dma_fence_cb_alloc(t), 0);
      dma_fence_signal(t, e.b);
      yield* [];
    });
    expect(codes(r)).toEqual([['LOCK_RECURSIVE', 'assertion in spin_lock_irqsave (possible recursive locking detected)']]);
  });
});

/** Register classes until the table refuses one: from now on it is full. */
function fillClassTable(a: Arena): void {
  for (let i = 0; lockdep_class(a, `test_filler_${i}`) !== 0; i++) { /* claim */ }
}

describe('the class fence_spin_lock returns', () => {
  it('is what fence_spin_unlock pops: a row whose ops changed while held leaves no stale held lock behind', () => {
    const { r } = runOnce(env, function* (t, e) {
      const cookie = fence_spin_lock(t, e.b);
      // Stands for a use-after-free that reused the row for a plain fence while the lock was held.
      const ops = t.arena.fence(e.b) + F_OPS;
      const word = t.i32[ops]!;
      t.i32[ops] = 0;
      fence_spin_unlock(t, e.b, cookie);
      t.i32[ops] = word;
      // A held entry of the driver's class left on the stack would make this recursive locking.
      dma_fence_signal(t, e.x);
      yield* [];
    });
    expect(codes(r)).toEqual([]);
  });

  it('is looked up in a full table once per ops, not at every lock', () => {
    let refusals = -1;
    runOnce(env, function* (t, e) {
      fillClassTable(t.arena);
      const dropped = lockdepLayout(t.arena).hdr(LD_DROPPED);
      const before = Atomics.load(t.i32, dropped);
      for (let i = 0; i < 3; i++) fence_spin_unlock(t, e.b, fence_spin_lock(t, e.b));
      refusals = Atomics.load(t.i32, dropped) - before;
      yield* [];
    });
    expect(refusals).toBe(1);
  });
});
