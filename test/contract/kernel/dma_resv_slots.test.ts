// dma_resv fence-slot oracles R8 (replacement rules), R9 (reservation expiry) and R10 (usage
// promotion) (kernel-semantics §1.4, §1.5, §7.1), under the inline and the controlled executor
// with the same seeds, for both resv lock classes.
import { describe, expect, it } from 'vitest';
import type { TrialResult } from '../../../src/exec/result.js';
import { EXECUTORS } from '../../support/both.js';
import { decodeList } from '../../fixtures/resv/common.js';
import { ROLE, SLOT, resvPromote, resvReplace, resvReserveExpiry } from '../../fixtures/resv/slots.js';
import { CLEAN, at, outcome, run } from '../../fixtures/fence/oracle.js';

const CLASSES = [['wait-die', false], ['wound-wait', true]] as const;
const WRITE = 1;

/** The fence-slot BUG: one finding, the trial ends there, in the owner's second hold. */
function expectNoSlotBug(r: TrialResult): void {
  expect(outcome(r), at(r)).toEqual({ end: 'bug', codes: ['RESV_ADD_NO_SLOT'] });
  expect(r.findings.map((f) => [f.kind, f.title, f.actor])).toEqual([['fence-slot', 'fence-slot in dma_resv_add_fence', 0]]);
  expect(r.user[SLOT.STAGE], at(r)).toBe(1);
}

/** Every lock in the fixture returned 0 (a context holding nothing never backs off). */
function expectLocksClean(r: TrialResult, holds: number): void {
  expect([SLOT.LOCK_RET1, SLOT.LOCK_RET2, SLOT.OTHER_LOCK_RET].slice(0, holds).map((w) => r.user[w]), at(r)).toEqual(Array(holds).fill(0));
}

describe.each(EXECUTORS)('dma_resv slot oracles (%s)', (kind) => {
  describe.each(CLASSES)('lock class %s', (_cls, wound) => {
    it.each([
      ['same', 'F again replaces itself', [[ROLE.F, WRITE]], 2],
      ['later', 'a later fence of the context replaces F', [[ROLE.G3, WRITE]], 1],
    ] as const)('R8 no free slot, add %s: %s without a slot', async (second, _what, list, refF) => {
      for (const r of await run(kind, resvReplace, { wound, second, reserve2: 0 })) {
        expect(outcome(r), at(r)).toEqual(CLEAN);
        expectLocksClean(r, 3);
        expect(decodeList(r.user[SLOT.LIST]!), at(r)).toEqual(list);
        expect(r.user[SLOT.REF_F], at(r)).toBe(refF);
      }
    });

    it('R8 no free slot, add an earlier fence of the context: it does not replace F and needs a slot: fence-slot BUG', async () => {
      for (const r of await run(kind, resvReplace, { wound, second: 'earlier', reserve2: 0 })) expectNoSlotBug(r);
    });

    it('R8 one slot reserved, add an earlier fence of the context: appended next to F', async () => {
      for (const r of await run(kind, resvReplace, { wound, second: 'earlier', reserve2: 1 })) {
        expect(outcome(r), at(r)).toEqual(CLEAN);
        expect(r.user[SLOT.RESERVE2], at(r)).toBe(0);
        expect(decodeList(r.user[SLOT.LIST]!), at(r)).toEqual([[ROLE.F, WRITE], [ROLE.G1, WRITE]]);
      }
    });

    it('R9 reserve, unlock, relock, add: the reservation expired with the hold: fence-slot BUG', async () => {
      for (const r of await run(kind, resvReserveExpiry, { wound, reserve2: 0 })) {
        expectNoSlotBug(r);
        expect(r.user[SLOT.RESERVE1], at(r)).toBe(0);
      }
    });

    it('R9 control: reserving again in the new hold makes the add legal', async () => {
      for (const r of await run(kind, resvReserveExpiry, { wound, reserve2: 1 })) {
        expect(outcome(r), at(r)).toEqual(CLEAN);
        expectLocksClean(r, 3);
        expect(decodeList(r.user[SLOT.LIST]!), at(r)).toEqual([[ROLE.X, WRITE]]);
      }
    });

    it('R10 promotion: F BOOKKEEP then F READ is one READ slot; F BOOKKEEP again does not demote it', async () => {
      for (const r of await run(kind, resvPromote, { wound })) {
        expect(outcome(r), at(r)).toEqual(CLEAN);
        expectLocksClean(r, 1);
        expect([SLOT.LIST_A, SLOT.LIST_B, SLOT.LIST].map((w) => decodeList(r.user[w]!)), at(r)).toEqual([
          [[ROLE.F, 3]], [[ROLE.F, 2]], [[ROLE.F, 2], [ROLE.F, 3]],
        ]);
        expect(r.user[SLOT.REF_F], at(r)).toBe(3);
      }
    });
  });
});
