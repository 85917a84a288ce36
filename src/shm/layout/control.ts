/**
 * The control record: one per arena, at `Layout.control`, CONTROL_WORDS long. Trial state, the
 * per-trial constants main writes at reset, the allocation cursors and free lists, and the turn
 * line; the values some of its words take (TRIAL_*, EXEC_*, QUIRK_*, KERNEL_*, WAIT_*) follow it.
 */

import { assertWordsFit } from './words_fit.js';

/** Trial state (atomic). Written by the turn holder (or any stress actor, or the main-thread
 *  watchdog) when the trial ends; read by all. Main thread waits on it (`Atomics.waitAsync`
 *  until it leaves RUNNING); paired with the notify in `endTrial`. */
export const C_STATE = 0;
/* Words 2–4 and 9 are unused: the turn's words (C_TURN, C_STEP, C_EVSEQ, C_CLOCK) moved to the turn
 * line at C_TURN_LINE, so that this line — trial state and per-trial constants — is written only
 * at reset and trial end and stays cached read-only in every actor thread. */
/** Decision bound: reaching it ends the trial as a hang (livelock). Main writes. */
export const C_STEP_LIMIT = 5;
/** Actors in this trial. Main writes at reset. */
export const C_NACTORS = 6;
/** Executor kind (EXEC_*). Main writes at reset. */
export const C_MODE = 7;
/** Trial generation, bumped by every reset. Main writes; workers read to detect a new trial. */
export const C_TRIAL = 8;
/** Who/what ended the trial: actor index, and a state-specific detail (replay step, …). */
export const C_END_ACTOR = 10;
export const C_END_DETAIL = 11;
/** Decisions to follow when replaying (0 = not replaying). Main writes. */
export const C_REPLAY_LEN = 12;
/** Actors finished (atomic). */
export const C_DONE = 13;
/** Allocation cursors (bump allocators, reset per trial). Written by setup and by the turn
 *  holder (atomic in stress). Fences and DMA addresses are also reclaimed (C_FREE_FENCE,
 *  C_FREE_IOVA): their cursors are high-water marks, rows below them may be free. */
export const C_NEXT_MUTEX = 14;
export const C_NEXT_CLASS = 15;
export const C_NEXT_CTX = 16;
export const C_NEXT_FENCE = 17;
export const C_NEXT_CB = 18;
export const C_NEXT_RESV = 19;
/** Next free dma_fence context number (`dma_fence_context_alloc`). */
export const C_FENCE_CONTEXT = 20;
/** Next waiter ticket (FIFO order of lock waiters). */
export const C_TICKET = 21;
/** Findings table slots published this trial (atomic; kernel/task.ts recordFinding): distinct
 *  findings kept, repeats of a kept one not counted. */
export const C_NFINDINGS = 22;
/** Replay divergence detail: the op the replay expected at C_END_DETAIL's step. */
export const C_DIVERGE_OP = 23;
/** Wait policy of the controlled and stress executors (WAIT_*), written by main at reset. */
export const C_WAIT_POLICY = 24;
/** Kernel semantics of this trial (KERNEL_*): the v3 posting or the merged series. Main writes. */
export const C_KERNEL = 26;
export const C_NEXT_DMABUF = 27;
export const C_NEXT_ATTACH = 28;
export const C_NEXT_IOVA = 29;
export const C_NEXT_JOB = 30;
export const C_NEXT_PRIV = 31;
export const C_NEXT_DEVICE = 32;
/** Historical kernel behaviours switched on for this trial (QUIRK_*). Main writes at reset. */
export const C_QUIRKS = 33;
/** Free list of released fence rows (kernel/dma_fence_alloc.ts), oldest first: row + 1 of the
 *  first, 0 = empty; rows chain through F_NEXT_FREE; C_FREE_FENCE_TAIL is the last row + 1 (0 =
 *  empty). Appended by the task that drops a fence's last reference (dma_fence_put), taken by
 *  dma_fence_init in any task, both only with C_FENCE_LOCK held; empty after a trial reset. */
