import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import type { AnyScenario } from '../../../src/exec/scenario.js';
import type { Finding, TrialResult } from '../../../src/exec/result.js';
import {
  EV_ACQUIRED, EV_DONE, EV_EDEADLK, EV_INVALIDATE, EV_PIN, EV_RELEASED, EV_REVOKE_COMPLETE, EV_SIGNALED,
  EV_UNPIN, OP_FENCE_BLOCKED, OP_FENCE_WAIT, OP_LOCK_WAIT,
} from '../../../src/trace/ops.js';
import { chromeTrace, type ChromeArgs, type ChromeTrace, type ChromeTraceEvent } from '../../../src/trace/perfetto.js';
import { traceFlows } from '../../../src/trace/perfetto_flows.js';
import type { TraceEvent } from '../../../src/trace/ring.js';
import { revokeWaitKernel } from '../../../scenarios/revoke-wait-kernel.js';
import { rdmaPinnedRevoke } from '../../../scenarios/rdma-pinned-revoke.js';

const A = 0;
const B = 1;
const C = 2;
const NAMES = ['A', 'B', 'C'];

/** An event; its decision step defaults to half its seq (two events a step, as an actor's run
 *  between two decisions records several). */
function ev(seq: number, actor: number, op: number, obj: number, aux = 0, ret = 0, step = seq >> 1): TraceEvent {
  return { seq, actor, op, obj, aux, ret, step };
}

// Expected Chrome events, built the way the exporter writes them (pid 1, tid = actor + 1).
const args = (op: string, obj: number, step: number, aux = 0, ret = '0'): ChromeArgs => ({ op, obj, aux, ret, step });
const beginE = (actor: number, ts: number, name: string, cat: string, a: ChromeArgs): ChromeTraceEvent =>
  ({ name, cat, ph: 'B', pid: 1, tid: actor + 1, ts, args: a });
const endE = (actor: number, ts: number, name: string, cat: string): ChromeTraceEvent =>
  ({ name, cat, ph: 'E', pid: 1, tid: actor + 1, ts });
const instE = (actor: number, ts: number, name: string, cat: string, a: ChromeArgs): ChromeTraceEvent =>
  ({ name, cat, ph: 'i', s: 't', pid: 1, tid: actor + 1, ts, args: a });
const flowS = (actor: number, ts: number, name: string, id: number): ChromeTraceEvent =>
  ({ name, cat: 'flow', ph: 's', id, pid: 1, tid: actor + 1, ts });
const flowF = (actor: number, ts: number, name: string, id: number): ChromeTraceEvent =>
  ({ name, cat: 'flow', ph: 'f', id, pid: 1, tid: actor + 1, ts, bp: 'e' });

/** A: holds mutex 3 while B waits for it; B signals fence 7 that C is blocked on; A takes 1 then 2
 *  and releases 1 first (not nested); C ends the trace blocked on mutex 2 that A still holds. */
const SYNTHETIC: TraceEvent[] = [
  ev(0, A, EV_ACQUIRED, 3, -1),
  ev(1, B, OP_LOCK_WAIT, 3),
  ev(2, A, EV_PIN, 5),
  ev(3, A, EV_RELEASED, 3),
  ev(4, B, EV_ACQUIRED, 3, -1),
  ev(5, C, OP_FENCE_BLOCKED, 7),
  ev(6, B, EV_SIGNALED, 7),
  ev(7, B, EV_RELEASED, 3),
  ev(8, C, EV_UNPIN, 5),
  ev(9, A, EV_EDEADLK, 2, 4),
  ev(10, A, EV_ACQUIRED, 1, 4),
  ev(11, A, EV_ACQUIRED, 2, 4),
  ev(12, A, EV_RELEASED, 1),
  ev(13, B, EV_REVOKE_COMPLETE, 0, 1),
  ev(14, C, EV_INVALIDATE, 0),
  ev(15, C, OP_LOCK_WAIT, 2),
];

const PHASES = new Set(['M', 'B', 'E', 'X', 'i', 'I', 's', 't', 'f']);

