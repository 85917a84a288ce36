/**
 * The arena layout: the ONE place that knows an offset.
 *
 * The arena is a single SharedArrayBuffer viewed as an Int32Array. Every region below is a table
 * of fixed-stride records; an object id is its row. All offsets are Int32 indices. Each field
 * says who writes it, who reads it and, where a futex is involved, which wait pairs with which
 * notify. "Turn holder" means the one actor allowed to run in `inline`/`controlled` execution
 * (in `stress` several actors run at once, and the fields marked "atomic" are the ones they race
 * on; those are accessed only with Atomics).
 */

import { HarnessError } from '../errno/errors.js';

export const ARENA_MAGIC = 0x444d4142; // "DMAB"
/** Bump when any offset or stride below changes: attaching to another version is refused. */
export const LAYOUT_VERSION = 14;

/** Sizes of the tables. Chosen per scenario; identical in every thread attached to an arena. */
export interface Geometry {
  readonly actors: number;
  readonly mutexes: number;
  readonly classes: number;
  readonly ctxs: number;
  readonly fences: number;
  readonly callbacks: number;
  readonly resvs: number;
  /** Fence slots per dma_resv (the most `max_fences` can grow to). */
  readonly resvSlots: number;
  /** Events per actor trace ring. */
  readonly traceEvents: number;
  /** Decision log capacity (also the replay input capacity). */
  readonly decisions: number;
  readonly findings: number;
  /** Scenario-owned shared words (flags and counters actors and callbacks share). */
  readonly userWords: number;
  readonly dmabufs: number;
  readonly attachments: number;
  /** Physical pages of device/system memory (page 0 is the nirvana page). */
  readonly pages: number;
  /** IOMMU entries (one DMA address page each). */
  readonly iovas: number;
  readonly devices: number;
  /** DMA engine job slots. */
  readonly jobs: number;
  /** Driver-private words (kzalloc'd driver state: krefs, completions, flags). */
  readonly privWords: number;
  /** Lock classes the lock-dependency validator tracks (its matrix is classes²). */
  readonly lockClasses: number;
}

export const DEFAULT_GEOMETRY: Geometry = {
  actors: 8, mutexes: 64, classes: 4, ctxs: 32, fences: 256, callbacks: 64, resvs: 32,
  resvSlots: 16, traceEvents: 1024, decisions: 1 << 16, findings: 32, userWords: 64,
  dmabufs: 16, attachments: 32, pages: 64, iovas: 128, devices: 8, jobs: 32, privWords: 256,
  lockClasses: 64,
};

/** Geometry limits: an id must fit the 24-bit object field of a packed op. */
export const MAX_ACTORS = 31;
export const MAX_OBJECTS = 1 << 24;

/**
 * Generation handles of reclaimed objects (fences, DMA addresses). Such a handle is
 * `row | (generation << rowBits)` within HANDLE_BITS (so it still fits a packed op): the row in
 * the low `rowBits(capacity)` bits, the low bits of the row's generation above. A row's first
 * use has generation 0, so its handle equals its row. The record accessors (Arena.fence/iova)
 * drop the generation; the kernel compares it with the row's to tell a stale handle. With
 * 24 − rowBits generation bits, a handle held across 2^(24 − rowBits) reuses of its row
 * would look current again (one row of a 65,536-fence table: 256 reuses).
 */
export const HANDLE_BITS = 24;
/** Bits of a row index for a table of `capacity` rows (at least 1). */
export function rowBits(capacity: number): number {
  return Math.max(1, 32 - Math.clz32(capacity - 1));
}

// ---------------------------------------------------------------------------------------------
// Header: written once by the creator, read by every attacher to validate.
export const H_MAGIC = 0;
export const H_VERSION = 1;
export const H_WORDS = 2;
/** Geometry fields follow in `GEOMETRY_KEYS` order. */
export const H_GEOMETRY = 3;
export const GEOMETRY_KEYS: readonly (keyof Geometry)[] = [
  'actors', 'mutexes', 'classes', 'ctxs', 'fences', 'callbacks', 'resvs', 'resvSlots',
  'traceEvents', 'decisions', 'findings', 'userWords', 'dmabufs', 'attachments', 'pages', 'iovas',
  'devices', 'jobs', 'privWords', 'lockClasses',
];
export const HEADER_WORDS = 32;
/** Throws ERR_LAYOUT unless words [first, first + count) end at or before word `next` (the next
 *  word in use): a load-time check that a run of words has not grown into its neighbour. */
