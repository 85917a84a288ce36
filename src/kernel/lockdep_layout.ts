/**
 * Sub-layout of the lock-dependency validator's region (`layout.lockdep`, sized by
 * `lockdepSize` in shm/layout.ts). The region is NOT reset between trials: the class table and
 * the dependency matrix are kept for the life of the arena (one executor instance), so an order
 * seen in one trial and its inverse seen in a later one still form a reported cycle.
 *
 * It lives in kernel/ (not check/) because the kernel model writes it at every acquisition and
 * kernel/ may not import check/ (eslint layering); the report side reads it through
 * kernel/lockdep_circular.ts and formats with check/lockdep_report.ts.
 *
 * Regions, in order (all Int32 words):
 *   header   LD_HEADER_WORDS words
 *   held     one stack per actor (HELD_WORDS each): own; written only by that actor's thread
 *   classes  lockClasses records (CLASS_WORDS): claimed by CAS (any thread), filled, published;
 *            their irq usage word set by CAS (any thread) after the bit's trial word (LC_USAGE)
 *   adj      the dependency matrix as bits: lockClasses rows of ceil(lockClasses / 32) words;
 *            bit (a, b) = "b was acquired while a was held". Set with Atomics.or (any thread),
 *            only once edge (a, b)'s record is published
 *   edges    lockClasses × lockClasses first-seen records (EDGE_WORDS): claimed by CAS of
 *            E_SERIAL (any thread), filled, published by storing E_SERIAL
 * Class 0 is "not validated": a mutex whose M_KEY is 0 takes part in nothing. A class slot, the
 * priming and an edge record are claimed and published through one word each, whose states
 * (free, claimed by a thread of some trial, published) and whose recovery from a claimer stopped
 * before publishing are lockdep_claim.ts's.
 */
import type { Arena } from '../shm/arena.js';
import { C_TRIAL, type Layout } from '../shm/layout.js';

// Header words.
/** Boot priming: 0 = not yet primed, < 0 = claimed (priming: lockdep_claim.ts), LD_PRIMED =
 *  ready. */
export const LD_INIT = 0;
export const LD_PRIMED = 1;
/** Edge serials handed out so far (atomic); an edge's serial is its 1-based position in this
 *  order. A serial handed to a thread stopped before it published the edge stays unused, so
 *  this bounds the edges and does not count them (lockdep_graph.ts lockdepGraphEdges does). */
export const LD_SERIAL = 1;
/** Classes registered (atomic; informative). */
export const LD_NCLASSES = 2;
/** Class keys refused because the table was full (atomic): those locks are not validated. */
export const LD_DROPPED = 3;
/** Acquisitions not recorded on a held stack because it was full (atomic). */
export const LD_STACK_OVERFLOW = 4;
/** Class ids of the pseudo lock dma_fence_map and of reservation_ww_class_mutex, set by priming. */
export const LD_FENCE_MAP = 5;
export const LD_RESV_CLASS = 6;
/** Table writes begun (atomic): bumped before a thread claims a class slot, the priming or an
 *  edge record (claimWord) and before it sets a dependency bit (addEdge), so the class, matrix and
 *  edge tables change only after it does; lockdepRestart keeps it counting. What lets a copy of
 *  the region skip the tables while it is unchanged (lockdep_snapshot.ts). */
export const LD_WRITES = 7;
export const LD_HEADER_WORDS = 64;

// Per-actor held-lock stack, run-length encoded: consecutive acquisitions of one class (a ww
// transaction over many buffers) share one entry with a count. Live entries are in
// [HS_LOW, HS_DEPTH); an entry emptied out of order becomes a hole (class word 0) until the
// entries around it go, so LIFO and FIFO release are O(1); a full stack is compacted first.
/** End of the used entries (the top entry, HS_DEPTH - 1, is always live). */
export const HS_DEPTH = 0;
/** C_TRIAL generation the stack belongs to: a stack from an earlier trial is empty. */
export const HS_TRIAL = 1;
/** Locks held beyond the stack's capacity: counted, not stored (their releases find no entry). */
export const HS_OVERFLOW = 2;
/** First live entry. */
export const HS_LOW = 3;
export const HS_ENTRIES = 4;
/** Per entry: the class (HELD_READ flag for a recursive-read pseudo lock), the most recently
 *  acquired lock of the run still known to be held (lock ref, 0 = unknown) — for a context's
 *  pseudo entry (HELD_ACQ, HELD_FIRST) the context instead (id + 1) — and the count. */
