/**
 * Reading an ended trial's result (result.ts TrialResult) from its arena: the end state, the
 * model's findings, the end state's own finding (deadlock, hang, crash), leaks, and the decision
 * log and trace when asked.
 */
import type { Arena } from '../shm/arena.js';
import {
  A_OP, A_WAIT_SITE, C_DIVERGE_OP, C_END_ACTOR, C_END_DETAIL, C_FINDINGS_LOST, C_STATE, C_STEP, G_ACTOR,
  G_ARG, G_AUX, G_CODE, G_OBJ, G_REPEATS, G_STEP, TRIAL_ABORTED, TRIAL_BUG, TRIAL_CRASH, TRIAL_DEADLOCK,
  TRIAL_DIVERGED, TRIAL_DONE, TRIAL_STEP_LIMIT, objOf, opOf,
} from '../shm/layout.js';
import { opName, opObjectKind } from '../trace/ops.js';
import { readEvents } from '../trace/ring.js';
import { siteName, warnSpec, type FindingKind } from '../kernel/warn.js';
import { LOCKDEP_CARRYING, lockdepCarried } from '../kernel/lockdep_carry.js';
import { waitSiteName } from '../kernel/wait_site.js';
import { findCycle, hangChain, waitEdges, type WaitEdge } from '../check/waitfor.js';
import { findLeaks } from '../check/leaks.js';
import { findingMessage, leakMessage, MAPPING_COUNT, slabRecordOf } from './report.js';
import {
  leakTitle, readDecisions, titleOf, type Finding, type LiveMapping, type TrialEnd, type TrialResult,
} from './result.js';

export interface CollectOptions {
  readonly actorNames: readonly string[];
  readonly crashMessage?: string;
  readonly decisions?: boolean;
  readonly events?: boolean;
  /** Report leaks at trial end (default true). */
  readonly leakCheck?: boolean | undefined;
}

const ENDS: Record<number, TrialEnd> = {
  [TRIAL_DONE]: 'done', [TRIAL_DEADLOCK]: 'deadlock', [TRIAL_STEP_LIMIT]: 'step-limit',
  [TRIAL_CRASH]: 'crash', [TRIAL_BUG]: 'bug', [TRIAL_DIVERGED]: 'diverged', [TRIAL_ABORTED]: 'aborted',
};

/** Read the ended trial's outcome from `a` (a finished trial's arena, before the next reset).
 *  Every hunt trial comes through here: a clean trial's result is built without per-field
 *  spreads or iterator copies (docs/BENCHMARKS.md, "Session 30"). */
export function collectResult(a: Arena, seed: number, o: CollectOptions): TrialResult {
  const end = ENDS[a.ctl(C_STATE)] ?? 'aborted';
  const n = o.actorNames.length;
  const steps = a.ctl(C_STEP);
  const findings = modelFindings(a, o.actorNames);
  const endFinding = endStateFinding(a, end, o);
  if (endFinding !== null) findings.push(endFinding);
  if (end === 'done' && o.leakCheck !== false) {
    for (const l of findLeaks(a, n)) {
      findings.push({ kind: 'leak', title: leakTitle(l.code), code: l.code, actor: -1, step: steps, obj: l.obj, message: leakMessage(l) });
    }
  }
  const result: Mutable<TrialResult> = { seed, end, steps, findings, user: userWords(a) };
  if (o.decisions === true) result.decisions = readDecisions(a, Math.min(steps, a.geometry.decisions));
  if (o.events === true) result.events = readEvents(a, n);
  if (end === 'diverged') result.divergence = divergence(a, o.actorNames);
  if (a.ctl(C_FINDINGS_LOST) > 0) result.dropped = a.ctl(C_FINDINGS_LOST);
  return result;
}

/** A result under construction: its optional fields are set in the order the type lists them,
 *  so a result serialises as before. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A copy of the scenario's user words (a plain loop: Array.from over a typed array walks its
 *  iterator, the most costly part of a clean trial's result). */
function userWords(a: Arena): number[] {
  const h = a.i32;
  const u = a.layout.user;
  const out: number[] = [];
  for (let i = 0; i < a.geometry.userWords; i++) out.push(h[u + i]!);
  return out;
}

/** The findings table's published slots, in the order they were claimed. */
function modelFindings(a: Arena, names: readonly string[]): Finding[] {
  const out: Finding[] = [];
  const h = a.i32;
  for (let i = 0; i < a.geometry.findings; i++) {
    const g = a.finding(i);
    const code = h[g + G_CODE]!;
    if (code === 0) break;
    const spec = warnSpec(code);
    if (spec === undefined) continue;
    const actor = h[g + G_ACTOR]!;
    const fn = siteName(h[g + G_ARG]!) || spec.fn;
    const repeats = h[g + G_REPEATS]!;
    const slab = slabRecordOf(h, g, spec.name);
    const message = findingMessage(a, g, spec, names, actor, fn, slab) + repeatNote(repeats, spec.perPage);
    const mapping = liveMapping(h, g, spec.name);
    const f: Mutable<Finding> = { kind: spec.kind, title: titleOf(spec, fn), code: spec.name, actor, step: h[g + G_STEP]!, obj: h[g + G_OBJ]!, message };
    if (LOCKDEP_CARRYING.has(spec.name)) Object.assign(f, lockdepCarried(a, g, spec.name));
    if (repeats > 0) f.repeats = repeats;
    if (mapping !== undefined) f.mapping = mapping;
    if (spec.name === 'MUTEX_UNLOCK_NOT_OWNER') f.holder = h[g + G_AUX]! - 1;
    if (slab !== undefined) f.slab = slab;
    out.push(f);
  }
  return out;
}

