// dma_buf_poll (kernel-semantics §4.6, §6 S14; dma-buf.c after 6b51b02a3a0a and ff2d23843f7f):
// EPOLLIN waits for WRITE-class fences, EPOLLOUT for READ-class ones; an armed callback holds a
// file reference and owns the fence reference the poll took, dropping both when it runs; a
// direction whose callback is armed reports nothing; with nothing to arm the callback runs at once.
// The buffer's release BUGs on an armed callback and frees the callback nodes. The quirks restore
// the callback without a file reference (before ff2d23843f7f) and the rejected always-put patch.
import { describe, expect, it } from 'vitest';
import {
  EINVAL_RET, MAX_SCHEDULE_TIMEOUT, DMA_RESV_USAGE_READ, DMA_RESV_USAGE_WRITE, EPOLLERR, EPOLLIN, EPOLLOUT, dma_buf_export, dma_buf_file_active,
  dma_buf_poll, dma_buf_poll_wait, dma_buf_put, dma_buf_resv, dma_fence_refcount, dma_fence_signal, dma_resv_lock,
  dma_resv_unlock,
  msleep, registerDmaBufOps, type DmaBuf, type DmaResvUsage, type Fence, type KGen, type Task,
} from '../../fixtures/kernel.js';
import { C_QUIRKS, DB_FILEREFS, DB_POLL_WAKE, QUIRK_POLL_ALWAYS_PUT, QUIRK_POLL_NO_FILE_REF } from '../../../src/shm/layout.js';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { KernelOops } from '../../../src/kernel/warn.js';
import { PW } from '../../../scenarios/lib/poll.js';
import { pollFileRef } from '../../../scenarios/poll-file-ref.js';
import { drive, fenceTask, findingCodes } from '../../support/fence_task.js';
import { fencedBuf } from '../../fixtures/dmabuf/fenced_buf.js';
import { codes, runOnce } from '../../fixtures/lockdep/run_once.js';
import { scripted } from '../../fixtures/lockdep/scripted.js';


const OPS = registerDmaBufOps('dma_buf_poll_test_ops', {
  *map_dma_buf(): KGen<number> { return 1; },
  *unmap_dma_buf(): KGen<void> { /* nothing mapped */ },
  *release(): KGen<void> { /* nothing held */ },
});

/** A task (with quirk bits `quirks`) and a buffer whose resv holds one unsignaled fence of `usage`. */
function polled(usage: DmaResvUsage, quirks = 0): { t: Task; db: DmaBuf; f: Fence } {
  const t = fenceTask();
  t.i32[t.ctl + C_QUIRKS] = quirks;
  return { t, ...fencedBuf(t, OPS, usage) };
}


const fileRefs = (t: Task, db: DmaBuf): number => Atomics.load(t.i32, t.arena.dmabuf(db) + DB_FILEREFS);
const doorbell = (t: Task, db: DmaBuf): number => Atomics.load(t.i32, t.arena.dmabuf(db) + DB_POLL_WAKE);
const both = EPOLLIN | EPOLLOUT;

