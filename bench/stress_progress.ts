/**
 * `node dist/bench/stress_progress.js [--runs N] [--ms MS] [--actors A] [--locks L] [--spin K]`:
 * the default tier's ww stress "every actor progressing" check
 * (test/integration/exec/stress.test.ts) measured rather than asserted. Each run is one call of
 * the test's own measureStress (test/support/stress_progress.ts, which imports no vitest: a fresh
 * executor, a warm-up trial, then a trial of MS ms, default 600, and further ones while an actor
 * has no round and too little CPU, at most PROGRESS_TRIALS) on the W6/W7 cases in turn (inorder /
 * reorder, wait-die on / off), A actors (4) over L locks (16); N runs (8). Per run and in total
 * it prints actor-trials, actors at 0 rounds in the first measured trial and over all of them, the
 * extra trials, the starved actors, the least CPU any actor's thread got (stress statistics'
 * cpuMs: its schedstat run time, src/exec/thread_cpu.ts) and rounds per actor and per ms of CPU.
 * `--spin K` runs K busy node processes beside it (a loaded host). The duration counts from every
 * actor thread's take-up (stress_watch.ts); the script asserts nothing.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { countArg } from './args.js';
import { median } from './first_finding.js';
import { benchMain } from './main.js';
import { PER_ACTOR, wwStress } from '../test/fixtures/stress/ww_stress.js';
import { type StressProgress, measureStress, starvedActors } from '../test/support/stress_progress.js';

/** The four W6/W7 cases of the test, in its order: [mode, wait-die]. */
export const PROGRESS_CASES = [
  ['inorder', true], ['inorder', false], ['reorder', true], ['reorder', false],
] as const;

/** What one run (one measureStress call) showed, per actor over its measured trials. */
export interface RunFigures {
  readonly trials: number;
  /** The first measured trial's wall time (ms). */
  readonly firstWallMs: number;
  /** Actors without a round in the first measured trial, and over all of them. */
  readonly zeroFirst: number;
  readonly zeroAll: number;
  readonly starved: number;
  readonly rounds: readonly number[];
  /** Each actor's time on a CPU (ms; NaN where the OS does not report it). */
  readonly cpuMs: readonly number[];
}

/** The figures of one measureStress result. */
export function runFigures(p: StressProgress): RunFigures {
  const first = p.trials[0]!;
  const rounds = p.progress.map((a) => a.rounds);
  return {
    trials: p.trials.length, firstWallMs: first.wallMs,
    zeroFirst: rounds.filter((_, i) => first.user[PER_ACTOR + i] === 0).length,
    zeroAll: rounds.filter((n) => n === 0).length,
    starved: starvedActors(p.progress).length, rounds, cpuMs: p.progress.map((a) => a.cpuMs),
  };
}

/** One actor over one run: its rounds and CPU. */
interface ActorRun { readonly rounds: number; readonly cpuMs: number }

const actorRuns = (runs: readonly RunFigures[]): ActorRun[] =>
  runs.flatMap((r) => r.rounds.map((rounds, i) => ({ rounds, cpuMs: r.cpuMs[i]! })));

/** The totals over `runs`: counts summed; the actor with the least CPU and the one with the fewest
 *  rounds (undefined for none); the median rounds per actor and per ms of CPU (actors whose CPU
 *  the OS reported). */
export function totals(runs: readonly RunFigures[]) {
  const all = actorRuns(runs);
  const sum = (f: (r: RunFigures) => number): number => runs.reduce((n, r) => n + f(r), 0);
  const timed = all.filter((a) => a.cpuMs >= 0);
  const least = (key: (a: ActorRun) => number, xs: readonly ActorRun[]): ActorRun | undefined =>
    xs.reduce<ActorRun | undefined>((m, a) => (m === undefined || key(a) < key(m) ? a : m),
      undefined);
  return {
    actorTrials: all.length, zeroFirst: sum((r) => r.zeroFirst), zeroAll: sum((r) => r.zeroAll),
    extraTrials: sum((r) => r.trials - 1), starved: sum((r) => r.starved),
    leastCpu: least((a) => a.cpuMs, timed), fewestRounds: least((a) => a.rounds, all),
    medianRounds: median(all.map((a) => a.rounds)),
    medianPerCpuMs: median(timed.filter((a) => a.cpuMs > 0).map((a) => a.rounds / a.cpuMs)),
  };
}

const ms = (x: number): string => (x >= 0 ? `${x.toFixed(1)} ms` : 'n/a');
const actor = (a: ActorRun | undefined): string =>
  (a === undefined ? 'none' : `${a.rounds} rounds in ${ms(a.cpuMs)} of CPU`);
const cpuList = (xs: readonly number[]): string =>
  xs.map((c) => (c >= 0 ? c.toFixed(1) : 'n/a')).join('/');

/** One run's line: its case, trials, first trial's wall time, rounds and CPU per actor. */
export function runLine(n: number, label: string, r: RunFigures): string {
  return `run ${n}  ${label}  trials ${r.trials}  first ${Math.round(r.firstWallMs)} ms wall  ` +
    `rounds ${r.rounds.join('/')}  cpu ${cpuList(r.cpuMs)} ms  ` +
    `0-round ${r.zeroFirst} first, ${r.zeroAll} all  starved ${r.starved}  least cpu ` +
    `${ms(Math.min(...r.cpuMs.filter((c) => c >= 0)))}`;
}

/** The totals' lines. */
export function totalLines(runs: readonly RunFigures[]): string[] {
  const t = totals(runs);
  return [
    `total  runs ${runs.length}  actor-trials ${t.actorTrials}  0-round actors ${t.zeroFirst} ` +
      `in the first trial, ${t.zeroAll} over all  extra trials ${t.extraTrials}  ` +
      `starved ${t.starved}`,
    `least CPU: ${actor(t.leastCpu)}; fewest rounds: ${actor(t.fewestRounds)}; median ` +
      `${t.medianRounds} rounds an actor, ${t.medianPerCpuMs.toFixed(1)} a ms of CPU`,
  ];
}

/** `k` busy node processes (a loaded host) until `stop` is called; each ended by its own pid. */
function spinners(k: number): () => void {
  const kids: ChildProcess[] = Array.from({ length: k }, () =>
    spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
  return () => { for (const c of kids) c.kill('SIGKILL'); };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    runs: { type: 'string' }, ms: { type: 'string' }, actors: { type: 'string' },
    locks: { type: 'string' }, spin: { type: 'string' },
  } });
  const runs = countArg('--runs', values.runs, 8);
  const durationMs = countArg('--ms', values.ms, 600);
  const actors = countArg('--actors', values.actors, 4);
  const locks = countArg('--locks', values.locks, 16);
  const stop = spinners(countArg('--spin', values.spin, 0, true));
  try {
    const figures: RunFigures[] = [];
    for (let i = 0; i < runs; i++) {
      const [mode, waitDie] = PROGRESS_CASES[i % PROGRESS_CASES.length]!;
      const p = await measureStress(wwStress, { mode, waitDie }, durationMs, actors, locks);
      figures.push(runFigures(p));
      console.log(runLine(i + 1, `${mode} wait-die ${waitDie}`, figures[i]!));
    }
    for (const line of totalLines(figures)) console.log(line);
  } finally {
    stop();
  }
}

const isMain = process.argv[1] !== undefined
  && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) await benchMain('stress_progress', main);
