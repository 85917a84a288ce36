/**
 * might_alloc / fs_reclaim_acquire (kernel/lockdep_map.ts): an allocation that may enter direct
 * reclaim depends on fs_reclaim (with __GFP_FS) and the mmu notifier map from every held lock, as
 * mm/page_alloc.c's annotation makes lockdep see it; one that cannot reclaim (GFP_NOWAIT,
 * GFP_ATOMIC) or asks for no lockdep (__GFP_NOLOCKDEP) depends on nothing. The model's
 * allocations that reclaim in the kernel make it: kzalloc_words with a reclaiming gfp,
 * dma_resv_reserve_fences when it grows the list.
 */
import { describe, expect, it } from 'vitest';
import {
  FS_RECLAIM_NAME, FENCE_MAP_NAME, MMU_NOTIFIER_MAP_NAME, lockdepHasEdge, lockdep_class,
} from '../../../src/kernel/lockdep.js';
import { LCF_MAP } from '../../../src/kernel/lockdep_layout.js';
import type { Arena } from '../../../src/shm/arena.js';
import {
  GFP_ATOMIC, GFP_KERNEL, GFP_NOFS, GFP_NOWAIT, __GFP_NOLOCKDEP, dma_buf_attach, dma_buf_detach, dma_buf_export, dma_buf_put,
  dma_fence_begin_signalling, dma_fence_end_signalling, dma_resv_init, dma_resv_lock, dma_resv_reserve_fences, dma_resv_unlock,
  fs_reclaim_acquire, fs_reclaim_release, kzalloc_words, mutex_init, mutex_lock, mutex_unlock, registerDmaBufOps, type DmaBuf,
  type DmaBufAttachment, type KGen, type Mutex, type Resv, type Task, type gfp_t,
} from '../../fixtures/kernel.js';
import { codes, runOnce } from '../../fixtures/lockdep/run_once.js';
import { scripted } from '../../fixtures/lockdep/scripted.js';

interface Env { readonly resv: Resv; readonly shrink: Mutex }

const SHRINKER_LOCK = 'test_shrinker_lock';
const EXPORTER = registerDmaBufOps('test_might_alloc_exporter', {
  *map_dma_buf(_t: Task): KGen<number> { return 1; },
  *unmap_dma_buf(_t: Task): KGen<void> { /* nothing mapped */ },
  *release(_t: Task): KGen<void> { /* nothing to free */ },
});
const env = scripted('might-alloc', (t: Task): Env => ({ resv: dma_resv_init(t), shrink: mutex_init(t, SHRINKER_LOCK) }));
const withBuf = scripted('might-alloc-attach', (t: Task): DmaBuf => dma_buf_export(t, { ops: EXPORTER, size: 1, priv: 0 }) as DmaBuf);

const CIRCULAR = ['LOCKDEP_CIRCULAR', 'circular-locking in fs_reclaim_acquire'];

/** Whether `a`'s graph has dma_fence_map → the map named `to`. */
function fenceMapTo(a: Arena, to: string): boolean {
  return lockdepHasEdge(a, lockdep_class(a, FENCE_MAP_NAME, LCF_MAP), lockdep_class(a, to, LCF_MAP));
}

/** kzalloc_words with `gfp` inside a fence signalling section. */
function allocInSection(gfp: gfp_t): { findings: string[][]; fsEdge: boolean | undefined } {
  const { r, seen } = runOnce(env, function* (t) {
    const cookie = dma_fence_begin_signalling(t);
    kzalloc_words(t, 1, gfp, allocInSection);
    dma_fence_end_signalling(t, cookie);
  }, (a) => fenceMapTo(a, FS_RECLAIM_NAME));
  expect(r.end).toBe('done');
  return { findings: codes(r), fsEdge: seen };
}

