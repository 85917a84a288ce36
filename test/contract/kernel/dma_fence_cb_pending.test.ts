// dma_fence_add_callback of a node still pending (kernel-semantics §3.4: one fence at a time) WARNs
// FENCE_CB_PENDING and returns -EINVAL without touching either fence's list; moving a node after
// removing it, or re-arming it after it ran, stays clean; a remove through another fence than the
// node's unlinks it all the same (the kernel tests the node, not the fence) and is reported
// (FENCE_CB_REMOVE_OTHER: the unlink races with the other fence's list under the wrong lock),
// the lists staying whole — the must-find pair of that check with `moved`, its clean twin.
// Inline and controlled, same seeds.
import { describe, expect, it } from 'vitest';
import { EINVAL } from '../../../src/errno/errno.js';
import { EXECUTORS } from '../../support/both.js';
import { PEND, fenceCbPending } from '../../fixtures/fence/cb_pending.js';
import { CLEAN, at, outcome, pick, run } from '../../fixtures/fence/oracle.js';

const FOUND = { end: 'done', codes: ['FENCE_CB_PENDING'] };
const WORDS = { add2: PEND.ADD2, runsA: PEND.RUNS, runsB: PEND.RUNS + 1, lastA: PEND.LAST, lastB: PEND.LAST + 1, f: PEND.F, g: PEND.G, remove: PEND.REMOVE } as const;

describe.each(EXECUTORS)('dma_fence_add_callback of a pending node (%s)', (kind) => {
  it('refuses the same node twice on one fence (-EINVAL + WARN): it still runs once', async () => {
    for (const r of await run(kind, fenceCbPending, { case: 'same' })) {
      expect(outcome(r), at(r)).toEqual(FOUND);
      const w = pick(r, WORDS);
      expect([w.add2, w.runsA, w.lastA], at(r)).toEqual([-EINVAL, 1, w.f]);
    }
  });

  it('refuses a node pending on another fence: the second fence never runs it, the first keeps its whole list', async () => {
    for (const r of await run(kind, fenceCbPending, { case: 'other' })) {
      expect(outcome(r), at(r)).toEqual(FOUND);
      const w = pick(r, WORDS);
      expect([w.add2, w.runsA, w.lastA, w.runsB, w.lastB], at(r)).toEqual([-EINVAL, 1, w.f, 1, w.f]);
    }
  });

  it('keeps a node removed from one fence and added to another clean: it runs once, for the second', async () => {
    for (const r of await run(kind, fenceCbPending, { case: 'moved' })) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      const w = pick(r, WORDS);
      expect([w.add2, w.runsA, w.lastA], at(r)).toEqual([0, 1, w.g]);
    }
  });

  it('keeps re-arming a node after it ran clean: it runs again, for the second fence', async () => {
    for (const r of await run(kind, fenceCbPending, { case: 'rerun' })) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      const w = pick(r, WORDS);
      expect([w.add2, w.runsA, w.lastA], at(r)).toEqual([0, 2, w.g]);
    }
  });

  it('reports a node removed through another fence than the one it is armed on: true, unlinked from the first fence\'s list, free to re-arm', async () => {
    for (const r of await run(kind, fenceCbPending, { case: 'removed-via-g' })) {
      expect(outcome(r), at(r)).toEqual({ end: 'done', codes: ['FENCE_CB_REMOVE_OTHER'] });
      expect(r.findings.map((f) => [f.kind, f.title]), at(r)).toEqual([['assertion', 'assertion in dma_fence_remove_callback']]);
      const w = pick(r, WORDS);
      expect([w.remove, w.add2, w.runsA, w.lastA, w.runsB, w.lastB], at(r)).toEqual([1, 0, 1, w.g, 1, w.f]);
    }
  });
});
