// dma_fence kernel oracles without callbacks or waits (kernel-semantics §3.1–§3.2, §7.2 F1, F2,
// F7, F8, F11, F15, F16), each under the inline and the controlled executor with the same seeds.
import { describe, expect, it } from 'vitest';
import { EXECUTORS } from '../../support/both.js';
import {
  LATER, SAN, SIG, STUB, STUB_GETS, WRAP, fenceLaterContext, fenceSanity, fenceSeqnoWrap, fenceSignal, fenceStub,
} from '../../fixtures/fence/basic.js';
import { CLEAN, at, outcome, pick, run } from '../../fixtures/fence/oracle.js';

const EIO_RET = -5;

describe.each(EXECUTORS)('dma_fence oracles (%s)', (kind) => {
  it('F1 sanitycheck: create, enable signaling, signal, put — signaled, refcount 1 -> 0, no findings', async () => {
    for (const r of await run(kind, fenceSanity)) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      const per = [0, 1].map((me) => pick(r, { s: me * 8 + SAN.SIGNALED, before: me * 8 + SAN.REF_BEFORE_PUT, after: me * 8 + SAN.REF_AFTER_PUT }));
      expect(per, at(r)).toEqual([{ s: 1, before: 1, after: 0 }, { s: 1, before: 1, after: 0 }]);
      expect(r.user[SAN.FENCE], at(r)).not.toBe(r.user[8 + SAN.FENCE]);
    }
  });

  it('F2 signaling: unsignaled at creation; first check_and_signal reports not-signaled, the second signaled; flag set', async () => {
    for (const r of await run(kind, fenceSignal)) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect(pick(r, SIG), at(r)).toMatchObject({
        CREATED_SIGNALED: 0, CREATED_FLAG: 0, FIRST_WAS: 0, SECOND_WAS: 1, IS_SIGNALED: 1, FLAG: 1, O_BAD: 0,
      });
    }
  });

  it('F7 status: get_status 0 before the signal, 1 after; a concurrent reader never sees it go back', async () => {
    const rs = await run(kind, fenceSignal);
    for (const r of rs) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect(pick(r, SIG), at(r)).toMatchObject({ CREATED_STATUS: 0, STATUS_BEFORE: 0, STATUS_AFTER: 1, O_BAD: 0 });
    }
    expect(rs.some((r) => r.user[SIG.O_SEEN] === 3)).toBe(true);
  });

  it('F8 error: after set_error(-EIO) the status is 0 before the signal and -EIO after', async () => {
    for (const r of await run(kind, fenceSignal, { error: EIO_RET })) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect(pick(r, SIG), at(r)).toMatchObject({ STATUS_BEFORE: 0, STATUS_AFTER: EIO_RET, SECOND_WAS: 1, O_BAD: 0 });
    }
  });

  it('F8 error: set_error after the signal WARNs (FENCE_ERROR_SIGNALED)', async () => {
    for (const r of await run(kind, fenceSignal, { error: EIO_RET, errorAfterSignal: true })) {
      expect(outcome(r), at(r)).toEqual({ end: 'done', codes: ['FENCE_ERROR_SIGNALED'] });
      expect(r.findings[0]?.title).toBe('assertion in dma_fence_set_error (dma_fence_test_signaled_flag(fence))');
      expect(r.findings[0]?.actor).toBe(0);
      expect(pick(r, SIG), at(r)).toMatchObject({ STATUS_BEFORE: 0, O_BAD: 0 });
    }
  });

  it('F11 stub: every dma_fence_get_stub returns the signaled context-0 stub; references balance', async () => {
    for (const r of await run(kind, fenceStub)) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      const w = pick(r, STUB);
      expect(w, at(r)).toMatchObject({ BAD: 0, SIGNALED: 2 * STUB_GETS, DONE: 2 });
      expect(w.REF_AFTER, at(r)).toBe(w.REF_BEFORE);
    }
  });

  it('F15 is_later across contexts: WARN (FENCE_LATER_CONTEXT) and false; same context compares', async () => {
    for (const r of await run(kind, fenceLaterContext)) {
      // Three WARNs: a1 against b, b against a1, b against a2 — each pair its own finding (the
      // record names both fences), none a repeat of another.
      expect(outcome(r), at(r)).toEqual({ end: 'done', codes: ['FENCE_LATER_CONTEXT', 'FENCE_LATER_CONTEXT', 'FENCE_LATER_CONTEXT'] });
      expect(r.findings.map((f) => [f.kind, f.title, f.actor, f.repeats ?? 0])).toEqual(
        [0, 1, 2].map(() => ['assertion', 'assertion in dma_fence_is_later', 0, 0]));
      expect(pick(r, LATER), at(r)).toEqual({ SAME_LATER: 1, SAME_EARLIER: 0, CROSS_AB: 0, CROSS_BA: 0, CROSS_OR_SAME: 0, IDENTITY: 1 });
    }
  });

  it.each([
    [false, { ONE_MAX: 1, MAX_ONE: 0, HALF_ZERO: 0, ZERO_HALF: 0, BIG_MAX: 1, SEQNO_BIG: 1 }],
    [true, { ONE_MAX: 0, MAX_ONE: 1, HALF_ZERO: 1, ZERO_HALF: 0, BIG_MAX: 1, SEQNO_BIG: 1 }],
  ])('F16 seqno wrap (SEQNO64=%s): 1 is later than 0xffffffff only in 32-bit compare', async (seqno64, want) => {
    for (const r of await run(kind, fenceSeqnoWrap, { seqno64 }, 10)) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect(pick(r, WRAP), at(r)).toEqual(want);
    }
  });
});
