// dma_fence references as refcount_t keeps them (src/kernel/dma_fence_ref.ts; include/linux/
// refcount.h, lib/refcount.c): once the release is decided, the first get or put without a
// reference saturates the count and is reported — a put WARNs FENCE_PUT_UNDERFLOW once a trial, a
// get FENCE_GET_RELEASED — and so is what finds the count saturated, as refcount_warn_saturate
// does: a put (FENCE_PUT_UNDERFLOW, even when a get saturated it), a get or dma_fence_get_rcu
// ("saturated; leaking memory": FENCE_GET_SATURATED, FENCE_GET_RCU_SATURATED). Nothing is released
// twice or revived: the next fence reuses the row at generation 1 and the one after takes another
// row. One actor, deterministic: 4 seeds on each executor.
import { describe, expect, it } from 'vitest';
import { REFCOUNT_SATURATED } from '../../../src/kernel/kref.js';
import type { TrialResult } from '../../../src/exec/result.js';
import { EXECUTORS } from '../../support/both.js';
import { FREF, fencePutAfterRelease, fenceReleaseWindow, type WindowCase } from '../../fixtures/fence/ref.js';
import { CLEAN, at, outcome, pick, run } from '../../fixtures/fence/oracle.js';

const SEEDS = 4;
const pairs = (r: TrialResult) => r.findings.map((f) => [f.code, f.title]);
const PUT_UNDERFLOW = ['FENCE_PUT_UNDERFLOW', 'refcount-underflow in dma_fence_put'];
const GET_RELEASED = ['FENCE_GET_RELEASED', 'use-after-free in dma_fence_get'];
const RELEASE_PENDING = ['FENCE_RELEASE_PENDING', 'refcount-underflow in dma_fence_release'];
const GET_SATURATED = ['FENCE_GET_SATURATED', 'leak in dma_fence_get'];
const RCU_SATURATED = ['FENCE_GET_RCU_SATURATED', 'leak in dma_fence_get_rcu'];

/** Callback cases: what it does, its findings, what dma_fence_get_rcu returned (RCU_RET). */
const WINDOW: readonly [WindowCase, string, string[][], number][] = [
  ['get', 'the get saturates the count instead of reviving the fence, and the put on that saturated count WARNs underflow', [RELEASE_PENDING, GET_RELEASED, PUT_UNDERFLOW], 0],
  ['get-twice', 'the second get finds the count saturated: saturated; leaking memory', [RELEASE_PENDING, GET_RELEASED, GET_SATURATED, PUT_UNDERFLOW], 0],
  ['put', 'of two puts the first saturates the count and WARNs, the second adds nothing (WARN_ONCE)', [RELEASE_PENDING, PUT_UNDERFLOW], 0],
  ['rcu', 'dma_fence_get_rcu on the saturated count succeeds, as kref_get_unless_zero does, and WARNs saturated', [RELEASE_PENDING, PUT_UNDERFLOW, RCU_SATURATED], 1],
];

/** Released once: the row came back at generation 1 and was listed once. */
function expectOneRelease(r: TrialResult): void {
  const w = pick(r, FREF);
  expect([w.G1_ROW, w.G1_GEN], at(r)).toEqual([w.F_ROW, 1]);
  expect(w.G2_ROW, at(r)).not.toBe(w.F_ROW);
}

describe.each(EXECUTORS)('dma_fence references as refcount_t (%s)', (kind) => {
  it('puts and a get after the release: one underflow WARN, one use-after-free, released once', async () => {
    for (const r of await run(kind, fencePutAfterRelease, { extra: true }, SEEDS)) {
      expect(r.end, at(r)).toBe('done');
      expect(pairs(r), at(r)).toEqual([PUT_UNDERFLOW, GET_RELEASED]);
      expect(r.user[FREF.REF_AFTER], at(r)).toBe(0);
      expectOneRelease(r);
    }
  });

  it('keeps the fixed twin (one put of its one reference) clean, released once', async () => {
    for (const r of await run(kind, fencePutAfterRelease, { extra: false }, SEEDS)) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expectOneRelease(r);
    }
  });

  it.each(WINDOW)('%s inside the release window: %s; released once', async (c, _what, findings, rcu) => {
    for (const r of await run(kind, fenceReleaseWindow, { case: c }, SEEDS)) {
      expect(pairs(r), at(r)).toEqual(findings);
      expect(pick(r, { runs: FREF.RUNS, rcu: FREF.RCU_RET, count: FREF.COUNT_IN }), at(r)).toEqual({ runs: 1, rcu, count: REFCOUNT_SATURATED });
      expectOneRelease(r);
    }
  });

  it('keeps the fixed twin (the callback runs while the owner holds its reference) clean', async () => {
    for (const r of await run(kind, fenceReleaseWindow, { case: 'fixed' }, SEEDS)) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect(pick(r, { runs: FREF.RUNS, count: FREF.COUNT_IN }), at(r)).toEqual({ runs: 1, count: 2 });
      expectOneRelease(r);
    }
  });
});
