// DMA_BUF_IOCTL_IMPORT_SYNC_FILE (kernel-semantics §4.6, §7.4 D12) and dma_resv_add_fence's
// WARN_ON(dma_fence_is_container(fence)) (§1.5): a container of 3 leaves reserves 3 slots and
// adds the 3 leaves, with WRITE usage under DMA_BUF_SYNC_WRITE and READ otherwise, never the
// container; a container added directly WARNs RESV_ADD_CONTAINER.
import { describe, expect, it } from 'vitest';
import {
  EINVAL_RET, DMA_BUF_SYNC_READ, DMA_BUF_SYNC_RW, DMA_BUF_SYNC_WRITE, DMA_RESV_USAGE_READ, DMA_RESV_USAGE_WRITE, NULL_FENCE,
  dma_buf_export, dma_buf_import_sync_file, dma_buf_resv, dma_fence_array_create, dma_fence_chain_init,
  dma_fence_context_alloc, dma_fence_get, dma_fence_init, dma_fence_refcount, dma_resv_add_fence,
  dma_resv_init, dma_resv_lock, dma_resv_reserve_fences, dma_resv_unlock, registerDmaBufOps, type DmaBuf, type Fence,
  type KGen, type Task,
} from '../../fixtures/kernel.js';
import { drive, fenceTask, findingCodes, resvSlots } from '../../support/fence_task.js';


const OPS = registerDmaBufOps('import_sync_file_test_ops', {
  *map_dma_buf(): KGen<number> { return 1; },
  *unmap_dma_buf(): KGen<void> { /* nothing mapped */ },
  *release(): KGen<void> { /* nothing held */ },
});

function exported(t: Task): DmaBuf {
  return dma_buf_export(t, { ops: OPS, size: 1, priv: 1 }) as DmaBuf;
}

/** A chain point over an array of two leaves, after a point over a third: 3 leaves. */
function threeLeaves(t: Task): { leaves: Fence[]; head: Fence } {
  const ctx = dma_fence_context_alloc(t, 4);
  const leaves = [0, 1, 2].map((i) => dma_fence_init(t, ctx + i, 1));
  const first = dma_fence_chain_init(t, NULL_FENCE, dma_fence_get(t, leaves[2]!), 1);
  const array = dma_fence_array_create(t, 2, [dma_fence_get(t, leaves[0]!), dma_fence_get(t, leaves[1]!)], ctx + 3, 1, false);
  return { leaves, head: dma_fence_chain_init(t, first, array, 2) };
}

describe('dma_buf_import_sync_file', () => {
  it.each([
    ['DMA_BUF_SYNC_WRITE', DMA_BUF_SYNC_WRITE, DMA_RESV_USAGE_WRITE],
    ['DMA_BUF_SYNC_RW', DMA_BUF_SYNC_RW, DMA_RESV_USAGE_WRITE],
    ['DMA_BUF_SYNC_READ', DMA_BUF_SYNC_READ, DMA_RESV_USAGE_READ],
  ])('D12 with %s adds each of a container\'s 3 leaves with its usage, not the container', (_, flags, usage) => {
    const t = fenceTask();
    const db = exported(t);
    const { leaves, head } = threeLeaves(t);
    expect(drive(dma_buf_import_sync_file(t, db, flags, head))).toBe(0);
    expect(resvSlots(t, dma_buf_resv(t, db))).toEqual([[leaves[0], usage], [leaves[1], usage], [leaves[2], usage]]);
    expect(dma_fence_refcount(t, head)).toBe(1);
    expect(findingCodes(t)).toEqual([]);
  });

  it('refuses flags outside DMA_BUF_SYNC_RW, no flag, and no fence with -EINVAL, adding nothing', () => {
    const t = fenceTask();
    const db = exported(t);
    const f = dma_fence_init(t, dma_fence_context_alloc(t, 1), 1);
    for (const [flags, fence] of [[4, f], [0, f], [DMA_BUF_SYNC_WRITE, NULL_FENCE]] as const) {
      expect(drive(dma_buf_import_sync_file(t, db, flags, fence))).toBe(EINVAL_RET);
    }
    expect(resvSlots(t, dma_buf_resv(t, db))).toEqual([]);
  });

  it('refuses flags no __u32 holds with -EINVAL, adding nothing (32-bit bit tests would read them as valid)', () => {
    const t = fenceTask();
    const db = exported(t);
    const f = dma_fence_init(t, dma_fence_context_alloc(t, 1), 1);
    const flags = [
      2 ** 32 + DMA_BUF_SYNC_READ, 2 ** 40 + DMA_BUF_SYNC_WRITE, -(2 ** 32) + DMA_BUF_SYNC_RW, -1,
      DMA_BUF_SYNC_READ + 0.5, DMA_BUF_SYNC_RW + 0.25, NaN, Infinity,
    ];
    for (const fl of flags) expect(drive(dma_buf_import_sync_file(t, db, fl, f))).toBe(EINVAL_RET);
    expect(resvSlots(t, dma_buf_resv(t, db))).toEqual([]);
  });
});

describe('dma_resv_add_fence of a container', () => {
  it('WARNs RESV_ADD_CONTAINER and adds it all the same, as the kernel', () => {
    const t = fenceTask();
    const r = dma_resv_init(t);
    const ctx = dma_fence_context_alloc(t, 3);
    const array = dma_fence_array_create(t, 2, [dma_fence_init(t, ctx, 1), dma_fence_init(t, ctx + 1, 1)], ctx + 2, 1, false);
    drive(dma_resv_lock(t, r, null));
    expect(dma_resv_reserve_fences(t, r, 1)).toBe(0);
    dma_resv_add_fence(t, r, array, DMA_RESV_USAGE_WRITE);
    dma_resv_unlock(t, r);
    expect(findingCodes(t)).toEqual(['RESV_ADD_CONTAINER']);
    expect(resvSlots(t, r)).toEqual([[array, DMA_RESV_USAGE_WRITE]]);
  });
});
