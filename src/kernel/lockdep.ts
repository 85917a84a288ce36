/**
 * The lock-class dependency validator (kernel/locking/lockdep.c, reduced to what the model needs).
 *
 * Every validated mutex has a lock class (M_KEY holds its id in the class table; 0 = not
 * validated): reservation locks share `reservation_ww_class_mutex`, a ww_mutex made without a key
 * gets its ww_class's class, and a mutex made with a key gets the class of that key — a NAME string
 * (hashed to a stable id like warn.ts siteId, so every thread agrees) or a numeric key. A plain
 * mutex made without a key is not validated. mutex_lock_nested's subclass 1..7 of a class is a
 * class of its own (`<name>/<subclass>`, lockdepSubclass), as in lockdep. `dma_fence_map` is a
 * pseudo lock (lockdep map) for fence signalling: a signalling section holds it as a recursive read
 * (trylock: no edge), and waiting on a fence acquires and releases it, so "wait on a fence while
 * holding L" is L → dma_fence_map and "take L while signalling" is dma_fence_map → L.
 *
 * Each actor keeps a stack of held locks; a blocking acquisition attempt (like lock_acquire,
 * before the lock may be contended) adds an edge held class → acquired class for every held lock
 * of another class (trylocks add none; same-class edges are never added; a context's
 * first_lock_dep_map only from its map, which reaches the same classes: lockdep_ctx.ts).
 * Blocking on a class already held is check_deadlock's "possible recursive locking",
 * LOCK_RECURSIVE, for plain mutexes, ww_mutexes and lock_map_acquire's maps alike, unless an
 * acquire context nests it. As in the kernel since 6.13, ww_acquire_init holds the context's
 * map (`<ww_class>_acquire`, the nest_lock of its locks) and its first_lock_dep_map (a pseudo
 * lock of `<ww_class>_mutex`) until ww_acquire_fini: a lock
 * taken after ww_acquire_init depends on the mutex class even before the context's first
 * ww_mutex, a ww_mutex taken through the context is nested (no recursion, and lockdep adds no
 * dependency), and one taken without it is recursive locking. The model departs in one point:
 * a nested acquisition still depends on the locks taken after the first real lock of its class
 * (one context taking resv A, X, resv B records resv → X → resv), where lockdep records nothing —
 * a real hazard against a task taking resv B then X, kept as a stricter check. The classes ×
 * classes matrix lives in the arena and is never reset, so it spans
 * every trial of an executor. When an edge is NEW and the acquired class already reaches the held
 * one, the cycle is recorded once as LOCKDEP_CIRCULAR (circular-locking, titled after the
 * acquiring function), with aux = [held class, acquired class, the serial bound of the graph the
 * edge joined (lockdep_graph.ts addEdge), held-as-read].
 *
 * After a report the model goes on validating: the kernel's lockdep turns itself off at its
 * first report (debug_locks_off, as a DEBUG_LOCKS_WARN_ON does), the model has no debug_locks, so
 * one misuse does not hide an independent one later in the trial (each finding is recorded once).
 * A reported acquisition is still held — pushed on the held stack, so its release balances and
 * pops its own entry: after LOCK_RECURSIVE (no dependency added for it), after
 * INVALID_WAIT_CONTEXT (a blocking lock under a spinlock: nothing checked or recorded for it,
 * lockdep_hooks.ts lockdepInvalidWait), after an irq usage report (LOCK_IRQ_INCONSISTENT_*,
 * LOCK_IRQ_INVERSION: __lock_acquire's `if (!mark_usage(...)) return 0;` — no nest_lock check,
 * check_deadlock or dependency for it; at interrupts on, mark_held_locks marks no lock above the
 * reported one: lockdep_irq.ts), after "nested lock was not taken" (WW_CTX_STALE: nothing
 * checked for it, nor its ww debug checks made) and for a second context's maps
 * (WW_TWO_CONTEXTS: no check for them). Within one acquisition the model follows
 * debug_locks_off: the first ww debug check that fails (DEBUG_LOCKS_WARN_ON, kernel order) is
 * the acquisition's one ww report — lock_slow's missing -EDEADLK, then
 * ww_mutex_lock_acquired's checks (ww_mutex_acquired.ts) — and silences the rest of them and a
 * later "nested lock was not taken" of the same call (a trylock's, whose ww checks come first;
 * lock_slow's) and the same call's __ww_mutex_kill check (WW_EDEADLK_AGAIN); the next
 * acquisition is checked afresh. Lockdep's own reports (LOCK_RECURSIVE, LOCKDEP_CIRCULAR,
 * INVALID_WAIT_CONTEXT) are not silenced by a ww report of the same acquisition — a departure:
 * the kernel's first report of either kind turns the rest off — so a circular dependency, which
 * is checked once when first seen, is never lost to a misuse reported beside it.
 *
 * Priming: the first use of an arena seeds dma_resv_lockdep()'s order — mmap_lock → resv
 * acquire context → resv lock → fs_reclaim → i_mmap_rwsem → mmu notifier map → dma_fence_map —
 * so taking a resv lock inside a signalling section is reported on first sight.
 *
 * Cost: the acquire hook is O(held locks) with no allocation; the cycle search runs only when an
 * edge is new (its matrix bit was clear), which happens at most classes² times per arena.
 *
 * This file is the validator's public face; the parts live in:
 *   lockdep_layout.ts    the arena sub-layout (header, held stacks, class table, matrix, edges)
 *   lockdep_claim.ts     claiming and publishing its shared records; dead claimers taken over
 *   lockdep_class.ts     the class table, class names and dma_resv_lockdep() priming
 *   lockdep_held.ts      the per-actor held-lock stacks
 *   lockdep_graph.ts     the dependency matrix, first-seen edge records and its one search
 *   lockdep_hooks.ts     the hooks the model calls (ww_mutex, annotations)
 *   lockdep_ctx.ts       an acquire context's maps and the nest_lock check
 *   lockdep_map.ts       the pseudo-lock annotations (might_lock, lock_map_acquire /
 *                        lock_map_release, dma_fence_map for fence waits and signalling sections)
 *   lockdep_usage.ts     a class's irq usage record (bits, first setter, trial per bit)
 *   lockdep_irq.ts       hardirq usage per class, its reports, mark_held_locks at interrupts on
 *   lockdep_circular.ts  report data of a circular-locking finding (shape: trace/lockdep_info.ts)
 *   lockdep_carry.ts     what a lockdep finding carries to replays: its chains, earlier usage
 *   lockdep_prime.ts     a chain as data, and priming a fresh arena with deps and usage (replays)
 */
