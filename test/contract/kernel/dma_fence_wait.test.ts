// dma_fence wait kernel oracles on virtual time (kernel-semantics §3.5, §7.2 F9, F10), each under
// the inline and the controlled executor with the same seeds.
import { describe, expect, it } from 'vitest';
import { EXECUTORS } from '../../support/both.js';
import {
  F10_LONG, F10_SHORT, F10_SLEEP, US, W0, WL, WL_TIMEOUT, WS, WS_TIMEOUT, WT, fenceWaitSignal, fenceWaitTimeout,
  fenceWaitWakeLate, fenceWaitZero, usleepRange,
} from '../../fixtures/fence/wait.js';
import { ERESTARTSYS_RET } from '../../fixtures/kernel.js';
import { CLEAN, at, outcome, pick, run } from '../../fixtures/fence/oracle.js';

describe.each(EXECUTORS)('dma_fence wait oracles (%s)', (kind) => {
  it('F9 wait: timeout-0 wait returns 0 before the signal and 1 after, without sleeping', async () => {
    for (const r of await run(kind, fenceWaitZero)) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect(pick(r, { R0: W0.R0, R1: W0.R1, WAIT: W0.WAIT, DT: W0.DT, SLEPT: W0.SLEPT }), at(r)).toEqual({ R0: 0, R1: 1, WAIT: 0, DT: 0, SLEPT: 0 });
    }
  });

  it('F10 wait_timeout: a 1-jiffy wait on a fence nobody signals returns 0 after exactly 1 jiffy', async () => {
    for (const r of await run(kind, fenceWaitTimeout, { signal: false })) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect(pick(r, WT), at(r)).toMatchObject({ RET: 0, DT: F10_SHORT, SIGNALED: 0 });
    }
  });

  it('F10 wait_timeout: with a timer that signals after 1 jiffy, a wait of 100 returns non-zero', async () => {
    const rs = await run(kind, fenceWaitTimeout, { signal: true });
    for (const r of rs) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      const w = pick(r, WT);
      expect(w.SIGNALED, at(r)).toBe(1);
      // Woken by the signal at jiffy 1: 99 left; the fence was already signaled when it looked: 100.
      expect(w.RET, at(r)).toBe(w.ASLEEP === 1 ? F10_LONG - F10_SLEEP : F10_LONG);
    }
    expect(rs.some((r) => r.user[WT.ASLEEP] === 1)).toBe(true);
  });

  it('wait_timeout, interruptible: a signal sent while time is left ends the sleep with -ERESTARTSYS', async () => {
    const rs = await run(kind, fenceWaitSignal, { late: false });
    for (const r of rs) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      const interrupted = r.user[WS.SENT_WAITING] === 1;
      expect(pick(r, { RET: WS.RET, DT: WS.DT }), at(r)).toEqual(interrupted ? { RET: ERESTARTSYS_RET, DT: 0 } : { RET: 0, DT: WS_TIMEOUT });
    }
    expect(rs.some((r) => r.user[WS.SENT_WAITING] === 1)).toBe(true);
  });

  it('wait_timeout, interruptible: a signal pending once the time ran out does not turn the timeout (0) into -ERESTARTSYS', async () => {
    const rs = await run(kind, fenceWaitSignal, { late: true });
    for (const r of rs) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect(pick(r, { RET: WS.RET, DT: WS.DT }), at(r)).toEqual({ RET: 0, DT: WS_TIMEOUT });
    }
    expect(rs.some((r) => r.user[WS.SENT_WAITING] === 1)).toBe(true);
  });

  it('wait_timeout: the jiffies left are counted when the waiter runs again — a fence signaled at the deadline returns 0', async () => {
    const rs = await run(kind, fenceWaitWakeLate);
    for (const r of rs) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect(pick(r, { RET: WL.RET, DT: WL.DT }), at(r)).toEqual({ RET: 0, DT: WL_TIMEOUT });
    }
    expect(rs.some((r) => r.user[WL.SIGNALED_FIRST] === 1)).toBe(true);
    expect(rs.some((r) => r.user[WL.SIGNALED_FIRST] === 0)).toBe(true);
  });

  it('usleep_range: virtual time moves by the sleep rounded up to jiffies, and others may run meanwhile', async () => {
    for (const [min, dt] of [[50, 1], [1000, 1], [2500, 3]] as const) {
      const rs = await run(kind, usleepRange, { min, max: 2 * min });
      for (const r of rs) {
        expect(outcome(r), at(r)).toEqual(CLEAN);
        expect(r.user[US.DT], at(r)).toBe(dt);
      }
      expect(rs.some((r) => r.user[US.BETWEEN] === 1)).toBe(true);
    }
  });

  it('usleep_range: a loop polling until a time bound reaches it (no step-limit hang)', async () => {
    for (const r of await run(kind, usleepRange, { min: 100, max: 200, pollJiffies: 5 })) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect(r.user[US.DT], at(r)).toBe(5);
    }
  });

  it('usleep_range: a maximum below the minimum WARNs, and the call still sleeps', async () => {
    const rs = await run(kind, usleepRange, { min: 100, max: 50 });
    for (const r of rs) expect(outcome(r), at(r)).toEqual({ end: 'done', codes: ['USLEEP_RANGE_INVERTED'] });
    expect(rs.some((r) => r.user[US.BETWEEN] === 1)).toBe(true);
  });

  it('usleep_range: the inverted-range WARN is WARN_ON_ONCE — a second caller with other arguments adds nothing', async () => {
    for (const r of await run(kind, usleepRange, { min: 100, max: 50, otherSleeps: true })) {
      expect(outcome(r), at(r)).toEqual({ end: 'done', codes: ['USLEEP_RANGE_INVERTED'] });
      expect(r.findings.map((f) => [f.title, f.repeats ?? 0]), at(r)).toEqual([['assertion in usleep_range_state', 0]]);
    }
  });
});
