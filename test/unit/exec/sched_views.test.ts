/** schedViews (exec/prepare.ts): what the scheduler views read from the arena. */
import { describe, expect, it } from 'vitest';
import { schedViews } from '../../../src/exec/prepare.js';
import { Arena } from '../../../src/shm/arena.js';
import { F_GEN, JB_FENCE, JB_RUN_FENCE, JB_STATE, JOBS_DONE, JOBS_QUEUED, JOBS_RUNNING, R_LOCK, packOp } from '../../../src/shm/layout.js';
import { kernelBoot } from '../../../src/kernel/boot.js';
import { Task } from '../../../src/kernel/task.js';
import { dma_fence_context_alloc, dma_fence_init, dma_fence_put } from '../../../src/kernel/index.js';
import type { Fence } from '../../../src/kernel/types.js';
import { opsRace } from '../../../src/sched/pos.js';
import { OP_DMA_SPECULATIVE, OP_FENCE_WAIT } from '../../../src/trace/ops.js';

/** The handle of fence row `row` at generation `gen`, as the layout encodes it (HANDLE_BITS:
 *  the generation above the row bits). */
const handle = (a: Arena, row: number, gen: number): number => ((gen & a.fenceGenMask) << a.layout.fenceRowBits) | row;

/** A booted single-task arena with one job, and a fence of a fresh context the job's run signals. */
function jobWithRunFence(): { a: Arena; t: Task; ctx: number; run: Fence } {
  const a = Arena.create({ jobs: 1 });
  a.resetTrial({ actors: 1, mode: 0, stepLimit: 100, waitPolicy: 0, replayLen: 0 });
  const t = new Task(a, 0, 'submitter');
  kernelBoot(t);
  const ctx = dma_fence_context_alloc(t, 2);
  const run = dma_fence_init(t, ctx, 1);
  a.i32[a.job(0) + JB_STATE] = JOBS_DONE;
  a.i32[a.job(0) + JB_RUN_FENCE] = run;
  return { a, t, ctx, run };
}

describe('schedViews', () => {
  it('maps a submitted DMA job to the fence of its run the engine started last, and a free or out-of-table job to -1', () => {
    const a = Arena.create({ jobs: 5 });
    const v = schedViews(a);
    const h = a.i32;
    const gen = 0x123 & a.fenceGenMask;
    const later = handle(a, 5, gen); // row 5's handle at a generation past 0
    expect(later).not.toBe(5);
    for (const [job, state, fence] of [[0, JOBS_QUEUED, 0], [1, JOBS_RUNNING, later], [2, JOBS_DONE, 7]] as const) {
      h[a.job(job) + JB_STATE] = state;
      h[a.job(job) + JB_FENCE] = fence;
      h[a.job(job) + JB_RUN_FENCE] = fence;
    }
    h[a.fence(later) + F_GEN] = gen;
    expect([0, 1, 2].map(v.jobFence)).toEqual([0, later, 7]);
    h[a.job(3) + JB_FENCE] = 5; // a free row's stale words are no fence
    h[a.job(3) + JB_RUN_FENCE] = 5;
    expect(v.jobFence(3)).toBe(-1);
    h[a.job(4) + JB_STATE] = JOBS_QUEUED; // submitted, not started yet
    h[a.job(4) + JB_FENCE] = 6;
    h[a.job(4) + JB_RUN_FENCE] = -1;
    expect(v.jobFence(4)).toBe(-1);
    expect(v.jobFence(5)).toBe(-1);
    expect(v.jobFence(0xffffff)).toBe(-1);
  });

  it('keeps a resubmitted job\'s previous fence until the engine starts the new run', () => {
    const a = Arena.create({ jobs: 2 });
    const v = schedViews(a);
    const b = a.job(1);
    a.i32[b + JB_STATE] = JOBS_DONE;
    a.i32[b + JB_FENCE] = 3;
    a.i32[b + JB_RUN_FENCE] = 3;
    expect(v.jobFence(1)).toBe(3);
    a.i32[b + JB_FENCE] = 4; // dma_engine_resubmit
    a.i32[b + JB_STATE] = JOBS_QUEUED;
    expect(v.jobFence(1)).toBe(3);
    a.i32[b + JB_RUN_FENCE] = 4; // the engine's runJob
    a.i32[b + JB_STATE] = JOBS_RUNNING;
    expect(v.jobFence(1)).toBe(4);
  });

  it('no longer relates a job to its run\'s fence once that fence is released, its row not reused yet', () => {
    const { a, t, run } = jobWithRunFence();
    const v = schedViews(a);
    const leftover = packOp(OP_DMA_SPECULATIVE, 0);
    expect(v.jobFence(0)).toBe(run);
    dma_fence_put(t, run);
    expect(a.i32[a.fence(run) + F_GEN]! & a.fenceGenMask).not.toBe(0);
    expect(v.jobFence(0)).toBe(-1);
    expect(opsRace(leftover, packOp(OP_FENCE_WAIT, run), v)).toBe(false);
  });

  it('no longer relates a job to its run\'s fence once that fence is released and its row reused', () => {
    const { a, t, ctx, run } = jobWithRunFence();
    const v = schedViews(a);
    const leftover = packOp(OP_DMA_SPECULATIVE, 0);
    expect(v.jobFence(0)).toBe(run);
    expect(opsRace(leftover, packOp(OP_FENCE_WAIT, run), v)).toBe(true);
    dma_fence_put(t, run);
    const reuse = dma_fence_init(t, ctx + 1, 1);
    expect(a.fence(reuse)).toBe(a.fence(run));
    expect(v.jobFence(0)).toBe(-1);
    expect(opsRace(leftover, packOp(OP_FENCE_WAIT, run), v)).toBe(false);
    expect(opsRace(leftover, packOp(OP_FENCE_WAIT, reuse), v)).toBe(false);
  });

  it('maps a dma_resv to its ww_mutex id', () => {
    const a = Arena.create({ resvs: 3 });
    a.i32[a.resv(2) + R_LOCK] = 11;
    expect(schedViews(a).resvLock(2)).toBe(11);
  });
});
