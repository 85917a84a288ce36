/**
 * The WARN/BUG table's (warn.ts) locking rows: ww_mutex acquire-context misuse, mutex unlock
 * balance and ownership, lockdep's reports (recursive and circular locking, a lock not held, wait
 * context, inconsistent irq usage), spinlock debugging, and locks held at exit.
 */
export const LOCK_SPECS = [
  ['WW_SLOW_NO_EDEADLK', 'assertion', 'ww_mutex_lock_slow', 'slow-path lock without a prior -EDEADLK'],
  ['WW_WRONG_LOCK_AFTER_EDEADLK', 'assertion', 'ww_mutex_lock', 'acquired another ww_mutex than the one that returned -EDEADLK'],
  ['WW_HOLDING_AFTER_EDEADLK', 'assertion', 'ww_mutex_lock', 'locked after -EDEADLK without releasing every lock of the context'],
  ['WW_EDEADLK_AGAIN', 'assertion', 'ww_mutex_lock', '-EDEADLK again before backing off: the context still has a contended lock'],
  ['WW_CLASS_MISMATCH', 'assertion', 'ww_mutex_lock', 'acquire context of another ww_class than the mutex'],
  ['WW_LOCK_AFTER_DONE', 'assertion', 'ww_mutex_lock', 'locking with a context after ww_acquire_done'],
  ['WW_DONE_TWICE', 'assertion', 'ww_acquire_done', 'ww_acquire_done called twice'],
  ['WW_FINI_HELD', 'assertion', 'ww_acquire_fini', 'acquire context finished with locks held'],
  ['WW_FINI_TWICE', 'assertion', 'ww_acquire_fini', 'acquire context finished twice, or by a task that does not own it'],
  ['WW_CTX_STALE', 'assertion', 'ww_mutex_lock', 'locking with an acquire context the task does not hold: finished, or another task\'s'],
  ['WW_TWO_CONTEXTS', 'assertion', 'ww_acquire_init', 'second acquire context of the same class in one task'],
  ['WW_CTX_STILL_SET', 'assertion', 'ww_mutex_lock', 'acquired a ww_mutex whose ww->ctx is still set: it was released with mutex_unlock, not ww_mutex_unlock'],
  ['LOCK_RECURSIVE', 'assertion', 'ww_mutex_lock', 'possible recursive locking: blocking on a lock class (and subclass) the task already holds, with no acquire context nesting both'],
  ['UNLOCK_NOT_HELD', 'assertion', 'mutex_unlock', 'bad unlock balance: unlocking a mutex the task does not hold'],
  ['MUTEX_UNLOCK_NOT_OWNER', 'assertion', '__mutex_unlock_slowpath', 'DEBUG_LOCKS_WARN_ON(__owner_task(owner) != current): unlocking a mutex the task locked, which another task\'s unlock released meanwhile (it is free, or a third task holds it)'],
  ['WW_UNLOCK_UNBALANCED', 'assertion', 'ww_mutex_unlock', 'unlock with the context holding no locks'],
  ['LOCK_NOT_HELD', 'lock-not-held', 'lockdep_assert_held', 'lock not held by the caller'],
  ['LOCK_NEST_NOT_HELD', 'assertion', 'spin_lock_nest_lock', 'lockdep: a lock taken with a nest_lock the task does not hold (print_lock_nested_lock_not_held)'],
  ['LOCKDEP_CIRCULAR', 'circular-locking', 'lock_acquire', 'possible circular locking dependency detected'],
  // Titled after the blocking lock call (check_wait_context's acquisition), as SLEEP_IN_ATOMIC is.
  ['INVALID_WAIT_CONTEXT', 'assertion', 'mutex_lock', 'lockdep: BUG: Invalid wait context — a sleeping lock (mutex, ww_mutex) acquired while the task holds a spinlock or runs in hardirq context (check_wait_context: LD_WAIT_SLEEP inside LD_WAIT_CONFIG / LD_WAIT_SPIN; interrupts disabled outside hardirq are LD_WAIT_MAX, no report)'],
  // lockdep's print_usage_bug (lockdep_irq.ts), titled after the lock call that set the second
  // usage bit, as LOCK_RECURSIVE is; the condition is the report's "inconsistent {%s} -> {%s}
  // usage."
  ['LOCK_IRQ_INCONSISTENT_ON', 'assertion', 'spin_lock', 'lockdep: inconsistent lock state — a lock class used in hardirq context taken with interrupts enabled: the interrupt arriving on that CPU deadlocks on it'],
  ['LOCK_IRQ_INCONSISTENT_IN', 'assertion', 'spin_lock', 'lockdep: inconsistent lock state — a lock class taken with interrupts enabled elsewhere taken in hardirq context: the interrupt arriving on that CPU deadlocks on it'],
  // lockdep's print_bad_irq_dependency (a new dependency) and print_irq_inversion_bug (a new usage
  // bit) across classes (lockdep_irq.ts), titled after the lock call, the headline as condition.
  ['LOCK_IRQ_SAFE_UNSAFE', 'assertion', 'spin_lock', 'lockdep: a HARDIRQ-safe lock class (used in hardirq context) taken before a HARDIRQ-unsafe one (taken with interrupts on): the interrupt waits for the safe lock, whose holder waits for the unsafe one on the interrupted CPU'],
  ['LOCK_IRQ_INVERSION', 'assertion', 'spin_lock', 'lockdep: a lock class became HARDIRQ-safe while it reaches a HARDIRQ-unsafe class through recorded dependencies, or HARDIRQ-unsafe while a HARDIRQ-safe class reaches it'],
  // lockdep_hardirqs_on's DEBUG_LOCKS_WARN_ON(lockdep_hardirq_context()), titled after the call
  // that enabled interrupts (kernel/hardirq.ts local_irq_restore; schedule for the return from a
  // sleep in a handler, finish_task_switch).
  ['IRQS_ON_IN_HARDIRQ', 'assertion', 'local_irq_enable', 'lockdep: interrupts enabled inside an interrupt handler (local_irq_enable, spin_unlock_irq or the return from a sleep in hardirq context)'],
  ['LOCK_HELD_AT_EXIT', 'leak', 'do_exit', 'task exited with locks held'],
  // The task left a local_irq_save / spin_lock_irqsave section open (exec/resume.ts): do_exit's
  // WARN_ON(irqs_disabled()) on the return path, then spin_unlock_irq enables them; the condition
  // is make_task_dead's pr_info "note: %s[%d] exited with irqs disabled" (the oops path).
  ['EXITED_IRQS_DISABLED', 'leak', 'do_exit', 'note: exited with irqs disabled — a task returned with interrupts disabled (a local_irq_save, spin_lock_irq or spin_lock_irqsave not undone)'],
  // The task's code returned inside a hardirq_enter it never left: on current kernels do_exit's
  // WARN_ON(irqs_disabled()), then sleeping in atomic context (before 5.17, and on the oops path,
  // the panic "Aiee, killing interrupt handler!"); one finding, then the model leaves the handler
  // for the task and its exit goes on (kernel/exit.ts exit_irqs_on).
  ['EXITED_IN_INTERRUPT', 'assertion', 'do_exit', 'a task returned in hardirq context (a hardirq_enter not left): do_exit WARNs and the exit sleeps in atomic context (older kernels panic: Aiee, killing interrupt handler!)'],
  ['SPINLOCK_LOCKUP', 'hang', 'spin_lock', 'spinlock lockup suspected'],
  // CONFIG_DEBUG_SPINLOCK's debug_spin_lock_before: SPIN_BUG_ON(READ_ONCE(lock->owner) == current,
  // lock, "recursion"), checked before the spin it would never leave; the model ends the task
  // there (spinlock.ts spin_lock). One row for a spinlock_t and the model's own locks (the fence
  // lock is a driver's spinlock_t in the kernel, and spin_bug prints the same): the object tells
  // which lock.
  ['SPIN_RECURSION', 'assertion', 'spin_lock', 'BUG: spinlock recursion: spin_lock of a spinlock the task already holds (a spinlock_t, or the model\'s own: fence, poll, wait_lock, allocator locks)'],
  // CONFIG_DEBUG_SPINLOCK's debug_spin_unlock: SPIN_BUG_ON(!raw_spin_is_locked(lock), lock,
  // "already unlocked") and SPIN_BUG_ON(lock->owner != current, lock, "wrong owner"), which print
  // and go on (spinlock_lockdep.ts spin_unlock_dep).
  ['SPIN_ALREADY_UNLOCKED', 'assertion', 'spin_unlock', 'BUG: spinlock already unlocked: spin_unlock of a spinlock_t nobody holds (unlocked twice, or never locked)'],
  ['SPIN_WRONG_OWNER', 'assertion', 'spin_unlock', 'BUG: spinlock wrong owner: spin_unlock of a spinlock_t another task holds'],
] as const;