export function assertWordsFit(what: string, first: number, count: number, next: number, remedy: string): void {
  if (first + count > next) throw new HarnessError('ERR_LAYOUT', `layout.ts: ${what} (words ${first}..${first + count - 1}) reach word ${next}; ${remedy}`);
}
assertWordsFit('the geometry', H_GEOMETRY, GEOMETRY_KEYS.length, HEADER_WORDS, 'raise HEADER_WORDS');

// ---------------------------------------------------------------------------------------------
// Control: one record per arena.
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
/** The fence free list's spinlock (kernel/spinlock.ts word, atomic; 0 free, 1 held). Never held
 *  across a yield, so it is only contended in stress. */
export const C_FENCE_LOCK = 39;
/** Free list of unmapped DMA address ranges (kernel/iova_alloc.ts), oldest first: first IOVA
 *  row + 1 of the first free range, 0 = empty; ranges chain through IO_NEXT_FREE with their
 *  length in IO_LEN; C_FREE_IOVA_TAIL is the last range's row + 1 (0 = empty). Read and written
 *  only with C_IOVA_LOCK held (dma_unmap_sg frees, dma_map_sg allocates). */
export const C_FREE_IOVA = 35;
export const C_FREE_IOVA_TAIL = 37;
/** The IOVA allocator's spinlock (kernel/spinlock.ts word, atomic; 0 free, 1 held): the kernel's
 *  iova_rbtree_lock. Never held across a yield, so it is only contended in stress. */
export const C_IOVA_LOCK = 36;
/** Private word + 1 of the trial's module reference counts (kernel/module/module_ref.ts: one word
 *  per loaded module, in load order), 0 until the first run-time module reference is taken.
 *  The first task to need them claims the word (CAS 0 → −1), allocates and fills the words and
 *  publishes them (store); the others wait out the −1 (a few stores, never across a yield). */
export const C_MODULE_REFS = 40;
/** WARN_ONCE bits of this trial (kernel/task.ts Task.warnOnce): bit (code − 1) % 32 of word
 *  C_WARNED + ⌊(code − 1) / 32⌋ (warnedWord, warnedBit) is set by the one task whose Atomics.or found it clear, which
 *  alone records that warning; any task reads them (the or). Zero after a trial reset, as a boot
 *  starts with every `__warned` clear. Written only on a misuse, so sharing the allocators' line
 *  costs nothing in a clean trial. */
export const C_WARNED = 41;
/** Words of C_WARNED: warning codes 1..32 · WARNED_WORDS can be warned once (warn.ts checks). */
export const WARNED_WORDS = 4;
/* Words 45–46 are unused: room for WARNED_WORDS to grow. */
/** Finding records lost this trial because the findings table was full (atomic; written by
 *  kernel/task.ts recordFinding, read by exec/result.ts collectResult as `dropped`). Each record
 *  of a finding the table does not hold counts, repeats included. Off line 0 (written only at
 *  reset and trial end): a storm of lost records adds to it from every stress thread. */
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
 * record's cache lines. In `controlled` the actor that takes the turn writes C_STEP and C_TURN there
 * first thing (`admit`, without reading the line), so the line follows the turn in one transfer
 * that overlaps the actor's step; nothing else in the record is written per step.
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

// ---------------------------------------------------------------------------------------------
// Actors: one record per actor; "own" means written only by that actor's thread.
/*
 * Two cache lines. The first holds what the turn holder reads about every actor to decide who may
 * run (lifecycle, wait record, pending signal); it changes only when the actor blocks, wakes or
 * ends, so the holder's reads hit. The second holds the seat and the words the owner writes at
 * every step (pending op, trace head, held locks), which nobody else reads while the trial runs.
 */
