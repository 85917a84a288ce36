/**
 * A recorded finding reproduces only as itself: two checks can share a title (kind + function,
 * e.g. DMA_USE_AFTER_FREE and DMA_BEFORE_MOVE_DONE are both "use-after-free in
 * dma_engine_access"), so a re-run must also report the recorded code.
 */
import { describe, expect, it } from 'vitest';
import { hunt } from '../../../src/campaign/hunt.js';
import { reproduce, sameFinding } from '../../../src/campaign/reproduce.js';
import { reuseBeforeUnmap } from '../../../scenarios/reuse-before-unmap.js';

describe('reproducing a recorded finding', () => {
  it('matches on title and code, or title alone when no code was recorded', () => {
    const f = { title: 'use-after-free in dma_engine_access', code: 'DMA_USE_AFTER_FREE' };
    expect(sameFinding(f, f.title, 'DMA_USE_AFTER_FREE')).toBe(true);
    expect(sameFinding(f, f.title, 'DMA_BEFORE_MOVE_DONE')).toBe(false);
    expect(sameFinding(f, f.title)).toBe(true);
    expect(sameFinding(f, 'use-after-revoke in dma_engine_access', 'DMA_USE_AFTER_FREE')).toBe(false);
  });

  it('does not count a finding of the same title but another code as reproduced', async () => {
    const report = await hunt(reuseBeforeUnmap, { trials: 200, timeMs: 10_000, seed: 1, executor: 'inline' });
    const f = report.findings.find((x) => x.kind === 'use-after-free');
    expect(f?.code).toBe('REUSE_BEFORE_UNMAP');
    const base = { executor: 'inline' as const, params: {}, seed: f!.seed, decisions: f!.decisions };
    expect((await reproduce(reuseBeforeUnmap, f!.title, { ...base, code: f!.code })).reproduced).toBe(true);
    expect((await reproduce(reuseBeforeUnmap, f!.title, { ...base, code: 'DMA_USE_AFTER_FREE' })).reproduced).toBe(false);
  });

  it('names the trial its finding was found in: an unprimed executor\'s first', async () => {
    const report = await hunt(reuseBeforeUnmap, { trials: 200, timeMs: 10_000, seed: 1, executor: 'inline' });
    const f = report.findings.find((x) => x.kind === 'use-after-free')!;
    const rep = await reproduce(reuseBeforeUnmap, f.title, { executor: 'inline', params: {}, seed: f.seed, decisions: f.decisions, code: f.code });
    expect(rep.finding?.trial).toBe(1);
  });
});
