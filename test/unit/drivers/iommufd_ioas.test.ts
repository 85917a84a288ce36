// A domain detached from an IOAS while a dma-buf's area is filled into several
// (iopt_table_remove_domain → iopt_unfill_domain): the IOAS's list stays dense (the last domain
// moves into the hole), the detached domain is unmapped and untracked from the middle of the
// tracker while the others stay tracked, in order (a domain filled later goes after them), and the
// revoke then unmaps every domain still tracked. Removing a domain not attached WARNs
// (IOPT_REMOVE_DOMAIN_ABSENT); unfilling one attached but never tracked WARNs
// (IOPT_UNTRACK_ABSENT). Inline, 3 seeds (one actor: no interleaving to explore).
import { describe, expect, it } from 'vitest';
import { runTrials } from '../../support/both.js';
import { DT, detachDomain } from '../../fixtures/iommufd/detach.js';
import { at, pick } from '../../fixtures/fence/oracle.js';

describe('iopt_table_remove_domain of a domain a dma-buf area is filled into', () => {
  it.each([
    // [detach, domains filled, findings [code, title], IOAS after, tracker after, tracker after the late fill, read mask]
    ['middle', 3, [], 13, 13, 134, 0b1101],
    ['twice', 3, [['IOPT_REMOVE_DOMAIN_ABSENT', 'assertion in iopt_table_remove_domain']], 13, 13, 134, 0b1101],
    ['unfilled', 2, [['IOPT_UNTRACK_ABSENT', 'assertion in iopt_dmabuf_untrack_domain']], 12, 12, 124, 0b1011],
  ] as const)('detach %s (%i filled) reports %j and keeps the other domains tracked, in order, for the revoke', async (detach, filled, findings, ioas, trackedAfter, trackedLate, readMask) => {
    for (const r of await runTrials('inline', detachDomain, 3, { params: { detach, filled }, leakCheck: true })) {
      expect(r.findings.map((f) => [f.code, f.title]), at(r)).toEqual(findings);
      expect(pick(r, DT), at(r)).toEqual({
        IOAS: ioas, TRACKED: trackedAfter, TRACKED_LATE: trackedLate, LATE: 0, READ: readMask, READ_REVOKED: 0, DONE: 1,
      });
      expect(r.end, at(r)).toBe('done');
    }
  });
});
