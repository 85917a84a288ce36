/** The mutex table (ww_mutex and plain mutex), at `Layout.mutexes`. Written by the owner
 *  (lock/unlock) and by waiters (count). */

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
/** The mutex's wait_lock (kernel/spinlock.ts word, atomic; 0 free, held: its owner, actor + 1):
 *  serialises queueing a waiter (and wounding the holder) against an acquirer publishing its
 *  context and checking waiters. */
export const M_WAIT_LOCK = 6;
/** Actors (bit `1 << actor`, atomic) whose hold another task's unlock released: each still holds
 *  the mutex as far as it and lockdep know (mutex_unlock.ts), until its own unlock. */
export const M_STALE = 7;
export const MUTEX_WORDS = 8;
export const MUTEXF_LIVE = 1;
