// A domain detached from an IOAS while a dma-buf's area is filled into several
// (iopt_table_remove_domain → iopt_unfill_domain): the IOAS's list stays dense (the last domain
// moves into the hole), the detached domain is unmapped and untracked from the middle of the
// tracker while the others stay tracked, in order (a domain filled later goes after them), and the
// revoke then unmaps every domain still tracked. Removing a domain not attached WARNs
// (IOPT_REMOVE_DOMAIN_ABSENT); unfilling one attached but never tracked WARNs
// (IOPT_UNTRACK_ABSENT). A domain attached later (iopt_table_add_domain) is filled and joins the
// IOAS's list as well as the tracker, so detaching it is clean; attaching one already attached
// WARNs (IOPT_ADD_DOMAIN_TWICE, -EEXIST) and changes nothing. A detach after the revoke trusts
// `revoked` and unmaps nothing: with the first-only revoke bug the detached domain stays mapped,
// and so does the one the revoke skipped, to trial end (LEAK_DMA_MAPPING).
// A full list refuses another domain (-ENOMEM) and stays as it was; with no area mapped (no fill
// whose tracker would refuse it) a domain already attached is refused by the add's own check. A
// fill that fails (no room in the IOMMU table) leaves the domain off the list as well as the
// tracker, so the attach can be retried once there is room.
// Inline, 3 seeds (one actor: no interleaving to explore).
import { describe, expect, it } from 'vitest';
import { EEXIST, ENOMEM } from '../../../src/errno/errno.js';
import { runTrials } from '../../support/both.js';
import { AD, addDomain } from '../../fixtures/iommufd/add_domain.js';
import { AE, addDomainEnomem } from '../../fixtures/iommufd/add_domain_enomem.js';
import { DT, detachDomain } from '../../fixtures/iommufd/detach.js';
import { at, pick } from '../../fixtures/fence/oracle.js';

describe('iopt_table_remove_domain of a domain a dma-buf area is filled into', () => {
  it.each([
    // [detach, domains filled, late attach, findings [code, title], late attach's return,
    //  IOAS and tracker after the detach, after the late attach (and 'late' detach), read mask]
    ['middle', 3, 'new', [], 0, 13, 13, 134, 134, 0b1101],
    ['twice', 3, 'new', [['IOPT_REMOVE_DOMAIN_ABSENT', 'assertion in iopt_table_remove_domain']], 0, 13, 13, 134, 134, 0b1101],
    ['unfilled', 2, 'new', [['IOPT_UNTRACK_ABSENT', 'assertion in iopt_dmabuf_untrack_domain']], 0, 12, 12, 124, 124, 0b1011],
    ['late', 3, 'new', [], 0, 13, 13, 13, 13, 0b0101],
    ['middle', 3, 'attached', [['IOPT_ADD_DOMAIN_TWICE', 'assertion in iopt_table_add_domain']], -EEXIST, 13, 13, 13, 13, 0b0101],
  ] as const)('detach %s (%i filled, late %s) reports %j; the IOAS and the tracker agree, in order, for the revoke', async (detach, filled, late, findings, rc, ioas, trackedAfter, ioasLate, trackedLate, readMask) => {
    const params = { detach, filled, late, revoke: 'unmap-all-tracked' } as const;
    for (const r of await runTrials('inline', detachDomain, 3, { params, leakCheck: true })) {
      expect(r.findings.map((f) => [f.code, f.title]), at(r)).toEqual(findings);
      expect(pick(r, DT), at(r)).toEqual({
        IOAS: ioas, TRACKED: trackedAfter, IOAS_LATE: ioasLate, TRACKED_LATE: trackedLate, LATE: rc,
        READ: readMask, READ_REVOKED: 0, DONE: 1,
      });
      expect(r.end, at(r)).toBe('done');
    }
  });
});

const UAR = ['DMA_USE_AFTER_REVOKE', 'use-after-revoke in dma_engine_access'] as const;
const LEAK = ['LEAK_DMA_MAPPING', 'leak in dma_unmap_sg'] as const;
const LIVE = ['REVOKE_LIVE_MAPPINGS', 'assertion in revoke_return'] as const;

describe('iopt_table_remove_domain after the revoke', () => {
  it.each([
    // [revoke callback, findings, IOAS and tracker after the detach, read mask after the late attach]
    ['unmap-all-tracked', [], 13, 13, 0],
    // The bug's revoke leaves domains 1 and 2 mapped, which VFIO's revoke returns with; the
    // detach of 1 leaves it so: both devices read, and at trial end both mappings (untracked, so
    // iopt_release_pages does not WARN) are still in the IOMMU table with the pages' attachment
    // long detached: its one leak.
    ['unmap-first-tracked', [LIVE, UAR, UAR, LEAK], 13, 13, 0b0110],
  ] as const)('with the %s callback trusts `revoked` and unmaps nothing, reporting %j', async (revoke, findings, ioas, trackedAfter, readMask) => {
    const params = { detach: 'revoked', filled: 3, late: 'new', revoke } as const;
    for (const r of await runTrials('inline', detachDomain, 3, { params, leakCheck: true })) {
      expect(r.findings.map((f) => [f.code, f.title]), at(r)).toEqual(findings);
      expect(pick(r, DT), at(r)).toMatchObject({ IOAS: ioas, TRACKED: trackedAfter, LATE: 0, READ: readMask, DONE: 1 });
    }
  });
});

describe('iopt_table_add_domain with no area mapped', () => {
  it('lists each domain until the list is full, then refuses -ENOMEM and keeps the list', async () => {
    for (const r of await runTrials('inline', addDomain, 3, { params: { start: 2, again: false }, leakCheck: true })) {
      expect(r.findings, at(r)).toEqual([]);
      expect(pick(r, { RC0: AD.RC, RC1: AD.RC + 1, RC2: AD.RC + 2, IOAS: AD.IOAS }), at(r)).toEqual({ RC0: 0, RC1: 0, RC2: -ENOMEM, IOAS: 1234 });
      expect(r.end, at(r)).toBe('done');
    }
  });

  it('refuses a domain already attached -EEXIST with IOPT_ADD_DOMAIN_TWICE, listing it once (no fill to refuse it)', async () => {
    for (const r of await runTrials('inline', addDomain, 3, { params: { start: 2, again: true }, leakCheck: true })) {
      expect(r.findings.map((f) => [f.code, f.title]), at(r)).toEqual([['IOPT_ADD_DOMAIN_TWICE', 'assertion in iopt_table_add_domain']]);
      expect(pick(r, { RC0: AD.RC, IOAS: AD.IOAS }), at(r)).toEqual({ RC0: -EEXIST, IOAS: 12 });
      expect(r.end, at(r)).toBe('done');
    }
  });
});

describe('iopt_table_add_domain whose fill fails', () => {
  it('leaves the domain off the list and the tracker, empty; once there is room the same attach lists it', async () => {
    for (const r of await runTrials('inline', addDomainEnomem, 3, { leakCheck: true })) {
      expect(r.findings.map((f) => [f.code, f.title]), at(r)).toEqual([]);
      expect(pick(r, AE), at(r)).toEqual({
        ADD: -ENOMEM, IOAS: 1, TRACKED: 1, READ: 0b01, RETRY: 0, IOAS_RETRY: 12, TRACKED_RETRY: 12, READ_RETRY: 0b11, READ_REVOKED: 0, DONE: 1,
      });
      expect(r.end, at(r)).toBe('done');
    }
  });
});
