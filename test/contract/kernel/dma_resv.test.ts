// dma_resv kernel oracles R1, R2, R3, R5, R6 (kernel-semantics §1.2–§1.8, §7.1), each under the
// inline and the controlled executor with the same seeds, for both resv lock classes
// (reservation_ww_class, wait-die; and a wound-wait class), R2/R3/R5 for each of the 4 usages.
import { describe, expect, it } from 'vitest';
import { EXECUTORS } from '../../support/both.js';
import { SANE, SIGU, resvSanity, resvSignaling } from '../../fixtures/resv/basic.js';
import { EACH, FILTER, GET, resvForEach, resvGetFences, resvUsageFilter } from '../../fixtures/resv/query.js';
import { USAGES, decodeList } from '../../fixtures/resv/common.js';
import { CLEAN, at, outcome, pick, run } from '../../fixtures/fence/oracle.js';

const CLASSES = [['wait-die', false], ['wound-wait', true]] as const;
const NAMES = ['KERNEL', 'WRITE', 'READ', 'BOOKKEEP'];
const USAGE_CASES = USAGES.map((u) => [NAMES[u]!, u] as const);
/** Bits of the usages below / at-or-above `u`. */
const below = (u: number): number => (1 << u) - 1;
const atOrAbove = (u: number): number => 0b1111 & ~below(u);

describe.each(EXECUTORS)('dma_resv oracles (%s)', (kind) => {
  describe.each(CLASSES)('lock class %s', (_cls, wound) => {
    it('R1 sanitycheck: fence signal/put; lock(NULL) returns 0 and excludes the other actor; unlock; fini', async () => {
      const rs = await run(kind, resvSanity, { wound });
      for (const r of rs) {
        expect(outcome(r), at(r)).toEqual(CLEAN);
        for (const me of [0, 1]) {
          const w = pick(r, { ref: me * 8 + SANE.FENCE_REF, ret: me * 8 + SANE.LOCK_RET, locked: me * 8 + SANE.LOCKED, noCtx: me * 8 + SANE.CTX_NULL, overlap: me * 8 + SANE.OVERLAP });
          expect(w, at(r)).toEqual({ ref: 0, ret: 0, locked: 1, noCtx: 1, overlap: 0 });
        }
        expect(pick(r, { done: SANE.DONE, finiUnlocked: SANE.FINI_UNLOCKED }), at(r)).toEqual({ done: 2, finiUnlocked: 1 });
      }
      expect(rs.some((r) => (r.user[SANE.CONTENDED] ?? 0) > 0)).toBe(true);
    });

    it.each(USAGE_CASES)('R2 signaling(%s): test_signaled(U) false after add, true after the signal', async (_n, usage) => {
      for (const r of await run(kind, resvSignaling, { wound, usage })) {
        expect(outcome(r), at(r)).toEqual(CLEAN);
        expect(pick(r, SIGU), at(r)).toEqual({
          LOCK_RET: 0, RESERVE: 0, READY: 1, LOCKED_MASK: below(usage), BEFORE_MASK: below(usage), AFTER_MASK: 0b1111,
        });
      }
    });

    it.each(USAGE_CASES)('R3 for_each(%s): locked iteration yields exactly f with usage U, to the owner and the next holder', async (_n, usage) => {
      const rs = await run(kind, resvForEach, { wound, usage });
      for (const r of rs) {
        expect(outcome(r), at(r)).toEqual(CLEAN);
        const w = pick(r, EACH);
        expect(decodeList(w.A_LIST), at(r)).toEqual([[0, usage]]);
        expect(decodeList(w.B_LIST), at(r)).toEqual([[0, usage]]);
        expect(w, at(r)).toMatchObject({ A_LOCK_RET: 0, B_LOCK_RET: 0, B_SAW_UNLOCK: 1, A_NONEMPTY: atOrAbove(usage) });
      }
      expect(rs.some((r) => r.user[EACH.B_CONTENDED] === 1)).toBe(true);
    });

    it.each(USAGE_CASES)('R5 get_fences(%s): one referenced snapshot entry f; none once f signaled', async (_n, usage) => {
      for (const r of await run(kind, resvGetFences, { wound, usage })) {
        expect(outcome(r), at(r)).toEqual(CLEAN);
        expect(pick(r, GET), at(r)).toEqual({
          LOCK_RET: 0, READY: 1, COUNT: 1, MASK: 1, REF_SNAPSHOT: 3, NONEMPTY: atOrAbove(usage), COUNT_SIGNALED: 0, REF_END: 2,
        });
      }
    });

    it('R6 usage filtering: a query with U sees exactly the fences with usage <= U', async () => {
      for (const r of await run(kind, resvUsageFilter, { wound })) {
        expect(outcome(r), at(r)).toEqual(CLEAN);
        const get = USAGES.map((u) => r.user[FILTER.GET + u]);
        const wait0 = USAGES.map((u) => r.user[FILTER.WAIT0 + u]);
        const wait1 = USAGES.map((u) => r.user[FILTER.WAIT1 + u]);
        expect({ get, wait0, wait1 }, at(r)).toEqual({ get: [0b001, 0b001, 0b011, 0b111], wait0: [0, 0, 0, 0], wait1: [1, 1, 0, 0] });
        expect(pick(r, { ts: FILTER.TS_READ, tsB: FILTER.TS_BOOKKEEP, waitR: FILTER.WAIT_READ, waitB: FILTER.WAIT_BOOKKEEP, lock: FILTER.LOCK_RET }), at(r))
          .toEqual({ ts: 1, tsB: 0, waitR: 1, waitB: 0, lock: 0 });
      }
    });
  });
});
