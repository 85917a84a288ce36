// VFIO moves and cleanup follow the buffer's liveness (kernel-semantics §4.10): a revoke after the
// last put leaves the released buffer alone, a put racing a revoke or a device close is clean in
// every schedule (the release waits on memory_lock to unlink), and a closed or removed device's
// buffer stays revoked when memory is enabled again (remove() closes the device: cleanup unlinks).
// The walks hold a file reference (get_file_active) across the buffer, as the kernel's do: a close
// landing mid-walk is not the last put, VFIO's put under memory_lock is (its release deferred past
// the unlock), seen in some of 100 seeds per executor. Each stays clean over 20,000 inline
// (random, PCT) and 500 controlled trials, leak checks on.
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
    ['revoke', vfioRevokeRacingRelease], ['device close', vfioCloseRacingRelease],
  ] as const)('a close landing mid-%s leaves the last put, and the release, to VFIO', async (_what, s) => {
    const rs = await runTrials(kind, s, 100, { leakCheck: true });
    expect(findingTitles(rs)).toEqual([]);
    expect(rs.some((r) => r.user[L.LISTED_AFTER_PUT] === 1), 'no close landed while VFIO held its reference').toBe(true);
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
