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
import { opName, opObjectKind, opObjectLabel } from './ops.js';

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
 *  negatives; a stall end's reason by name, opObjectLabel). `step` is the decision step a
 *  finding's report names ("at step N"). */
export function dumpText(events: readonly TraceEvent[], actorNames: readonly string[]): string {
  return dumpLines(events, actorNames, stepWidth(events)).join('\n');
}

/** A finding as the trace shows it: where it was recorded (decision step; actor, -1 for a check
 *  made at the trial's end such as a leak, past the actors for the setup task) and its title. */
export interface TraceMark {
  readonly step: number;
  readonly actor: number;
  readonly title: string;
}

/**
 * dumpText with a line for finding `mark` where it happened: after the last event recorded at or
 * before its step (endOfStep), or first when its step precedes every event of `events` (a tail).
 */
export function dumpTextMarked(events: readonly TraceEvent[], actorNames: readonly string[], mark: TraceMark): string {
  const width = Math.max(stepWidth(events), String(mark.step).length);
  const lines = dumpLines(events, actorNames, width);
  const who = (mark.actor < 0 ? 'trial end' : actorNames[mark.actor] ?? 'setup').padEnd(12);
  lines.splice(endOfStep(events, mark.step) + 1, 0, `>>>>>>  step ${String(mark.step).padStart(width)}  ${who} finding: ${mark.title}`);
  return lines.join('\n');
}

/** The index of the last of `events` (in sequence order) recorded at or before decision step
 *  `step`; -1 when the step precedes them all. Where a finding of that step goes in a trace. */
export function endOfStep(events: readonly TraceEvent[], step: number): number {
  for (let i = events.length - 1; i >= 0; i--) if (events[i]!.step <= step) return i;
  return -1;
}

function stepWidth(events: readonly TraceEvent[]): number {
  return String(events.reduce((m, e) => Math.max(m, e.step), 0)).length;
}

function dumpLines(events: readonly TraceEvent[], actorNames: readonly string[], width: number): string[] {
  return events.map((e) => {
    const who = (actorNames[e.actor] ?? `actor${e.actor}`).padEnd(12);
    const what = `${opName(e.op)} ${opObjectKind(e.op)} ${opObjectLabel(e.op, e.obj)}`.padEnd(24);
    return `#${String(e.seq).padStart(5)}  step ${String(e.step).padStart(width)}  ${who} ${what} aux=${e.aux} ret=${errname(e.ret)}`;
  });
}
