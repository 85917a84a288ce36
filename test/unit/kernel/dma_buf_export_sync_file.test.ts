// DMA_BUF_IOCTL_EXPORT_SYNC_FILE (drivers/dma-buf/dma-buf.c dma_buf_export_sync_file): flags as
// the import's (__u32, bits within DMA_BUF_SYNC_RW, not zero, else -EINVAL); the usage
// dma_resv_usage_rw(flags & DMA_BUF_SYNC_WRITE) — a write waits for readers and writers, a read for
// writers only; dma_resv_get_singleton's fence (a new array for several, own context) or, for none,
// the always-signalled stub; the sync_file holding one reference; a released dma-buf reported as
// the import reports it; the GFP_KERNEL allocations — get_fences' array when the walk finds a
// fence, the sync_file's once it has its fence — (might_alloc: SLEEP_IN_ATOMIC under a spinlock,
// -ENOMEM included). A round trip export → import onto another buffer through both
// executors stays clean with the harness's leak checks on (fixture
// test/fixtures/dmabuf/sync_file_round_trip.ts).
import { describe, expect, it } from 'vitest';
import {
  EINVAL_RET, DMA_BUF_SYNC_READ, DMA_BUF_SYNC_RW, DMA_BUF_SYNC_WRITE, DMA_RESV_USAGE_READ, DMA_RESV_USAGE_WRITE,
  STUB_FENCE, dma_buf_export, dma_buf_export_sync_file, dma_buf_put, dma_buf_resv, dma_fence_array_first,
  dma_fence_array_next, dma_fence_context_alloc, dma_fence_init, dma_fence_is_array, dma_fence_is_signaled,
  dma_fence_put, dma_fence_refcount, dma_fence_signal, dma_resv_add_fence, dma_resv_lock, dma_resv_reserve_fences,
  dma_resv_unlock, registerDmaBufOps, spin_lock, spin_unlock, type DmaBuf, type DmaResvUsage, type Fence, type Task,
} from '../../fixtures/kernel.js';
import { F_CONTEXT } from '../../../src/shm/layout.js';
import { spinlockAlloc } from '../../fixtures/spinlock.js';
import { ENOMEM } from '../../../src/errno/errno.js';
import { syncFileRoundTrip } from '../../fixtures/dmabuf/sync_file_round_trip.js';
import { EXECUTORS, findingTitles, runTrials } from '../../support/both.js';
import { drive, fenceTask, findingCodes, taskFindingTitles } from '../../support/fence_task.js';

const OPS = registerDmaBufOps('export_sync_file_test_ops', {
  *map_dma_buf() { return 1; },
  *unmap_dma_buf() { /* nothing mapped */ },
  *release() { /* nothing held */ },
});

/** A new dma-buf whose resv holds one new unsignaled fence per entry of `usages` (its references
 *  only), on a context of its own, in that order. */
function bufferWith(t: Task, usages: readonly DmaResvUsage[]): { db: DmaBuf; fences: Fence[] } {
  const db = dma_buf_export(t, { ops: OPS, size: 1, priv: 1 }) as DmaBuf;
  const resv = dma_buf_resv(t, db);
  const ctx = usages.length === 0 ? 0 : dma_fence_context_alloc(t, usages.length);
  const fences = usages.map((_, i) => dma_fence_init(t, ctx + i, 1));
  drive(dma_resv_lock(t, resv, null));
  expect(dma_resv_reserve_fences(t, resv, Math.max(usages.length, 1))).toBe(0);
  fences.forEach((f, i) => { dma_resv_add_fence(t, resv, f, usages[i]!); dma_fence_put(t, f); });
  dma_resv_unlock(t, resv);
  return { db, fences };
}

function leaves(t: Task, array: Fence, n: number): Fence[] {
  return Array.from({ length: n }, (_, i) => (i === 0 ? dma_fence_array_first(t, array) : dma_fence_array_next(t, array, i)));
}