/** Lifecycle (ACTOR_*). Own; read by the turn holder to compute who is runnable. */
export const A_STATE = 0;
/** What a blocked actor waits for (WAITK_*), the object, flags (WAITF_*), deadline (jiffies),
 *  the ww_acquire_ctx it waits with (id+1, 0 none) and its FIFO ticket. Own. */
export const A_WAIT_KIND = 2;
export const A_WAIT_OBJ = 3;
export const A_WAIT_FLAGS = 4;
export const A_WAIT_DEADLINE = 5;
export const A_WAIT_CTX = 6;
export const A_WAIT_TICKET = 7;
/** A signal is pending for the actor (interruptible waits return -ERESTARTSYS/-EINTR). Written
 *  by any actor (`send_signal`), cleared by the owner. */
export const A_SIGPENDING = 8;
/* Words 1 and 9–15 are unused (the pending op, trace head, held-lock count and signalling depth
 * moved to the second line: written at every step, they made every other actor's reads of this
 * line miss). */
/** Controlled-executor seat (atomic futex word, `seatGrant`/`seatAwait*` protocol in futex.ts):
 *  SEAT_GRANTED = this actor holds the turn. Set and, if the owner announced sleeping, notified
 *  by the previous turn holder (`handoff`); the owner spins or sleeps on it and resets it when it
 *  takes the turn. */
export const A_SEAT = 16;
/** The decision that granted the seat (its index in the decision log). Written by the granter
 *  just before the seat, on the same line; read by the owner once it has the turn (`admit`). */
export const A_GRANT_STEP = 17;
/** Pending packed op (see `packOp`): what the actor does when next scheduled. Own. */
export const A_OP = 18;
/** Trace events written to this actor's ring (ring head). Own. */
export const A_EVCOUNT = 19;
/** Locks currently held (ww and plain). Own. */
export const A_HELD = 20;
/** Depth of dma_fence_begin_signalling() sections. Own. */
export const A_SIGNALLING = 21;
export const ACTOR_WORDS = 32;
/** Words in a 64-byte cache line. The actor table starts on a line boundary, so each record's
 *  second line starts with A_SEAT. */
export const CACHE_LINE_WORDS = 16;

/** Reset state: not run yet (under stress, its thread has not taken the actor up: the
 *  watchdog calls no stall on its account). */
export const ACTOR_NEW = 0;
/** Running, or woken and runnable. */
export const ACTOR_READY = 1;
export const ACTOR_BLOCKED = 2;
export const ACTOR_DONE = 3;

export const WAITK_NONE = 0;
export const WAITK_MUTEX = 1;
export const WAITK_FENCE = 2;
export const WAITK_SLEEP = 3;
/** wait_event: sleeps until arena word A_WAIT_OBJ differs from A_WAIT_DEADLINE's companion
 *  A_WAIT_CTX (the value it had); completions and doorbells. */
export const WAITK_WORD = 4;

export const WAITF_TIMED = 1;
export const WAITF_INTR = 2;
/** With WAITK_SLEEP: a sleep measured in µs (usleep_range), its length in A_WAIT_OBJ. The
 *  deadline is that length rounded up to jiffies, which the virtual clock moves by; the stress
 *  executor sleeps the µs on the wall clock instead. */
export const WAITF_USEC = 4;

// ---------------------------------------------------------------------------------------------
// Mutexes (ww_mutex and plain mutex). Written by the owner (lock/unlock) and by waiters (count).
/** Owner actor + 1, 0 when free (atomic futex word). CAS-acquired; stress waiters
 *  `futexWait` on it while non-zero; `mutex_unlock` stores 0 and notifies. */
export const M_OWNER = 0;
/** Acquire context holding the lock (ctx id + 1), 0 when free or held without a context. */
export const M_CTX = 1;
/** ww class id + 1; 0 = not a ww_mutex. */
export const M_CLASS = 2;
/** Actors queued as waiters (atomic). */
export const M_WAITERS = 3;
/** Lock-dependency class key (for the lockdep-like validator). */
export const M_KEY = 4;
/** MUTEXF_* */
export const M_FLAGS = 5;
/** The mutex's wait_lock (spinlock word, atomic): serialises queueing a waiter (and wounding the
 *  holder) against an acquirer publishing its context and checking waiters. */