export {
  FENCE_MAP_NAME, FS_RECLAIM_NAME, I_MMAP_NAME, MMAP_LOCK_NAME, MMU_NOTIFIER_MAP_NAME, RESERVATION_ACQUIRE_NAME,
  RESERVATION_CLASS_NAME, MAX_LOCKDEP_SUBCLASSES, fenceMapClass, lockdepClassName, lockdepEdgeCount, lockdepMutexClass, lockdepMutexClassOf,
  lockdepSubclass, lockdep_class, reservationClass, type LockClassKey,
} from './lockdep_class.js';
export { lockdepHasEdge, lockdepPath } from './lockdep_graph.js';
export { lockdepHeld, lockdepHeldOverflow } from './lockdep_held.js';
export {
  ACQ_FNS, ACQ_MUTEX, ACQ_NESTED, ACQ_WW, ACQ_WW_SLOW, lock_is_held, lockdep_assert_held, lockdepAcquire, lockdepAcquired, lockdepInvalidWait, lockdepRelease,
} from './lockdep_hooks.js';
export { LOCKDEP_NOT_NESTED, lockdepCtxHeld, lockdepCtxNest } from './lockdep_ctx.js';
export { lock_map_acquire, lock_map_release, lockdepMightWait, lockdepSignallingBegin, lockdepSignallingEnd, might_lock } from './lockdep_map.js';
export { lockdepMarkSleepingLock } from './lockdep_irq.js';
export { lockdepLayout } from './lockdep_layout.js';
export { lockdepCircularInfo, type CircularData, type LockdepEdgeData } from './lockdep_circular.js';
export { lockdepChainDeps, lockdepPrimeDeps, lockdepPrimeUsage, lockdepRestart } from './lockdep_prime.js';
export { lockdepCarried } from './lockdep_carry.js';
