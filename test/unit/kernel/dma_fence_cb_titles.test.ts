// The three dma_fence_add_callback checks are three bugs: a NULL fence, a NULL function (the two
// halves of the kernel's `WARN_ON(!fence || !func)`) and a node added while still on a list. A
// hunt keeps one finding per title, so each is titled with its condition and one campaign hitting
// all three reports three findings, not one. The fixed twin hunts clean, its callbacks running.
import { describe, expect, it } from 'vitest';
import { hunt } from '../../../src/campaign/hunt.js';
import { runTrials } from '../../support/both.js';
import { CBM, fenceCbMisuse } from '../../fixtures/fence/cb_misuse.js';

const HUNT = { trials: 20, timeMs: 30_000, seed: 1, strategies: ['random'], executor: 'inline', keepGoing: true } as const;

describe('dma_fence_add_callback findings in one hunt', () => {
  it('keeps a NULL fence, a NULL function and a pending node as three findings with three titles', async () => {
    const r = await hunt(fenceCbMisuse, HUNT);
    expect(r.findings.map((f) => [f.code, f.title])).toEqual([
      ['FENCE_CB_NO_FENCE', 'assertion in dma_fence_add_callback (!fence)'],
      ['FENCE_CB_NULL', 'assertion in dma_fence_add_callback (!func)'],
      ['FENCE_CB_PENDING', 'assertion in dma_fence_add_callback (!list_empty(&cb->node))'],
    ]);
    expect(r.ok).toBe(true);
  });

  it('hunts the twin that arms each node once, with a function, clean: all three run', async () => {
    const r = await hunt(fenceCbMisuse, { ...HUNT, params: { bad: false } });
    expect([r.trials, r.findings.map((f) => f.title)]).toEqual([HUNT.trials, []]);
    const [t] = await runTrials('inline', fenceCbMisuse, 1, { params: { bad: false } });
    expect(t!.user[CBM.RUNS]).toBe(3);
  });
});