/** Chrome trace format checks; returns the problems found (none: valid). */
function chromeProblems(trace: ChromeTrace, actorNames: readonly string[]): string[] {
  const bad: string[] = [];
  if (!Array.isArray(trace.traceEvents)) return ['traceEvents is not an array'];
  const stacks = new Map<number, string[]>();
  const flows = new Map<number, ChromeTraceEvent[]>();
  const threadNames = new Map<number, unknown[]>();
  const tids = new Set<number>();
  let lastTs = 0;
  trace.traceEvents.forEach((e, i) => {
    const at = `#${i} ${JSON.stringify(e)}`;
    if (typeof e.name !== 'string') bad.push(`${at}: name`);
    if (!PHASES.has(e.ph)) bad.push(`${at}: ph`);
    if (typeof e.pid !== 'number' || typeof e.tid !== 'number') bad.push(`${at}: pid/tid`);
    tids.add(e.tid);
    if (e.ph === 'M') {
      if (e.name === 'thread_name') threadNames.set(e.tid, [...(threadNames.get(e.tid) ?? []), e.args?.['name']]);
      return;
    }
    if (typeof e.ts !== 'number' || !Number.isInteger(e.ts) || e.ts < 0) bad.push(`${at}: ts`);
    if (e.ts < lastTs) bad.push(`${at}: out of order`);
    lastTs = e.ts;
    const stack = stacks.get(e.tid) ?? [];
    stacks.set(e.tid, stack);
    if (e.ph === 'B') stack.push(e.name);
    if (e.ph === 'E' && stack.pop() !== e.name) bad.push(`${at}: 'E' does not match the open 'B'`);
    if (e.ph === 'X' && !(typeof e.dur === 'number' && e.dur >= 0)) bad.push(`${at}: dur`);
    if (e.ph === 's' || e.ph === 'f') flows.set(e.id ?? -1, [...(flows.get(e.id ?? -1) ?? []), e]);
    if (e.ph === 'f' && e.bp !== 'e') bad.push(`${at}: flow end without bp 'e'`);
  });
  for (const [tid, stack] of stacks) if (stack.length > 0) bad.push(`tid ${tid}: unclosed ${stack.join(', ')}`);
  for (const [id, pair] of flows) {
    const ok = pair.length === 2 && pair[0]!.ph === 's' && pair[1]!.ph === 'f' && pair[0]!.name === pair[1]!.name
      && pair[0]!.cat === pair[1]!.cat && id > 0;
    if (!ok) bad.push(`flow ${id}: ${JSON.stringify(pair)}`);
  }
  const tracks = actorNames.map((_, i) => i + 1);
  actorNames.forEach((name, i) => {
    if (JSON.stringify(threadNames.get(i + 1)) !== JSON.stringify([name])) bad.push(`tid ${i + 1}: thread_name ${JSON.stringify(threadNames.get(i + 1))}`);
  });
  if (threadNames.size !== actorNames.length) bad.push(`thread_name for ${threadNames.size} tids, ${actorNames.length} actors`);
  if (JSON.stringify([...tids].sort((x, y) => x - y)) !== JSON.stringify(tracks)) bad.push(`tids ${[...tids]} != tracks ${tracks}`);
  return bad;
}

function instants(trace: ChromeTrace, cat?: string): ChromeTraceEvent[] {
  return trace.traceEvents.filter((e) => e.ph === 'i' && (cat === undefined || e.cat === cat));
}

/** Run `scenario` over seeds until `kind` is found; the trial and its finding. */
function hunt(scenario: AnyScenario, kind: string): { ex: { readonly actorNames: readonly string[] }; r: TrialResult; f: Finding } {
  const ex = new InlineExecutor(scenario, { strategy: 'pct:2', events: true, geometry: { traceEvents: 4096 } });
  for (let seed = 0; seed < 1000; seed++) {
    const r = ex.runTrial(seed);
    const f = r.findings.find((x) => x.kind === kind);
    if (f !== undefined) return { ex, r, f };
  }
  throw new Error(`${scenario.name}: no ${kind} in 1000 seeds`);
}

