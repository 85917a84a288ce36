/**
 * A trial's event trace as a Chrome trace (JSON object format), for ui.perfetto.dev and
 * chrome://tracing (DESIGN §5).
 *
 * Time: the model has no wall clock, so `ts` is the event's global sequence number (one
 * microsecond per event). One process (pid 1); one thread track per actor (tid = actor + 1, named
 * and sorted by 'M' metadata). On each track:
 *
 * - slices ('B'/'E', cat `lock`) for critical sections, EV_ACQUIRED → EV_RELEASED of a mutex,
 *   named `mutex N`. They always nest: releasing a mutex taken before others still held ends the
 *   inner slices too and begins them again (args.continued = 1) at the same timestamp;
 * - slices (cat `wait`) for blocked waits: OP_LOCK_WAIT, OP_FENCE_BLOCKED, OP_WAIT_EVENT and
 *   OP_SLEEP events, until the actor's next event;
 * - thread instants ('i', cat = the object kind) for every other event: revoke-complete, pin,
 *   unpin, map, unmap, invalidate, -EDEADLK, signaled, done…, named `<op> <kind> <obj>` (a
 *   stall's end names its reason, `stall-end reason budget`, and carries it as args.reason);
 * - flows ('s' → 'f', bp 'e', cat `flow`) from perfetto_flows.ts: `wake` from a mutex release to
 *   the waiter that acquired it, `signal` from a fence signal to its waiter's next event. A flow
 *   starts right after the signal instant, or just before the released critical section ends; it
 *   ends just before the waiter's wait slice ends, so each binds to its own slice.
 *
 * Slices still open at the end of the trace end at its last timestamp. A release whose
 * acquisition fell out of the trace ring draws no slice.
 *
 * The finding (optional) is placed at `finding.seq` when the caller knows it; otherwise at the end
 * of its decision step — the last event recorded at or before that step (events carry the step
 * they were recorded in; several share one, and the finding is among them). When the ring no
 * longer holds such an event: at its actor's EV_DONE (an actor records findings only before it
 * finishes), or at the end of the trace. A finding with no actor (leaks) is a global instant.
 */
import { errname } from '../errno/errno.js';
import {
  EV_ACQUIRED, EV_DONE, EV_RELEASED, EV_STALL_END, OP_FENCE_BLOCKED, OP_LOCK_WAIT, OP_SLEEP,
  OP_WAIT_EVENT, opName, opObjectKind, opObjectLabel, stallEndOf,
} from './ops.js';
import { traceFlows, type Flow } from './perfetto_flows.js';
import { endOfStep, type TraceEvent } from './ring.js';

export type ChromePhase = 'M' | 'B' | 'E' | 'X' | 'i' | 's' | 'f';
export type ChromeArgs = Readonly<Record<string, string | number>>;

export interface ChromeTraceEvent {
  readonly name: string;
  readonly ph: ChromePhase;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly cat?: string;
  readonly dur?: number;
  /** Flow id ('s'/'f'). */
  readonly id?: number;
  /** Flow end binding: the enclosing slice. */
  readonly bp?: 'e';
  /** Instant scope: thread or global. */
  readonly s?: 't' | 'g';
  readonly args?: ChromeArgs;
}

export interface ChromeTrace {
  readonly traceEvents: ChromeTraceEvent[];
  readonly displayTimeUnit: 'ms' | 'ns';
  readonly metadata: Readonly<Record<string, unknown>>;
}

export interface TraceFinding {
  readonly title: string;
  /** The actor that recorded it; < 0 for none (leaks found at trial end). */
  readonly actor: number;
  /** Its decision step (Finding.step). */
  readonly step: number;
  /** Where to place it in the trace, when known (a seq); see the file comment otherwise. */
  readonly seq?: number;
}

export interface ChromeTraceMeta {
  readonly scenario?: string;
  readonly seed?: number;
  readonly finding?: TraceFinding;
  /** Which run the trace is of (a finding's artifacts: its re-run, or the stress trial itself),
   *  as metadata `run`. */
  readonly run?: string;
}

export const TRACE_PID = 1;
const WAIT_KEY = 'wait';
const BLOCKING = new Set([OP_LOCK_WAIT, OP_FENCE_BLOCKED, OP_WAIT_EVENT, OP_SLEEP]);

interface OpenSlice {
  readonly key: string;
  readonly name: string;
  readonly cat: string;
  readonly args: ChromeArgs;
}