describe('an allocation inside a fence signalling section', () => {
  it('with GFP_KERNEL is circular-locking in fs_reclaim_acquire (dma_fence_map → fs_reclaim)', () => {
    expect(allocInSection(GFP_KERNEL)).toEqual({ findings: [CIRCULAR], fsEdge: true });
  });

  it('with GFP_NOFS is circular-locking too, through the mmu notifier map, without fs_reclaim', () => {
    expect(allocInSection(GFP_NOFS)).toEqual({ findings: [CIRCULAR], fsEdge: false });
  });

  it.each([['GFP_NOWAIT', GFP_NOWAIT], ['GFP_ATOMIC', GFP_ATOMIC], ['GFP_KERNEL | __GFP_NOLOCKDEP', GFP_KERNEL | __GFP_NOLOCKDEP]])(
    'with %s depends on nothing', (_name, gfp) => {
      expect(allocInSection(gfp)).toEqual({ findings: [], fsEdge: false });
    },
  );
});

describe('an allocation outside a signalling section', () => {
  it('with GFP_KERNEL reports nothing and adds no dma_fence_map dependency', () => {
    const { r, seen } = runOnce(env, function* (t) {
      kzalloc_words(t, 1, GFP_KERNEL, 'test_alloc');
    }, (a) => fenceMapTo(a, FS_RECLAIM_NAME) || fenceMapTo(a, MMU_NOTIFIER_MAP_NAME));
    expect(codes(r)).toEqual([]);
    expect(seen).toBe(false);
  });
});

describe('dma_resv_reserve_fences in a signalling section (resv lock held)', () => {
  it('that grows the list allocates GFP_KERNEL: circular-locking in fs_reclaim_acquire', () => {
    const { r } = runOnce(env, function* (t, e) {
      yield* dma_resv_lock(t, e.resv, null);
      const cookie = dma_fence_begin_signalling(t);
      expect(dma_resv_reserve_fences(t, e.resv, 1)).toBe(0);
      dma_fence_end_signalling(t, cookie);
      dma_resv_unlock(t, e.resv);
    });
    expect(codes(r)).toEqual([CIRCULAR]);
  });

  it('that fits the list allocates nothing: clean', () => {
    const { r } = runOnce(env, function* (t, e) {
      yield* dma_resv_lock(t, e.resv, null);
      expect(dma_resv_reserve_fences(t, e.resv, 1)).toBe(0);
      const cookie = dma_fence_begin_signalling(t);
      expect(dma_resv_reserve_fences(t, e.resv, 1)).toBe(0);
      dma_fence_end_signalling(t, cookie);
      dma_resv_unlock(t, e.resv);
    });
    expect(codes(r)).toEqual([]);
  });
});

describe('dma_buf_attach in a signalling section', () => {
  it('allocates the attachment GFP_KERNEL before it takes the resv lock: fs_reclaim_acquire reports first', () => {
    const { r } = runOnce(withBuf, function* (t, db) {
      const cookie = dma_fence_begin_signalling(t);
      const at = yield* dma_buf_attach(t, db, 1);
      dma_fence_end_signalling(t, cookie);
      expect(at).toBeGreaterThanOrEqual(0);
      yield* dma_buf_detach(t, db, at as DmaBufAttachment);
      yield* dma_buf_put(t, db);
    });
    expect(codes(r)[0]).toEqual(CIRCULAR);
  });
});

describe('an allocation under a lock the reclaim path takes (a shrinker\'s lock)', () => {
  /** The shrinker: in reclaim (fs_reclaim held), it takes its lock — fs_reclaim → the lock. */
  function* shrinker(t: Task, e: Env): Generator<number, void, unknown> {
    fs_reclaim_acquire(t, GFP_KERNEL);
    yield* mutex_lock(t, e.shrink);
    mutex_unlock(t, e.shrink);
    fs_reclaim_release(t, GFP_KERNEL);
  }

  it('with GFP_KERNEL is circular-locking in fs_reclaim_acquire', () => {
    const { r } = runOnce(env, function* (t, e) {
      yield* shrinker(t, e);
      yield* mutex_lock(t, e.shrink);
      kzalloc_words(t, 1, GFP_KERNEL, 'test_alloc');
      mutex_unlock(t, e.shrink);
    });
    expect(codes(r)).toEqual([CIRCULAR]);
  });

  it('with GFP_NOWAIT is clean', () => {
    const { r } = runOnce(env, function* (t, e) {
      yield* shrinker(t, e);
      yield* mutex_lock(t, e.shrink);
      kzalloc_words(t, 1, GFP_NOWAIT, 'test_alloc');
      mutex_unlock(t, e.shrink);
    });
    expect(codes(r)).toEqual([]);
  });
});
