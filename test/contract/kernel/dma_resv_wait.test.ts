// R7 dma_resv_wait_timeout return values (kernel-semantics §1.8, §7.1) on virtual time, under the
// inline and the controlled executor with the same seeds, for both resv lock classes.
import { describe, expect, it } from 'vitest';
import type { TrialResult } from '../../../src/exec/result.js';
import { ERESTARTSYS_RET } from '../../fixtures/kernel.js';
import { EXECUTORS } from '../../support/both.js';
import { RW, T, T1, T2, resvWaitTimeout, type WaitMode } from '../../fixtures/resv/wait.js';
import { CLEAN, at, outcome, pick, run } from '../../fixtures/fence/oracle.js';

const CLASSES = [['wait-die', false], ['wound-wait', true]] as const;

/**
 * Fixed results: [mode, description, RET, DT, signal pending when the wait began, times the
 * watching helper saw the waiter asleep (checked only where the wait must not sleep)].
 */
const FIXED: readonly (readonly [WaitMode, string, number, number, number, number])[] = [
  ['signaled-0', 'all signaled, timeout 0: 1 without blocking', 1, 0, 0, 0],
  ['signaled-T', 'all signaled, timeout T: T without blocking', T, 0, 0, 0],
  ['pending-0', 'one unsignaled, timeout 0: 0 without blocking', 0, 0, 0, 0],
  ['never', 'never signaled, timeout T: 0 after T', 0, T, 0, 0],
  ['intr-pending', 'intr with a signal pending: -ERESTARTSYS without blocking', ERESTARTSYS_RET, 0, 1, 0],
  ['intr-pending-0', 'intr with a signal pending, timeout 0: -ERESTARTSYS', ERESTARTSYS_RET, 0, 1, 0],
  ['intr-asleep', 'intr, signal sent while asleep: -ERESTARTSYS', ERESTARTSYS_RET, 0, 0, 0],
  ['intr-both', 'intr, asleep, fence signaled and signal sent together: -ERESTARTSYS', ERESTARTSYS_RET, 0, 0, 0],
];

async function runMode(kind: 'inline' | 'controlled', wound: boolean, mode: WaitMode, seeds?: number): Promise<TrialResult[]> {
  const rs = await run(kind, resvWaitTimeout, { wound, mode }, seeds);
  for (const r of rs) {
    expect(outcome(r), at(r)).toEqual(CLEAN);
    expect(r.user[RW.LOCK_RET], at(r)).toBe(0);
  }
  return rs;
}

describe.each(EXECUTORS)('dma_resv_wait_timeout oracles (%s)', (kind) => {
  describe.each(CLASSES)('lock class %s', (_cls, wound) => {
    it.each(FIXED)('R7 %s: %s', async (mode, _what, ret, dt, pending, slept) => {
      for (const r of await runMode(kind, wound, mode)) {
        expect(pick(r, { RET: RW.RET, DT: RW.DT, PENDING: RW.PENDING_AT_CALL, SLEPT: RW.SLEPT }), at(r))
          .toEqual({ RET: ret, DT: dt, PENDING: pending, SLEPT: slept });
      }
    });

    it.each([['signal-after', 0], ['nointr-pending', 1]] as const)(
      'R7 %s: timeout T, signaled t < T later while asleep: returns T - t (signal pending: %s, not intr)', async (mode, pending) => {
        const rs = await runMode(kind, wound, mode);
        for (const r of rs) {
          const w = pick(r, { RET: RW.RET, DT: RW.DT, ASLEEP: RW.ASLEEP1, PENDING: RW.PENDING_AT_CALL });
          expect(w.PENDING, at(r)).toBe(pending);
          // Asleep when signaled: T - t after t; otherwise it found f signaled: T.
          if (w.ASLEEP === 1) expect(w, at(r)).toMatchObject({ RET: T - T1, DT: T1 });
          else expect(w.RET, at(r)).toBe(T);
        }
        expect(rs.some((r) => r.user[RW.ASLEEP1] === 1)).toBe(true);
      });

    it('R7 budget: two fences signaled at t1 and t1 + t2: the remaining budget carries over (T - t1 - t2)', async () => {
      // 100 seeds under both executors: the late wake-up (below) first comes at seed 39.
      const rs = await runMode(kind, wound, 'budget', 100);
      for (const r of rs) {
        const w = pick(r, { RET: RW.RET, DT: RW.DT, A1: RW.ASLEEP1, A2: RW.ASLEEP2 });
        if (w.A1 === 1 && w.A2 === 1) expect(w, at(r)).toMatchObject({ RET: T - T1 - T2, DT: T1 + T2 });
        // What is left is counted when the waiter last ran after sleeping (schedule_timeout's
        // return), which is no earlier than f1's signal and no later than the wait's return.
        expect(w.RET, at(r)).toBeGreaterThanOrEqual(T - w.DT);
        if (w.A1 === 1) expect(w.RET, at(r)).toBeLessThanOrEqual(T - T1);
      }
      expect(rs.some((r) => r.user[RW.ASLEEP1] === 1 && r.user[RW.ASLEEP2] === 1)).toBe(true);
      // Woken by f1's signal but run only after the timer signaled f2 too: no more than T - t1 - t2
      // is left, though it slept on f1 alone.
      expect(rs.some((r) => r.user[RW.ASLEEP1] === 1 && r.user[RW.ASLEEP2] === 0 && r.user[RW.RET] === T - T1 - T2)).toBe(true);
    });
  });
});
