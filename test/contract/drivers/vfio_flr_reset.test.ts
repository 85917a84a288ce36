// S9 (kernel-semantics §6, §7.5 V9): vfio_pci_try_reset_function revokes every dma-buf of the
// device before the function reset and, memory being enabled, un-revokes them after it. The
// pre-merge typo ("vfio/pci: fix dma-buf revoke typo on reset") passed `true` again: the buffer
// stays revoked for good and its importers' re-maps get -ENODEV — the reset's exit check reports
// it (VFIO_REVOKED_AFTER_RESET, hang in vfio_pci_try_reset_function). A revocable importer
// attaches before the reset and maps after it (test/fixtures/vfio/flr_reset.ts).
import { describe, expect, it } from 'vitest';
import { ENODEV } from '../../../src/errno/errno.js';
import { EXECUTORS, runTrials } from '../../support/both.js';
import { expectClean, firstFound } from '../../support/mustfind.js';
import { FR, flrRevokesAgain, flrUnrevokes } from '../../fixtures/vfio/flr_reset.js';

const FINDING = ['VFIO_REVOKED_AFTER_RESET', 'hang', 'hang in vfio_pci_try_reset_function'];

describe.each(EXECUTORS)('a function reset of a VFIO device with dma-bufs (%s)', (kind) => {
  it('with the typo (move(true) after the reset) the buffer stays revoked: reported at the reset\'s exit, the re-map gets -ENODEV', async () => {
    for (const r of await runTrials(kind, flrRevokesAgain, 20, { leakCheck: true })) {
      expect(r.findings.map((f) => [f.code, f.kind, f.title])).toEqual([FINDING]);
      expect([r.user[FR.REVOKED_AFTER], r.user[FR.RET]]).toEqual([1, -ENODEV]);
    }
  });

  it('as merged the buffer is un-revoked after the reset and the importer maps it', async () => {
    for (const r of await runTrials(kind, flrUnrevokes, 20, { leakCheck: true })) {
      expect(r.findings).toEqual([]);
      expect(r.user[FR.REVOKED_AFTER]).toBe(0);
      expect(r.user[FR.RET]).toBeGreaterThan(0);
    }
  });
});

describe('a function reset in every schedule', () => {
  it('the typo is found in the first inline trial', () => {
    expect(firstFound(flrRevokesAgain, 1)?.findings.map((f) => f.code)).toEqual(['VFIO_REVOKED_AFTER_RESET']);
  });

  it('as merged stays clean over 6,000 inline and 200 controlled trials', async () => {
    await expectClean(flrUnrevokes, 6000, 200);
  }, 120_000);
});