export const M_WAIT_LOCK = 6;
export const MUTEX_WORDS = 8;
export const MUTEXF_LIVE = 1;

// ww_class
export const W_STAMP = 0;
export const W_WAIT_DIE = 1;
export const CLASS_WORDS = 2;

// ww_acquire_ctx: all fields written by the owning actor, except X_WOUNDED (any actor that
// wounds it, wound-wait only) — readers are the owner and kill checks of other actors.
export const X_STAMP = 0;
export const X_ACQUIRED = 1;
export const X_WOUNDED = 2;
/** ww_acquire_done() was called. */
export const X_DONE = 3;
export const X_CLASS = 4;
export const X_OWNER = 5;
/** Lock that returned -EDEADLK (id + 1), cleared by lock_slow: the debug `contending_lock`. */
export const X_CONTENDING = 6;
/** CTXS_* */
export const X_STATE = 7;
export const CTX_WORDS = 8;
export const CTXS_FREE = 0;
export const CTXS_LIVE = 1;
export const CTXS_FINI = 2;

// ---------------------------------------------------------------------------------------------
// dma_fence
/** FENCEF_* bits (atomic futex word). Set by the signaler; stress waiters set FENCEF_WAITERS and
 *  `futexWait` on it until SIGNALED is set; `dma_fence_signal` notifies only when WAITERS was set
 *  (waitqueue_active): a waiter that set it after the signal read the word sees the word change. */
export const F_FLAGS = 0;
export const F_CONTEXT = 1;
export const F_SEQNO_LO = 2;
export const F_SEQNO_HI = 3;
/** Error set before signalling (negative errno), 0 = none. */
export const F_ERROR = 4;
/** Virtual time at signal. */
export const F_TIMESTAMP = 5;
export const F_REFCOUNT = 6;
/** Behaviour of the fence's ops (FOPS_*), fixed at init. */
export const F_OPS = 7;
/** Pending callback list: first and last callback id + 1. Written under F_LOCK. */
export const F_CB_HEAD = 8;
export const F_CB_TAIL = 9;
/** Actor expected to signal it (id + 1; 0 unknown): the wait-for graph's fence → actor edge. */
export const F_SIGNALER = 10;
/** Fence spinlock (atomic, 0/1): orders callback registration against signalling in stress. */
export const F_LOCK = 11;
/** Generation of the row (see HANDLE_BITS), bumped (atomic) by the task that releases the fence
 *  (its last dma_fence_put) before the row goes on the free list; read by every checked use of a
 *  fence handle, which reports a handle whose generation differs. Survives reuse; zeroed by a
 *  trial reset. */
export const F_GEN = 12;
/** Free-list link (row + 1 of the next released fence, 0 = end): written and read only with
 *  C_FENCE_LOCK held (dma_fence_alloc.ts). Meaningless while the fence is live. */
export const F_NEXT_FREE = 13;
export const FENCE_WORDS = 14;

export const FENCEF_LIVE = 1;
export const FENCEF_SIGNALED = 2;
export const FENCEF_ENABLE_SIGNAL = 4;
export const FENCEF_SEQNO64 = 8;
export const FENCEF_TIMESTAMP = 16;
/** A stress actor sleeps (or is about to) on this fence: the signal must notify. Never set by
 *  inline or controlled trials. */
export const FENCEF_WAITERS = 32;

/** ops->enable_signaling exists and reports the fence already done (signals at enable). */
export const FOPS_ENABLE_SIGNALS = 1;

// dma_fence_cb: written by the registering actor (add/remove) and by the signaler (runs it).
export const B_FENCE = 0;
export const B_NEXT = 1;
/** Callback function id (index into the scenario's callback table, same in every thread). */
export const B_FN = 2;
export const B_ARG = 3;
/** CBS_* */
export const B_STATE = 4;
export const CB_WORDS = 5;
export const CBS_IDLE = 0;
export const CBS_PENDING = 1;
export const CBS_RUN = 2;

