// might_sleep (kernel/sched/core.c __might_resched): a function that may sleep, called while the
// task holds a spinlock — here inside a fence callback, which runs under the fence lock — is
// "BUG: sleeping function called from invalid context", titled after that function, reported in
// every trial even though the call does not sleep. The fixes are clean: the wait deferred as
// irq_work (run once the fence lock is dropped), the allocation made with GFP_ATOMIC. A GFP_KERNEL
// allocation inside dma_fence_signal's signalling section is also lockdep's circular dependency
// dma_fence_map → fs_reclaim (reported once the dependency is new). Inline and controlled.
import { describe, expect, it } from 'vitest';
import { EXECUTORS } from '../../support/both.js';
import { CBS, fenceCbSleep } from '../../fixtures/fence/cb_sleep.js';
import { CLEAN, at, outcome, pick, run } from '../../fixtures/fence/oracle.js';

const TITLE = (fn: string): string => `assertion in ${fn} (sleeping function called from invalid context)`;
const FN = { wait: 'dma_fence_wait_timeout', alloc: 'might_alloc' } as const;

describe.each(EXECUTORS)('sleeping in a fence callback (%s)', (kind) => {
  it.each(['wait', 'alloc'] as const)('reports a %s under the fence lock in every trial, titled after the function that may sleep', async (sleep) => {
    for (const r of await run(kind, fenceCbSleep, { sleep })) {
      expect(r.end, at(r)).toBe('done');
      expect(r.findings.filter((f) => f.code !== 'LOCKDEP_CIRCULAR').map((f) => [f.code, f.title]), at(r))
        .toEqual([['SLEEP_IN_ATOMIC', TITLE(FN[sleep])]]);
      if (sleep === 'wait') expect(r.findings, at(r)).toHaveLength(1);
      expect(pick(r, { runs: CBS.RUNS }), at(r)).toEqual({ runs: 1 });
    }
  });

  it.each(['wait', 'alloc'] as const)('keeps the fixed %s (irq_work, GFP_ATOMIC) clean', async (sleep) => {
    for (const r of await run(kind, fenceCbSleep, { sleep, fixed: true })) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect(pick(r, { runs: CBS.RUNS }), at(r)).toEqual({ runs: 1 });
    }
  });
});
