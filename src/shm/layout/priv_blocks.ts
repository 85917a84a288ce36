/**
 * The private words' block records (kernel/priv_kasan.ts: KASAN's "Allocated by / Freed by"), at
 * `Layout.privBlocks`: one row of PRIV_BLOCK_WORDS per private word, row w describing the block
 * that starts at word w (PB_LEN 0: no block starts there — an interior word, or never taken).
 *
 * Writers: kernel/priv.ts only — kzalloc (the length, the allocating actor + 1 and site id, and
 * zero free fields: for a fresh block after its cursor CAS, for a given-back one under
 * C_FENCE_LOCK in the step that takes it off the free list) and kfree_words (under C_FENCE_LOCK,
 * after its checks: the freeing actor + 1 and site id). Every word is written
 * and read with Atomics: kfree_words reads PB_LEN to check the pointer and the length (under
 * C_FENCE_LOCK), and a report (cold) reads the whole row without the lock. No check depends on
 * more than PB_LEN, which changes only when a fresh block starts at the row (once per trial: a
 * given-back block keeps its length). What stays racy, under stress only — the same races KASAN's
 * own report has with a reallocation: a report racing with a kzalloc or kfree_words of its block
 * may read a mix of two records (the old owner's allocation with the new one's free, say); since
 * the record is part of a finding's identity, one access function's use-after-free of one block
 * can then be two findings of one title; and a report on a word of a block another task has just
 * taken fresh (its cursor CAS done, its row not yet written) names no block.
 *
 * Reset contract: a row is written only for a block below the private cursor (C_NEXT_PRIV), so
 * the rows a trial wrote are the cursor's prefix and a trial reset zeroes that prefix (a cursor
 * table on C_NEXT_PRIV: shm/layout/cursor_tables.ts). Rows of interior words are never written
 * within a trial (fresh blocks never overlap; a given-back block is reused whole at its start).
 */

/** The block's length in words (> 0), 0 when no block starts at this word. */
export const PB_LEN = 0;
/** The actor + 1 that allocated it (the setup task too: its id + 1). */
export const PB_ALLOC_BY = 1;
/** The allocating function's site id (kernel/warn.ts siteId), 0 when the allocator was not told. */
export const PB_ALLOC_SITE = 2;
/** The actor + 1 that gave it back last, 0 while it is allocated. */
export const PB_FREE_BY = 3;
/** The freeing function's site id, 0 while it is allocated. */
export const PB_FREE_SITE = 4;
export const PRIV_BLOCK_WORDS = 5;
