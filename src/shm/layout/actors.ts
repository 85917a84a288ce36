/** The actor table, at `Layout.actors` (on a cache-line boundary): one record per actor; "own"
 *  means written only by that actor's thread. */

/*
 * Two cache lines. The first holds what the turn holder reads about every actor to decide who may
 * run (lifecycle, stall mark, wait record, pending signal); it changes only when the actor blocks,
 * wakes, stalls or ends, so the holder's reads hit. The second holds the seat and the words the
 * owner writes at every step (pending op, trace head, held locks), which nobody else reads while
 * the trial runs.
 */
/** Lifecycle (ACTOR_*). Own; read by the turn holder to compute who is runnable. */
export const A_STATE = 0;
/** Stress stall points (exec/stress_stalls.ts): the stalls the actor began and ended this trial,
 *  odd while it is stalled (it stays ACTOR_READY but does not run). Own, written by stallActor;
 *  read by the other actors' stalls (othersCanRun) and the stress watchdog (stress_watch.ts). */
export const A_STALLS = 1;
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
/** The blocked call a hang is titled after (kernel/wait_site.ts: WS_*; 0: the wait kind's
 *  primitive). Written with the wait record by the owner; read when a trial ends in a hang. */
export const A_WAIT_SITE = 9;
/* Words 10–15 are unused (the pending op, trace head, held-lock count and signalling depth
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
/** Set once a trial by the actor's thread when it takes the actor up (threaded executors): its
 *  kernel thread id, or -1 where the OS does not tell it; 0 (reset) until then. Read by the
 *  main-thread watchdogs (take_up.ts). Own. */
export const A_TID = 22;
/** Spinlocks the actor holds (spin_lock depth) and its hardirq nesting: the model's preempt_count,
 *  in_atomic(). Own. */
export const A_SPIN = 23;
/** Hardirq nesting (kernel/hardirq.ts hardirq_enter/exit, and irq_work while it runs): in_hardirq()
 *  while > 0. Each level also counts in A_SPIN (the kernel's HARDIRQ_OFFSET in preempt_count), so
 *  in_atomic() holds. Own. */
export const A_HARDIRQ = 24;
/** Interrupts disabled by local_irq_save / local_irq_disable (1) or enabled (0) outside hardirq
 *  context. Not in A_SPIN (local_irq_save changes no preempt_count): might_sleep and the RCU
 *  deferral test it beside A_SPIN (kernel/preempt.ts preemptible()), irq_work alone. Own. */
export const A_IRQS_OFF = 25;
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
