/**
 * Preempt fences (src/drivers/preempt_fence.ts) in a long-running context: the importer's jobs
 * publish no fences, so the preempt fence is all a revoke's BOOKKEEP wait waits for. Preemption
 * work that takes the reservation lock (`locked`, on the driver's worker actor) deadlocks the final
 * revoke, which waits BOOKKEEP with that lock held: a wait-for cycle through the worker's
 * dma_resv_lock, and — the work runs in a fence signalling section, as xe's preempt_fence_work_func
 * — lockdep's circular-locking (dma_fence_map → resv lock against dma_resv_lockdep's primed
 * resv lock → dma_fence_map). The same work without the lock (`worker`) stays clean, as does
 * preempting from enable_signaling (`direct`). A preempt fence that signals without stopping the
 * engine (`nostop`) is a use-after-revoke: preemption is what the clean twins rely on.
 */
import { describe, expect, it } from 'vitest';
import { resolveParams, scenarioActors } from '../../src/exec/scenario.js';
import { preemptFenceLocked } from '../../scenarios/preempt-fence-locked.js';
import { preemptFence } from '../../scenarios/preempt-fence.js';
import { preemptFenceDirect, preemptFenceEarly, preemptFenceNostop } from '../fixtures/gpu/preempt_fence.js';
import { findingTitles, runTrials } from '../support/both.js';
import { firstFound, uncleanInline } from '../support/mustfind.js';

const DEADLOCK = 'deadlock in dma_fence_wait';
const CIRCULAR = 'circular-locking in ww_mutex_lock';
/** Actors of the default revoke scenario with preempt fences. */
const VFIO = 0;
const WORKERS = [4, 5];

describe('preempt fences on their own worker actors', () => {
  it('give each GPU importer a worker actor after the engines', () => {
    expect(scenarioActors(preemptFence, resolveParams(preemptFence)).map((a) => a.name))
      .toEqual(['vfio', 'gpu0', 'gpu1', 'engine', 'preempt_wq0', 'preempt_wq1']);
  });
});

describe('preempt-fence-locked', () => {
  it.each(['random', 'pct:2'])('is a deadlock whose cycle runs through a worker\'s dma_resv_lock within 100 inline trials (%s)', (strategy) => {
    const f = firstFound(preemptFenceLocked, 100, [strategy])?.findings.find((x) => x.kind === 'deadlock');
    expect(f?.title).toBe(DEADLOCK);
    const waits = f!.waits!;
    const worker = waits.find((w) => WORKERS.includes(w.actor) && w.kind === 'mutex');
    expect(worker?.next).toBe(VFIO);
    expect(waits.find((w) => w.actor === VFIO)).toMatchObject({ kind: 'fence', next: worker!.actor });
  });

  it('is also circular-locking (the work locks in a fence signalling section) within 100 inline trials', () => {
    const f = firstFound(preemptFenceLocked, 100, ['random'], 'circular-locking')?.findings.find((x) => x.kind === 'circular-locking');
    expect([f?.code, f?.title]).toEqual(['LOCKDEP_CIRCULAR', CIRCULAR]);
    expect(f!.message).toContain('(dma_fence_map)');
    expect(f!.message).toContain('(reservation_ww_class_mutex)');
  });

  it('is reported under the controlled executor with the same title', async () => {
    const results = await runTrials('controlled', preemptFenceLocked, 3);
    expect(results.flatMap((r) => r.findings.map((f) => f.title))).toContain(DEADLOCK);
  });
});

describe('preempt-fence (fixed twin: the same work without the lock)', () => {
  it.each(['random', 'pct:2'])('stays clean over 1,000 inline trials (%s)', (strategy) => {
    expect(uncleanInline(preemptFence, [strategy], 1000)).toEqual([]);
  });

  it('stays clean over 100 controlled trials', async () => {
    const results = await runTrials('controlled', preemptFence, 100);
    expect(findingTitles(results)).toEqual([]);
    expect(results.every((r) => r.end === 'done')).toBe(true);
  });

  it('stays clean preempting from enable_signaling (direct) over 500 inline trials', () => {
    expect(uncleanInline(preemptFenceDirect, ['random'], 500)).toEqual([]);
  });

  it('queues no job behind a preemption under way: clean over 1,000 trials when it starts before the revoke', () => {
    expect(uncleanInline(preemptFenceEarly, ['random'], 1000)).toEqual([]);
  });
});

describe('negative control: a preempt fence that signals without preempting', () => {
  it.each(['random', 'pct:2'])('is a use-after-revoke within 50 inline trials (%s)', (strategy) => {
    const f = firstFound(preemptFenceNostop, 50, [strategy])?.findings.find((x) => x.kind === 'use-after-revoke');
    expect([f?.code, f?.title]).toEqual(['DMA_USE_AFTER_REVOKE', 'use-after-revoke in dma_engine_access']);
  });
});
