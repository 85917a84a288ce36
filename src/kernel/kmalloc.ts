/**
 * The kmalloc size classes (mm/slab_common.c, SLUB on x86_64 with the default configuration:
 * KMALLOC_MIN_SIZE 8, so the 96- and 192-byte caches exist; PAGE_SIZE 4096), for the model's
 * allocations whose usable size the kernel reads back — dma_resv_list_alloc sizes max_fences
 * from kmalloc_size_roundup. Pure arithmetic: no arena, no task.
 */

const PAGE_SIZE = 4096;
/** KMALLOC_SHIFT_HIGH = PAGE_SHIFT + 1 under SLUB: larger requests go to the page allocator. */
const KMALLOC_MAX_CACHE_SIZE = 2 * PAGE_SIZE;
/** kmalloc_size_index for requests up to 192 bytes: the 8..192 caches, with 96 and 192. */
const SMALL_CLASSES = [8, 16, 32, 64, 96, 128, 192] as const;

/**
 * kmalloc_size_roundup: the bytes a kmalloc of `size` bytes really provides — the object size of
 * the cache serving it up to KMALLOC_MAX_CACHE_SIZE (8..192 through the size index, powers of two
 * above), whole pages of the smallest order beyond. 0 (and a negative size, which the kernel's
 * size_t cannot carry) comes back unchanged, as the kernel returns `size` for 0.
 */
export function kmalloc_size_roundup(size: number): number {
  if (size <= 0) return size;
  if (size <= 192) return SMALL_CLASSES.find((c) => size <= c)!;
  if (size <= KMALLOC_MAX_CACHE_SIZE) return roundup_pow_of_two(size);
  return PAGE_SIZE * 2 ** get_order(size);
}

/** roundup_pow_of_two (include/linux/log2.h): the smallest power of two ≥ `n` (1 for n ≤ 1). */
export function roundup_pow_of_two(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** get_order: the smallest order whose 2^order pages hold `size` bytes (size > 0). */
export function get_order(size: number): number {
  let order = 0;
  while (PAGE_SIZE * 2 ** order < size) order++;
  return order;
}
