// dma_fence_context_alloc(0) WARNs (WARN_ON(!num)) and returns the next free context, which the
// following allocation hands out again; allocating one context is clean and moves the counter.
import { describe, expect, it } from 'vitest';
import { EXECUTORS } from '../../support/both.js';
import { CTX, fenceContextAlloc } from '../../fixtures/fence/context_alloc.js';
import { CLEAN, at, outcome, run } from '../../fixtures/fence/oracle.js';

describe.each(EXECUTORS)('dma_fence_context_alloc (%s)', (kind) => {
  it('of zero contexts WARNs, and the context it returns is the next allocation\'s too', async () => {
    for (const r of await run(kind, fenceContextAlloc, { num: 0 }, 2)) {
      expect(outcome(r), at(r)).toEqual({ end: 'done', codes: ['FENCE_CONTEXT_ALLOC_ZERO'] });
      expect(r.findings.map((f) => f.title), at(r)).toEqual(['assertion in dma_fence_context_alloc']);
      expect(r.user[CTX.NEXT], at(r)).toBe(r.user[CTX.FIRST]);
    }
  });

  it('of one context is clean, and the next allocation gets the one after it', async () => {
    for (const r of await run(kind, fenceContextAlloc, { num: 1 }, 2)) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect(r.user[CTX.NEXT], at(r)).toBe(r.user[CTX.FIRST]! + 1);
    }
  });
});
