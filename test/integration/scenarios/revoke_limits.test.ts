/**
 * The revoke scenarios' rules across parameters (scenarios/lib/revoke.ts revokeRules) are the
 * arena's limits, not stand-ins: at each rule's edge every trial runs to the end without a crash
 * (and, for the IOMMU rule, every importer's job gets its mapping); one past it — the rule taken
 * off a copy of the scenario — the model fails: a trial crashes on a full arena table, or a map
 * fails -ENOMEM and its job is dropped. The catalog scenario refuses the value one past.
 * Inline executor, seeds 0..19; the exporter revokes late (delay 1000) so jobs run first.
 *
 * iommufd importers (a VMM each, lib/iommufd_user.ts) count a mapping and a domain's words per
 * domain of their IOAS. At the IOMMU rule's edge every VMM's fill returned 0: its device reads
 * through every domain (the decision log's DMA points, one per page and domain, made only after a
 * fill that mapped every domain); one past, a fill fails -ENOMEM and that VMM stops before any
 * DMA. The private-word rule never binds first at this arena's size (at most 7 iommufd importers:
 * 7 × 4 × 31 pages would need 868 IOMMU entries), so its edge is measured with the IOMMU table
 * grown to 1024 entries: every domain filled at it, setup out of private words one past — with
 * `detach` 0 and 1 (importer 0's IOAS: IOPT_IOAS_WORDS more, so the edge moves down by as many
 * pages; its device then reads through the domains left after the detach).
 */
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { defineScenario, resolveParams, type AnyScenario, type Params } from '../../../src/exec/scenario.js';
import { C_NEXT_JOB, objOf, opOf, type Geometry } from '../../../src/shm/layout.js';
import { OP_DMA_DOMAIN } from '../../../src/trace/ops.js';
import { iommufdUnwind } from '../../../scenarios/iommufd-unwind.js';
import { revokeWaitBookkeep } from '../../../scenarios/revoke-wait-bookkeep.js';
import { legacyImporterRevoke } from '../../../scenarios/legacy-importer-revoke.js';
import { IOPT_IOAS_WORDS } from '../../../src/drivers/iommufd_ioas.js';
import { ruleOver } from '../../support/param_rule.js';
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

/** `s` without its ranges and rules (on an arena of `geometry`): what the model does with any values. */
function unruled(s: AnyScenario, geometry: Partial<Geometry> = {}): AnyScenario {
  return defineScenario({ ...s, paramRanges: {}, paramRules: [], geometry: { ...s.geometry, ...geometry } });
}

/**
 * SEEDS trials of iommufd scenario `s` with `params` (one pass): per trial, for each VMM (actors
 * 1..importers), how many of its IOAS's domains its device read through and how many DMA points
 * it made, as the decision log has them; a trial that did not end 'done' or crashed is refused.
 */
function domainsRead(s: AnyScenario, params: Params & { importers: number }): [number, number][][] {
  return withExecutorSync(new InlineExecutor(s, { params: { delay: 1000, jobs: 1, ...params }, decisions: true }), (ex) =>
    Array.from({ length: SEEDS }, (_, seed) => {
      const r = ex.runTrial(seed);
      expect([r.end, r.decisions!.length, r.findings.map((f) => f.code)]).toEqual(['done', r.steps, []]);
      return Array.from({ length: params.importers }, (_, i) => {
        const dma = r.decisions!.filter((d) => d.actor === 1 + i && opOf(d.op) === OP_DMA_DOMAIN).map((d) => objOf(d.op));
        return [new Set(dma).size, dma.length] as [number, number];
      });
    }));
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

describe.each([
  [{ importers: 1, domains: 4, pages: 32 }, { importers: 1, domains: 4, pages: 33 }],
  [{ importers: 2, domains: 4, pages: 16 }, { importers: 2, domains: 4, pages: 17 }],
  [{ importers: 7, domains: 4, pages: 4 }, { importers: 7, domains: 4, pages: 5 }],
  [{ importers: 7, domains: 3, pages: 6 }, { importers: 7, domains: 3, pages: 7 }],
  [{ importers: 7, domains: 1, pages: 18 }, { importers: 7, domains: 1, pages: 19 }],
] as const)('the rule of IOMMU entries with iommufd importers: importers × domains × pages ≤ 128, at %o', (edge, past) => {
  it('fills every domain of every VMM at its edge: each device reads every page through each domain', () => {
    expect(refusalCode(iommufdUnwind, edge)).toBe('none');
    const each = Array(edge.importers).fill([edge.domains, edge.domains * edge.pages]);
    expect(domainsRead(iommufdUnwind, edge)).toEqual(Array(SEEDS).fill(each));
  });

  it('is refused one past it, where a VMM\'s fill fails and it stops before any DMA', () => {
    expect(refusalCode(iommufdUnwind, past)).toBe('ERR_BAD_OPTION');
    expect(domainsRead(unruled(iommufdUnwind), past).flat().some(([domains]) => domains === 0)).toBe(true);
  });
});

/** The iommufd importers' private-word rule: the one over the parameters that take the words. */
const iommufdPriv = (): ReturnType<typeof ruleOver> => ruleOver(iommufdUnwind, ['importers', 'pages', 'domains', 'detach']);

describe.each([
  [{ importers: 7, domains: 4, pages: 31, detach: 0 }],
  [{ importers: 7, domains: 4, pages: 31 - IOPT_IOAS_WORDS, detach: 1 }],
] as const)('the rule of private words with iommufd importers: (18 + 3 × domains) × importers + 8 × detach + pages ≤ 241, at %o', (edge) => {
  const past = { ...edge, pages: edge.pages + 1 };
  const bigIommu = unruled(iommufdUnwind, { iovas: 1024 });

  it('holds at its edge, where (IOMMU table grown) every domain of every VMM is filled, importer 0\'s first detached with `detach`', () => {
    expect(iommufdPriv().holds({ ...iommufdUnwind.params, ...edge })).toBe(true);
    const each = Array.from({ length: edge.importers }, (_, i) => {
      const read = i === 0 ? edge.domains - edge.detach : edge.domains;
      return [read, read * edge.pages];
    });
    expect(domainsRead(bigIommu, edge)).toEqual(Array(SEEDS).fill(each));
  });

  it('breaks one past it, where setup runs out of private words', () => {
    expect(iommufdPriv().holds({ ...iommufdUnwind.params, ...past })).toBe(false);
    expect(withExecutorSync(new InlineExecutor(bigIommu, { params: { delay: 1000, ...past } }), (ex) => thrown(() => ex.runTrial(0)))).toMatch(/^ERR_ARENA_GEOMETRY /);
  });
});