describe('chromeTrace', () => {
  it('builds tracks, nested critical-section and wait slices, wake/signal flows and instants precisely', () => {
    const trace = chromeTrace(SYNTHETIC, NAMES, { scenario: 'synthetic', seed: 7 });
    const meta = trace.traceEvents.filter((e) => e.ph === 'M');
    expect(meta).toEqual([
      { name: 'process_name', ph: 'M', pid: 1, tid: 1, ts: 0, args: { name: 'dmabuf-harness synthetic seed 7' } },
      ...NAMES.flatMap((name, i) => [
        { name: 'thread_name', ph: 'M', pid: 1, tid: i + 1, ts: 0, args: { name } },
        { name: 'thread_sort_index', ph: 'M', pid: 1, tid: i + 1, ts: 0, args: { sort_index: i } },
      ]),
    ]);
    expect(trace.traceEvents.filter((e) => e.ph !== 'M')).toEqual([
      beginE(A, 0, 'mutex 3', 'lock', { mutex: 3, ctx: -1 }),
      beginE(B, 1, 'lock-wait mutex 3', 'wait', args('lock-wait', 3, 0)),
      instE(A, 2, 'pin attach 5', 'attach', args('pin', 5, 1)),
      flowS(A, 3, 'wake', 1), endE(A, 3, 'mutex 3', 'lock'),
      flowF(B, 4, 'wake', 1), endE(B, 4, 'lock-wait mutex 3', 'wait'), beginE(B, 4, 'mutex 3', 'lock', { mutex: 3, ctx: -1 }),
      beginE(C, 5, 'fence-blocked fence 7', 'wait', args('fence-blocked', 7, 2)),
      instE(B, 6, 'signaled fence 7', 'fence', args('signaled', 7, 3)), flowS(B, 6, 'signal', 2),
      endE(B, 7, 'mutex 3', 'lock'),
      flowF(C, 8, 'signal', 2), endE(C, 8, 'fence-blocked fence 7', 'wait'), instE(C, 8, 'unpin attach 5', 'attach', args('unpin', 5, 4)),
      instE(A, 9, '-EDEADLK mutex 2', 'mutex', args('-EDEADLK', 2, 4, 4)),
      beginE(A, 10, 'mutex 1', 'lock', { mutex: 1, ctx: 4 }),
      beginE(A, 11, 'mutex 2', 'lock', { mutex: 2, ctx: 4 }),
      endE(A, 12, 'mutex 2', 'lock'), endE(A, 12, 'mutex 1', 'lock'), beginE(A, 12, 'mutex 2', 'lock', { mutex: 2, ctx: 4, continued: 1 }),
      instE(B, 13, 'revoke-complete dmabuf 0', 'dmabuf', args('revoke-complete', 0, 6, 1)),
      instE(C, 14, 'invalidate dmabuf 0', 'dmabuf', args('invalidate', 0, 7)),
      beginE(C, 15, 'lock-wait mutex 2', 'wait', args('lock-wait', 2, 7)),
      endE(A, 15, 'mutex 2', 'lock'), endE(C, 15, 'lock-wait mutex 2', 'wait'),
    ]);
    expect(trace.displayTimeUnit).toBe('ms');
    expect(trace.metadata).toMatchObject({ scenario: 'synthetic', seed: 7, actors: NAMES, events: SYNTHETIC.length });
    expect(chromeProblems(trace, NAMES)).toEqual([]);
  });

  it('places the finding at its seq, else at the end of its step, else at its actor\'s EV_DONE, else at the end; no actor → global', () => {
    // steps: seq 0–7 → 0–3 (two a step), then 4, 4, 5
    const events = [...SYNTHETIC.slice(0, 8), ev(8, C, EV_DONE, 0), ev(9, A, EV_DONE, 0), ev(10, B, EV_EDEADLK, 1)];
    const at = (finding: { title: string; actor: number; step: number; seq?: number }, evs = events): ChromeTraceEvent | undefined =>
      chromeTrace(evs, NAMES, { finding }).traceEvents.find((e) => e.cat === 'finding');
    const title = 'use-after-revoke in dma_engine_access';
    expect(at({ title, actor: C, step: 2 })).toEqual(
      { name: title, cat: 'finding', ph: 'i', s: 't', pid: 1, tid: 3, ts: 5, args: { title, actor: C, step: 2 } });
    expect(at({ title, actor: B, step: 4 })).toMatchObject({ tid: 2, ts: 9, s: 't' });
    expect(at({ title, actor: A, step: 3, seq: 2 })).toMatchObject({ tid: 1, ts: 2 });
    const lostEarly = events.slice(4); // the ring no longer holds steps 0 and 1
    expect(at({ title, actor: C, step: 1 }, lostEarly)).toMatchObject({ tid: 3, ts: 8 });
    expect(at({ title, actor: B, step: 1 }, lostEarly)).toMatchObject({ tid: 2, ts: 10 });
    expect(at({ title: 'leak in dma_buf_attach', actor: -1, step: 11 })).toMatchObject({ tid: 1, ts: 10, s: 'g' });
    const trace = chromeTrace(events, NAMES, { finding: { title, actor: C, step: 2 } });
    const order = trace.traceEvents.filter((e) => e.ph !== 'M').map((e) => e.ts);
    expect(order).toEqual([...order].sort((x, y) => x - y));
    expect(trace.metadata['finding']).toEqual({ title, actor: C, step: 2 });
    expect(chromeProblems(trace, NAMES)).toEqual([]);
  });

  it('the format check itself rejects broken traces', () => {
    const good = chromeTrace(SYNTHETIC, NAMES);
    const broken = (f: (evs: ChromeTraceEvent[]) => ChromeTraceEvent[]): string[] =>
      chromeProblems({ ...good, traceEvents: f([...good.traceEvents]) }, NAMES);
    expect(broken((evs) => evs.filter((e) => !(e.ph === 'E' && e.ts === 15)))).not.toEqual([]);
    expect(broken((evs) => evs.filter((e) => e.ph !== 'f'))).not.toEqual([]);
    expect(broken((evs) => evs.filter((e) => !(e.name === 'thread_name' && e.tid === 2)))).not.toEqual([]);
    expect(broken((evs) => [...evs, { ...evs.at(-1)!, ts: 3 }])).not.toEqual([]);
    expect(broken((evs) => [...evs, { name: 'x', ph: 'i', pid: 1, tid: 9, ts: 15 }])).not.toEqual([]);
  });

  it('has an empty, valid trace for no events, and names actors that traced beyond actorNames', () => {
    expect(chromeProblems(chromeTrace([], NAMES), NAMES)).toEqual([]);
    const trace = chromeTrace([ev(0, 3, EV_DONE, 0)], NAMES);
    expect(chromeProblems(trace, [...NAMES, 'actor3'])).toEqual([]);
  });
});

