/**
 * Per-actor trace rings in the arena. Each actor writes only its own ring; a global sequence
 * number (C_EVSEQ, atomic) orders events across actors. A ring keeps the last `traceEvents`
 * events of its actor.
 */
import { errname } from '../errno/errno.js';
import type { Arena } from '../shm/arena.js';
import {
  A_EVCOUNT, C_EVSEQ, C_STEP, T_AUX, T_OP, T_RET, T_SEQ, T_STEP, objOf, opOf,
} from '../shm/layout.js';
import { opName, opObjectKind } from './ops.js';

export interface TraceEvent {
  readonly seq: number;
  readonly actor: number;
  readonly op: number;
  readonly obj: number;
  readonly aux: number;
  readonly ret: number;
  /** The trial's decision step when it was recorded: the step a finding's report names. Several
   *  events share a step (an actor's run between two decisions). */
  readonly step: number;
}

/** Append an event to `actor`'s ring. `packed` is `packOp(op, obj)`. */
export function traceEvent(a: Arena, actor: number, packed: number, aux: number, ret: number): void {
  const h = a.i32;
  const head = a.actor(actor) + A_EVCOUNT;
  const n = h[head]!;
  const at = a.event(actor, n);
  h[at + T_SEQ] = Atomics.add(h, a.layout.control + C_EVSEQ, 1);
  h[at + T_OP] = packed;
  h[at + T_AUX] = aux;
  h[at + T_RET] = ret;
  h[at + T_STEP] = h[a.layout.control + C_STEP]!;
  h[head] = n + 1;
}

/** Every event still in the rings of actors [0, actors), merged in sequence order. */
export function readEvents(a: Arena, actors: number): TraceEvent[] {
  const out: TraceEvent[] = [];
  const cap = a.geometry.traceEvents;
  const h = a.i32;
  for (let actor = 0; actor < actors; actor++) {
    const n = h[a.actor(actor) + A_EVCOUNT]!;
    for (let i = Math.max(0, n - cap); i < n; i++) {
      const at = a.event(actor, i);
      const packed = h[at + T_OP]!;
      out.push({
        seq: h[at + T_SEQ]!, actor, op: opOf(packed), obj: objOf(packed),
        aux: h[at + T_AUX]!, ret: h[at + T_RET]!, step: h[at + T_STEP]!,
      });
    }
  }
  return out.sort((x, y) => x.seq - y.seq);
}

/** One line per event: `#seq  step N  actor  op objKind obj  aux=…  ret=…` (errno names for
 *  negatives). `step` is the decision step a finding's report names ("at step N"). */
export function dumpText(events: readonly TraceEvent[], actorNames: readonly string[]): string {
  const stepWidth = String(events.reduce((m, e) => Math.max(m, e.step), 0)).length;
  return events.map((e) => {
    const who = (actorNames[e.actor] ?? `actor${e.actor}`).padEnd(12);
    const what = `${opName(e.op)} ${opObjectKind(e.op)} ${e.obj}`.padEnd(24);
    return `#${String(e.seq).padStart(5)}  step ${String(e.step).padStart(stepWidth)}  ${who} ${what} aux=${e.aux} ret=${errname(e.ret)}`;
  }).join('\n');
}
