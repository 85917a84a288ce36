// A user mmap of a VFIO dma-buf against the revoke (Matt Evans's in-flight VFIO dma-buf mmap
// series, kernel-semantics §4.9): the revoke zaps the CPU PTEs last (unmap_mapping_range after the
// importers' unmaps, under memory_lock), so a touch after the move faults and the fault handler,
// checking `revoked` under memory_lock, refuses it with SIGBUS (-EFAULT); without the zap (knob
// `zap: 'none'`) the stale PTE, and with the check before the lock (knob `fault:
// 'check-unlocked'`, the 2024 RFC) a PTE installed after the zap, reach the revoked BAR. CPU
// access is judged from the point the move returns: before it the BAR is still enabled.
// Fixtures: test/fixtures/vfio/mmap_revoke.ts (handshakes), the catalog trio (the race).
import { describe, expect, it } from 'vitest';
import { EFAULT, EINVAL, ENODEV } from '../../../src/errno/errno.js';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { mmapRevokeFaultUnlocked } from '../../../scenarios/mmap-revoke-fault-unlocked.js';
import { mmapRevokeNoZap } from '../../../scenarios/mmap-revoke-no-zap.js';
import { mmapRevokeZap } from '../../../scenarios/mmap-revoke-zap.js';
import { EXECUTORS, runTrials } from '../../support/both.js';
import { expectClean, firstFound } from '../../support/mustfind.js';
import {
  MP, MR, MW, mmapRefused, mmapTooLong, touchAfterReuseNoZap, touchAfterRevokeNoZap, touchAfterRevokeZap, touchInUnmapWaitNoZap, touchInUnmapWaitZap,
} from '../../fixtures/vfio/mmap_revoke.js';

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

  it('the report names the user that faulted the page in and vfio that revoked it (its last two lines)', async () => {
    for (const r of await runTrials(kind, touchAfterRevokeNoZap, 5, { leakCheck: true })) {
      const [faulted, revoked] = r.findings[0]!.message.split('\n').slice(-2);
      expect([faulted?.match(/\b(user|vfio)\b/g), revoked?.match(/\b(user|vfio)\b/g)]).toEqual([['user'], ['vfio']]);
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

describe.each(EXECUTORS)('a CPU touch while the revoke waits for an importer unmap (%s)', (kind) => {
  it('with the zap: the touch after revoke_complete goes through the PTE unreported (the BAR still enabled); after the move, SIGBUS', async () => {
    for (const r of await runTrials(kind, touchInUnmapWaitZap, 20, { leakCheck: true })) {
      expect(r.findings).toEqual([]);
      expect([r.user[MR.FIRST], r.user[MW.WINDOW], r.user[MR.LAST]]).toEqual([OK, OK, OK - EFAULT]);
    }
  });

  it('without the zap: only the touch after the move returned is use-after-revoke', async () => {
    for (const r of await runTrials(kind, touchInUnmapWaitNoZap, 20, { leakCheck: true })) {
      expect(r.findings.map((f) => [f.code, f.kind, f.title])).toEqual([AFTER_REVOKE]);
      expect([r.user[MR.FIRST], r.user[MW.WINDOW], r.user[MR.LAST]]).toEqual([OK, OK, OK]);
    }
  });
});

describe.each(EXECUTORS)('vfio_pci_dma_buf_mmap (%s)', (kind) => {
  it('refuses a private mapping (-EINVAL) and a revoked buffer (-ENODEV)', async () => {
    for (const r of await runTrials(kind, mmapRefused, 5, { leakCheck: true })) {
      expect(r.findings).toEqual([]);
      expect([r.user[MP.PRIVATE], r.user[MR.MMAP]]).toEqual([OK - EINVAL, OK - ENODEV]);
    }
  });
});

describe('a mapping longer than the model keeps PTEs for', () => {
  it('is refused as the scenario\'s mistake (a HarnessError: the actor crashes), not answered with an -errno or SIGBUS', () => {
    const r = new InlineExecutor(mmapTooLong).runTrial(0);
    expect(r.end).toBe('crash');
    expect(r.findings.map((f) => [f.code, f.title])).toEqual([['crash', 'crash in user']]);
    expect(r.findings[0]!.message).toMatch(/HarnessError/);
    expect(r.user[MR.MMAP]).toBe(0);
  });
});

/** Touches through a present PTE and touches refused with SIGBUS, summed over the first `n`
 *  inline trials of `strategy`. */
function touchOutcomes(strategy: string, n: number): { oks: number; sigbus: number } {
  const ex = new InlineExecutor(mmapRevokeZap, { strategy });
  let oks = 0;
  let sigbus = 0;
  for (let seed = 0; seed < n; seed++) {
    const r = ex.runTrial(seed);
    oks += r.user[MR.OKS]!;
    sigbus += r.user[MR.SIGBUS]!;
  }
  return { oks, sigbus };
}

describe('CPU touches and faults racing the revoke (the catalog trio)', () => {
  it('without the zap a touch after the revoke returned is found within 20 inline trials', () => {
    const r = firstFound(mmapRevokeNoZap, 20);
    expect(r?.findings.map((f) => [f.code, f.kind, f.title])).toEqual([AFTER_REVOKE]);
  });

  it('without the zap the controlled executor finds it within 20 trials', async () => {
    const found = (await runTrials('controlled', mmapRevokeNoZap, 20, { leakCheck: true })).filter((r) => r.findings.length > 0);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]!.findings.map((f) => f.code)).toEqual(['CPU_USE_AFTER_REVOKE']);
  });

  it('a fault handler checking revoked before memory_lock (2024 RFC) installs a PTE after the zap: found within 20 inline trials', () => {
    const r = firstFound(mmapRevokeFaultUnlocked, 20);
    expect(r?.findings.map((f) => [f.code, f.kind, f.title])).toEqual([AFTER_REVOKE]);
  });

  it('... and by the controlled executor within 20 trials', async () => {
    const found = (await runTrials('controlled', mmapRevokeFaultUnlocked, 20, { leakCheck: true })).filter((r) => r.findings.length > 0);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]!.findings.map((f) => f.code)).toEqual(['CPU_USE_AFTER_REVOKE']);
  });

  it('with the zap and the locked check the race really touches through a PTE and really gets SIGBUS', () => {
    for (const strategy of ['random', 'pct:3']) {
      const { oks, sigbus } = touchOutcomes(strategy, 200);
      expect(oks, strategy).toBeGreaterThan(0);
      expect(sigbus, strategy).toBeGreaterThan(0);
    }
  });

  it('with the zap and the locked check every touch precedes the move or faults into SIGBUS: clean over 6,000 inline and 200 controlled trials', async () => {
    await expectClean(mmapRevokeZap, 6000, 200);
  }, 120_000);
});
