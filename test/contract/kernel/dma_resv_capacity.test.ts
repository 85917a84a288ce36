// dma_resv_reserve_fences capacity (kernel-semantics §1.4): the list is allocated with
// kmalloc_size_roundup(struct_size(list, table, max)) and max_fences is recomputed from the
// rounded size (24-byte header, 8 bytes an entry), so reserve(1) on an empty object leaves 5
// slots, growing to 10 leaves 13. Adds within the rounding are legal in the same hold; the unlock
// still resets max_fences to num_fences. Inline and controlled, same seeds.
import { describe, expect, it } from 'vitest';
import { ENOMEM } from '../../../src/errno/errno.js';
import { EXECUTORS } from '../../support/both.js';
import { CAP, resvCapacity, resvCapacityCapped } from '../../fixtures/resv/capacity.js';
import { CLEAN, at, outcome, run } from '../../fixtures/fence/oracle.js';

const NO_SLOT = { end: 'bug', codes: ['RESV_ADD_NO_SLOT'] };
const NO_LIST = { end: 'bug', codes: ['RESV_ADD_NO_LIST'] };
const SEEDS = 3;

describe.each(EXECUTORS)('dma_resv list capacity (%s)', (kind) => {
  it.each([
    ['r1 a5', 'reserve(1) on an empty object: 4 asked, 56 bytes in the 64-byte bucket: 5 slots', 5],
    ['r3 a5', 'reserve(3): roundup_pow_of_two(3) = 4, the same 5 slots', 5],
    ['r5 a9', 'reserve(5): 8 asked, 88 bytes in the 96-byte bucket: 9 slots', 9],
    ['r9 a21', 'reserve(9): 16 asked, 152 bytes in the 192-byte bucket: 21 slots', 21],
    ['r1 a5 r5 a8', 'growing 5 by 5: max(10, 2 · 5) = 10 asked, 104 bytes in the 128-byte bucket: 13 slots', 13],
    ['r1 a5 r5 a8 r1 a16', 'growing 13 by 1: 2 · 13 = 26 asked, 232 bytes in the 256-byte bucket: 29 slots', 29],
    ['r1 a1 u r1 a4', 'after the unlock reset (max 1), reserve(1) asks max(2, 2 · 1) = 2: still the 64-byte bucket, 5 slots', 5],
  ] as const)('%s: %s, every add legal', async (steps, _why, added) => {
    for (const r of await run(kind, resvCapacity, { steps }, SEEDS)) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect(r.user[CAP.ADDED], at(r)).toBe(added);
    }
  });

  it.each([
    ['r1 a6', 5],
    ['r9 a22', 21],
    ['r1 a5 r5 a9', 13],
    ['r1 a5 r5 a8 r1 a17', 29],
  ] as const)('%s: one add beyond the rounded capacity is the fence-slot BUG (after %i adds)', async (steps, added) => {
    for (const r of await run(kind, resvCapacity, { steps }, SEEDS)) {
      expect(outcome(r), at(r)).toEqual(NO_SLOT);
      expect(r.findings.map((f) => f.title), at(r)).toEqual(['fence-slot in dma_resv_add_fence']);
      expect(r.user[CAP.ADDED], at(r)).toBe(added);
    }
  });

  it('an unreserved add in the next hold BUGs whatever the rounding left (the unlock reset max_fences to num_fences)', async () => {
    for (const r of await run(kind, resvCapacity, { steps: 'r1 a1 u a1' }, SEEDS)) {
      expect(outcome(r), at(r)).toEqual(NO_SLOT);
      expect(r.user[CAP.ADDED], at(r)).toBe(1);
    }
  });

  // The kernel's add reads fobj->num_fences before any slot: with no list at all that is a NULL
  // dereference, not the fence-slot BUG, which needs a list whose max_fences is used up.
  it.each([
    ['a1', 'never reserved: no list', NO_LIST, 'crash in dma_resv_add_fence'],
    ['r1 u a1', 'reserved in an earlier hold: the list is there, its max_fences reset to 0', NO_SLOT, 'fence-slot in dma_resv_add_fence'],
  ] as const)('%s: %s', async (steps, _why, found, title) => {
    for (const r of await run(kind, resvCapacity, { steps }, SEEDS)) {
      expect(outcome(r), at(r)).toEqual(found);
      expect(r.findings.map((f) => f.title), at(r)).toEqual([title]);
      expect(r.user[CAP.ADDED], at(r)).toBe(0);
    }
  });

  it('the arena holds geometry.resvSlots fences: a reservation beyond them is -ENOMEM and reserves nothing', async () => {
    for (const r of await run(kind, resvCapacityCapped, { steps: 'r16 a16 u r1' }, SEEDS)) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect([r.user[CAP.ADDED], r.user[CAP.RESERVE], r.user[CAP.RESERVE + 1]], at(r)).toEqual([16, 0, -ENOMEM]);
    }
    // In one hold: the list's 21 slots have room for a 17th fence, the arena's 16 do not.
    for (const r of await run(kind, resvCapacityCapped, { steps: 'r16 a16 r1' }, SEEDS)) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect([r.user[CAP.ADDED], r.user[CAP.RESERVE], r.user[CAP.RESERVE + 1]], at(r)).toEqual([16, 0, -ENOMEM]);
    }
    // Not even a list: the add after it dereferences NULL.
    for (const r of await run(kind, resvCapacityCapped, { steps: 'r17 a1' }, SEEDS)) {
      expect(outcome(r), at(r)).toEqual(NO_LIST);
      expect([r.user[CAP.ADDED], r.user[CAP.RESERVE]], at(r)).toEqual([0, -ENOMEM]);
    }
  });
});
