// remove() against the other users of a VFIO device's dma-buf list (kernel-semantics §4.10):
// remove() reads vdev->dmabufs under vdev->memory_lock, for the buffers whose mappings it checks
// (the model's walk asserts the lock, vfio_device_dmabufs; the kernel's cleanup walks the list
// under the memory_lock it takes): it gets nowhere — no removed mark, no REMOVE_WITH_MAPPINGS —
// while another task holds the lock, so a release unlinking one buffer meanwhile never hides
// another buffer's live mapping; and the VFIO_DEVICE_FEATURE_DMA_BUF ioctl either links its buffer before
// remove()'s cleanup walks the list (which then revokes and unlinks it) or fails -ENODEV — never
// a buffer linked to a removed device, also when it passed the first removal check and waited
// for memory_lock while the cleanup held it. Inline and controlled.
//
// The release race itself is end to end only: in these executors an actor runs alone between
// scheduling points, so an unlocked walk is never cut mid-unlink; the lock holder pins the lock.
import { describe, expect, it } from 'vitest';
import { ENODEV } from '../../../src/errno/errno.js';
import type { TrialResult } from '../../../src/exec/result.js';
import { EXECUTORS, findingTitles, runTrials } from '../../support/both.js';
import { at, pick } from '../../fixtures/fence/oracle.js';
import {
  RL, RL_PAGES, vfioExportRacingRemove, vfioRemoveRacingRelease, vfioRemoveWaitsMemoryLock, type IoctlWhen,
} from '../../fixtures/vfio/remove_list.js';

const TRIALS = { inline: 100, controlled: 20 } as const;

/** What the user's export came to: -ENODEV, or a buffer remove() revoked and unlinked. */
function exportOutcome(r: TrialResult) {
  const ret = r.user[RL.RET];
  if (ret === -ENODEV) return { ret };
  return { ret, ...pick(r, { REVOKED: RL.REVOKED, LISTED: RL.LISTED, ATTACH: RL.ATTACH }) };
}

const ENODEV_OUT = { ret: -ENODEV };
const REVOKED_OUT = { ret: 1, REVOKED: 1, LISTED: 0, ATTACH: -ENODEV };

describe.each(EXECUTORS)('remove() against the device\'s dma-buf list (%s)', (kind) => {
  it('remove of a two-buffer device racing one buffer\'s release still reports the other buffer\'s mapping', async () => {
    const rs = await runTrials(kind, vfioRemoveRacingRelease, TRIALS[kind]);
    for (const r of rs) {
      expect(r.end, at(r)).toBe('done');
      expect(r.findings.map((f) => [f.code, f.title, f.actor, f.mapping?.by, f.mapping?.pages]), at(r)).toEqual([
        ['REMOVE_WITH_MAPPINGS', 'use-after-remove in device_remove', 0, 2, RL_PAGES],
      ]);
    }
    expect(new Set(rs.map((r) => r.user[RL.RELEASED_AFTER_REMOVE]))).toEqual(new Set([0, 1]));
  });

  it('remove started while another task holds memory_lock gets past the lock only once it is released', async () => {
    for (const r of await runTrials(kind, vfioRemoveWaitsMemoryLock, TRIALS[kind])) {
      expect(r.end, at(r)).toBe('done');
      expect(r.user[RL.REMOVED_UNDER_LOCK], at(r)).toBe(0);
      expect(r.findings.map((f) => [f.code, f.title, f.actor, f.mapping?.by, f.step > r.user[RL.UNLOCK_STEP]!]), at(r)).toEqual([
        ['REMOVE_WITH_MAPPINGS', 'use-after-remove in device_remove', 0, 1, true],
      ]);
    }
  });

  it.each([
    ['in-cleanup', [ENODEV_OUT]], ['after-remove', [ENODEV_OUT]], ['racing', [ENODEV_OUT, REVOKED_OUT]],
  ] as const)('the ioctl export started %s: -ENODEV, or its buffer revoked and unlinked by remove()', async (ioctl: IoctlWhen, outcomes) => {
    const rs = await runTrials(kind, vfioExportRacingRemove, TRIALS[kind], { params: { ioctl }, leakCheck: true });
    for (const r of rs) {
      expect(findingTitles([r])).toEqual([]);
      expect(outcomes, at(r)).toContainEqual(exportOutcome(r));
    }
    expect(new Set(rs.map((r) => JSON.stringify(exportOutcome(r))))).toEqual(new Set(outcomes.map((o) => JSON.stringify(o))));
  });
});
