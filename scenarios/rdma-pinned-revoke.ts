/**
 * S6 (buggy): a pinned RDMA MR (no invalidate_mappings, or the v3 warn-only stub) is admitted and
 * revoke does not wait for its unmap; the NIC keeps accessing the memory. Expected: use-after-revoke.
 * Revision 3: a registration whose map fails (revoked first) unwinds through the MR's release.
 * Revision 4: the catalog-wide resv-read bump (lib/revoke.ts).
 */
import { revokeScenario } from './lib/revoke.js';

export const rdmaPinnedRevoke = revokeScenario({
  name: 'rdma-pinned-revoke', module: import.meta.url, expect: 'use-after-revoke',
  description: 'pinned non-revocable RDMA importer admitted',
  knobs: { checkRevocable: false, unmapWait: 'none' }, importer: 'rdma',
  params: { importers: 1, jobs: 3 }, revision: 4,
});
