/**
 * S14 (kernel-semantics §6): a poll() caller arms dma_buf_poll's callback on the exporter's job
 * fence, times out and closes its fd; the exporter closes its own; the job's fence signals later
 * and the callback runs. Since ff2d23843f7f "dma-buf/poll: Get a file reference for outstanding
 * fence callbacks" the armed callback holds a file reference, so the buffer outlives it (its fput
 * is the last and releases it); before (`pollFileRef: false`, 6b51b02a3a0a's dma_buf_poll) the
 * last close releases the buffer with the callback armed and dma_buf_release's
 * BUG_ON(cb_in.active || cb_out.active) fires. `pollArmedKeepsRef: false`
 * (a test parameter, not a catalog entry) runs the rejected 2025 patch instead: the fence
 * reference the armed callback owns is dropped at once too — a refcount underflow at the last put.
 *
 * Actors: `exporter` (publishes the job fence in the buffer's resv with WRITE usage, then closes
 * the export's fd), `poller` (waits for the fence to be published, polls for EPOLLIN with a
 * one-jiffy timeout, closes its fd), `dma-job` (signals the fence once it is published, then
 * drops its own reference). Words: PW.* below.
 */
import { defineScenario } from '../../src/exec/scenario.js';
import {
  DMA_RESV_USAGE_WRITE, EPOLLIN, cond_resched, dma_buf_export, dma_buf_poll_wait, dma_buf_resv, dma_fence_context_alloc,
  dma_fence_init, dma_fence_put, dma_fence_signal, dma_resv_add_fence, dma_resv_lock, dma_resv_reserve_fences,
  dma_resv_unlock, registerDmaBufOps, type DmaBuf, type Fence, type KGen, type Task,
} from '../../src/kernel/index.js';
import { dmabufRefsFor, eachHoldingDmaBufRef } from './dmabuf_refs.js';
import { awaitWord, postWord } from './user_words.js';

/** PUBLISHED: the job fence is in the resv; POLLED: what poll() returned, + 1. */
export const PW = { PUBLISHED: 0, POLLED: 1 } as const;

/** One jiffy: the poll times out in some schedules before the fence signals. */
const POLL_TIMEOUT = 1;

const POLL_EXPORTER = registerDmaBufOps('poll_demo_dmabuf_ops', {
  *map_dma_buf(): KGen<number> { return 1; },
  *unmap_dma_buf(): KGen<void> { /* nothing mapped */ },
  *release(): KGen<void> { /* nothing to free */ },
});

export interface PollEnv { readonly db: DmaBuf; readonly job: Fence }

/** The S14 scenario; `fileRef` false restores dma_buf_poll before ff2d23843f7f. */
export function pollScenario(name: string, module: string, fileRef: boolean) {
  return defineScenario({
    name, module, revision: 1, expect: fileRef ? 'clean' : 'assertion',
    params: { pollFileRef: fileRef, pollArmedKeepsRef: true },
    setup: (t): PollEnv => {
      const db = dma_buf_export(t, { ops: POLL_EXPORTER, size: 1, priv: 0 }) as DmaBuf;
      dmabufRefsFor(t, db, 1);
      return { db, job: dma_fence_init(t, dma_fence_context_alloc(t, 1), 1, { signaler: 2 }) };
    },
    actors: () => [
      ...eachHoldingDmaBufRef<PollEnv>([
        { name: 'exporter', *run(t, e) {
          const resv = dma_buf_resv(t, e.db);
          yield* dma_resv_lock(t, resv, null);
          if (dma_resv_reserve_fences(t, resv, 1) === 0) dma_resv_add_fence(t, resv, e.job, DMA_RESV_USAGE_WRITE);
          dma_resv_unlock(t, resv);
          postWord(t, PW.PUBLISHED);
        } },
        { name: 'poller', *run(t, e) {
          yield* awaitWord(t, PW.PUBLISHED);
          t.store(PW.POLLED, (yield* dma_buf_poll_wait(t, e.db, EPOLLIN, POLL_TIMEOUT)) + 1);
        } },
      ], (e) => e.db),
      { name: 'dma-job', *run(t: Task, e: PollEnv): KGen<void> {
        yield* awaitWord(t, PW.PUBLISHED);
        yield* cond_resched(t);
        dma_fence_signal(t, e.job);
        dma_fence_put(t, e.job);
      } },
    ],
  });
}