describe('dma_buf_poll', () => {
  it('reports EPOLLIN past an unsignaled READ fence and arms EPOLLOUT on it (usage_rw(true) sees READ)', () => {
    const { t, db, f } = polled(DMA_RESV_USAGE_READ);
    expect(drive(dma_buf_poll(t, db, both))).toBe(EPOLLIN);
    expect([fileRefs(t, db), dma_fence_refcount(t, f)]).toEqual([2, 3]);
  });

  it('arms both directions on an unsignaled WRITE fence: nothing ready, a file and a fence reference each', () => {
    const { t, db, f } = polled(DMA_RESV_USAGE_WRITE);
    expect(drive(dma_buf_poll(t, db, both))).toBe(0);
    expect([fileRefs(t, db), dma_fence_refcount(t, f)]).toEqual([3, 4]);
  });

  it('reports nothing and arms nothing for a direction whose callback is armed', () => {
    const { t, db, f } = polled(DMA_RESV_USAGE_WRITE);
    drive(dma_buf_poll(t, db, EPOLLIN));
    expect(drive(dma_buf_poll(t, db, EPOLLIN))).toBe(0);
    expect([fileRefs(t, db), dma_fence_refcount(t, f)]).toEqual([2, 3]);
  });

  it('drops both references when the fence signals, rings the doorbell and frees the slot', () => {
    const { t, db, f } = polled(DMA_RESV_USAGE_WRITE);
    drive(dma_buf_poll(t, db, EPOLLIN));
    dma_fence_signal(t, f);
    expect([fileRefs(t, db), dma_fence_refcount(t, f), doorbell(t, db)]).toEqual([1, 2, 1]);
    expect(drive(dma_buf_poll(t, db, EPOLLIN))).toBe(EPOLLIN);
    expect(findingCodes(t)).toEqual([]);
  });

  it('runs the callback at once when every fence has signaled: ready, no reference kept, doorbell rung', () => {
    const { t, db, f } = polled(DMA_RESV_USAGE_WRITE);
    dma_fence_signal(t, f);
    expect(drive(dma_buf_poll(t, db, both))).toBe(both);
    expect([fileRefs(t, db), dma_fence_refcount(t, f), doorbell(t, db)]).toEqual([1, 2, 2]);
  });

  it('keeps the buffer until the armed callback runs; its fput of the last reference releases it through task work', () => {
    const { t, db, f } = polled(DMA_RESV_USAGE_WRITE);
    drive(dma_buf_poll(t, db, EPOLLIN));
    drive(dma_buf_put(t, db));
    expect(dma_buf_file_active(t, db)).toBe(true);
    dma_fence_signal(t, f);
    expect([fileRefs(t, db), t.works.queue.length]).toEqual([0, 1]);
    expect(findingCodes(t)).toEqual([]);
  });

  it('returns EPOLLERR for a buffer whose last reference is gone (DMABUF_USE_AFTER_FREE)', () => {
    const { t, db } = polled(DMA_RESV_USAGE_WRITE);
    drive(dma_buf_put(t, db));
    expect(drive(dma_buf_poll(t, db, EPOLLIN))).toBe(EPOLLERR);
    expect(findingCodes(t)).toEqual(['DMABUF_USE_AFTER_FREE']);
  });

  it.each([
    ['EPOLLIN (cb_in)', DMA_RESV_USAGE_WRITE, EPOLLIN],
    ['EPOLLOUT (cb_out)', DMA_RESV_USAGE_READ, EPOLLOUT],
  ] as const)('before ff2d23843f7f (QUIRK_POLL_NO_FILE_REF) arms %s without a file reference: the last put BUGs in dma_buf_release', (_, usage, event) => {
    const { t, db } = polled(usage, QUIRK_POLL_NO_FILE_REF);
    drive(dma_buf_poll(t, db, event));
    expect(fileRefs(t, db)).toBe(1);
    expect(() => drive(dma_buf_put(t, db))).toThrow(KernelOops);
    expect(findingCodes(t)).toEqual(['DMABUF_RELEASE_POLL_ACTIVE']);
  });

  it('before ff2d23843f7f, lets a callback that runs between the deferred last put and the release free its slot: no finding, no BUG', () => {
    const { t, db, f } = polled(DMA_RESV_USAGE_WRITE, QUIRK_POLL_NO_FILE_REF);
    drive(dma_buf_poll(t, db, EPOLLIN));
    const held = dma_buf_resv(t, dma_buf_export(t, { ops: OPS, size: 1, priv: 1 }) as DmaBuf);
    drive(dma_resv_lock(t, held, null));
    drive(dma_buf_put(t, db));
    dma_fence_signal(t, f);
    dma_resv_unlock(t, held);
    expect([fileRefs(t, db), doorbell(t, db), t.works.queue.length]).toEqual([0, 1, 1]);
    drive(t.works.queue.shift()!(t));
    expect(findingCodes(t)).toEqual([]);
  });

  it('gives the callback nodes back at release: more buffers polled and released than the arena has nodes', () => {
    const t = fenceTask({ callbacks: 4 });
    for (let i = 0; i < 6; i++) {
      const db = dma_buf_export(t, { ops: OPS, size: 1, priv: 1 }) as DmaBuf;
      expect(drive(dma_buf_poll(t, db, both))).toBe(both);
      drive(dma_buf_put(t, db));
    }
    expect(findingCodes(t)).toEqual([]);
  });

  it('with the rejected always-put patch (QUIRK_POLL_ALWAYS_PUT) drops the armed callback\'s fence reference at once', () => {
    const { t, db, f } = polled(DMA_RESV_USAGE_WRITE, QUIRK_POLL_ALWAYS_PUT);
    drive(dma_buf_poll(t, db, EPOLLIN));
    expect(dma_fence_refcount(t, f)).toBe(2);
    dma_fence_signal(t, f);
    expect(dma_fence_refcount(t, f)).toBe(1);
  });
});

describe('dma_buf_poll_wait', () => {
  it('polls once without sleeping for timeout 0 and refuses a negative timeout', () => {
    const { t, db } = polled(DMA_RESV_USAGE_WRITE);
    expect(drive(dma_buf_poll_wait(t, db, EPOLLIN, 0))).toBe(0);
    expect(drive(dma_buf_poll_wait(t, db, EPOLLIN, -1))).toBe(EINVAL_RET);
  });

  it('sleeps until the callback wakes it (EPOLLIN) or its timeout passes (0), by schedule (S14 twin)', () => {
    const ex = new InlineExecutor(pollFileRef, { strategy: 'random' });
    const seen = new Set<number>();
    for (let seed = 0; seed < 200; seed++) {
      expect(ex.runTrial(seed).end).toBe('done');
      seen.add(ex.arena.i32[ex.arena.layout.user + PW.POLLED]! - 1);
    }
    expect([...seen].sort()).toEqual([0, EPOLLIN]);
  });

  it('with a timeout near MAX_SCHEDULE_TIMEOUT begun late, still times out (0): its deadline is capped, not wrapped', () => {
    const out: number[] = [];
    const s = scripted('poll-long-timeout', (t: Task) => fencedBuf(t, OPS, DMA_RESV_USAGE_WRITE));
    const { r } = runOnce(s, function* (t, e) {
      yield* msleep(t, 10);
      out.push(yield* dma_buf_poll_wait(t, e.db, EPOLLIN, MAX_SCHEDULE_TIMEOUT - 1));
      dma_fence_signal(t, e.f);
      yield* dma_buf_put(t, e.db);
    });
    expect(r.end).toBe('done');
    expect(codes(r)).toEqual([]);
    expect(out).toEqual([0]);
  });
});
