/**
 * The VFIO exporter's knobs: each reproduces a known bug of the revoke series, or its fix.
 * Named after what they do; the defaults are the merged (final) behaviour.
 */
export interface VfioKnobs {
  /** Fence wait after invalidating: none (6.19, S2), kernel (v3 posting, S1), bookkeep (final). */
  readonly revokeWait: 'none' | 'kernel' | 'bookkeep';
  /** After the fence wait, wait for every importer unmap: block (final), timeout (v5, NAKed),
   *  none. */
  readonly unmapWait: 'block' | 'timeout' | 'none';
  /** attach refuses importers without peer2peer / while revoked / that are not revocable. */
  readonly checkPeer2peer: boolean;
  readonly checkRevoked: boolean;
  readonly checkRevocable: boolean;
  /** Un-revoke: re-arm kref and completion before clearing `revoked` (fix), or after (S8). */
  readonly unrevoke: 'rearm-first' | 'clear-first';
  /** Where kref and completion are re-armed: at the end of the revoke drain (May 2026 fix) or at
   *  un-revoke (before it). */
  readonly rearm: 'after-drain' | 'at-unrevoke';
  /** Device close drains again inline (S7, kref underflow + hang) or calls the idempotent move. */
  readonly cleanup: 'idempotent' | 'double-drain';
  /** After revoke: keep the device memory, or reset it at once (the BAR is reused: S3). */
  readonly memoryAfterRevoke: 'keep' | 'reuse';
  /** Redirect importers' DMA addresses to the nirvana page at revoke, until they unmap. */
  readonly nirvana: boolean;
  /** Call dma_buf_invalidate_mappings with the resv lock held (contract), or after unlocking
   *  (S18). */
  readonly invalidate: 'under-lock' | 'unlocked';
  /** remove(): revoke and wait for unmaps first (fix), or unbind at once (S4). */
  readonly remove: 'waits-unmap' | 'immediate';
  /** map_dma_buf refuses a revoked buffer by the `revoked` flag the move keeps under the resv
   *  lock (final), or takes vdev->memory_lock to look at the memory enable, as the BAR fault path
   *  does — under the resv lock the importer holds: resv → memory_lock against the move's
   *  memory_lock → resv (a lock inversion lockdep reports). */
  readonly map: 'check-revoked' | 'take-memory-lock';
  /** After a function reset with memory enabled (vfio_pci_try_reset_function): un-revoke with
   *  move(false) (final), or move(true) again — the pre-merge typo fixed by "vfio/pci: fix dma-buf
   *  revoke typo on reset" (S9): the buffers stay revoked and importers' re-maps get -ENODEV. */
  readonly reset: 'unrevoke' | 'revoke-again';
  /** Revoke zaps the CPU PTEs of every user mmap of the buffer (unmap_mapping_range under
   *  memory_lock held for write, as Matt Evans's in-flight 2026 VFIO dma-buf mmap series does and
   *  as vfio_pci_zap_and_down_write_memory_lock does for BAR mmaps), or leaves them ('none'):
   *  mmap support without the zap — not a posted version, the bug the series' zap prevents (the
   *  CPU keeps reaching a disabled or re-assigned BAR through the stale PTE). */
  readonly zap: 'unmap-mapping-range' | 'none';
  /** The mmap fault handler checks `revoked` and installs the PTE under memory_lock (the series,
   *  as vfio_pci_mmap_huge_fault does for BAR mmaps), or checks it before taking the lock — the
   *  2024 RFC's vfio_pci_dma_buf_fault (Vivek Kasireddy), whose check a revoke can pass between:
   *  the PTE is installed after the zap and the CPU reaches the revoked BAR. */
  readonly fault: 'locked' | 'check-unlocked';
}

export const VFIO_FINAL: VfioKnobs = {
  revokeWait: 'bookkeep', unmapWait: 'block', checkPeer2peer: true, checkRevoked: true,
  checkRevocable: true, unrevoke: 'rearm-first', rearm: 'after-drain', cleanup: 'idempotent', memoryAfterRevoke: 'keep',
  nirvana: false, remove: 'waits-unmap', invalidate: 'under-lock', map: 'check-revoked', reset: 'unrevoke',
  zap: 'unmap-mapping-range', fault: 'locked',
};

const WAITS = ['none', 'kernel', 'bookkeep'] as const;
const UNMAP = ['block', 'timeout', 'none'] as const;

/** Pack knobs into one word (driver-private state must live in the arena). */
export function packKnobs(k: VfioKnobs): number {
  return WAITS.indexOf(k.revokeWait) | (UNMAP.indexOf(k.unmapWait) << 2) | (+k.checkPeer2peer << 4) |
    (+k.checkRevoked << 5) | (+k.checkRevocable << 6) | (+(k.unrevoke === 'clear-first') << 7) |
    (+(k.cleanup === 'double-drain') << 8) | (+(k.memoryAfterRevoke === 'reuse') << 9) |
    (+k.nirvana << 10) | (+(k.remove === 'immediate') << 11) | (+(k.rearm === 'at-unrevoke') << 12) |
    (+(k.invalidate === 'unlocked') << 13) | (+(k.map === 'take-memory-lock') << 14) |
    (+(k.reset === 'revoke-again') << 15) | (+(k.zap === 'none') << 16) |
    (+(k.fault === 'check-unlocked') << 17);
}

export function unpackKnobs(w: number): VfioKnobs {
  return {
    revokeWait: WAITS[w & 3]!, unmapWait: UNMAP[(w >> 2) & 3]!, checkPeer2peer: (w & 16) !== 0,
    checkRevoked: (w & 32) !== 0, checkRevocable: (w & 64) !== 0,
    unrevoke: (w & 128) !== 0 ? 'clear-first' : 'rearm-first',
    cleanup: (w & 256) !== 0 ? 'double-drain' : 'idempotent',
    memoryAfterRevoke: (w & 512) !== 0 ? 'reuse' : 'keep', nirvana: (w & 1024) !== 0,
    remove: (w & 2048) !== 0 ? 'immediate' : 'waits-unmap',
    rearm: (w & 4096) !== 0 ? 'at-unrevoke' : 'after-drain',
    invalidate: (w & 8192) !== 0 ? 'unlocked' : 'under-lock',
    map: (w & 16384) !== 0 ? 'take-memory-lock' : 'check-revoked',
    reset: (w & 32768) !== 0 ? 'revoke-again' : 'unrevoke',
    zap: (w & 65536) !== 0 ? 'none' : 'unmap-mapping-range',
    fault: (w & 131072) !== 0 ? 'check-unlocked' : 'locked',
  };
}
