// dma_buf_fd (kernel-semantics §4.3, §4.6): the fd takes over the caller's file reference — the
// count does not move, and a dma_buf_get of the fd is a get of the buffer —; a NULL dma-buf is
// -EINVAL with no finding, a released one -EINVAL after the use is reported.
import { describe, expect, it } from 'vitest';
import {
  EINVAL_RET, dma_buf_export, dma_buf_fd, dma_buf_file_active, dma_buf_get, dma_buf_put, registerDmaBufOps, type DmaBuf, type KGen,
} from '../../fixtures/kernel.js';
import { drive, fenceTask, findingCodes } from '../../support/fence_task.js';

const O_CLOEXEC = 0o2000000;

const OPS = registerDmaBufOps('dma_buf_fd_test_ops', {
  *map_dma_buf(): KGen<number> { return 1; },
  *unmap_dma_buf(): KGen<void> { /* nothing mapped */ },
  *release(): KGen<void> { /* nothing held */ },
});

describe('dma_buf_fd', () => {
  it('returns an fd that owns the caller\'s reference: closing it (the put) releases the buffer', () => {
    const t = fenceTask();
    const db = dma_buf_export(t, { ops: OPS, size: 1, priv: 1 }) as DmaBuf;
    const fd = dma_buf_fd(t, db, O_CLOEXEC);
    expect(fd).toBeGreaterThanOrEqual(0);
    const again = dma_buf_get(t, fd as DmaBuf);
    expect(again).toBe(db);
    drive(dma_buf_put(t, again));
    expect(dma_buf_file_active(t, db)).toBe(true);
    drive(dma_buf_put(t, fd as DmaBuf));
    expect(dma_buf_file_active(t, db)).toBe(false);
    expect(findingCodes(t)).toEqual([]);
  });

  it('is -EINVAL for a NULL dma-buf, with no finding', () => {
    const t = fenceTask();
    expect(dma_buf_fd(t, -1 as DmaBuf, 0)).toBe(EINVAL_RET);
    expect(findingCodes(t)).toEqual([]);
  });

  it('is -EINVAL for a released dma-buf, reported as DMABUF_USE_AFTER_FREE', () => {
    const t = fenceTask();
    const db = dma_buf_export(t, { ops: OPS, size: 1, priv: 1 }) as DmaBuf;
    drive(dma_buf_put(t, db));
    expect(dma_buf_fd(t, db, 0)).toBe(EINVAL_RET);
    expect(findingCodes(t)).toEqual(['DMABUF_USE_AFTER_FREE']);
  });
});
