// Fence rows are reclaimed (src/kernel/dma_fence_alloc.ts): a released fence's row is reused
// under a new handle, and a handle kept past the release is reported with the same code and
// title whether or not its row was reused meanwhile. Inline and controlled, same seeds.
import { describe, expect, it } from 'vitest';
import { EXECUTORS } from '../../support/both.js';
import { FENCE_ORDER, REUSE, fenceOldestFirst, fenceStaleUse, type StaleOp } from '../../fixtures/fence/reuse.js';
import { CLEAN, at, outcome, pick, run } from '../../fixtures/fence/oracle.js';

const STALE: readonly [StaleOp, string, string][] = [
  ['put', 'FENCE_PUT_UNDERFLOW', 'refcount-underflow in dma_fence_put'],
  ['get', 'FENCE_GET_RELEASED', 'use-after-free in dma_fence_get'],
  ['signal', 'FENCE_USE_AFTER_FREE', 'use-after-free in dma_fence_signal'],
  ['wait', 'FENCE_USE_AFTER_FREE', 'use-after-free in dma_fence_wait_timeout'],
  ['later', 'FENCE_USE_AFTER_FREE', 'use-after-free in dma_fence_is_later'],
  ['add_cb', 'FENCE_USE_AFTER_FREE', 'use-after-free in dma_fence_add_callback'],
  ['remove_cb', 'FENCE_USE_AFTER_FREE', 'use-after-free in dma_fence_remove_callback'],
];

describe.each(EXECUTORS)('dma_fence row reuse (%s)', (kind) => {
  it('gives a released fence row to the next fence under a different handle, without a new row', async () => {
    for (const r of await run(kind, fenceStaleUse, { op: 'signal', reuse: true, handle: 'current' })) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
    }
    for (const r of await run(kind, fenceStaleUse, { op: 'put', reuse: true, handle: 'stale' })) {
      const w = pick(r, REUSE);
      expect(w.G_ROW, at(r)).toBe(w.F_ROW);
      expect(w.G, at(r)).not.toBe(w.F);
      expect(w.HIGH_WATER, at(r)).toBe(w.F_ROW + 1);
    }
  });

  it('reuses released rows oldest first', async () => {
    for (const r of await run(kind, fenceOldestFirst)) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      const w = pick(r, FENCE_ORDER);
      expect([w.FIRST_ROW, w.SECOND_ROW], at(r)).toEqual([w.A_ROW, w.B_ROW]);
    }
  });

  it.each(STALE)('reports a stale %s after the row was reused as %s, leaving the new fence alone', async (op, code, title) => {
    for (const r of await run(kind, fenceStaleUse, { op, reuse: true, handle: 'stale' })) {
      expect(outcome(r), at(r)).toEqual({ end: 'done', codes: [code] });
      expect(r.findings[0]?.title, at(r)).toBe(title);
      expect(pick(r, { ref: REUSE.G_REF, signaled: REUSE.G_SIGNALED }), at(r)).toEqual({ ref: 1, signaled: 0 });
    }
  });

  it.each(STALE)('reports a stale %s before any reuse the same way (%s)', async (op, code, title) => {
    for (const r of await run(kind, fenceStaleUse, { op, reuse: false, handle: 'stale' })) {
      expect(outcome(r), at(r)).toEqual({ end: 'done', codes: [code] });
      expect(r.findings[0]?.title, at(r)).toBe(title);
    }
  });

  it('a stale remove_callback returns false and leaves a callback armed on the fence reusing the row pending', async () => {
    for (const r of await run(kind, fenceStaleUse, { op: 'remove_cb', reuse: true, handle: 'stale' })) {
      expect(outcome(r), at(r)).toEqual({ end: 'done', codes: ['FENCE_USE_AFTER_FREE'] });
      expect(pick(r, { ret: REUSE.CB_RET, runs: REUSE.CB_RUNS }), at(r)).toEqual({ ret: 0, runs: 1 });
    }
  });

  it('a remove_callback through a live F of a callback armed on G unlinks it from G: true, it never runs, and the misuse is reported', async () => {
    for (const r of await run(kind, fenceStaleUse, { op: 'remove_cb', reuse: true, handle: 'current' })) {
      expect(outcome(r), at(r)).toEqual({ end: 'done', codes: ['FENCE_CB_REMOVE_OTHER'] });
      expect(pick(r, { ret: REUSE.CB_RET, runs: REUSE.CB_RUNS }), at(r)).toEqual({ ret: 1, runs: 0 });
    }
  });

  // remove_cb's twin removes, through its own live fence, a node armed on G: a misuse of its own (above).
  it.each(STALE.filter(([op]) => op !== 'remove_cb'))('keeps the fixed twin of a %s (a reference of its own) clean', async (op) => {
    for (const r of await run(kind, fenceStaleUse, { op, reuse: true, handle: 'current' })) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
    }
  });
});
