/**
 * Op codes: the vocabulary of scheduling points (what an actor yields) and trace events. Codes
 * 1..63 are scheduling points, 64..127 trace-only events. Later model layers add theirs here so
 * one table names every code in dumps and reports.
 */

// Scheduling points: the actor is about to do this to the object.
export const OP_START = 1;
export const OP_LOCK = 2;
export const OP_LOCK_WAIT = 3;
export const OP_TRYLOCK = 4;
export const OP_FENCE_WAIT = 5;
export const OP_FENCE_BLOCKED = 6;
export const OP_RESV_WAIT = 7;
export const OP_SLEEP = 8;
export const OP_YIELD = 9;
export const OP_WAIT_EVENT = 10;
/** The DMA engine about to make a burst of a job's device accesses (object: the job, a row of
 *  the engine's job table), and its speculative read-ahead after the job completed. */
export const OP_DMA = 11;
export const OP_DMA_SPECULATIVE = 12;
/** A lockless dma_resv reader that may sleep (dma_resv_wait_timeout) about to read the next slot
 *  of the fence list it is walking (object: the resv). */
export const OP_RESV_READ = 13;
/** A device about to access memory through an IOMMU domain it is attached to, no engine job
 *  involved (object: the domain's handle; an iommufd VMM's passthrough device). */
export const OP_DMA_DOMAIN = 14;

// Trace-only events.
export const EV_ACQUIRED = 64;
export const EV_RELEASED = 65;
export const EV_EDEADLK = 66;
export const EV_EALREADY = 67;
export const EV_WOUND = 68;
/** A fence signaled (object: the fence; aux: its error; ret: the signalling-section depth its
 *  signaller was in, dma_fence_signal's own section not counted). */
export const EV_SIGNALED = 69;
export const EV_CB_RUN = 70;
export const EV_TIMEOUT = 71;
export const EV_FENCE_ADD = 73;
export const EV_DONE = 74;
export const EV_INTERRUPTED = 76;
// dma-buf lifecycle (object: attachment; aux: the dma-buf; ret: the call's result where it has
// one).
export const EV_PIN = 77;
export const EV_UNPIN = 78;
export const EV_MAP = 79;
export const EV_UNMAP = 80;
// Exporter side (object: the dma-buf). aux of revoke-complete: 1 when fences were still pending.
export const EV_REVOKE_COMPLETE = 81;
export const EV_INVALIDATE = 82;
// Exporter's device side: a device removed (object: the device), a page reused in place of a page
// its owner let go (object: the page let go; aux: the page that replaced it).
export const EV_DEVICE_REMOVE = 83;
export const EV_PAGE_REUSE = 84;
/** A stress actor's stall at a stall point ended (exec/stress_stalls.ts; object: why, its
 *  STALL_END_CODE, 1 + its index in STALL_ENDS; aux: the others' yields while it held). The
 *  event's step is where it ended: it began aux steps before. */
export const EV_STALL_END = 85;

/** The one table of why a stall ended, by EV_STALL_END's object less 1 (exec/stress_stalls.ts
 *  STALL_END_CODE): the others made its run-ahead, none of them can run, the trial ends or its
 *  actors are asked to stop, or its budget passed. Here, in the trace's layer, so dumps and the
 *  Perfetto trace name the reason. */
export const STALL_ENDS = ['run-ahead', 'none-can-run', 'stop', 'budget'] as const;

/** Why a stall ended (STALL_ENDS). */
export type StallEnd = (typeof STALL_ENDS)[number];

const NAMES: Record<number, string> = {
  [OP_START]: 'start', [OP_LOCK]: 'lock', [OP_LOCK_WAIT]: 'lock-wait', [OP_TRYLOCK]: 'trylock',
  [OP_FENCE_WAIT]: 'fence-wait', [OP_FENCE_BLOCKED]: 'fence-blocked', [OP_RESV_WAIT]: 'resv-wait',
  [OP_SLEEP]: 'sleep', [OP_YIELD]: 'yield', [OP_WAIT_EVENT]: 'wait-event', [OP_DMA]: 'dma',
  [OP_DMA_SPECULATIVE]: 'dma-speculative', [OP_RESV_READ]: 'resv-read', [OP_DMA_DOMAIN]: 'dma-domain',
  [EV_ACQUIRED]: 'acquired', [EV_RELEASED]: 'released', [EV_EDEADLK]: '-EDEADLK',
  [EV_EALREADY]: '-EALREADY', [EV_WOUND]: 'wound', [EV_SIGNALED]: 'signaled',
  [EV_CB_RUN]: 'cb-run', [EV_TIMEOUT]: 'timeout', [EV_FENCE_ADD]: 'fence-add',
  [EV_DONE]: 'done', [EV_INTERRUPTED]: 'interrupted',
  [EV_PIN]: 'pin', [EV_UNPIN]: 'unpin', [EV_MAP]: 'map', [EV_UNMAP]: 'unmap',
  [EV_REVOKE_COMPLETE]: 'revoke-complete', [EV_INVALIDATE]: 'invalidate',
  [EV_DEVICE_REMOVE]: 'remove', [EV_PAGE_REUSE]: 'reuse', [EV_STALL_END]: 'stall-end',
};

/** Printable name of an op or event code. */
export function opName(op: number): string {
  return NAMES[op] ?? `op${op}`;
}

/** The reason an EV_STALL_END event with object `obj` names (STALL_ENDS), undefined for a code
 *  outside the table. */
export function stallEndOf(obj: number): StallEnd | undefined {
  return STALL_ENDS[obj - 1];
}

/** An event's object as dumps print it: the name of a stall's end reason (stallEndOf; its code
 *  when out of range), the number for every other op. */
export function opObjectLabel(op: number, obj: number): string {
  return (op === EV_STALL_END ? stallEndOf(obj) : undefined) ?? String(obj);
}

/** The kind of object an op's object field names, for reports ("mutex 3", "fence 7"). */
export function opObjectKind(op: number): string {
  switch (op) {
    case OP_LOCK: case OP_LOCK_WAIT: case OP_TRYLOCK: case EV_ACQUIRED: case EV_RELEASED:
    case EV_EDEADLK: case EV_EALREADY: case EV_WOUND:
      return 'mutex';
    case OP_FENCE_WAIT: case OP_FENCE_BLOCKED: case EV_SIGNALED: case EV_CB_RUN: case EV_FENCE_ADD:
      return 'fence';
    case OP_RESV_WAIT: case OP_RESV_READ:
      return 'resv';
    case OP_DMA: case OP_DMA_SPECULATIVE:
      return 'job';
    case OP_DMA_DOMAIN:
      return 'domain';
    case OP_WAIT_EVENT:
      return 'word';
    case EV_PIN: case EV_UNPIN: case EV_MAP: case EV_UNMAP:
      return 'attach';
    case EV_REVOKE_COMPLETE: case EV_INVALIDATE:
      return 'dmabuf';
    case EV_DEVICE_REMOVE:
      return 'device';
    case EV_PAGE_REUSE:
      return 'page';
    case EV_STALL_END:
      return 'reason';
    default:
      return 'obj';
  }
}