export const C_FREE_FENCE = 34;
export const C_FREE_FENCE_TAIL = 38;
/** The fence free list's spinlock (kernel/spinlock.ts word, atomic; 0 free, held: its owner,
 *  actor + 1). Never held across a yield, so it is only contended in stress. */
export const C_FENCE_LOCK = 39;
/** Free list of unmapped DMA address ranges (kernel/iova_alloc.ts), oldest first: first IOVA
 *  row + 1 of the first free range, 0 = empty; ranges chain through IO_NEXT_FREE with their
 *  length in IO_LEN; C_FREE_IOVA_TAIL is the last range's row + 1 (0 = empty). Read and written
 *  only with C_IOVA_LOCK held (dma_unmap_sg frees, dma_map_sg allocates). */
export const C_FREE_IOVA = 35;
export const C_FREE_IOVA_TAIL = 37;
/** The IOVA allocator's spinlock (kernel/spinlock.ts word, atomic; 0 free, held: its owner,
 *  actor + 1): the kernel's iova_rbtree_lock. Never held across a yield, so it is only
 *  contended in stress. */
export const C_IOVA_LOCK = 36;
/** Free list of given-back private words (kernel/priv.ts kfree_words): first block's word + 1,
 *  0 = empty; a free block holds the next block + 1 in its first word (its length is in its
 *  record: priv_blocks.ts). Free callback nodes (kernel/dma_fence_cb.ts dma_fence_cb_free): row + 1
 *  of the first,
 *  0 = empty, chained through B_NEXT. Both only with C_FENCE_LOCK held; empty after a reset. */
export const C_FREE_PRIV = 40;
export const C_FREE_CB = 46;
/** WARN_ONCE bits of this trial (kernel/task.ts Task.warnOnce): bit (code − 1) % 32 of word
 *  C_WARNED + ⌊(code − 1) / 32⌋ (warnedWord, warnedBit) is set by the one task whose Atomics.or
 *  found it clear, which alone records that warning; any task reads them (the or). Zero after a
 *  trial reset, as a boot starts with every `__warned` clear. Written only on a misuse, so sharing
 *  the allocators' line costs nothing in a clean trial. */
export const C_WARNED = 41;
/** Words of C_WARNED: warning codes 1..32 · WARNED_WORDS can be warned once (warn.ts checks). */
export const WARNED_WORDS = 4;
/* Word 45 is unused: room for WARNED_WORDS to grow. */
/** Finding records lost this trial because the findings table was full (atomic; written by
 *  kernel/task.ts recordFinding, read by exec/collect_result.ts collectResult as `dropped`).
 *  Each record of a finding the table does not hold counts, repeats included. Off line 0
 *  (written only at reset and trial end): a storm of lost records adds to it from every stress
 *  thread. */
export const C_FINDINGS_LOST = 47;
assertWordsFit('C_WARNED + WARNED_WORDS', C_WARNED, WARNED_WORDS, C_FINDINGS_LOST, 'move C_FINDINGS_LOST and C_WARNED to free control words');

/** Arena index of the C_WARNED word holding warning `code`'s WARN_ONCE bit (warnedBit). */
export function warnedWord(control: number, code: number): number {
  return control + C_WARNED + ((code - 1) >>> 5);
}

/** Warning `code`'s WARN_ONCE bit in its word (warnedWord). */
export function warnedBit(code: number): number {
  return 1 << ((code - 1) & 31);
}

/** Warning codes that have a WARN_ONCE bit: 1..WARNED_CODES. */
export const WARNED_CODES = 32 * WARNED_WORDS;
/** WAIT_ADAPT (stress): the cores blocked actors may poll on. Main writes at reset; a per-trial
 *  constant on line 0. */
export const C_SPIN_CORES = 1;
/** Stop request for free-running (stress) actors: main sets 1 when the duration is over; actors
 *  poll it through Task.stopRequested(). */
