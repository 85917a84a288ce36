/**
 * The private words' KASAN-like shadow (kernel/priv_kasan.ts), at `Layout.privShadow`: one bit per
 * private word (word w is bit w & 31 of shadow word w >> 5), set while the word is freed
 * (poisoned): kfree_words sets a block's bits, a kzalloc that reuses the block clears them, and
 * every checked access reads them through the one test, kasan_priv_poisoned (priv_load,
 * priv_store, priv_load_inlined, priv_cmpxchg, priv_sub, kasan_check_priv, and kfree_words's
 * double-free check). Shared by every actor: written only with Atomics (or / and), read with a
 * plain load — as KASAN's inline shadow check is: it is on every private access (its share of a
 * hunt: docs/BENCHMARKS.md, session 32), and a check that races with the free it would catch is a
 * race KASAN misses too. A block's new owner unpoisons it before it can publish the
 * block, so no reader that synchronised with the owner sees a stale bit.
 *
 * Reset contract: a trial reset zeroes the whole shadow (privShadowWords(privWords) words: 8 at
 * the default 256 private words; shm/layout/cursor_tables.ts leaves it to the whole-region fill),
 * so no poison outlives its trial whatever a kfree_words did.
 */

/** Private words per shadow word, and its log2 (word w's shadow word is w >>>
 *  PRIV_SHADOW_SHIFT). */
export const PRIV_SHADOW_BITS = 32;
export const PRIV_SHADOW_SHIFT = 5;

/** Shadow words for `privWords` private words. */
export function privShadowWords(privWords: number): number {
  return Math.ceil(privWords / PRIV_SHADOW_BITS);
}