export const HE_CLASS = 0;
export const HE_REF = 1;
export const HE_COUNT = 2;
export const HELD_ENTRY_WORDS = 3;
export const HELD_WORDS = 64;
export const HELD_CAP = Math.floor((HELD_WORDS - HS_ENTRIES) / HELD_ENTRY_WORDS);
/** Class-word flags: held as a recursive read (a signalling section's dma_fence_map) … */
export const HELD_READ = 1 << 30;
/** … an acquire context's own map (ww_acquire_init's ctx->dep_map, the nest_lock of its locks) … */
export const HELD_ACQ = 1 << 29;
/** … or a context's first_lock_dep_map (a pseudo lock of its ww_class's mutex class, held from
 *  ww_acquire_init to ww_acquire_fini). The pseudo entries never merge with a real lock's run. */
export const HELD_FIRST = 1 << 28;
export const HELD_CLASS_MASK = HELD_FIRST - 1;

/**
 * Lock refs (held entries and edge records): > 0 a mutex (id + 1), from LOCK_REF_FENCE up a
 * fence's lock (LOCK_REF_FENCE + its handle, HANDLE_BITS wide: spinlock_fence.ts), from
 * LOCK_REF_SPIN up a spinlock_t (LOCK_REF_SPIN + its private word, spinlock_lockdep.ts); < 0 a
 * fence waited on (-(id + 1)), 0 no object (a pseudo lock such as dma_fence_map held by a
 * signalling section). Mutex ids stay below LOCK_REF_FENCE (MAX_OBJECTS).
 */
export const LOCK_REF_FENCE = 1 << 28;
export const LOCK_REF_SPIN = 1 << 29;

/** The object a lock ref > 0 names, for a finding: the mutex, the fence or the spinlock_t. */
export function lockRefObject(ref: number): number {
  if (ref >= LOCK_REF_SPIN) return ref - LOCK_REF_SPIN;
  return ref >= LOCK_REF_FENCE ? ref - LOCK_REF_FENCE : ref - 1;
}

// Class records. A class is identified by its key and subclass together (lockdep keeps one class
// per key and subclass): a subclass class has its base's key and its number in LC_FLAGS. A slot
// is claimed by a CAS of LC_FLAGS (lockdep_claim.ts: negative while claimed), filled, then
// published by storing its flags with LCF_READY (positive); a reader finding a live claim waits.
/** The class key: the stable hash of its name (siteId), or a numeric key given at init. */
export const LC_KEY = 0;
/** siteId of the class name (0 = numeric key without a name, or a subclass class: see LC_BASE). */
export const LC_NAME = 1;
/** LCF_* once published (0: a free slot; negative: claimed, lockdep_claim.ts) */
export const LC_FLAGS = 2;
/** A subclass class (mutex_lock_nested): the class it is a subclass of; 0 for a key's own class. */
export const LC_BASE = 3;
/** The class's irq usage (lockdep_usage.ts): LU_* bits, each with the actor that set it first. Set
 *  by CAS (any thread), after LD_WRITES is bumped and after the bit's trial word; never cleared
 *  but with the region. */
export const LC_USAGE = 4;
/** Per usage bit, the C_TRIAL generation in which it was set (0: not set): LC_USED_IN_TRIAL for
 *  LU_USED_IN_HARDIRQ, LC_ENABLED_TRIAL for LU_ENABLED_HARDIRQ — what a report on the other bit
 *  names, and what tells a finding which usage came from earlier trials (lockdep_carry.ts).
 *  Publish order (lockdep_usage.ts usagePublish): a thread that sets out to set a bit stores its
 *  trial in the bit's word, then CASes the bit into LC_USAGE; a reader that loads LC_USAGE and
 *  sees the bit then loads the bit's word (both seq-cst), so it sees a trial stored before the
 *  bit was published. Every thread storing there runs in the trial that publishes the bit — the
 *  threads of one trial share C_TRIAL, and an arena is reset for a new trial only when no thread
 *  of the previous one runs (lockdep_claim.ts) — so the stores agree; a store left by a thread
 *  stopped before its CAS (an earlier trial's) is stored over before the bit is published, and a
 *  thread that sees the bit set stores nothing. */
