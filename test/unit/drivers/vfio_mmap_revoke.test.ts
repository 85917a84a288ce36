// A user mmap of a VFIO dma-buf against the revoke (Matt Evans's in-flight VFIO dma-buf mmap
// series, kernel-semantics §4.9): the revoke zaps the CPU PTEs (unmap_mapping_range under
// memory_lock), so a later touch faults and the fault handler refuses it with SIGBUS (-EFAULT);
// without the zap (knob `zap: 'none'`) the stale PTE reaches the revoked BAR — a CPU access
// finding judged on the device-access shadow state (kernel/cpu_mapping.ts). Fixtures:
// test/fixtures/vfio/mmap_revoke.ts (handshake), the catalog pair (the race).
import { describe, expect, it } from 'vitest';
import { EFAULT } from '../../../src/errno/errno.js';
import { mmapRevokeNoZap } from '../../../scenarios/mmap-revoke-no-zap.js';
import { mmapRevokeZap } from '../../../scenarios/mmap-revoke-zap.js';
import { EXECUTORS, runTrials } from '../../support/both.js';
import { expectClean, firstFound } from '../../support/mustfind.js';
import { MR, touchAfterReuseNoZap, touchAfterRevokeNoZap, touchAfterRevokeZap } from '../../fixtures/vfio/mmap_revoke.js';

const AFTER_REVOKE = ['CPU_USE_AFTER_REVOKE', 'use-after-revoke', 'use-after-revoke in cpu_access'];
const AFTER_REUSE = ['CPU_USE_AFTER_FREE', 'use-after-free', 'use-after-free in cpu_access'];
/** A touch's return as the fixture stores it (+ 1000). */
const OK = 1000;

describe.each(EXECUTORS)('a CPU touch through a user mmap after the revoke returned (%s)', (kind) => {
  it('without the zap the stale PTE reaches the revoked BAR: use-after-revoke in cpu_access', async () => {
    for (const r of await runTrials(kind, touchAfterRevokeNoZap, 20, { leakCheck: true })) {
      expect(r.findings.map((f) => [f.code, f.kind, f.title])).toEqual([AFTER_REVOKE]);
      expect([r.user[MR.MMAP], r.user[MR.FIRST], r.user[MR.LAST]]).toEqual([OK, OK, OK]);
    }
  });

  it('without the zap, the BAR re-assigned by the revoke: use-after-free in cpu_access', async () => {
    for (const r of await runTrials(kind, touchAfterReuseNoZap, 20, { leakCheck: true })) {
      expect(r.findings.map((f) => [f.code, f.kind, f.title])).toEqual([AFTER_REUSE]);
    }
  });

  it('with the zap the touch faults and the fault handler refuses it while revoked (SIGBUS: -EFAULT), no finding', async () => {
    for (const r of await runTrials(kind, touchAfterRevokeZap, 20, { leakCheck: true })) {
      expect(r.findings).toEqual([]);
      expect([r.user[MR.MMAP], r.user[MR.FIRST], r.user[MR.LAST]]).toEqual([OK, OK, OK - EFAULT]);
    }
  });
});

describe('CPU touches racing the revoke (the catalog pair)', () => {
  it('without the zap a touch after the revoke completed is found within 20 inline trials', () => {
    const r = firstFound(mmapRevokeNoZap, 20);
    expect(r?.findings.map((f) => [f.code, f.kind, f.title])).toEqual([AFTER_REVOKE]);
  });

  it('without the zap the controlled executor finds it within 20 trials', async () => {
    const found = (await runTrials('controlled', mmapRevokeNoZap, 20, { leakCheck: true })).filter((r) => r.findings.length > 0);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]!.findings.map((f) => f.code)).toEqual(['CPU_USE_AFTER_REVOKE']);
  });

  it('with the zap every touch either precedes the zap or faults into SIGBUS: clean over 6,000 inline and 200 controlled trials', async () => {
    await expectClean(mmapRevokeZap, 6000, 200);
  }, 120_000);
});