/** The report's last line for a finding recorded `repeats` more times ('' for none). */
function repeatNote(repeats: number, perPage: boolean): string {
  if (repeats === 0) return '';
  return `\n  repeated ${repeats} more time${repeats === 1 ? '' : 's'}${perPage ? ' (pages of the same mapping)' : ''}`;
}

/** The live mapping a REUSE_BEFORE_UNMAP / REMOVE_WITH_MAPPINGS / REVOKE_LIVE_MAPPINGS record at
 *  `g` names (aux words [mapper + 1, map step, attachment + 1, pages or mappings]); undefined for
 *  other checks. */
function liveMapping(h: Int32Array, g: number, name: string): LiveMapping | undefined {
  if (!(name in MAPPING_COUNT)) return undefined;
  const aux = (i: number): number => h[g + G_AUX + i]!;
  const count = MAPPING_COUNT[name];
  return { by: aux(0) - 1, step: aux(1), attachment: aux(2) - 1, ...(count !== undefined ? { [count]: aux(3) } : {}) };
}

const BLOCKING_FN: Record<WaitEdge['kind'], string> = { mutex: 'mutex_lock', fence: 'dma_fence_wait', event: 'wait_event', sleep: 'msleep' };

/** The call `e`'s actor is blocked in: for a hang the site its wait recorded (wait_site.ts), else
 *  — and for a deadlock, named after its wait's primitive — the wait kind's primitive. */
function blockedCall(a: Arena, e: WaitEdge, hang: boolean): string {
  return (hang ? waitSiteName(a.i32[a.actor(e.actor) + A_WAIT_SITE]!) : undefined) ?? BLOCKING_FN[e.kind];
}

function endStateFinding(a: Arena, end: TrialEnd, o: CollectOptions): Finding | null {
  const names = o.actorNames;
  const actor = a.ctl(C_END_ACTOR);
  const step = a.ctl(C_STEP);
  if (end === 'deadlock') {
    const edges = waitEdges(a, names.length);
    const cycle = findCycle(edges);
    const hang = cycle === null ? hangChain(edges) : undefined;
    const waits = cycle ?? hang!.waits;
    const kind: FindingKind = cycle !== null ? 'deadlock' : 'hang';
    // A deadlock is named after the cycle's first wait, a hang after the wait at its chain's end.
    const first = cycle !== null ? cycle[0] : hang!.at;
    const title = `${kind} in ${first === undefined ? 'schedule' : blockedCall(a, first, cycle === null)}`;
    const lines = waits.map((e) => `  ${names[e.actor]} waits for ${e.kind} ${e.obj}` +
      (e.next < 0 ? ' that nobody will release' : `${e.kind === 'mutex' ? ' held by ' : ' to be signaled by '}${names[e.next] ?? 'setup'}`));
    const head = cycle !== null ? 'INFO: task deadlock detected: wait-for cycle' : 'INFO: task hung: blocked forever';
    return { kind, title, code: kind, actor: first?.actor ?? -1, step, obj: first?.obj ?? 0, message: [head, ...lines].join('\n'), waits };
  }
  if (end === 'step-limit') {
    return { kind: 'hang', title: 'hang in schedule', code: 'step-limit', actor, step, obj: 0,
      message: `INFO: no progress: trial reached its step bound (${step} steps): livelock or unbounded loop` };
  }
  if (end === 'aborted') {
    return { kind: 'hang', title: 'hang in watchdog', code: 'watchdog', actor, step, obj: 0,
      message: `INFO: trial stopped by the watchdog at step ${step}: ${names[actor] ?? 'an actor'} made no progress (running without yielding, or stuck)`,
      waits: waitEdges(a, names.length) };
  }
  if (end === 'crash') {
    return { kind: 'crash', title: `crash in ${names[actor] ?? 'actor'}`, code: 'crash', actor, step, obj: 0,
      message: `actor ${names[actor]} threw at step ${step}: ${o.crashMessage ?? 'unknown error'}` };
  }
  return null;
}

function divergence(a: Arena, names: readonly string[]): string {
  const step = a.ctl(C_END_DETAIL);
  const actor = a.ctl(C_END_ACTOR);
  const want = a.ctl(C_DIVERGE_OP);
  const who = names[actor] ?? `actor ${actor}`;
  if (want === 0) return `replay diverged at step ${step}: the recorded schedule ended but ${who} can still run`;
  const pending = a.i32[a.actor(actor) + A_OP]!;
  if (pending === want) return `replay diverged at step ${step}: expected ${who} to ${opName(opOf(want))} ${opObjectKind(opOf(want))} ${objOf(want)}, but it is blocked`;
  return `replay diverged at step ${step}: expected ${who} to ${opName(opOf(want))} ${opObjectKind(opOf(want))} ${objOf(want)}, ` +
    `but it has ${opName(opOf(pending))} ${opObjectKind(opOf(pending))} ${objOf(pending)} pending`;
}