describe('dma_buf_export_sync_file', () => {
  it('refuses no flag, bits outside DMA_BUF_SYNC_RW and flags no __u32 holds with -EINVAL, taking no reference', () => {
    const t = fenceTask();
    const { db, fences: [w] } = bufferWith(t, [DMA_RESV_USAGE_WRITE]);
    const flags = [
      0, 4, DMA_BUF_SYNC_READ | 8, 2 ** 32 + DMA_BUF_SYNC_READ, -(2 ** 32) + DMA_BUF_SYNC_RW, -1,
      DMA_BUF_SYNC_WRITE + 0.5, NaN, Infinity,
    ];
    for (const fl of flags) expect(dma_buf_export_sync_file(t, db, fl)).toBe(EINVAL_RET);
    expect([dma_fence_refcount(t, w!), findingCodes(t)]).toEqual([1, []]);
  });

  it.each([
    ['DMA_BUF_SYNC_READ waits for the writer only: the WRITE fence itself', DMA_BUF_SYNC_READ, [0]],
    ['DMA_BUF_SYNC_WRITE waits for readers and writers: an array of both', DMA_BUF_SYNC_WRITE, [0, 1]],
    ['DMA_BUF_SYNC_RW is a write', DMA_BUF_SYNC_RW, [0, 1]],
  ] as const)('%s', (_, flags, want) => {
    const t = fenceTask();
    const { db, fences } = bufferWith(t, [DMA_RESV_USAGE_WRITE, DMA_RESV_USAGE_READ]);
    const f = dma_buf_export_sync_file(t, db, flags) as Fence;
    const got = dma_fence_is_array(t, f) ? leaves(t, f, 2) : [f];
    expect(got).toEqual(want.map((i) => fences[i]));
    expect([dma_fence_refcount(t, f), findingCodes(t)]).toEqual([want.length === 1 ? 2 : 1, []]);
  });

  it('with no unsignaled fence is the always-signalled stub, referenced', () => {
    const t = fenceTask();
    const empty = bufferWith(t, []).db;
    const { db, fences: [w] } = bufferWith(t, [DMA_RESV_USAGE_WRITE]);
    dma_fence_signal(t, w!);
    const before = dma_fence_refcount(t, STUB_FENCE);
    const got = [dma_buf_export_sync_file(t, empty, DMA_BUF_SYNC_WRITE), dma_buf_export_sync_file(t, db, DMA_BUF_SYNC_RW)];
    expect(got).toEqual([STUB_FENCE, STUB_FENCE]);
    expect([dma_fence_is_signaled(t, STUB_FENCE), dma_fence_refcount(t, STUB_FENCE) - before]).toEqual([true, 2]);
    got.forEach((f) => dma_fence_put(t, f as Fence));
    expect(dma_fence_refcount(t, STUB_FENCE)).toBe(before);
  });

  it('for several is a new array on a context of its own that signals once all have; its put releases it and balances theirs', () => {
    const t = fenceTask();
    const { db, fences } = bufferWith(t, [DMA_RESV_USAGE_WRITE, DMA_RESV_USAGE_WRITE, DMA_RESV_USAGE_READ]);
    const f = dma_buf_export_sync_file(t, db, DMA_BUF_SYNC_WRITE) as Fence;
    const context = (g: Fence): number => t.i32[t.arena.fence(g) + F_CONTEXT]!;
    expect(fences.map(context)).not.toContain(context(f));
    expect(fences.map((g) => dma_fence_refcount(t, g))).toEqual([2, 2, 2]);
    const signaled: boolean[] = [];
    for (const g of fences) { signaled.push(dma_fence_is_signaled(t, f)); dma_fence_signal(t, g); }
    expect([...signaled, dma_fence_is_signaled(t, f)]).toEqual([false, false, false, true]);
    dma_fence_put(t, f);
    expect([dma_fence_refcount(t, f), ...fences.map((g) => dma_fence_refcount(t, g))]).toEqual([0, 1, 1, 1]);
    expect(findingCodes(t)).toEqual([]);
  });

  it('returns dma_resv_get_singleton\'s -ENOMEM with nothing held (more fences than get_fences gathers)', () => {
    const t = fenceTask({ resvSlots: 72, fences: 128 });
    const { db, fences } = bufferWith(t, Array.from({ length: 65 }, () => DMA_RESV_USAGE_WRITE));
    expect(dma_buf_export_sync_file(t, db, DMA_BUF_SYNC_READ)).toBe(-ENOMEM);
    expect(new Set(fences.map((g) => dma_fence_refcount(t, g)))).toEqual(new Set([1]));
  });

  it('allocates (GFP_KERNEL): under a spinlock SLEEP_IN_ATOMIC titled after might_alloc', () => {
    const t = fenceTask();
    const { db } = bufferWith(t, [DMA_RESV_USAGE_WRITE]);
    const l = spinlockAlloc(t, 'export_sync_file_L');
    spin_lock(t, l);
    const f = dma_buf_export_sync_file(t, db, DMA_BUF_SYNC_READ) as Fence;
    spin_unlock(t, l);
    dma_fence_put(t, f);
    expect(taskFindingTitles(t)).toEqual([
      'SLEEP_IN_ATOMIC: assertion in might_alloc (sleeping function called from invalid context)',
    ]);
  });

  it('-ENOMEM under a spinlock is reported too: get_fences\' array allocation (the one failing) comes first', () => {
    const t = fenceTask({ resvSlots: 72, fences: 128 });
    const { db: many } = bufferWith(t, Array.from({ length: 65 }, () => DMA_RESV_USAGE_WRITE));
    const l = spinlockAlloc(t, 'export_sync_file_L');
    spin_lock(t, l);
    expect(dma_buf_export_sync_file(t, many, DMA_BUF_SYNC_READ)).toBe(-ENOMEM);
    spin_unlock(t, l);
    expect(taskFindingTitles(t)).toEqual([
      'SLEEP_IN_ATOMIC: assertion in might_alloc (sleeping function called from invalid context)',
    ]);
  });

  it('(twin) outside the spinlock, with fences or failing with -ENOMEM: nothing', () => {
    const t = fenceTask({ resvSlots: 72, fences: 128 });
    const { db } = bufferWith(t, [DMA_RESV_USAGE_WRITE]);
    dma_fence_put(t, dma_buf_export_sync_file(t, db, DMA_BUF_SYNC_READ) as Fence);
    const { db: many } = bufferWith(t, Array.from({ length: 65 }, () => DMA_RESV_USAGE_WRITE));
    expect(dma_buf_export_sync_file(t, many, DMA_BUF_SYNC_READ)).toBe(-ENOMEM);
    expect(findingCodes(t)).toEqual([]);
  });

  it('on a released dma-buf is DMABUF_USE_AFTER_FREE titled after it, and -EINVAL', () => {
    const t = fenceTask();
    const { db } = bufferWith(t, []);
    drive(dma_buf_put(t, db));
    expect(dma_buf_export_sync_file(t, db, DMA_BUF_SYNC_READ)).toBe(EINVAL_RET);
    expect(taskFindingTitles(t)).toEqual(['DMABUF_USE_AFTER_FREE: use-after-free in dma_buf_export_sync_file']);
  });
});

describe.each(EXECUTORS)('a sync_file round trip, export then import onto another buffer (%s)', (kind) => {
  it('adds the exported fence to the other buffer, which then waits for it; no finding, no leak', async () => {
    const results = await runTrials(kind, syncFileRoundTrip, 10, { leakCheck: true });
    expect(findingTitles(results)).toEqual([]);
    expect(results.map((r) => [r.end, r.user[0]])).toEqual(results.map(() => ['done', 1]));
  });
});