export const C_STOP = 25;
/**
 * The turn line: the words the turn holder writes at every step, alone on one of the control
 * record's cache lines. In `controlled` the actor that takes the turn writes C_STEP and C_TURN
 * there first thing (`admit`, without reading the line), so the line follows the turn in one
 * transfer that overlaps the actor's step; nothing else in the record is written per step.
 */
export const C_TURN_LINE = 48;
/** Scheduling decisions made so far this trial. The chosen actor writes it (`admit`); all read.
 *  In stress every actor claims the next index atomically as it passes a yield point (the yield
 *  order), and the main-thread watchdog reads it as the progress counter. */
export const C_STEP = C_TURN_LINE;
/** Actor that holds the turn (controlled, inline). Written by the actor taking the turn (`admit`);
 *  read by the watchdog and the deadlock report. */
export const C_TURN = C_TURN_LINE + 1;
/** Trace event sequence number (atomic in stress). */
export const C_EVSEQ = C_TURN_LINE + 2;
/** Virtual time in jiffies. Turn holder writes (timeouts and sleeps advance it). */
export const C_CLOCK = C_TURN_LINE + 3;
/** WAIT_ADAPT (stress): actors of this trial not asleep in a futex. Main sets it to the actor
 *  count at reset; each stress actor takes itself off (atomic) around every futex sleep and when
 *  it ends. Read by blocked fence waiters deciding whether to poll; nobody waits on it. Alone on
 *  the record's last line: the allocators' locks and free lists (line 2) are hot in stress too. */
export const C_AWAKE = 64;
export const CONTROL_WORDS = 80;

export const TRIAL_IDLE = 0;
export const TRIAL_RUNNING = 1;
export const TRIAL_DONE = 2;
export const TRIAL_DEADLOCK = 3;
export const TRIAL_STEP_LIMIT = 4;
export const TRIAL_CRASH = 5;
export const TRIAL_BUG = 6;
export const TRIAL_DIVERGED = 7;
export const TRIAL_ABORTED = 8;

export const EXEC_INLINE = 0;
export const EXEC_CONTROLLED = 1;
export const EXEC_STRESS = 2;

/** dma_resv_add_fence before a3f7c10a269d: a same-context fence replaces the slot without
 *  checking that it is later (CVE-2022-49935, S10). */
export const QUIRK_RESV_NO_SEQNO_CHECK = 1;
/** dma_resv_add_fence before 95ba893c9f4f: a same-context fence replaces the slot only when it is
 *  strictly later, so re-adding the same fence appends and needs a slot (S11 (a)). */
export const QUIRK_RESV_STRICT_LATER = 2;
/** dma_resv_wait_timeout before 2b95a7db6e0f: timeout 0 waits each fence up to one jiffy instead
 *  of only testing it (S12). */
export const QUIRK_RESV_WAIT_ZERO_SLEEPS = 4;
/** dma_buf_poll before ff2d23843f7f (6b51b02a3a0a's): an armed poll callback holds no file
 *  reference, so the fd may be closed while it is armed (S14: release's BUG_ON). */
export const QUIRK_POLL_NO_FILE_REF = 8;
/** dma_buf_poll_add_cb with the rejected 2025 patch: the fence reference is dropped after adding
 *  the callback whether it was armed or not, though an armed callback drops it too (S14). */
export const QUIRK_POLL_ALWAYS_PUT = 16;

export const KERNEL_FINAL = 0;
export const KERNEL_V3 = 1;

/** Blocked actors wait briefly before sleeping: controlled spins on its seat, stress fence
 *  waiters poll with naps (stress-actor.ts). */
export const WAIT_SPIN = 0;
/** Blocked actors sleep at once. */
export const WAIT_SLEEP = 1;
/** Stress only: poll like WAIT_SPIN while the actors awake (C_AWAKE) do not outnumber
 *  C_SPIN_CORES, sleep at once otherwise. */
export const WAIT_ADAPT = 2;
