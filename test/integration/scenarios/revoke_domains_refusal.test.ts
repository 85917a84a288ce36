// `--param domains=N` with N in the parameter's range (1..4, the iommufd tracker's size) but not
// 1 on a revoke scenario whose importers are not iommufd ones is refused in one line that names
// the option and says why: the parameter counts the IOMMU domains of an iommufd importer's IOAS,
// and the other kinds reach the buffer through their engine context's one domain
// (scenarios/lib/revoke.ts). A value out of the range is refused by it, for every kind.
import { describe, expect, it } from 'vitest';
import { resolveParams } from '../../../src/exec/scenario.js';
import { iommufdUnwind } from '../../../scenarios/iommufd-unwind.js';
import { cliInProcess } from '../../support/cli.js';
import { expectRefusal, thrown } from '../../support/refusal.js';

describe.each([
  ['revoke-wait-bookkeep', 'gpu', '2'], ['legacy-importer-revoke', 'legacy', '4'], ['rdma-pinned-revoke', 'rdma', '3'],
])('--param domains on %s (%s importers)', (scenario, kind, value) => {
  it('is refused, naming the option and that domains applies to iommufd importers only (exit 2, one line)', async () => {
    expectRefusal(await cliInProcess('hunt', scenario, '--param', `domains=${value}`, '--trials', '1'), 'ERR_BAD_OPTION', [
      `--param domains=${value}`, 'domains applies to iommufd importers only', `a ${kind} importer`, `got domains=${value}`,
    ]);
  });
});

describe('--param domains on iommufd importers', () => {
  it('takes 1..4 domains and refuses 5 by its range', () => {
    expect([1, 4].map((domains) => thrown(() => resolveParams(iommufdUnwind, { domains })))).toEqual(['', '']);
    expect(thrown(() => resolveParams(iommufdUnwind, { domains: 5 }))).toMatch(/^ERR_BAD_OPTION .*domains.*expected an integer 1\.\.4, got 5$/);
  });
});
