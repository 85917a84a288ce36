// `--param detach=1` (iommufd importer 0 detaches its IOAS's first domain after the fill) on a
// revoke scenario whose importers are not iommufd ones is refused by the rule over `detach` alone
// (scenarios/lib/revoke_iommufd.ts engineDomainRules: the other kinds reach the buffer through
// their engine context's one domain, which nothing detaches): exit 2, one line with the code,
// the option and the rule's parameter as set. A value out of 0..1 is refused by the range, for
// every kind, naming the parameter; iommufd importers take 0 and 1.
import { describe, expect, it } from 'vitest';
import { resolveParams } from '../../../src/exec/scenario.js';
import { iommufdUnwind } from '../../../scenarios/iommufd-unwind.js';
import { cliInProcess } from '../../support/cli.js';
import { expectRefusal, thrown } from '../../support/refusal.js';

describe.each([
  ['revoke-wait-bookkeep', 'gpu'], ['legacy-importer-revoke', 'legacy'], ['rdma-pinned-revoke', 'rdma'],
])('--param detach=1 on %s (%s importers)', (scenario) => {
  it('is refused by the rule over detach, naming the option (exit 2, one line, ERR_BAD_OPTION)', async () => {
    expectRefusal(await cliInProcess('hunt', scenario, '--param', 'detach=1', '--trials', '1'), 'ERR_BAD_OPTION', [
      '--param detach=1', 'got detach=1',
    ]);
  });
});

describe('--param detach on iommufd importers', () => {
  it('takes 0 and 1 and refuses 2 by its range, naming the parameter', () => {
    expect([0, 1].map((detach) => thrown(() => resolveParams(iommufdUnwind, { detach })))).toEqual(['', '']);
    const refusal = thrown(() => resolveParams(iommufdUnwind, { detach: 2 }));
    expect(refusal.split(' ')[0]).toBe('ERR_BAD_OPTION');
    expect(refusal).toContain('param detach:');
    expect(refusal).not.toContain('got detach=');
  });
});
