/**
 * The fence lock (a fence row's F_LOCK word, the kernel's `fence->lock`) as a lockdep class.
 *
 * In the kernel the fence lock is a spinlock_t the fence's provider owns and spin_lock_init's — a
 * driver's fence->lock, dma_fence_array's array->lock, dma_fence_chain's chain->lock — so its class
 * is that init site's static key. The model has no init sites; one class per fence ops stands in
 * for them: a provider initialises its fences' locks at one site and hands them to dma_fence_init
 * with its own ops, so "same ops" is "same init site" for every provider the model has — each
 * driver ops registered in dma_fence_user_ops.ts, the array and the chain (their own ops and
 * locks). The model's plain fences (no ops: job fences, a test's fences) get no class: they stand
 * for many providers' fences whose init sites the model does not know, and one class for them all
 * would invent "recursive locking" when a callback on one signals another (a chain of drivers,
 * legal in the kernel) and cycles between unrelated drivers; their lock is the plain owner-word
 * spinlock it was (spinlock.ts), so a cycle through a plain fence's lock goes unreported — an
 * under-approximation. Taking a classed fence lock is then spin_acquire of that class, as a
 * spinlock_t's (spinlock_lockdep.ts spinLockClassed): check_deadlock first — a held fence lock of
 * the same ops, nothing nesting it, is LOCK_RECURSIVE titled after spin_lock_irqsave (dma-fence.c
 * takes it with spin_lock_irqsave) on the fence — then the dependencies of taking it now, and it
 * joins the held stack until fence_spin_unlock. So a driver lock taken in enable_signaling or a
 * fence callback (under the fence lock) and held elsewhere around dma_fence_signal closes the cycle
 * lockdep reports as "possible circular locking dependency detected" on `&fence->lock`.
 *
 * Containers: the array and the chain signal themselves from irq_work (irq_work.ts), so neither
 * lock is taken under a contained fence's; their enable_signaling adds callbacks to what they
 * contain, which is the container's lock → the contained fence's — the kernel's order too
 * (dma-fence-array.c, dma-fence-chain.c), and never its inverse.
 *
 * Cost: a plain fence's lock adds one load and mask of F_OPS; a classed one looks its class up
 * through this thread's memo (lockdep_seen.ts) from the F_OPS word, fixed at init, so a lock adds
 * one memo read, checkExclusive's walk of the held stack (O(held locks)) and a push; an unlock,
 * given the class its lock returned, a pop. Context: any task; never sleeps.
 */
import { FOPS_ARRAY, FOPS_CHAIN, FOPS_USER, FOPS_USER_SHIFT, F_LOCK, F_OPS } from '../shm/layout.js';
import { dma_fence_ops_name, user_ops } from './dma_fence_user_ops.js';
import { local_irq_restore, local_irq_save } from './hardirq.js';
import { lockdep_class } from './lockdep_class.js';
import { LOCK_REF_FENCE, lockdepLayout } from './lockdep_layout.js';
import { FENCE_CLASS_UNSEEN, noteFenceLockClass, seenFenceLockClass } from './lockdep_seen.js';
import { spinLockClassed, spinUnlockClassed } from './spinlock_lockdep.js';
import type { Task } from './task.js';
import type { Fence } from './types.js';
import { siteId } from './warn.js';

const SITE_LOCK = siteId('spin_lock_irqsave');
const SITE_UNLOCK = siteId('spin_unlock_irqrestore');

/** F_OPS bits of the fences whose lock has a class: a driver's ops or a container's. */
const CLASSED = FOPS_USER | FOPS_ARRAY | FOPS_CHAIN;

/** The class name of the locks of fences whose F_OPS word is `word` (`<ops name>.lock`), '' for a
 *  plain fence's (no class). Throws ERR_FENCE_OPS (through user_ops; `f` names the fence in its
 *  message) for driver ops not registered in this thread: a name made up for them would be a
 *  second class of the same ops wherever the thread that did register them uses the real name. */
export function fenceLockClassName(word: number, f: Fence = -1 as Fence): string {
  if ((word & FOPS_USER) !== 0) {
    user_ops(f, word);
    return `${dma_fence_ops_name(word >>> FOPS_USER_SHIFT)}.lock`;
  }
  if ((word & FOPS_ARRAY) !== 0) return 'dma_fence_array_ops.lock';
  return (word & FOPS_CHAIN) !== 0 ? 'dma_fence_chain_ops.lock' : '';
}

/** The lockdep class of `f`'s lock (0: a plain fence, the arena validates nothing, or the table is
 *  full). Looked up once per F_OPS word and thread (lockdep_seen.ts), a refusal too. */
function fenceLockClass(t: Task, f: Fence): number {
  const word = t.i32[t.arena.fence(f) + F_OPS]!;
  if ((word & CLASSED) === 0) return 0;
  const ld = lockdepLayout(t.arena);
  const seen = seenFenceLockClass(ld, word);
  if (seen !== FENCE_CLASS_UNSEEN) return seen;
  const c = ld.classes < 2 ? 0 : lockdep_class(t.arena, fenceLockClassName(word, f));
  noteFenceLockClass(ld, word, c);
  return c;
}

/** The cookie bit of fence_spin_lock: interrupts were disabled before it (local_irq_save's flags).
 *  Classes stay far below it (the class table's size). */
const IRQS_WERE_OFF = 1 << 30;

/**
 * spin_lock_irqsave(fence->lock): disable interrupts (hardirq.ts local_irq_save), then take `f`'s
 * lock (a current handle) with lockdep's checks (see the file comment); a lock the task holds
 * already is SPIN_RECURSION (spinlock.ts), after LOCK_RECURSIVE. Interrupts off, the lock marks
 * no HARDIRQ-ON usage; taken in hardirq context (a completion interrupt's signal) it is used in
 * hardirq (lockdep_irq.ts). Returns the cookie the caller hands to fence_spin_unlock: the lock's
 * class and the saved interrupt state. Held: in_atomic(), until fence_spin_unlock.
 */
export function fence_spin_lock(t: Task, f: Fence): number {
  const flags = local_irq_save(t);
  const cls = fenceLockClass(t, f);
  spinLockClassed(t, t.arena.fence(f) + F_LOCK, f, cls, LOCK_REF_FENCE + f, SITE_LOCK);
  return flags === 0 ? cls : cls | IRQS_WERE_OFF;
}

/**
 * spin_unlock_irqrestore(fence->lock): release `f`'s lock, which the task holds, taken by
 * fence_spin_lock, which returned `cookie`, then restore the interrupt state it saved: the class
 * is not looked up again, so the held entry popped is the one pushed even if the row's F_OPS
 * changed meanwhile (a use-after-free that reused the row while the lock was held).
 */
export function fence_spin_unlock(t: Task, f: Fence, cookie: number): void {
  spinUnlockClassed(t, t.arena.fence(f) + F_LOCK, cookie & ~IRQS_WERE_OFF, LOCK_REF_FENCE + f);
  local_irq_restore(t, (cookie & IRQS_WERE_OFF) === 0 ? 0 : 1, SITE_UNLOCK);
}
