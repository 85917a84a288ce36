/**
 * A flags word of an ioctl's uapi struct (a __u32 or __u64) as the model's ioctls receive it: a JS
 * number, which the kernel's bit tests would read through 32-bit `&` — truncating a fraction (1.5
 * as 1) and dropping every bit from 32 up (2^32 + 1 as 1). The check here refuses what no such
 * word can hold before those tests see it. Context: any; pure.
 */

/** The largest value a flags word whose valid bits are all below bit 32 can hold validly. */
const U32_MAX = 0xffffffff;

/**
 * Whether `flags` is no valid value of a uapi flags word whose valid bits are `valid` (all below
 * bit 32): not an integer (a fraction, NaN, an infinity), negative (~0ULL and the like), above
 * 0xffffffff (a __u32 cannot hold it; in a __u64 it has a bit from 32 up, outside `valid`), or
 * with a bit outside `valid` — the kernel's `flags & ~VALID_MASK` test, -EINVAL at its caller.
 */
export function uapiFlagsInvalid(flags: number, valid: number): boolean {
  return !Number.isSafeInteger(flags) || flags < 0 || flags > U32_MAX || (flags & ~valid) !== 0;
}
