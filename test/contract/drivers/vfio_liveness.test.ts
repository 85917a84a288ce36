// VFIO moves and cleanup follow the buffer's liveness (kernel-semantics §4.10): a revoke after the
// last put leaves the released buffer alone, a put racing a revoke or a device close is clean in
// every schedule (the release waits on memory_lock to unlink), and a closed or removed device's
// buffer stays revoked when memory is enabled again (remove() closes the device: cleanup unlinks). Each stays clean over 20,000 inline (random, PCT) and 500
// controlled trials, leak checks on.
import { describe, expect, it } from 'vitest';
import { ENODEV } from '../../../src/errno/errno.js';
import type { AnyScenario } from '../../../src/exec/scenario.js';
import { EXECUTORS, findingTitles, runTrials } from '../../support/both.js';
import { expectClean } from '../../support/mustfind.js';
import {
  L, vfioCloseRacingRelease, vfioRevokeAfterRelease, vfioRevokeRacingRelease, vfioUnrevokeAfterClose,
  vfioUnrevokeAfterRemove,
} from '../../fixtures/vfio/liveness.js';

const CLEAN: readonly (readonly [string, AnyScenario])[] = [
  ['vfio-revoke-after-release', vfioRevokeAfterRelease], ['vfio-revoke-racing-release', vfioRevokeRacingRelease],
  ['vfio-close-racing-release', vfioCloseRacingRelease], ['vfio-unrevoke-after-close', vfioUnrevokeAfterClose],
  ['vfio-unrevoke-after-remove', vfioUnrevokeAfterRemove],
];

describe.each(EXECUTORS)('VFIO liveness (%s)', (kind) => {
  it('a revoke after the last put does not touch the released buffer', async () => {
    for (const r of await runTrials(kind, vfioRevokeAfterRelease, 20)) {
      expect(findingTitles([r])).toEqual([]);
      expect(r.user[L.REVOKED]).toBe(0);
    }
  });

  it.each([
    ['closed', vfioUnrevokeAfterClose], ['removed', vfioUnrevokeAfterRemove],
  ] as const)('a %s device stays revoked when memory is enabled again: an attach gets -ENODEV', async (_what, s) => {
    for (const r of await runTrials(kind, s, 20)) {
      expect(findingTitles([r])).toEqual([]);
      expect([r.user[L.REVOKED], r.user[L.RET]]).toEqual([1, -ENODEV]);
    }
  });
});

describe('VFIO liveness in every schedule', () => {
  it.each(CLEAN)('keeps %s clean over 20,000 inline and 500 controlled trials', async (_name, s) => {
    await expectClean(s);
  }, 120_000);
});
