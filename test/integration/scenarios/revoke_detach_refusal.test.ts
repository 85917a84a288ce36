// `--param detach=1` (iommufd importer 0 detaches its IOAS's first domain after the fill) on a
// revoke scenario whose importers are not iommufd ones is refused in one line that names the
// option and says why: the other kinds reach the buffer through their engine context's one
// domain, which nothing detaches (scenarios/lib/revoke_iommufd.ts). A value out of 0..1 is
// refused by the range, for every kind; iommufd importers take 0 and 1.
import { describe, expect, it } from 'vitest';
import { resolveParams } from '../../../src/exec/scenario.js';
import { iommufdUnwind } from '../../../scenarios/iommufd-unwind.js';
import { cliInProcess } from '../../support/cli.js';
import { expectRefusal, thrown } from '../../support/refusal.js';

describe.each([
  ['revoke-wait-bookkeep', 'gpu'], ['legacy-importer-revoke', 'legacy'], ['rdma-pinned-revoke', 'rdma'],
])('--param detach=1 on %s (%s importers)', (scenario, kind) => {
  it('is refused, naming the option and that detach applies to iommufd importers only (exit 2, one line)', async () => {
    expectRefusal(await cliInProcess('hunt', scenario, '--param', 'detach=1', '--trials', '1'), 'ERR_BAD_OPTION', [
      '--param detach=1', 'detach applies to iommufd importers only', `a ${kind} importer`, 'got detach=1',
    ]);
  });
});

describe('--param detach on iommufd importers', () => {
  it('takes 0 and 1 and refuses 2 by its range', () => {
    expect([0, 1].map((detach) => thrown(() => resolveParams(iommufdUnwind, { detach })))).toEqual(['', '']);
    expect(thrown(() => resolveParams(iommufdUnwind, { detach: 2 }))).toMatch(/^ERR_BAD_OPTION .*detach.*expected an integer 0\.\.1, got 2$/);
  });
});