describe('traceFlows', () => {
  it('draws a wake only to a waiter whose wait that release ended, and a signal only to a current waiter', () => {
    const flows = traceFlows([
      ev(0, A, EV_ACQUIRED, 1), ev(1, B, OP_LOCK_WAIT, 1),
      ev(2, A, EV_RELEASED, 1), ev(3, A, EV_ACQUIRED, 1), // A takes it back: no wake
      ev(4, A, EV_RELEASED, 1), ev(5, B, EV_ACQUIRED, 1), // wake 4 → 5
      ev(6, B, EV_RELEASED, 1), ev(7, C, EV_ACQUIRED, 1), // C never waited: no wake
      ev(8, A, EV_SIGNALED, 9), ev(9, B, OP_FENCE_WAIT, 9), ev(10, B, EV_DONE, 0), // signaled before the wait
      ev(11, C, OP_FENCE_WAIT, 8), ev(12, A, EV_SIGNALED, 8), ev(13, C, EV_RELEASED, 1), // signal 12 → 13
      ev(14, A, OP_FENCE_BLOCKED, 5), ev(15, C, EV_SIGNALED, 5), // A's wait never ends: no flow
    ]);
    expect(flows).toEqual([
      { id: 1, kind: 'wake', obj: 1, from: { actor: A, seq: 4 }, to: { actor: B, seq: 5 } },
      { id: 2, kind: 'signal', obj: 8, from: { actor: A, seq: 12 }, to: { actor: C, seq: 13 } },
    ]);
  });
});

describe('chromeTrace end to end', () => {
  it('S1 revoke-wait-kernel: a use-after-revoke trial exports a valid trace with revoke, map and the finding', () => {
    const { ex, r, f } = hunt(revokeWaitKernel, 'use-after-revoke');
    const built = chromeTrace(r.events ?? [], ex.actorNames, { scenario: revokeWaitKernel.name, seed: r.seed, finding: f });
    const trace = JSON.parse(JSON.stringify(built)) as ChromeTrace;
    expect(trace).toEqual(built);
    expect(chromeProblems(trace, ex.actorNames)).toEqual([]);
    const vfio = ex.actorNames.indexOf('vfio') + 1;
    expect(instants(trace, 'dmabuf').map((e) => [e.tid, e.name])).toEqual(expect.arrayContaining([
      [vfio, 'revoke-complete dmabuf 0'], [vfio, 'invalidate dmabuf 0'],
    ]));
    expect(instants(trace, 'attach').some((e) => e.name.startsWith('map attach'))).toBe(true);
    expect(instants(trace, 'finding')).toEqual([expect.objectContaining({ name: f.title, tid: f.actor + 1 })]);
    expect(trace.traceEvents.some((e) => e.ph === 'B' && e.cat === 'lock')).toBe(true);
    expect(trace.metadata).toMatchObject({ scenario: 'revoke-wait-kernel', seed: r.seed });
  });

  it('S6 rdma-pinned-revoke: the pinned importer\'s pin appears as an instant next to the revoke', () => {
    const { ex, r, f } = hunt(rdmaPinnedRevoke, 'use-after-revoke');
    const trace = JSON.parse(JSON.stringify(chromeTrace(r.events ?? [], ex.actorNames, { finding: f }))) as ChromeTrace;
    expect(chromeProblems(trace, ex.actorNames)).toEqual([]);
    const rdma = ex.actorNames.indexOf('rdma0') + 1;
    expect(instants(trace, 'attach').filter((e) => e.name.startsWith('pin attach')).map((e) => e.tid)).toContain(rdma);
    expect(instants(trace, 'dmabuf').some((e) => e.name === 'revoke-complete dmabuf 0')).toBe(true);
  });
});
