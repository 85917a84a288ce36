/**
 * S6 fixed twin: VFIO refuses importers that are not revocable (dma_buf_attach_revocable false:
 * -EOPNOTSUPP). Expected: clean.
 */
import { revokeScenario } from './lib/revoke.js';

export const rdmaPinnedRefused = revokeScenario({
  name: 'rdma-pinned-refused', module: import.meta.url, expect: 'clean',
  description: 'VFIO refuses non-revocable pinned importers',
  knobs: {}, importer: 'rdma', params: { importers: 1, jobs: 3 },
});
