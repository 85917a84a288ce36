import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../../src/errno/errors.js';
import { ControlledExecutor } from '../../../src/exec/controlled.js';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { StressExecutor } from '../../../src/exec/stress.js';
import type { TrialResult } from '../../../src/exec/result.js';
import { kernelSymbolsFor } from '../../../src/kernel/module/dmabuf_exports.js';
import { moduleUsedSymbols } from '../../../src/kernel/module/modpost.js';
import { LINKED_PROBE, W, linking, linkingUnloaded } from '../../fixtures/modules/linked.js';
import { LINKED_OTHER, namesHash } from '../../fixtures/modules/linked_other.js';
import { withExecutor } from '../../support/executor.js';

type Kind = 'inline' | 'controlled' | 'stress';

async function runOnce(kind: Kind, s: typeof linking): Promise<TrialResult> {
  if (kind === 'inline') return new InlineExecutor(s).runTrial(1);
  return withExecutor(kind === 'controlled' ? new ControlledExecutor(s) : new StressExecutor(s, { durationMs: 200 }), (ex) => ex.runTrial(1));
}

describe('a module\'s code reaches exactly the symbols its load resolved, under every executor', () => {
  const probeSyms = moduleUsedSymbols(LINKED_PROBE, kernelSymbolsFor('final'));
  const otherSyms = moduleUsedSymbols(LINKED_OTHER, kernelSymbolsFor('final'));

  it('finds property accesses on the table as the module\'s used symbols', () => {
    expect(probeSyms).toEqual(['cond_resched', 'dma_buf_get', 'dma_fence_context_alloc']);
    expect(otherSyms).toEqual(['cond_resched']);
  });

  it.each(['inline', 'controlled', 'stress'] as const)('%s: each table equals modpost\'s used set, per module, on every task', async (kind) => {
    const r = await runOnce(kind, linking);
    expect(r.findings).toEqual([]);
    expect(r.user[W.PROBE]).toBe(namesHash(probeSyms));
    expect(r.user[W.SETUP]).toBe(namesHash(probeSyms));
    expect(r.user[W.MISSING]).toBe(1);
    expect(r.user[W.CALLS]).toBe(1);
    expect(r.user[W.CROSS]).toBe(namesHash(otherSyms));
    expect(r.user[W.OTHER]).toBe(namesHash(otherSyms));
  });

  it.each(['inline', 'controlled', 'stress'] as const)('%s: code of a module the scenario does not list refuses the scenario (ERR_SCENARIO), not a finding', async (kind) => {
    const err: unknown = await runOnce(kind, linkingUnloaded).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(HarnessError);
    expect((err as HarnessError).code).toBe('ERR_SCENARIO');
    expect((err as HarnessError).message).toContain('modules: expected linked_other');
  });
});