/** Emits events track by track, keeping each track's open slices properly nested. */
class TraceWriter {
  readonly out: ChromeTraceEvent[] = [];
  private readonly stacks = new Map<number, OpenSlice[]>();

  push(ev: ChromeTraceEvent): void {
    this.out.push(ev);
  }

  begin(actor: number, ts: number, slice: OpenSlice): void {
    const stack = this.stacks.get(actor) ?? [];
    this.stacks.set(actor, stack);
    stack.push(slice);
    this.push({ name: slice.name, cat: slice.cat, ph: 'B', pid: TRACE_PID, tid: actor + 1, ts, args: slice.args });
  }

  /** End the open slice `key` at `ts`, emitting `before` first; false when none is open. */
  end(actor: number, key: string, ts: number, before: readonly ChromeTraceEvent[] = []): boolean {
    const stack = this.stacks.get(actor) ?? [];
    const at = stack.map((o) => o.key).lastIndexOf(key);
    if (at < 0) return false;
    const inner = stack.splice(at + 1);
    for (const o of [...inner].reverse()) this.endTop(actor, o, ts);
    for (const ev of before) this.push(ev);
    this.endTop(actor, stack.pop()!, ts);
    for (const o of inner) this.begin(actor, ts, { ...o, args: { ...o.args, continued: 1 } });
    return true;
  }

  /** End every open slice at `ts`, innermost first. */
  endAll(ts: number): void {
    for (const [actor, stack] of this.stacks) {
      while (stack.length > 0) this.endTop(actor, stack.pop()!, ts);
    }
  }

  private endTop(actor: number, o: OpenSlice, ts: number): void {
    this.push({ name: o.name, cat: o.cat, ph: 'E', pid: TRACE_PID, tid: actor + 1, ts });
  }
}

/** Flows indexed by the seq of the event where they start and where they end. */
interface FlowIndex {
  readonly starts: Map<number, Flow[]>;
  readonly ends: Map<number, Flow[]>;
}

function indexFlows(flows: readonly Flow[]): FlowIndex {
  const starts = new Map<number, Flow[]>();
  const ends = new Map<number, Flow[]>();
  const put = (m: Map<number, Flow[]>, seq: number, f: Flow): void => {
    const list = m.get(seq);
    if (list === undefined) m.set(seq, [f]);
    else list.push(f);
  };
  for (const f of flows) {
    put(starts, f.from.seq, f);
    put(ends, f.to.seq, f);
  }
  return { starts, ends };
}

function flowEvent(f: Flow, ph: 's' | 'f'): ChromeTraceEvent {
  const end = ph === 's' ? f.from : f.to;
  const ev: ChromeTraceEvent = { name: f.kind, cat: 'flow', ph, id: f.id, pid: TRACE_PID, tid: end.actor + 1, ts: end.seq };
  return ph === 'f' ? { ...ev, bp: 'e' } : ev;
}

function eventName(e: TraceEvent): string {
  return e.op === EV_DONE ? 'done' : `${opName(e.op)} ${opObjectKind(e.op)} ${opObjectLabel(e.op, e.obj)}`;
}

/** An event's args: its fields, and for a stall's end its reason by name (`reason`, stallEndOf). */
function eventArgs(e: TraceEvent): ChromeArgs {
  const args = { op: opName(e.op), obj: e.obj, aux: e.aux, ret: errname(e.ret), step: e.step };
  const reason = e.op === EV_STALL_END ? stallEndOf(e.obj) : undefined;
  return reason === undefined ? args : { ...args, reason };
}

function instantEvent(e: TraceEvent): ChromeTraceEvent {
  const cat = e.op === EV_DONE ? 'actor' : opObjectKind(e.op);
  return { name: eventName(e), cat, ph: 'i', s: 't', pid: TRACE_PID, tid: e.actor + 1, ts: e.seq, args: eventArgs(e) };
}