// ---------------------------------------------------------------------------------------------
// dma_resv: the fence list is written only with the resv lock held; read locklessly (RCU-like,
// restart when R_GEN changes).
export const R_LOCK = 0;
export const R_NUM = 1;
export const R_MAX = 2;
/** List generation, a seqcount: writers (resv lock held) make it odd while they change slots and
 *  even again after; lockless readers retry while it is odd or changed under them. */
export const R_GEN = 3;
export const R_FLAGS = 4;
export const R_SLOTS = 5;
/** Per slot: fence id, usage. */
export const SLOT_FENCE = 0;
export const SLOT_USAGE = 1;
export const SLOT_WORDS = 2;
export const RESVF_LIVE = 1;
/** A fence list has been allocated (the first reserve happened). */
export const RESVF_LIST = 2;

// ---------------------------------------------------------------------------------------------
// ---------------------------------------------------------------------------------------------
// dma-buf. Written by the exporter (export, release) and by the core under the resv lock
// (attachment list, pin/map counts); read by the core and the detectors.
export const DB_FLAGS = 0;
/** The dma_resv (embedded or exporter-supplied). */
export const DB_RESV = 1;
/** Size in pages. */
export const DB_SIZE = 2;
/** Exporter ops id (a stable hash; see kernel/dma_buf_ops.ts). */
export const DB_OPS = 3;
/** Exporter-private word. */
export const DB_PRIV = 4;
/** File references (dma_buf_get/put), atomic. */
export const DB_FILEREFS = 5;
export const DB_VMAP_COUNT = 6;
/** Revocation as the detector sees it: who completed the exporter's revoke sequence (actor + 1,
 *  0 = not revoked) and at which step. Written by revoke_complete()/revoke_cleared(). */
export const DB_REVOKED_BY = 7;
export const DB_REVOKE_STEP = 8;
export const DMABUF_WORDS = 10;
export const DBF_LIVE = 1;
export const DBF_RELEASED = 2;
/** The resv is embedded (made by export, finished by release). */
export const DBF_OWN_RESV = 4;

// dma_buf_attachment. Linked/unlinked and counted under the resv lock.
export const AT_DMABUF = 0;
export const AT_DEV = 1;
/** Importer ops id, 0 = static (legacy) importer. */
export const AT_IOPS = 2;
export const AT_P2P = 3;
/** Exporter-private and importer-private words. */
export const AT_PRIV = 4;
export const AT_IPRIV = 5;
export const AT_FLAGS = 6;
/** Pins and live mappings held by the importer through this attachment. */
export const AT_PINS = 7;
export const AT_MAPS = 8;
export const ATTACH_WORDS = 10;
export const ATF_LINKED = 1;
export const ATF_FREED = 2;

// ---------------------------------------------------------------------------------------------
// Memory, IOMMU and devices (kernel/memory.ts, kernel/iommu.ts). Shadow state for the KASAN-like
// detector: every page and DMA address remembers who last changed it and at which step.
/** Page state (PGS_*), owner dma-buf (id + 1), generation (bumped when freed), and who freed it. */
export const PG_STATE = 0;
export const PG_OWNER = 1;
export const PG_GEN = 2;
export const PG_FREED_BY = 3;
export const PG_FREED_STEP = 4;
export const PG_ALLOC_BY = 5;
export const PAGE_WORDS = 6;
export const PGS_FREE = 0;
export const PGS_OWNED = 1;
export const PGS_NIRVANA = 2;
export const PGS_QUARANTINED = 3;
/** Owned, but the destination of a pipelined move whose copy (guarded by the exporter's KERNEL
 *  move fence) has not completed: entered from OWNED and left for OWNED only with a CAS
 *  (memory.ts phys_move_begin / phys_move_done, which wait out a FREEING claim), read by
 *  dma_access.ts (a device access to it is reported). Never claimed by phys_alloc. */
