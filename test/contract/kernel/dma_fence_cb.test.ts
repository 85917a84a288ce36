// dma_fence callback kernel oracles (kernel-semantics §3.3–§3.4, §7.2 F3–F6, F12–F14), each under
// the inline and the controlled executor with the same seeds.
import { describe, expect, it } from 'vitest';
import { EDEADLK_RET, ENOENT_RET } from '../../fixtures/kernel.js';
import { EXECUTORS } from '../../support/both.js';
import {
  ADD, ADDERS, CB, EN, REL, RM, fenceCbAdd, fenceCbEnable, fenceCbRelease, fenceCbRemove,
} from '../../fixtures/fence/callback.js';
import { RACE, fenceRaceSignalCallback } from '../../fixtures/fence/race.js';
import { CLEAN, at, outcome, pick, run } from '../../fixtures/fence/oracle.js';

/** Callback node 0's record: runs, runner (actor + 1), fence status seen inside it. */
const CB0 = { runs: CB.RUNS, runner: CB.RUNNER, status: CB.STATUS } as const;
const SIGNALER = 1;

describe.each(EXECUTORS)('dma_fence callback oracles (%s)', (kind) => {
  it('F3 add_callback: armed callbacks (0) run once each, in registration order, in the signalling task', async () => {
    for (const r of await run(kind, fenceCbAdd)) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      for (let i = 0; i < ADDERS; i++) {
        expect(pick(r, { ret: ADD.ADD_RET + i, runs: CB.RUNS + i, runner: CB.RUNNER + i, status: CB.STATUS + i }), at(r))
          .toEqual({ ret: 0, runs: 1, runner: ADDERS + 1, status: 1 });
        expect(r.user[CB.POS + i], at(r)).toBe(r.user[ADD.REG_POS + i]);
      }
    }
  });

  it('F4 late_add_callback: after the signal add returns -ENOENT and the callback never runs, even if signaled again', async () => {
    for (const r of await run(kind, fenceCbRemove, { op: 'late-add' })) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect(pick(r, { add: RM.ADD_RET, resignalWas: RM.RESIGNAL_WAS, rmLate: RM.RM_LATE, runs: CB.RUNS }), at(r))
        .toEqual({ add: ENOENT_RET, resignalWas: 1, rmLate: 0, runs: 0 });
    }
  });

  it('F5 rm_callback: remove before the signal returns true and the callback does not run', async () => {
    for (const r of await run(kind, fenceCbRemove, { op: 'rm' })) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect(pick(r, { add: RM.ADD_RET, rmEarly: RM.RM_EARLY, rmLate: RM.RM_LATE, runs: CB.RUNS }), at(r))
        .toEqual({ add: 0, rmEarly: 1, rmLate: 0, runs: 0 });
    }
  });

  it('F6 late_rm_callback: after the callback ran, remove returns false', async () => {
    for (const r of await run(kind, fenceCbRemove, { op: 'late-rm' })) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect(pick(r, { add: RM.ADD_RET, rmLate: RM.RM_LATE }), at(r)).toEqual({ add: 0, rmLate: 0 });
      expect(pick(r, CB0), at(r)).toEqual({ runs: 1, runner: SIGNALER + 1, status: 1 });
    }
  });

  it.each([true, false])('F12 race_signal_callback (signal before add: %s): every callback is observed exactly once', async (before) => {
    const rs = await run(kind, fenceRaceSignalCallback, { before }, kind === 'inline' ? 400 : 200);
    const rets = new Set<number>();
    for (const r of rs) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      for (const me of [0, 1]) {
        const w = pick(r, { ret: RACE.RET + me, seen: RACE.SEEN + me });
        rets.add(w.ret);
        expect(w, at(r)).toEqual(w.ret === ENOENT_RET ? { ret: ENOENT_RET, seen: 0 } : { ret: 0, seen: 1 });
      }
    }
    expect([...rets].sort()).toEqual([ENOENT_RET, 0].sort());
  });

  it.each([
    [true, { STATUS_BEFORE: 0, ADD_RET: ENOENT_RET, SIGNALED_AFTER_ADD: 1, WAIT0: 1 }, 0],
    [false, { STATUS_BEFORE: 0, ADD_RET: 0, SIGNALED_AFTER_ADD: 0, WAIT0: 0 }, 1],
  ])('F13 enable_signaling signals (%s): add_callback -ENOENT and a timeout-0 wait sees it signaled', async (signalsOnEnable, want, runs) => {
    for (const r of await run(kind, fenceCbEnable, { signalsOnEnable })) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect(pick(r, EN), at(r)).toEqual(want);
      expect(r.user[CB.RUNS], at(r)).toBe(runs);
    }
  });

  it('F14 release with a pending callback: WARN (FENCE_RELEASE_PENDING); the callback runs with -EDEADLK', async () => {
    for (const r of await run(kind, fenceCbRelease, { withCallback: true })) {
      expect(outcome(r), at(r)).toEqual({ end: 'done', codes: ['FENCE_RELEASE_PENDING'] });
      expect(r.findings.map((f) => [f.kind, f.title, f.actor])).toEqual([['refcount-underflow', 'refcount-underflow in dma_fence_release', 1]]);
      expect(pick(r, { add: REL.ADD_RET, signaled: REL.SIGNALED_AFTER, ref: REL.REF_AFTER }), at(r)).toEqual({ add: 0, signaled: 1, ref: 0 });
      expect(pick(r, CB0), at(r)).toEqual({ runs: 1, runner: 2, status: EDEADLK_RET });
    }
  });

  it('F14 control: releasing an unsignaled fence without callbacks is silent and does not signal it', async () => {
    for (const r of await run(kind, fenceCbRelease, { withCallback: false })) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect(pick(r, { signaled: REL.SIGNALED_AFTER, ref: REL.REF_AFTER, runs: CB.RUNS }), at(r)).toEqual({ signaled: 0, ref: 0, runs: 0 });
    }
  });
});
