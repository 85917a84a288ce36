/**
 * The dynamic GPU importer honours the buffer's KERNEL fences after a (re-)map (kernel-semantics
 * §4.5 step 4: the core waits only for static importers). Against an exporter whose moves are
 * pipelined — the copy runs after the resv lock is dropped, guarded by the KERNEL move fence —
 * an importer that binds its engine to the re-made mapping without waiting touches pages still
 * being copied into; one that waits stays clean.
 */
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { runTrials } from '../../support/both.js';
import { expectClean, expectFound } from '../../support/mustfind.js';
import { gpuRemapSkipsKernelFences, gpuRemapWaitsKernelFences } from '../../fixtures/gpu/evict_pair.js';

describe('GPU importer KERNEL fences after a re-map', () => {
  it('finds gpu-remap-skips-kernel-fences as use-after-free within 1,000 inline trials', () => {
    expectFound(gpuRemapSkipsKernelFences);
  });

  it('reports only DMA_BEFORE_MOVE_DONE (use-after-free in dma_engine_access) for the skipped wait', async () => {
    const ex = new InlineExecutor(gpuRemapSkipsKernelFences, { strategy: 'pct:3', leakCheck: true });
    const found = Array.from({ length: 100 }, (_, seed) => ex.runTrial(seed)).flatMap((r) => r.findings);
    const controlled = (await runTrials('controlled', gpuRemapSkipsKernelFences, 50, { leakCheck: true })).flatMap((r) => r.findings);
    for (const f of [...found, ...controlled]) expect([f.code, f.title]).toEqual(['DMA_BEFORE_MOVE_DONE', 'use-after-free in dma_engine_access']);
    expect(found.length).toBeGreaterThan(0);
    expect(controlled.length).toBeGreaterThan(0);
  });

  it('keeps gpu-remap-waits-kernel-fences clean over 20,000 inline and 500 controlled trials (leak checks on)', async () => {
    await expectClean(gpuRemapWaitsKernelFences);
  }, 120_000);
});
