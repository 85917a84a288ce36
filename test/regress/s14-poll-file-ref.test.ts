/**
 * S14: dma_buf_poll's armed callback and the references it holds. Before ff2d23843f7f
 * (poll-without-file-ref) the callback held no file reference: the fds are closed with it armed
 * and dma_buf_release's BUG_ON(cb_in.active || cb_out.active) fires — reported as `assertion in
 * dma_buf_release (…)` within 1,000 inline trials by random and by PCT, and under the controlled
 * executor, never as the callback's use of a freed buffer (the kernel BUGs first). The fixed twin (poll-file-ref) stays clean over ten times that budget. With the
 * rejected 2025 patch (pollArmedKeepsRef: false, a parameter of the fixed twin) the fence
 * reference the armed callback owns is dropped at once too: a fence refcount underflow.
 */
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../src/exec/inline.js';
import type { AnyScenario, Params } from '../../src/exec/scenario.js';
import { pollWithoutFileRef } from '../../scenarios/poll-without-file-ref.js';
import { pollFileRef } from '../../scenarios/poll-file-ref.js';
import { CATALOG } from '../../scenarios/index.js';
import { findingTitles, runTrials } from '../support/both.js';

const BUDGET = 1000;
const RELEASE_BUG = 'assertion in dma_buf_release (dmabuf->cb_in.active || dmabuf->cb_out.active)';
const ALWAYS_PUT: Params = { pollArmedKeepsRef: false };

/** The first seed below BUDGET whose trial reports `code`, and that finding's title; seed -1 if none. */
function firstSeed(s: AnyScenario, strategy: string, code: string, params?: Params): { seed: number; title?: string } {
  const ex = new InlineExecutor(s, { strategy, ...(params === undefined ? {} : { params }) });
  for (let seed = 0; seed < BUDGET; seed++) {
    const f = ex.runTrial(seed).findings.find((x) => x.code === code);
    if (f !== undefined) return { seed, title: f.title };
  }
  return { seed: -1 };
}

describe('S14 poll-without-file-ref', () => {
  it.each(['random', 'pct:2', 'pct:3'])('is reported as the BUG in dma_buf_release within 1,000 inline trials (%s)', (strategy) => {
    const found = firstSeed(pollWithoutFileRef, strategy, 'DMABUF_RELEASE_POLL_ACTIVE');
    expect(found.seed).toBeGreaterThanOrEqual(0);
    expect(found.title).toBe(RELEASE_BUG);
  });

  it('never reaches the callback\'s use of a freed buffer: release BUGs first (1,000 inline trials, pct:2)', () => {
    expect(firstSeed(pollWithoutFileRef, 'pct:2', 'DMABUF_USE_AFTER_FREE').seed).toBe(-1);
  });

  it('is reported under the controlled executor (worker threads) with the same title', async () => {
    const results = await runTrials('controlled', pollWithoutFileRef, 50, { strategy: 'pct:2' });
    const titles = new Set(results.flatMap((r) => r.findings.map((f) => f.title)));
    expect([...titles]).toEqual([RELEASE_BUG]);
  });

  it('is in the catalog as S14 with its fixed twin', () => {
    const s14 = CATALOG.filter((e) => e.ref === 'S14').map((e) => [e.scenario.name, e.scenario.expect]);
    expect(s14).toEqual([['poll-without-file-ref', 'assertion'], ['poll-file-ref', 'clean']]);
  });
});

describe('S14 fixed twin poll-file-ref', () => {
  it.each(['random', 'pct:2', 'pct:3'])('stays clean over 10,000 inline trials (%s)', (strategy) => {
    const ex = new InlineExecutor(pollFileRef, { strategy, leakCheck: true });
    const bad: string[] = [];
    for (let seed = 0; seed < 10 * BUDGET && bad.length < 5; seed++) {
      const r = ex.runTrial(seed);
      if (r.end !== 'done' || r.findings.length > 0) bad.push(`seed ${seed}: ${r.end} ${r.findings.map((f) => f.title).join(', ')}`);
    }
    expect(bad).toEqual([]);
  });

  it('stays clean over 500 controlled trials', async () => {
    const results = await runTrials('controlled', pollFileRef, 500, { leakCheck: true });
    expect(findingTitles(results)).toEqual([]);
    expect(results.every((r) => r.end === 'done')).toBe(true);
  }, 120_000);
});

describe('S14 with the rejected always-put patch (pollArmedKeepsRef: false)', () => {
  it.each(['random', 'pct:2'])('underflows the fence refcount within 1,000 inline trials (%s)', (strategy) => {
    const found = firstSeed(pollFileRef, strategy, 'FENCE_PUT_UNDERFLOW', ALWAYS_PUT);
    expect(found.seed).toBeGreaterThanOrEqual(0);
    expect(found.title).toBe('refcount-underflow in dma_fence_put');
  });

  it('underflows it under the controlled executor too', async () => {
    const results = await runTrials('controlled', pollFileRef, 50, { strategy: 'pct:2', params: ALWAYS_PUT });
    expect(results.some((r) => r.findings.some((f) => f.code === 'FENCE_PUT_UNDERFLOW'))).toBe(true);
  });
});
