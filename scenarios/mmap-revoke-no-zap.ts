/**
 * VFIO dma-buf mmap (buggy; Matt Evans's in-flight 2026 series, kernel-semantics §4.9 — not a §6
 * reference): the revoke leaves the CPU PTEs of the user's mmap in place, and the user's later
 * touch reaches the revoked BAR. Expected: use-after-revoke (use-after-revoke in cpu_access).
 */
import { mmapRevokeScenario } from './lib/mmap_revoke.js';

export const mmapRevokeNoZap = mmapRevokeScenario('mmap-revoke-no-zap', import.meta.url, { zap: 'none' });
