// might_sleep (kernel/sched/core.c __might_resched): a function that may sleep, called while the
// task holds a spinlock — here inside a fence callback, which runs under the fence lock — is
// "BUG: sleeping function called from invalid context", titled after that function, reported in
// every trial even though the call does not sleep. irq_work runs in hardirq context, so a wait
// deferred to it is still reported. The fixes are clean: the wait handed off to a worker
// (schedule_work: the callback completes, the worker waits), the allocation made with
// GFP_ATOMIC. A GFP_KERNEL allocation inside dma_fence_signal's signalling section is also
// lockdep's circular dependency dma_fence_map → fs_reclaim, reported in the executor's first
// trial (the dependency is new only then: the lockdep graph spans the executor's trials), and in
// its second dma_fence_map → the mmu notifier map, the allocation's next dependency, checked once
// the first is known (lockdep_map.ts might_alloc); each before might_alloc's might_sleep_if, as
// the kernel's might_alloc orders them. Inline and controlled.
import { describe, expect, it } from 'vitest';
import { EXECUTORS } from '../../support/both.js';
import { CBS, fenceCbSleep } from '../../fixtures/fence/cb_sleep.js';
import { CLEAN, at, outcome, pick, run } from '../../fixtures/fence/oracle.js';

const sleepIn = (fn: string): readonly [string, string] =>
  ['SLEEP_IN_ATOMIC', `assertion in ${fn} (sleeping function called from invalid context)`];
const CIRCULAR = ['LOCKDEP_CIRCULAR', 'circular-locking in fs_reclaim_acquire'] as const;

/** Every finding of trial `k` (the executor's k-th), in order, per kind of sleeping call. */
const EXPECTED = {
  wait: () => [sleepIn('dma_fence_wait_timeout')],
  irq_work: () => [sleepIn('dma_fence_wait_timeout')],
  alloc: (k: number) => (k < 2 ? [CIRCULAR, sleepIn('might_alloc')] : [sleepIn('might_alloc')]),
} as const;

describe.each(EXECUTORS)('sleeping in a fence callback (%s)', (kind) => {
  it.each(['wait', 'alloc', 'irq_work'] as const)('reports a %s under the fence lock in every trial, titled after the function that may sleep', async (sleep) => {
    for (const [k, r] of (await run(kind, fenceCbSleep, { sleep })).entries()) {
      expect(r.end, at(r)).toBe('done');
      expect(r.findings.map((f) => [f.code, f.title]), at(r)).toEqual(EXPECTED[sleep](k));
      expect(pick(r, { runs: CBS.RUNS }), at(r)).toEqual({ runs: 1 });
    }
  });

  it.each(['wait', 'alloc'] as const)('keeps the fixed %s (a worker, GFP_ATOMIC) clean', async (sleep) => {
    for (const r of await run(kind, fenceCbSleep, { sleep, fixed: true })) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect(pick(r, { runs: CBS.RUNS, ret: CBS.RET }), at(r)).toEqual({ runs: 1, ret: sleep === 'wait' ? 1 : 0 });
    }
  });
});
