/**
 * The revoke scenarios' rules across parameters (scenarios/lib/revoke.ts revokeRules) are the
 * arena's limits, not stand-ins: at each rule's edge every trial runs to the end without a crash
 * (and, for the IOMMU rule, every importer's job gets its mapping); one past it — the rule taken
 * off a copy of the scenario — the model fails: a trial crashes on a full arena table, or a map
 * fails -ENOMEM and its job is dropped. The catalog scenario refuses the value one past.
 * Inline executor, seeds 0..19; the exporter revokes late (delay 1000) so jobs run first.
 */
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { defineScenario, resolveParams, type AnyScenario, type Params } from '../../../src/exec/scenario.js';
import { C_NEXT_JOB } from '../../../src/shm/layout.js';
import { revokeWaitBookkeep } from '../../../scenarios/revoke-wait-bookkeep.js';
import { legacyImporterRevoke } from '../../../scenarios/legacy-importer-revoke.js';
import { thrown } from '../../support/refusal.js';
import { withExecutorSync } from '../../support/executor.js';

const SEEDS = 20;

interface Outcome { readonly crashes: number; readonly undone: number; readonly jobRows: readonly number[] }

/** SEEDS trials of `s` with `params`: crash findings, trials that did not end 'done', job rows used. */
function outcome(s: AnyScenario, params: Params): Outcome {
  return withExecutorSync(new InlineExecutor(s, { params: { delay: 1000, ...params } }), (ex) => {
    const rs = Array.from({ length: SEEDS }, (_, seed) => ({ r: ex.runTrial(seed), rows: ex.arena.ctl(C_NEXT_JOB) }));
    return {
      crashes: rs.filter(({ r }) => r.findings.some((f) => f.kind === 'crash')).length,
      undone: rs.filter(({ r }) => r.end !== 'done').length, jobRows: rs.map(({ rows }) => rows),
    };
  });
}

/** `s` without its ranges and rules: what the model does with any values. */
function unruled(s: AnyScenario): AnyScenario {
  return defineScenario({ ...s, paramRanges: {}, paramRules: [] });
}

/** The code resolveParams throws for `over` on `s` ('none' if it takes them). */
function refusalCode(s: AnyScenario, over: Params): string {
  return thrown(() => resolveParams(s, over)).split(' ')[0] || 'none';
}

describe.each([
  ['private words: 12 × gpu importers + pages ≤ 241', revokeWaitBookkeep, { importers: 20, pages: 1 }, { importers: 20, pages: 2 }],
  ['DMA job rows: gpu importers × jobs ≤ 32', revokeWaitBookkeep, { importers: 8, jobs: 4 }, { importers: 8, jobs: 5 }],
  ['DMA job rows: legacy importers × jobs ≤ 32', legacyImporterRevoke, { importers: 1, jobs: 32 }, { importers: 1, jobs: 33 }],
] as const)('the rule of %s', (_rule, s, edge, past) => {
  it('runs every trial at its edge without a crash', () => {
    expect(refusalCode(s, edge)).toBe('none');
    expect(outcome(s, edge)).toMatchObject({ crashes: 0, undone: 0 });
  });

  it('is refused one past it, where the model crashes on a full table', () => {
    expect(refusalCode(s, past)).toBe('ERR_BAD_OPTION');
    expect(outcome(unruled(s), past).crashes).toBeGreaterThan(0);
  });
});

describe('the rule of IOMMU entries: importers × pages ≤ 128', () => {
  it('maps every importer at its edge: each of 8 importers of 16 pages runs its job in every trial', () => {
    expect(refusalCode(revokeWaitBookkeep, { importers: 8, pages: 16 })).toBe('none');
    expect(outcome(revokeWaitBookkeep, { importers: 8, pages: 16 })).toEqual({ crashes: 0, undone: 0, jobRows: Array(SEEDS).fill(8) });
  });

  it('is refused one past it, where a map fails and its job is dropped', () => {
    expect(refusalCode(revokeWaitBookkeep, { importers: 8, pages: 17 })).toBe('ERR_BAD_OPTION');
    expect(outcome(unruled(revokeWaitBookkeep), { importers: 8, pages: 17 }).jobRows.some((rows) => rows < 8)).toBe(true);
  });
});
