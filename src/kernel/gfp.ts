/**
 * Allocation flags (include/linux/gfp_types.h): the modifiers the model reads and the kernel's
 * compositions of them. The names and compositions are the kernel's; the bit values are the
 * model's own (the kernel's have moved between releases), so pass the names, never numbers.
 *
 * What the model reads: __GFP_DIRECT_RECLAIM (the allocation may enter direct reclaim, so may
 * sleep and wait on what reclaim waits on: lockdep's fs_reclaim, lockdep_map.ts might_alloc),
 * __GFP_FS (reclaim may call into filesystems: the fs_reclaim map proper) and __GFP_NOLOCKDEP
 * (no lockdep annotation). The others are carried for the callers' spelling only.
 */

export const __GFP_HIGH = 1 << 0;
export const __GFP_IO = 1 << 1;
export const __GFP_FS = 1 << 2;
export const __GFP_ZERO = 1 << 3;
export const __GFP_DIRECT_RECLAIM = 1 << 4;
export const __GFP_KSWAPD_RECLAIM = 1 << 5;
export const __GFP_NOWARN = 1 << 6;
export const __GFP_RETRY_MAYFAIL = 1 << 7;
export const __GFP_NOFAIL = 1 << 8;
export const __GFP_NORETRY = 1 << 9;
export const __GFP_ACCOUNT = 1 << 10;
export const __GFP_NOLOCKDEP = 1 << 11;

/** __GFP_RECLAIM: direct and kswapd reclaim. */
export const __GFP_RECLAIM = __GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM;
/** GFP_ATOMIC: never sleeps, may use reserves; wakes kswapd only. */
export const GFP_ATOMIC = __GFP_HIGH | __GFP_KSWAPD_RECLAIM;
/** GFP_KERNEL: may sleep and enter direct reclaim, with I/O and filesystems. */
export const GFP_KERNEL = __GFP_RECLAIM | __GFP_IO | __GFP_FS;
/** GFP_KERNEL_ACCOUNT: GFP_KERNEL charged to the memory cgroup (iommu_map's page tables). */
export const GFP_KERNEL_ACCOUNT = GFP_KERNEL | __GFP_ACCOUNT;
/** GFP_NOWAIT: never sleeps, no reserves; wakes kswapd only. */
export const GFP_NOWAIT = __GFP_KSWAPD_RECLAIM;
/** GFP_NOIO: direct reclaim without I/O (so without filesystems). */
export const GFP_NOIO = __GFP_RECLAIM;
/** GFP_NOFS: direct reclaim with I/O, without filesystems. */
export const GFP_NOFS = __GFP_RECLAIM | __GFP_IO;

/** A gfp mask (the kernel's gfp_t). */
export type gfp_t = number;

/** gfpflags_allow_blocking: whether an allocation with `gfp` may sleep (enter direct reclaim). */
export function gfpflags_allow_blocking(gfp: gfp_t): boolean {
  return (gfp & __GFP_DIRECT_RECLAIM) !== 0;
}