/** One model event: end the actor's wait (flows into it first), then its slice or instant. */
function emitEvent(w: TraceWriter, e: TraceEvent, flows: FlowIndex): void {
  const ends = (flows.ends.get(e.seq) ?? []).map((f) => flowEvent(f, 'f'));
  if (!w.end(e.actor, WAIT_KEY, e.seq, ends)) for (const ev of ends) w.push(ev);
  const starts = (flows.starts.get(e.seq) ?? []).map((f) => flowEvent(f, 's'));
  const mutex = `mutex ${e.obj}`;
  if (e.op === EV_ACQUIRED) {
    w.end(e.actor, mutex, e.seq);
    w.begin(e.actor, e.seq, { key: mutex, name: mutex, cat: 'lock', args: { mutex: e.obj, ctx: e.aux } });
  } else if (e.op === EV_RELEASED) {
    if (!w.end(e.actor, mutex, e.seq, starts)) for (const ev of starts) w.push(ev);
  } else if (BLOCKING.has(e.op)) {
    w.begin(e.actor, e.seq, { key: WAIT_KEY, name: eventName(e), cat: 'wait', args: eventArgs(e) });
  } else {
    w.push(instantEvent(e));
    for (const ev of starts) w.push(ev);
  }
}

/** Track count: every named actor, and any actor that traced beyond the names. */
function trackCount(events: readonly TraceEvent[], actorNames: readonly string[]): number {
  let n = actorNames.length;
  for (const e of events) n = Math.max(n, e.actor + 1);
  return n;
}

function metadataEvents(w: TraceWriter, names: readonly string[], meta: ChromeTraceMeta): void {
  if (names.length === 0) return;
  const what = [meta.scenario ?? 'trial', meta.seed === undefined ? '' : `seed ${meta.seed}`].filter((s) => s !== '');
  w.push({ name: 'process_name', ph: 'M', pid: TRACE_PID, tid: 1, ts: 0, args: { name: `dmabuf-harness ${what.join(' ')}` } });
  names.forEach((name, actor) => {
    w.push({ name: 'thread_name', ph: 'M', pid: TRACE_PID, tid: actor + 1, ts: 0, args: { name } });
    w.push({ name: 'thread_sort_index', ph: 'M', pid: TRACE_PID, tid: actor + 1, ts: 0, args: { sort_index: actor } });
  });
}

/** The finding as an instant; see the file comment for where it goes. */
function findingEvent(f: TraceFinding, events: readonly TraceEvent[], tracks: number): ChromeTraceEvent {
  const last = events.at(-1)?.seq ?? 0;
  const done = events.find((e) => e.actor === f.actor && e.op === EV_DONE);
  const ts = Math.max(0, f.seq ?? events[endOfStep(events, f.step)]?.seq ?? done?.seq ?? last);
  const args = { title: f.title, actor: f.actor, step: f.step };
  const own = f.actor >= 0 && f.actor < tracks;
  return { name: f.title, cat: 'finding', ph: 'i', s: own ? 't' : 'g', pid: TRACE_PID, tid: own ? f.actor + 1 : 1, ts, args };
}

function traceMetadata(events: readonly TraceEvent[], names: readonly string[], meta: ChromeTraceMeta): Record<string, unknown> {
  const md: Record<string, unknown> = {
    source: 'dmabuf-harness', clock: 'ts is the trace sequence number (1 us per event); the model has no wall clock',
    actors: [...names], events: events.length,
  };
  if (meta.scenario !== undefined) md['scenario'] = meta.scenario;
  if (meta.seed !== undefined) md['seed'] = meta.seed;
  if (meta.run !== undefined) md['run'] = meta.run;
  const f = meta.finding;
  if (f !== undefined) md['finding'] = { title: f.title, actor: f.actor, step: f.step, ...(f.seq === undefined ? {} : { seq: f.seq }) };
  return md;
}

/**
 * The Chrome trace of one trial: `events` as readEvents / TrialResult.events return them,
 * `actorNames` as the executor's. Events come out ordered by ts (metadata first).
 */
export function chromeTrace(events: readonly TraceEvent[], actorNames: readonly string[], meta: ChromeTraceMeta = {}): ChromeTrace {
  const sorted = [...events].sort((x, y) => x.seq - y.seq);
  const tracks = trackCount(sorted, actorNames);
  const names = Array.from({ length: tracks }, (_, i) => actorNames[i] ?? `actor${i}`);
  const w = new TraceWriter();
  metadataEvents(w, names, meta);
  const flows = indexFlows(traceFlows(sorted));
  for (const e of sorted) emitEvent(w, e, flows);
  w.endAll(sorted.at(-1)?.seq ?? 0);
  if (meta.finding !== undefined) w.push(findingEvent(meta.finding, sorted, tracks));
  const traceEvents = w.out.map((ev, i) => ({ ev, i }))
    .sort((x, y) => x.ev.ts - y.ev.ts || x.i - y.i).map((x) => x.ev);
  return { traceEvents, displayTimeUnit: 'ms', metadata: traceMetadata(sorted, names, meta) };
}
