/**
 * S1 (buggy, the v3 posting): VFIO revoke waits only for KERNEL fences after invalidating and does
 * not wait for unmaps; an importer's job fenced with READ usage keeps DMAing after revoke returned.
 * Expected: use-after-revoke.
 */
import { revokeScenario } from './lib/revoke.js';

export const revokeWaitKernel = revokeScenario({
  name: 'revoke-wait-kernel', module: import.meta.url, expect: 'use-after-revoke',
  description: 'revoke waits DMA_RESV_USAGE_KERNEL only (v3 posting)',
  knobs: { revokeWait: 'kernel', unmapWait: 'none' },
});