export const PGS_MOVING = 4;
/** Being freed or renewed: claimed (CAS from OWNED or MOVING) by the task in phys_free or
 *  phys_replace, which alone writes the page's words, then stores QUARANTINED (or, renewing it,
 *  the state it had). Never claimed by phys_alloc; a racing free, move_begin or move_done waits
 *  it out. */
export const PGS_FREEING = 5;

/** IOMMU entry: state (IOS_*), target page, page generation when mapped, mapping attachment
 *  (id + 1), device, and who mapped / redirected / unmapped it at which step. Written by the
 *  mapping task (state last, atomic), or by the task that claimed the entry to unmap or redirect
 *  it (IOS_UNMAPPING / IOS_REDIRECTING, then the final state; iova_entry.ts); read by the DMA
 *  engine's access check and the revoke/remove invariants. */
export const IO_STATE = 0;
export const IO_PAGE = 1;
export const IO_GEN = 2;
export const IO_ATTACH = 3;
export const IO_DEV = 4;
export const IO_MAPPED_BY = 5;
export const IO_MAP_STEP = 6;
export const IO_CHANGED_BY = 7;
export const IO_CHANGE_STEP = 8;
/** Handle generation of the entry (see HANDLE_BITS; the full counter, compared in its low bits):
 *  written by dma_map_sg when it (re)uses the entry, one more than the highest generation in the
 *  range it maps, before the atomic store of IO_STATE = VALID; read by the access check and by
 *  dma_unmap_sg / redirect, which ignore a handle of another generation (dma_unmap_sg reports it). */
export const IO_HGEN = 9;
/** Free-range link (first row + 1 of the next free range, 0 = end) and the range's length, valid
 *  in the first entry of a free range. Written and read only with C_IOVA_LOCK held. */
export const IO_NEXT_FREE = 10;
export const IO_LEN = 11;
/** The previous mapping of a reused entry: who mapped it at which step, who unmapped it at which
 *  step. Copied by dma_map_sg from the MAPPED/CHANGED words before it overwrites them; read by
 *  the access check to report a stale DMA address (older generation) as the dma-after-unmap it
 *  was before the reuse. */
export const IO_PREV_MAPPED_BY = 12;
export const IO_PREV_MAP_STEP = 13;
export const IO_PREV_CHANGED_BY = 14;
export const IO_PREV_CHANGE_STEP = 15;
export const IOVA_WORDS = 16;
export const IOS_FREE = 0;
export const IOS_VALID = 1;
export const IOS_NIRVANA = 2;
export const IOS_UNMAPPED = 3;
/** Claimed by a task that is unmapping (→ UNMAPPED) or redirecting (→ NIRVANA) the entry: the
 *  claimer alone writes the entry's words, then stores the final state (iova_entry.ts). Readers
 *  that report who changed the entry wait the claim out; none sleeps on it (no notify). */
export const IOS_UNMAPPING = 4;
export const IOS_REDIRECTING = 5;

/** Device: state (DVS_*), who removed it at which step. */
export const DV_STATE = 0;
export const DV_REMOVED_BY = 1;
export const DV_REMOVED_STEP = 2;
export const DEVICE_WORDS = 4;
export const DVS_BOUND = 0;
export const DVS_REMOVED = 1;

/** DMA engine job: state (JOBS_*), first DMA address (iova id), pages, write?, fence, submitter. */
export const JB_STATE = 0;
export const JB_IOVA = 1;
export const JB_PAGES = 2;
export const JB_WRITE = 3;
export const JB_FENCE = 4;
export const JB_SUBMITTER = 5;
export const JB_ENGINE = 6;
/** Submission ticket from the engine's counter (drivers/dma_engine.ts): the engine runs queued
 *  jobs in ticket order. Written by the submitter before its atomic store of JB_STATE = QUEUED;
 *  read by the engine after it loads QUEUED. */
export const JB_SEQ = 7;
export const JOB_WORDS = 8;
export const JOBS_FREE = 0;
export const JOBS_QUEUED = 1;
export const JOBS_RUNNING = 2;
export const JOBS_DONE = 3;

