import { describe, it } from 'vitest';
import type { AnyScenario } from '../../src/exec/scenario.js';
import { revokeWaitKernel } from '../../scenarios/revoke-wait-kernel.js';
import { revokeNoWait } from '../../scenarios/revoke-no-wait.js';
import { revokeWaitBookkeep } from '../../scenarios/revoke-wait-bookkeep.js';
import { reuseBeforeUnmap } from '../../scenarios/reuse-before-unmap.js';
import { nirvanaUntilUnmap } from '../../scenarios/nirvana-until-unmap.js';
import { removeBeforeUnmap } from '../../scenarios/remove-before-unmap.js';
import { removeWaitsUnmap } from '../../scenarios/remove-waits-unmap.js';
import { doubleDrain } from '../../scenarios/double-drain.js';
import { idempotentDrain } from '../../scenarios/idempotent-drain.js';
import { unrevokeBeforeRearm } from '../../scenarios/unrevoke-before-rearm.js';
import { unrevokeAfterRearm } from '../../scenarios/unrevoke-after-rearm.js';
import { invalidateWithoutLock } from '../../scenarios/invalidate-without-lock.js';
import { invalidateUnderLock } from '../../scenarios/invalidate-under-lock.js';
import { legacyImporterRevoke } from '../../scenarios/legacy-importer-revoke.js';
import { legacyImporterRefused } from '../../scenarios/legacy-importer-refused.js';
import { rdmaPinnedRevoke } from '../../scenarios/rdma-pinned-revoke.js';
import { rdmaPinnedRefused } from '../../scenarios/rdma-pinned-refused.js';
import { iommufdUnwindLeak } from '../../scenarios/iommufd-unwind-leak.js';
import { iommufdUnwind } from '../../scenarios/iommufd-unwind.js';
import { fenceSeqnoRegression } from '../../scenarios/fence-seqno-regression.js';
import { fenceSeqnoChecked } from '../../scenarios/fence-seqno-checked.js';
import { addWithoutReserve } from '../../scenarios/add-without-reserve.js';
import { addAfterReserve } from '../../scenarios/add-after-reserve.js';
import { expectClean, expectFound } from '../support/mustfind.js';

const PAIRS: readonly [string, AnyScenario, AnyScenario][] = [
  ['S1', revokeWaitKernel, revokeWaitBookkeep],
  ['S2', revokeNoWait, revokeWaitBookkeep],
  ['S3', reuseBeforeUnmap, nirvanaUntilUnmap],
  ['S4', removeBeforeUnmap, removeWaitsUnmap],
  ['S7', doubleDrain, idempotentDrain],
  ['S8', unrevokeBeforeRearm, unrevokeAfterRearm],
  ['S18', invalidateWithoutLock, invalidateUnderLock],
  ['S5', legacyImporterRevoke, legacyImporterRefused],
  ['S6', rdmaPinnedRevoke, rdmaPinnedRefused],
  ['S20', iommufdUnwindLeak, iommufdUnwind],
  ['S10', fenceSeqnoRegression, fenceSeqnoChecked],
  ['S11', addWithoutReserve, addAfterReserve],
];

/** Each fixed twin once, with the pairs it is the twin of (S1 and S2 share revoke-wait-bookkeep). */
const TWINS: readonly [string, AnyScenario][] = [...new Set(PAIRS.map(([, , fixed]) => fixed))]
  .map((fixed) => [PAIRS.filter(([, , f]) => f === fixed).map(([ref]) => ref).join('/'), fixed]);

describe.each(PAIRS)('%s revoke protocol pair', (_ref, buggy) => {
  it(`finds ${buggy.name} as ${buggy.expect} within 1,000 inline trials`, () => {
    expectFound(buggy);
  });
});

describe.each(TWINS)('%s fixed twin', (_refs, fixed) => {
  it(`keeps ${fixed.name} clean over 20,000 inline and 500 controlled trials`, async () => {
    await expectClean(fixed);
  }, 120_000);
});
