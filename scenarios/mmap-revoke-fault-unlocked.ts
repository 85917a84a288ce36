/**
 * VFIO dma-buf mmap (buggy; the fault handler of the 2024 dma-buf mmap RFC, Vivek Kasireddy, on
 * the in-flight 2026 series' revoke — kernel-semantics §4.9, not a §6 reference): the fault
 * handler checks `revoked` before taking memory_lock, so a fault that passed the check before the
 * revoke installs its PTE after the revoke's zap, and the CPU reaches the revoked BAR. Expected:
 * use-after-revoke (use-after-revoke in cpu_access). Its twin is mmap-revoke-zap.
 */
import { mmapRevokeScenario } from './lib/mmap_revoke.js';

export const mmapRevokeFaultUnlocked = mmapRevokeScenario('mmap-revoke-fault-unlocked', import.meta.url, { fault: 'check-unlocked' });