// ---------------------------------------------------------------------------------------------
// User words: scenario-owned flags and counters (region `user`), written and read by actors and
// fence callbacks through Task.load/store/add (atomic).

// Findings recorded inside a trial (any thread; kernel/task.ts recordFinding). Slots are taken in
// order: G_CODE is 0 while free, FINDING_FILLING while its claimer (CAS from 0) writes the other
// words, then the code (atomic store); a published slot changes only in G_REPEATS (atomic add).
export const G_CODE = 0;
export const G_ACTOR = 1;
export const G_STEP = 2;
export const G_OBJ = 3;
export const G_ARG = 4;
/** Detector-specific context (who mapped / revoked / freed, and when): four words. */
export const G_AUX = 5;
export const FINDING_AUX_WORDS = 4;
/** Later records of the same finding merged into this slot (recordFinding says what is the same),
 *  saturating at INT32_MAX (kernel/task.ts incSaturating); read by exec/result.ts modelFindings as
 *  the finding's `repeats`. */
export const G_REPEATS = 9;
export const FINDING_WORDS = 10;
/** G_CODE of a slot being filled by the task that claimed it. */
export const FINDING_FILLING = -1;

// Decision log: per decision, the actor picked and the op it had pending. Written by the turn
// holder; main reads it after the trial; holds the schedule to follow when replaying.
export const D_ACTOR = 0;
export const D_OP = 1;
export const DECISION_WORDS = 2;

// Trace ring events: global sequence, packed op, auxiliary object, result.
export const T_SEQ = 0;
export const T_OP = 1;
export const T_AUX = 2;
export const T_RET = 3;
export const EVENT_WORDS = 4;

/** Scheduler state words (PRNG + strategy). Words below SCHED_PERSIST are reset per trial by the
 *  strategy itself; words from SCHED_PERSIST on survive resets (learned parameters). */
export const SCHED_WORDS = 128;
export const SCHED_PERSIST = 96;

// ---------------------------------------------------------------------------------------------
// Lock-dependency validator (kernel/lockdep.ts hooks): its own sub-layout lives in
// src/kernel/lockdep_layout.ts; this file only sizes the region. It is NOT reset between trials.
/** Words reserved for the validator: header, per-actor held-lock stacks (64 words), the class
 *  table (4 words a class), the dependency matrix as bits and its first-seen details (6 words an
 *  edge). Must equal kernel/lockdep_layout.ts lockdepWordsNeeded. */
export function lockdepSize(g: Geometry): number {
  return 64 + g.actors * 64 + g.lockClasses * 4 + g.lockClasses * ((g.lockClasses + 31) >>> 5) +
    g.lockClasses * g.lockClasses * 6;
}

// ---------------------------------------------------------------------------------------------
/** Base index of every region for one geometry. */
export interface Layout {
  readonly geometry: Geometry;
  readonly control: number;
  readonly sched: number;
  readonly actors: number;
  readonly mutexes: number;
  readonly classes: number;
  readonly ctxs: number;
  readonly fences: number;
  readonly callbacks: number;
  readonly resvs: number;
  readonly resvWords: number;
  readonly findings: number;
  readonly user: number;
  readonly dmabufs: number;
  readonly attachments: number;
  readonly pages: number;
  readonly iovas: number;
  readonly devices: number;
  readonly jobs: number;
  readonly priv: number;
  /** Row bits of fence and DMA address handles (see HANDLE_BITS). */
  readonly fenceRowBits: number;
  readonly iovaRowBits: number;
  /** Lock-dependency validator state: survives trial resets (edges are kept across trials). */
  readonly lockdep: number;
  readonly lockdepWords: number;
  readonly decisions: number;
  readonly trace: number;
  /** First word that a trial reset leaves alone (the trace rings are reset by their heads). */
  readonly resetEnd: number;
  readonly words: number;
}

