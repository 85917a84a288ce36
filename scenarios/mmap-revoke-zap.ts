/**
 * VFIO dma-buf mmap (fixed twin; Matt Evans's in-flight 2026 series, kernel-semantics §4.9 — not
 * a §6 reference): the revoke zaps the CPU PTEs with unmap_mapping_range under memory_lock, last
 * in the move, and the fault handler checks `revoked` under memory_lock, so a touch after the move
 * faults and gets SIGBUS. Expected: clean. Twin of mmap-revoke-no-zap and mmap-revoke-fault-unlocked.
 */
import { mmapRevokeScenario } from './lib/mmap_revoke.js';

export const mmapRevokeZap = mmapRevokeScenario('mmap-revoke-zap', import.meta.url, { zap: 'unmap-mapping-range' });