export const LC_USED_IN_TRIAL = 5;
export const LC_ENABLED_TRIAL = 6;
export const CLASS_WORDS = 7;
/** A pseudo lock (lockdep map): dma_fence_map, fs_reclaim … */
export const LCF_MAP = 1;
/** LC_FLAGS bits 8..10: the subclass number of a subclass class. */
export const LCF_SUB_SHIFT = 8;
export const LCF_SUB_MASK = 7 << LCF_SUB_SHIFT;
/** The flags a class keeps across arenas (LockdepClassRef.flags). */
export const LCF_IDENTITY = LCF_MAP | LCF_SUB_MASK;
/** The slot is published: its key, name and base may be read (makes published flags positive). */
export const LCF_READY = 1 << 17;

// First-seen record of an edge a → b.
/** 1-based serial once published (0 = no edge yet; negative = claimed, lockdep_claim.ts). */
export const E_SERIAL = 0;
/** Actor that first took b while holding a; -1 = primed at boot (dma_resv_lockdep). */
export const E_ACTOR = 1;
/** C_TRIAL generation and decision step when first seen. */
export const E_TRIAL = 2;
export const E_STEP = 3;
/** The held lock and the acquired lock (lock refs). */
export const E_FROM = 4;
export const E_TO = 5;
export const EDGE_WORDS = 6;

/** Words the validator needs for a geometry (shm/layout.ts lockdepSize must be at least this). */
export function lockdepWordsNeeded(actors: number, classes: number): number {
  return LD_HEADER_WORDS + actors * HELD_WORDS + classes * CLASS_WORDS + classes * rowWords(classes) +
    classes * classes * EDGE_WORDS;
}

function rowWords(classes: number): number {
  return (classes + 31) >>> 5;
}

/** Base indices of the validator's tables in one arena. */
export class LockdepLayout {
  readonly base: number;
  readonly classes: number;
  readonly rowWords: number;
  readonly held: number;
  readonly classTable: number;
  readonly adj: number;
  readonly edges: number;
  /** The control record's C_TRIAL word: the trial a claim is made in (lockdep_claim.ts). */
  readonly trial: number;

  constructor(l: Layout) {
    const g = l.geometry;
    this.base = l.lockdep;
    this.trial = l.control + C_TRIAL;
    this.classes = g.lockClasses;
    this.rowWords = rowWords(g.lockClasses);
    this.held = this.base + LD_HEADER_WORDS;
    this.classTable = this.held + g.actors * HELD_WORDS;
    this.adj = this.classTable + g.lockClasses * CLASS_WORDS;
    this.edges = this.adj + g.lockClasses * this.rowWords;
    if (lockdepWordsNeeded(g.actors, g.lockClasses) > l.lockdepWords) {
      throw new Error(`lockdep_layout: region of ${l.lockdepWords} words is smaller than needed; fix lockdepSize`);
    }
  }

  /** Header word `w` (LD_*). */
  hdr(w: number): number { return this.base + w; }
  /** Held-lock stack of `actor` (HS_* offsets). */
  stack(actor: number): number { return this.held + actor * HELD_WORDS; }
  /** Class record `c` (LC_* offsets). */
  cls(c: number): number { return this.classTable + c * CLASS_WORDS; }
  /** The adjacency word holding bit (a, b); the bit is `1 << (b & 31)`. */
  adjWord(a: number, b: number): number { return this.adj + a * this.rowWords + (b >>> 5); }
  /** First-seen record of edge a → b (E_* offsets). */
  edge(a: number, b: number): number { return this.edges + (a * this.classes + b) * EDGE_WORDS; }
}

// Layout cache: one LockdepLayout per arena layout, remembered for the last arena used.
let cachedFor: Layout | null = null;
let cached: LockdepLayout | null = null;

/** The validator's sub-layout in `a` (cached: no allocation while the same arena is used). */
export function lockdepLayout(a: Arena): LockdepLayout {
  if (a.layout !== cachedFor || cached === null) {
    cached = new LockdepLayout(a.layout);
    cachedFor = a.layout;
  }
  return cached;
}
