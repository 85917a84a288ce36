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

export const ARENA_MAGIC = 0x444d4142; // "DMAB"
/** Bump when any offset or stride below changes: attaching to another version is refused. */
export const LAYOUT_VERSION = 3;

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
}

export const DEFAULT_GEOMETRY: Geometry = {
  actors: 8, mutexes: 64, classes: 4, ctxs: 32, fences: 256, callbacks: 64, resvs: 32,
  resvSlots: 16, traceEvents: 1024, decisions: 1 << 16, findings: 32, userWords: 64,
  dmabufs: 16, attachments: 32,
};

/** Geometry limits: an id must fit the 24-bit object field of a packed op. */
export const MAX_ACTORS = 31;
export const MAX_OBJECTS = 1 << 24;

// ---------------------------------------------------------------------------------------------
// Header: written once by the creator, read by every attacher to validate.
export const H_MAGIC = 0;
export const H_VERSION = 1;
export const H_WORDS = 2;
/** Geometry fields follow in `GEOMETRY_KEYS` order. */
export const H_GEOMETRY = 3;
export const GEOMETRY_KEYS: readonly (keyof Geometry)[] = [
  'actors', 'mutexes', 'classes', 'ctxs', 'fences', 'callbacks', 'resvs', 'resvSlots',
  'traceEvents', 'decisions', 'findings', 'userWords', 'dmabufs', 'attachments',
];
export const HEADER_WORDS = 32;
if (H_GEOMETRY + GEOMETRY_KEYS.length > HEADER_WORDS) {
  throw new Error('layout.ts: the geometry no longer fits the arena header; raise HEADER_WORDS');
}

// ---------------------------------------------------------------------------------------------
// Control: one record per arena.
/** Trial state (atomic). Written by the turn holder (or any stress actor, or the main-thread
 *  watchdog) when the trial ends; read by all. Main thread waits on it (`Atomics.waitAsync`
 *  until it leaves RUNNING); paired with the notify in `endTrial`. */
export const C_STATE = 0;
/** Actor that holds the turn (controlled). Written by the yielding turn holder; read by the
 *  watchdog and the deadlock report. */
export const C_TURN = 1;
/** Scheduling decisions made so far this trial. Turn holder writes; all read. */
export const C_STEP = 2;
/** Trace event sequence number (atomic in stress). */
export const C_EVSEQ = 3;
/** Virtual time in jiffies. Turn holder writes (timeouts and sleeps advance it). */
export const C_CLOCK = 4;
/** Decision bound: reaching it ends the trial as a hang (livelock). Main writes. */
export const C_STEP_LIMIT = 5;
/** Actors in this trial. Main writes at reset. */
export const C_NACTORS = 6;
/** Executor kind (EXEC_*). Main writes at reset. */
export const C_MODE = 7;
/** Trial generation, bumped by every reset. Main writes; workers read to detect a new trial. */
export const C_TRIAL = 8;
/** Progress counter (atomic): bumped by every yield in stress; read by the watchdog. */
export const C_PROGRESS = 9;
/** Who/what ended the trial: actor index, and a state-specific detail (replay step, …). */
export const C_END_ACTOR = 10;
export const C_END_DETAIL = 11;
/** Decisions to follow when replaying (0 = not replaying). Main writes. */
export const C_REPLAY_LEN = 12;
/** Actors finished (atomic). */
export const C_DONE = 13;
/** Allocation cursors (bump allocators, reset per trial). Written by setup and by the turn
 *  holder (atomic in stress). */
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
/** Findings recorded this trial (atomic). */
export const C_NFINDINGS = 22;
/** Replay divergence detail: the op the replay expected at C_END_DETAIL's step. */
export const C_DIVERGE_OP = 23;
/** Wait-policy of the controlled executor (WAIT_*), written by main at reset. */
export const C_WAIT_POLICY = 24;
/** Kernel semantics of this trial (KERNEL_*): the v3 posting or the merged series. Main writes. */
export const C_KERNEL = 26;
export const C_NEXT_DMABUF = 27;
export const C_NEXT_ATTACH = 28;
/** Stop request for free-running (stress) actors: main sets 1 when the duration is over; actors
 *  poll it through Task.stopRequested(). */
export const C_STOP = 25;
export const CONTROL_WORDS = 32;

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

export const KERNEL_FINAL = 0;
export const KERNEL_V3 = 1;

export const WAIT_SPIN = 0;
export const WAIT_SLEEP = 1;

// ---------------------------------------------------------------------------------------------
// Actors: one record per actor; "own" means written only by that actor's thread.
/** Lifecycle (ACTOR_*). Own; read by the turn holder to compute who is runnable. */
export const A_STATE = 0;
/** Pending packed op (see `packOp`): what the actor does when next scheduled. Own. */
export const A_OP = 1;
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
/** Controlled-executor seat (atomic futex word): 1 = this actor holds the turn. Set to 1 and
 *  notified by the previous turn holder (`handoff`); the actor waits on it while 0
 *  (`awaitTurn`) and clears it before handing the turn on. */
export const A_SEAT = 9;
/** Decisions that picked this actor. Own. */
export const A_STEPS = 10;
/** Trace events written to this actor's ring (ring head). Own. */
export const A_EVCOUNT = 11;
/** Locks currently held (ww and plain). Own. */
export const A_HELD = 12;
/** Depth of dma_fence_begin_signalling() sections. Own. */
export const A_SIGNALLING = 13;
export const ACTOR_WORDS = 16;

export const ACTOR_NEW = 0;
export const ACTOR_READY = 1;
export const ACTOR_BLOCKED = 2;
export const ACTOR_DONE = 3;

export const WAITK_NONE = 0;
export const WAITK_MUTEX = 1;
export const WAITK_FENCE = 2;
export const WAITK_SLEEP = 3;

export const WAITF_TIMED = 1;
export const WAITF_INTR = 2;

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
/** FENCEF_* bits (atomic futex word). Set by the signaler; stress waiters `futexWait` on it
 *  until SIGNALED is set; `dma_fence_signal` notifies. */
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
export const FENCE_WORDS = 12;

export const FENCEF_LIVE = 1;
export const FENCEF_SIGNALED = 2;
export const FENCEF_ENABLE_SIGNAL = 4;
export const FENCEF_SEQNO64 = 8;
export const FENCEF_TIMESTAMP = 16;

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
/** List generation: bumped whenever slots move (reallocation/compaction). */
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
export const DMABUF_WORDS = 8;
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

// User words: scenario-owned flags and counters (region `user`), written and read by actors and
// fence callbacks through Task.load/store/add (atomic).

// Findings recorded inside a trial (any thread; slot claimed with Atomics.add on C_NFINDINGS).
export const G_CODE = 0;
export const G_ACTOR = 1;
export const G_STEP = 2;
export const G_OBJ = 3;
export const G_ARG = 4;
export const FINDING_WORDS = 5;

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
  const resetEnd = at;
  const decisions = take(g.decisions * DECISION_WORDS);
  const trace = take(g.actors * g.traceEvents * EVENT_WORDS);
  return {
    geometry: g, control, sched, actors, mutexes, classes, ctxs, fences, callbacks, resvs,
    resvWords, findings, user, dmabufs, attachments, decisions, trace, resetEnd, words: at,
  };
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
