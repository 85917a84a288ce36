/**
 * The private words' KASAN-like shadow (kernel/priv_kasan.ts), at `Layout.privShadow`: one bit per
 * private word (word w is bit w & 31 of shadow word w >> 5), set while the word is freed
 * (poisoned): kfree_words sets a block's bits, a kzalloc that reuses the block clears them, and
 * priv_load / priv_store / kasan_check_priv read them. Shared by every actor: written only with
 * Atomics (or / and), read with a plain load — as KASAN's inline shadow check is: it is on every
 * private access (an Atomics.load there doubled priv_load + priv_store's cost), and a check that
 * races with the free it would catch is a race KASAN misses too. A block's new owner unpoisons it
 * before it can publish the block, so no reader that synchronised with the owner sees a stale bit.
 *
 * Reset contract: a freed block lies below the private cursor (C_NEXT_PRIV), so the bits set in a
 * trial lie in the first ceil(cursor / 32) shadow words; a trial reset zeroes only those
 * (cursor_tables.ts, PRIV_SHADOW_BITS private words per row).
 */

/** Private words per shadow word. */
export const PRIV_SHADOW_BITS = 32;

/** Shadow words for `privWords` private words. */
export function privShadowWords(privWords: number): number {
  return Math.ceil(privWords / PRIV_SHADOW_BITS);
}