export function computeLayout(g: Geometry): Layout {
  let at = HEADER_WORDS;
  const take = (n: number): number => { const base = at; at += n; return base; };
  const control = take(CONTROL_WORDS);
  const sched = take(SCHED_WORDS);
  at = Math.ceil(at / CACHE_LINE_WORDS) * CACHE_LINE_WORDS;
  const actors = take(g.actors * ACTOR_WORDS);
  const mutexes = take(g.mutexes * MUTEX_WORDS);
  const classes = take(g.classes * CLASS_WORDS);
  const ctxs = take(g.ctxs * CTX_WORDS);
  const fences = take(g.fences * FENCE_WORDS);
  const callbacks = take(g.callbacks * CB_WORDS);
  const resvWords = R_SLOTS + g.resvSlots * SLOT_WORDS;
  const resvs = take(g.resvs * resvWords);
  const findings = take(g.findings * FINDING_WORDS);
  const user = take(g.userWords);
  const dmabufs = take(g.dmabufs * DMABUF_WORDS);
  const attachments = take(g.attachments * ATTACH_WORDS);
  const pages = take(g.pages * PAGE_WORDS);
  const iovas = take(g.iovas * IOVA_WORDS);
  const devices = take(g.devices * DEVICE_WORDS);
  const jobs = take(g.jobs * JOB_WORDS);
  const priv = take(g.privWords);
  const resetEnd = at;
  const lockdepWords = lockdepSize(g);
  const lockdep = take(lockdepWords);
  const decisions = take(g.decisions * DECISION_WORDS);
  const trace = take(g.actors * g.traceEvents * EVENT_WORDS);
  return {
    geometry: g, control, sched, actors, mutexes, classes, ctxs, fences, callbacks, resvs,
    resvWords, findings, user, dmabufs, attachments, pages, iovas, devices, jobs, priv, lockdep,
    lockdepWords, decisions, trace, resetEnd, words: at,
    fenceRowBits: rowBits(g.fences), iovaRowBits: rowBits(g.iovas),
  };
}

/** A table whose rows are handed out only from its cursor (control word `cursor`), freed rows
 *  being reused below it: rows at and past the cursor stay zero during a trial. */
export interface CursorTable {
  readonly base: number;
  readonly stride: number;
  readonly rows: number;
  readonly cursor: number;
}

/**
 * The cursor tables of layout `l`, in arena order. A trial reset zeroes only the rows below each
 * cursor (Arena.resetTrial): a canonical trial touches a few rows of tables sized for the
 * largest scenario. Tables indexed otherwise (pages, findings, driver words) are zeroed whole.
 */
export function cursorTables(l: Layout): readonly CursorTable[] {
  const g = l.geometry;
  const t = (base: number, stride: number, rows: number, cursor: number): CursorTable => ({ base, stride, rows, cursor });
  return [
    t(l.mutexes, MUTEX_WORDS, g.mutexes, C_NEXT_MUTEX), t(l.ctxs, CTX_WORDS, g.ctxs, C_NEXT_CTX),
    t(l.fences, FENCE_WORDS, g.fences, C_NEXT_FENCE), t(l.callbacks, CB_WORDS, g.callbacks, C_NEXT_CB),
    t(l.resvs, l.resvWords, g.resvs, C_NEXT_RESV), t(l.dmabufs, DMABUF_WORDS, g.dmabufs, C_NEXT_DMABUF),
    t(l.attachments, ATTACH_WORDS, g.attachments, C_NEXT_ATTACH), t(l.iovas, IOVA_WORDS, g.iovas, C_NEXT_IOVA),
    t(l.devices, DEVICE_WORDS, g.devices, C_NEXT_DEVICE), t(l.jobs, JOB_WORDS, g.jobs, C_NEXT_JOB),
  ];
}

// ---------------------------------------------------------------------------------------------
// Packed ops: what an actor yields. Bits 24..30 hold the op code, bits 0..23 the object id.
export function packOp(op: number, obj: number): number {
  return (op << 24) | (obj & 0xffffff);
}
export function opOf(packed: number): number {
  return packed >>> 24;
}
export function objOf(packed: number): number {
  return packed & 0xffffff;
}
