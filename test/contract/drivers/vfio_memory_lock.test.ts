/**
 * vdev->memory_lock (kernel-semantics §4.10): the model's moves run under it, so lockdep records
 * memory_lock → reservation_ww_class_mutex and an inversion through it is reported; a move
 * without it is reported by the move's lockdep_assert_held_write.
 */
import { RESERVATION_CLASS_NAME } from '../../../src/kernel/lockdep_class.js';
import { siteId } from '../../../src/kernel/warn.js';
import { describe, expect, it } from 'vitest';
import { MEMORY_LOCK_CLASS } from '../../../src/drivers/vfio_dmabuf.js';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { lockdepHasEdge, lockdep_class, reservationClass } from '../../../src/kernel/lockdep.js';
import { runTrials } from '../../support/both.js';
import { expectClean, expectFound } from '../../support/mustfind.js';
import {
  vfioMapChecksRevoked, vfioMapTakesMemoryLock, vfioMoveWithoutMemoryLock,
} from '../../fixtures/vfio/memory_lock_pair.js';

describe('VFIO memory_lock', () => {
  it('a revoke records memory_lock → reservation_ww_class_mutex, never the reverse', () => {
    const ex = new InlineExecutor(vfioMapChecksRevoked, { strategy: 'random' });
    expect(ex.runTrial(0).findings).toEqual([]);
    const a = ex.arena;
    const ml = lockdep_class(a, MEMORY_LOCK_CLASS);
    expect(lockdepHasEdge(a, ml, reservationClass(a))).toBe(true);
    expect(lockdepHasEdge(a, reservationClass(a), ml)).toBe(false);
  });

  it('a move without memory_lock is lock-not-held in vfio_pci_dma_buf_move', () => {
    const r = new InlineExecutor(vfioMoveWithoutMemoryLock).runTrial(0);
    expect(r.findings.map((f) => [f.code, f.kind, f.title])).toEqual([
      ['LOCK_NOT_HELD', 'lock-not-held', 'lock-not-held in vfio_pci_dma_buf_move'],
    ]);
  });

  it('finds vfio-map-takes-memory-lock as circular-locking within 1,000 inline trials', () => {
    expectFound(vfioMapTakesMemoryLock);
  });

  it('reports the inversion through memory_lock and the resv lock on worker threads', async () => {
    const results = await runTrials('controlled', vfioMapTakesMemoryLock, 5, { leakCheck: true });
    const f = results.flatMap((r) => r.findings).find((x) => x.kind === 'circular-locking');
    expect(f?.code).toBe('LOCKDEP_CIRCULAR');
    const classes = new Set((f?.lockdep ?? []).flatMap((d) => [d.from.key, d.to.key]));
    expect(classes).toEqual(new Set([siteId(MEMORY_LOCK_CLASS), siteId(RESERVATION_CLASS_NAME)]));
  });

  it('keeps vfio-map-checks-revoked clean over 20,000 inline and 500 controlled trials', async () => {
    await expectClean(vfioMapChecksRevoked);
  }, 120_000);
});
