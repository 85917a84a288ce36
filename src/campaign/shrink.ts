/**
 * Shrinking a finding's schedule (delta debugging, Zeller's ddmin): a schedule is described by
 * its deviations — the choices that differ from running non-preemptively — and the guided
 * strategy fills in the rest. ddmin first drops preemptions (keeping the choices made when an
 * actor blocked), then any remaining deviation, keeping a candidate only when a trial following
 * it still reports a finding with the same title. The result is the exact schedule of the last
 * trial that did.
 */
import { sameFinding } from './reproduce.js';
import { lockdepRestart } from '../kernel/lockdep_prime.js';
import { HarnessError } from '../errno/errors.js';
import type { LockdepDep, LockdepUsage } from '../trace/lockdep_info.js';
import { InlineExecutor } from '../exec/inline.js';
import type { Decision } from '../exec/result.js';
import type { AnyScenario, Params } from '../exec/scenario.js';
import type { Deviation } from '../sched/guided.js';

export interface ShrinkInput {
  readonly scenario: AnyScenario;
  readonly params: Params;
  readonly seed: number;
  readonly decisions: readonly Decision[];
  readonly title: string;
  /** Most trials to spend (default 5,000). */
  readonly budget?: number;
  /** The finding's code: a candidate keeps the finding only with the same title and code. */
  readonly code?: string | undefined;
  /** `title` was read from a replay file of an earlier title revision (reproduce.ts sameFinding
   *  `former`): the input schedule's trial may match it by a former title; every candidate after
   *  must then report the finding under the title that trial gave it. */
  readonly formerTitles?: boolean | undefined;
  /** A lockdep finding's dependencies and irq usage: every candidate runs on a validator holding
   *  only them. */
  readonly lockdep?: readonly LockdepDep[] | undefined;
  readonly lockdepUsage?: readonly LockdepUsage[] | undefined;
  /** A candidate not ended after this long (ms) is a hang in the watchdog (default: the inline
   *  executor's); shrinking a watchdog hang pays it for every candidate that keeps the hang. */
  readonly trialTimeoutMs?: number | undefined;
}

export interface ScheduleShape {
  readonly preemptions: number;
  readonly switches: number;
  readonly steps: number;
}

export interface ShrinkResult {
  /** Null when the input schedule did not reproduce its finding. */
  readonly decisions: readonly Decision[] | null;
  readonly before: ScheduleShape;
  readonly after: ScheduleShape;
  readonly trials: number;
  /** The finding's title as the input schedule's trial reported it (`title`, or the current title
   *  of a former one); undefined when it did not reproduce. */
  readonly title?: string;
}

interface Run { readonly title: string | undefined; readonly decisions: readonly Decision[]; readonly deviations: readonly Deviation[]; readonly shape: ScheduleShape }

/** Shrink `i`'s schedule; see the file comment. */
export function shrink(i: ShrinkInput): ShrinkResult {
  const ex = new InlineExecutor(i.scenario, { params: i.params, trialTimeoutMs: i.trialTimeoutMs });
  ex.guided.record = true;
  let trials = 0;
  const budget = i.budget ?? 5000;
  let target = { title: i.title, former: i.formerTitles === true };
  const run = (guide: readonly Decision[]): Run => {
    trials++;
    if (lockdepRestart(ex.arena, i.lockdep ?? [], i.lockdepUsage ?? []) !== 0) {
      throw new HarnessError('ERR_ARENA_BUSY', `shrink ${i.scenario.name}: the validator of an arena in use by another thread or a running trial cannot restart`);
    }
    const r = ex.runTrial(i.seed, guide, 'guided');
    const decisions = r.decisions ?? [];
    const title = r.findings.find((f) => sameFinding(f, target.title, i.code, target.former))?.title;
    if (title !== undefined) target = { title, former: false };
    return {
      title, decisions, deviations: [...ex.guided.deviations],
      shape: { preemptions: ex.guided.preemptions, switches: switches(decisions), steps: decisions.length },
    };
  };
  try {
    return shrinkWith(run, i.decisions, budget, () => trials);
  } finally {
    ex.close();
  }
}

/** The two ddmin passes over the deviations of `decisions`, spending at most `budget` trials. */
function shrinkWith(run: (guide: readonly Decision[]) => Run, decisions: readonly Decision[], budget: number, trials: () => number): ShrinkResult {
  const first = run(decisions);
  if (first.title === undefined) return { decisions: null, before: first.shape, after: first.shape, trials: trials() };
  let best = first;
  const test = (keep: readonly Deviation[]): boolean => {
    if (trials() >= budget) return false;
    const r = run(guideOf(keep));
    if (r.title !== undefined && r.shape.preemptions <= best.shape.preemptions) best = r;
    return r.title !== undefined;
  };
  const blocked = first.deviations.filter((d) => !d.preemption);
  ddmin(first.deviations.filter((d) => d.preemption), (c) => test([...blocked, ...c]));
  ddmin(best.deviations, test);
  return { decisions: best.decisions, before: first.shape, after: best.shape, trials: trials(), title: first.title };
}

/** A guide that makes exactly the choices `devs` and leaves every other step to the default. */
function guideOf(devs: readonly Deviation[]): Decision[] {
  const len = devs.reduce((m, d) => Math.max(m, d.step + 1), 0);
  const guide: Decision[] = Array.from({ length: len }, () => ({ actor: -1, op: 0 }));
  for (const d of devs) guide[d.step] = { actor: d.actor, op: 0 };
  return guide;
}

/** Context switches of a schedule: decisions whose actor differs from the one before. */
export function switches(d: readonly Decision[]): number {
  let n = 0;
  for (let k = 1; k < d.length; k++) if (d[k]!.actor !== d[k - 1]!.actor) n++;
  return n;
}

/** Zeller's ddmin: a 1-minimal subset of `items` for which `test` holds (test(items) assumed). */
export function ddmin<T>(items: readonly T[], test: (c: readonly T[]) => boolean): readonly T[] {
  if (items.length === 0 || test([])) return [];
  let cur = items;
  let n = 2;
  while (cur.length >= 2) {
    const chunks = split(cur, n);
    const sub = chunks.find((c) => test(c));
    if (sub !== undefined) { cur = sub; n = 2; continue; }
    const comp = n === 2 ? undefined : chunks.map((_, k) => chunks.filter((__, j) => j !== k).flat()).find((c) => test(c));
    if (comp !== undefined) { cur = comp; n = Math.max(n - 1, 2); continue; }
    if (n >= cur.length) break;
    n = Math.min(cur.length, 2 * n);
  }
  return cur;
}

function split<T>(items: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  const size = items.length / n;
  for (let k = 0; k < n; k++) out.push(items.slice(Math.round(k * size), Math.round((k + 1) * size)));
  return out.filter((c) => c.length > 0);
}
