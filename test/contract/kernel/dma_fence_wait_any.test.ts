// dma_fence_wait_any_timeout asleep (kernel-semantics §3.5), under the inline and the controlled
// executor with the same seeds, and under stress (wall-clock jiffies): woken by the one fence that
// signals, it returns that fence's index and the jiffies left; the order of the wake and the
// waiter's own timeout is read from the trial. Interrupted asleep it is -ERESTARTSYS; finding two
// signaled when it runs, it answers the first in array order.
import { describe, expect, it } from 'vitest';
import { EXECUTORS } from '../../support/both.js';
import { WA, WA_KILL, fenceWaitAny } from '../../fixtures/fence/wait_any.js';
import { ERESTARTSYS_RET, MAX_SCHEDULE_TIMEOUT } from '../../fixtures/kernel.js';
import { CLEAN, at, outcome, pick, run } from '../../fixtures/fence/oracle.js';
import { StressExecutor } from '../../../src/exec/stress.js';
import { withExecutor } from '../../support/executor.js';

const RESULT = { RET: WA.RET, IDX: WA.IDX, ASLEEP: WA.ASLEEP };

describe.each(EXECUTORS)('dma_fence_wait_any_timeout asleep (%s)', (kind) => {
  it.each([[0], [1], [2]])('wakes when fence %i signals, with its index and MAX_SCHEDULE_TIMEOUT', async (signal) => {
    for (const r of await run(kind, fenceWaitAny, { signal })) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect(pick(r, RESULT), at(r)).toEqual({ RET: MAX_SCHEDULE_TIMEOUT, IDX: signal, ASLEEP: 1 });
    }
  });

  it('returns the jiffies left when a fence signals 300 jiffies into its 1000 of sleep; 0, no index, when its timeout fired first', async () => {
    const rs = await run(kind, fenceWaitAny, { signal: 1, timeout: 1000, delay: 300 });
    for (const r of rs) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      const slept = r.user[WA.ASLEEP] === 1;
      expect(pick(r, RESULT), at(r)).toEqual(slept ? { RET: 700, IDX: 1, ASLEEP: 1 } : { RET: 0, IDX: -1, ASLEEP: 0 });
    }
    expect(rs.some((r) => r.user[WA.ASLEEP] === 1)).toBe(true);
    expect(rs.some((r) => r.user[WA.ASLEEP] === 0)).toBe(true);
  });

  it('interruptible and timed, is -ERESTARTSYS with no index when signalled asleep; 0 when its timeout fired first', async () => {
    const rs = await run(kind, fenceWaitAny, { signal: WA_KILL, intr: true, timeout: 1000 });
    for (const r of rs) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      const slept = r.user[WA.ASLEEP] === 1;
      expect(pick(r, RESULT), at(r)).toEqual(slept ? { RET: ERESTARTSYS_RET, IDX: -1, ASLEEP: 1 } : { RET: 0, IDX: -1, ASLEEP: 0 });
    }
    expect(rs.some((r) => r.user[WA.ASLEEP] === 1)).toBe(true);
  });

  it('returns the first signaled in array order when fences 2 and then 1 signal before it runs: index 1', async () => {
    for (const r of await run(kind, fenceWaitAny, { signal: 2, also: 1 })) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect(pick(r, RESULT), at(r)).toEqual({ RET: MAX_SCHEDULE_TIMEOUT, IDX: 1, ASLEEP: 1 });
    }
  });
});

describe('dma_fence_wait_any_timeout asleep (stress)', () => {
  it('wakes when fence 2 signals, with its index and MAX_SCHEDULE_TIMEOUT', async () => {
    const r = await withExecutor(new StressExecutor(fenceWaitAny, { durationMs: 2000, params: { signal: 2 } }), (x) => x.runTrial(1));
    expect(outcome(r)).toEqual(CLEAN);
    expect(pick(r, RESULT)).toEqual({ RET: MAX_SCHEDULE_TIMEOUT, IDX: 2, ASLEEP: 1 });
  });

  // A timeout far beyond the signaller's sleep: a loaded host's delays do not let it fire first.
  it('returns the jiffies left (at most 9700 of 10000) when a fence signals 300 jiffies into its sleep', async () => {
    const r = await withExecutor(new StressExecutor(fenceWaitAny, { durationMs: 3000, params: { signal: 1, timeout: 10_000, delay: 300 } }), (x) => x.runTrial(1));
    expect(outcome(r)).toEqual(CLEAN);
    expect(pick(r, { IDX: WA.IDX, ASLEEP: WA.ASLEEP })).toEqual({ IDX: 1, ASLEEP: 1 });
    expect(r.user[WA.RET]).toBeGreaterThan(0);
    expect(r.user[WA.RET]).toBeLessThanOrEqual(9700);
  });
});
