// The iommufd revoke tracker WARNs when an area is tracked twice (pages.c): iopt_fill_domain of a
// domain the area is already filled into trips iopt_dmabuf_track_domain's WARN_ON(track->domain ==
// domain && track->area == area), iopt_area_fill_domains of an area already filled trips
// iopt_dmabuf_track_all_domains' WARN_ON(track->area == area); both refuse with -EINVAL and change
// nothing — the domain stays mapped and tracked once, so the revoke still unmaps it. A domain
// newly attached to the IOAS is tracked and filled by iopt_fill_domain, and the revoke unmaps it
// too.
import { EINVAL } from '../../../src/errno/errno.js';
import { describe, expect, it } from 'vitest';
import { EXECUTORS, runTrials } from '../../support/both.js';
import { TT, trackTwice } from '../../fixtures/iommufd/track_twice.js';

describe.each(EXECUTORS)('iommufd tracker double-track (%s)', (kind) => {
  it.each([
    // [second fill, its return, the finding [code, title] (none), domains a read went through before the revoke]
    ['fill-domain-again', -EINVAL, [['IOPT_TRACK_DOMAIN_TWICE', 'assertion in iopt_dmabuf_track_domain']], 0b01],
    ['fill-area-again', -EINVAL, [['IOPT_TRACK_AREA_TWICE', 'assertion in iopt_dmabuf_track_all_domains']], 0b01],
    ['fill-new-domain', 0, [], 0b11],
  ] as const)('%s returns %i, reports %j, reads through %i, and the revoke unmaps every tracked domain', async (second, ret, findings, readMask) => {
    for (const r of await runTrials(kind, trackTwice, 3, { params: { second }, leakCheck: true })) {
      expect(r.findings.map((f) => [f.code, f.title])).toEqual(findings);
      expect([r.end, r.user[TT.MAP], r.user[TT.FILL], r.user[TT.SECOND], r.user[TT.DONE]]).toEqual(['done', 0, 0, ret, 1]);
      expect([r.user[TT.READ], r.user[TT.READ_REVOKED]]).toEqual([readMask, 0]);
    }
  });
});
