/**
 * Flows for the Chrome trace export (perfetto.ts): which traced event woke which waiting actor.
 *
 * An actor is waiting from a wait event (OP_LOCK_WAIT on a mutex; OP_FENCE_WAIT or
 * OP_FENCE_BLOCKED on a fence) until its own next event, which ends the wait.
 *
 * - `signal`: an EV_SIGNALED of fence F while actor B waits on F → B's next event.
 * - `wake`: an EV_RELEASED of mutex M while actor B waits on M, when the next EV_ACQUIRED of M is
 *   B's and ends that same wait → that acquisition. A release followed by an acquisition by an
 *   actor that was not waiting (or by the releaser itself) is no wake-up and draws nothing.
 *
 * A wait the trace never ends (the trial stopped first) draws no flow, so every flow has both ends.
 */
import { EV_ACQUIRED, EV_RELEASED, EV_SIGNALED, OP_FENCE_BLOCKED, OP_FENCE_WAIT, OP_LOCK_WAIT } from './ops.js';
import type { TraceEvent } from './ring.js';

export type FlowKind = 'wake' | 'signal';

/** One end of a flow: an actor's event, by sequence number. */
export interface FlowEnd {
  readonly actor: number;
  readonly seq: number;
}

export interface Flow {
  /** Unique within one trace, from 1, in the order flows complete. */
  readonly id: number;
  readonly kind: FlowKind;
  /** The mutex (wake) or fence (signal). */
  readonly obj: number;
  readonly from: FlowEnd;
  readonly to: FlowEnd;
}

interface Release {
  readonly ev: TraceEvent;
  /** Actors waiting on the mutex when it was released. */
  readonly waiters: readonly number[];
}

class FlowScan {
  readonly flows: Flow[] = [];
  /** Each actor's current wait event, until its next event. */
  private readonly waiting = new Map<number, TraceEvent>();
  /** Signals of the fence an actor waits on, seen during the wait. */
  private readonly signals = new Map<number, TraceEvent[]>();
  /** Per mutex: its last release not yet followed by an acquisition. */
  private readonly releases = new Map<number, Release>();

  step(e: TraceEvent): void {
    const ended = this.waiting.get(e.actor);
    this.waiting.delete(e.actor);
    for (const s of this.signals.get(e.actor) ?? []) this.add('signal', s, e);
    this.signals.delete(e.actor);
    if (e.op === EV_SIGNALED) this.onSignal(e);
    else if (e.op === EV_RELEASED) this.onRelease(e);
    else if (e.op === EV_ACQUIRED) this.onAcquire(e, ended);
    else if (isWaitOp(e.op)) this.waiting.set(e.actor, e);
  }

  private onSignal(e: TraceEvent): void {
    for (const [actor, w] of this.waiting) {
      if (w.obj !== e.obj || (w.op !== OP_FENCE_WAIT && w.op !== OP_FENCE_BLOCKED)) continue;
      const list = this.signals.get(actor);
      if (list === undefined) this.signals.set(actor, [e]);
      else list.push(e);
    }
  }

  private onRelease(e: TraceEvent): void {
    const waiters: number[] = [];
    for (const [actor, w] of this.waiting) {
      if (w.op === OP_LOCK_WAIT && w.obj === e.obj) waiters.push(actor);
    }
    this.releases.set(e.obj, { ev: e, waiters });
  }

  private onAcquire(e: TraceEvent, ended: TraceEvent | undefined): void {
    const r = this.releases.get(e.obj);
    this.releases.delete(e.obj);
    if (r === undefined || ended === undefined || !r.waiters.includes(e.actor)) return;
    if (ended.op === OP_LOCK_WAIT && ended.obj === e.obj && ended.seq < r.ev.seq) this.add('wake', r.ev, e);
  }

  private add(kind: FlowKind, from: TraceEvent, to: TraceEvent): void {
    this.flows.push({
      id: this.flows.length + 1, kind, obj: from.obj,
      from: { actor: from.actor, seq: from.seq }, to: { actor: to.actor, seq: to.seq },
    });
  }
}

function isWaitOp(op: number): boolean {
  return op === OP_LOCK_WAIT || op === OP_FENCE_WAIT || op === OP_FENCE_BLOCKED;
}

/** The flows of `events`, which must be in sequence order. */
export function traceFlows(events: readonly TraceEvent[]): Flow[] {
  const scan = new FlowScan();
  for (const e of events) scan.step(e);
  return scan.flows;
}
