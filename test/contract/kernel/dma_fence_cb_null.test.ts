// dma_fence_add_callback with a NULL fence or a NULL function (kernel-semantics §3.4; the kernel's
// `WARN_ON(!fence || !func)`): -EINVAL, and each misuse is its own finding — a NULL fence
// (FENCE_CB_NO_FENCE, on the node armed) is not a NULL function (FENCE_CB_NULL, on the fence), and
// two nodes misused alike are two findings. The fixed twin stays clean. Inline and controlled.
import { describe, expect, it } from 'vitest';
import { EINVAL } from '../../../src/errno/errno.js';
import { EXECUTORS } from '../../support/both.js';
import { CBN, fenceCbNull } from '../../fixtures/fence/cb_null.js';
import { CLEAN, at, outcome, pick, run } from '../../fixtures/fence/oracle.js';

const RETS = { r0: CBN.RET, r1: CBN.RET + 1, r2: CBN.RET + 2, r3: CBN.RET + 3, runs: CBN.RUNS } as const;

describe.each(EXECUTORS)('dma_fence_add_callback with a NULL operand (%s)', (kind) => {
  it('reports a NULL fence and a NULL function as separate findings, once per node, and refuses each add', async () => {
    for (const r of await run(kind, fenceCbNull)) {
      expect(outcome(r), at(r)).toEqual({ end: 'done', codes: ['FENCE_CB_NO_FENCE', 'FENCE_CB_NO_FENCE', 'FENCE_CB_NULL', 'FENCE_CB_NULL'] });
      expect(r.findings.map((f) => [f.title, f.repeats ?? 0]), at(r)).toEqual(['!fence', '!fence', '!func', '!func'].map((c) => [`assertion in dma_fence_add_callback (${c})`, 0]));
      expect(pick(r, RETS), at(r)).toEqual({ r0: -EINVAL, r1: -EINVAL, r2: -EINVAL, r3: -EINVAL, runs: 0 });
    }
  });

  it('keeps a callback with a fence and a function clean: armed (0), it runs once', async () => {
    for (const r of await run(kind, fenceCbNull, { bad: false })) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect(pick(r, { r0: CBN.RET, runs: CBN.RUNS }), at(r)).toEqual({ r0: 0, runs: 1 });
    }
  });
});
