/**
 * `node dist/bench/hunt_rate.js [--seconds S] [--executor E] [--root DIR] SCENARIO...`: trials per
 * second of `hunt()` with keepGoing (the whole campaign loop: slices, the hunt's bookkeeping, the
 * event loop turns between slices) on each catalog scenario. Inline (the default): after warm-up
 * hunts of 0.5 s until this thread ran 0.5 s of CPU (cpu_warmup.ts: on a loaded host a wall-clock
 * warm-up measured the code before V8 optimised it), at most WARMUP_ROUNDS of them; S seconds a
 * scenario (default 2), its trials over the hunt's wall time. `--executor stress` (or controlled)
 * runs the hunt as `hunt --executor stress` does, S seconds (default 10) of the hunt's budget,
 * which leaves out the actor threads' start-up: the rate counts the trials after the first (the
 * one that waited for the threads) over the time from its end to the last one's, and no warm-up
 * hunt runs, as each hunt starts threads of its own. `--root` runs another checkout's build of
 * this script (bench/build_root.ts): alternate two builds for an A/B, since single runs on a
 * shared host are noisy.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnyScenario } from '../src/exec/scenario.js';
import { HarnessError } from '../src/errno/errors.js';
import { catalogScenario, positiveArg } from './args.js';
import { hunt } from '../src/campaign/hunt.js';
import { EXECUTORS, type ExecutorKind } from '../src/campaign/runner.js';
import { THIS_ROOT, runInRoot, withoutRoot } from './build_root.js';
import { benchMain } from './main.js';
import { warmUpCpu } from './cpu_warmup.js';

/** A warm-up hunt's wall time, and the CPU time of this thread the warm-up hunts add up to (ms). */
const WARMUP_MS = 500;
/** Warm-up hunts of WARMUP_MS at most: 15 s of wall time, a CPU share of 1/30 reaching WARMUP_MS. */
const WARMUP_ROUNDS = 30;

interface Options {
  seconds: number | undefined; executor: ExecutorKind; root: string; names: string[];
}

function executorArg(raw: string): ExecutorKind {
  const e = EXECUTORS.find((x) => x === raw);
  if (e !== undefined) return e;
  const expected = `expected one of ${EXECUTORS.join(', ')}`;
  throw new HarnessError('ERR_BAD_OPTION', `--executor: ${expected}, got ${JSON.stringify(raw)}`);
}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { seconds: undefined, executor: 'inline', root: THIS_ROOT, names: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--seconds') o.seconds = positiveArg(a, argv[++i] ?? '', 0);
    else if (a === '--executor') o.executor = executorArg(argv[++i] ?? '');
    else if (a === '--root' && argv[i + 1] !== undefined) o.root = resolve(argv[++i]!);
    else if (!a.startsWith('--')) o.names.push(a);
    else throw new HarnessError('ERR_BAD_OPTION', `unknown option ${JSON.stringify(a)}: expected --seconds S, --executor E, --root DIR or scenario names`);
  }
  if (o.names.length === 0) throw new HarnessError('ERR_BAD_OPTION', 'expected at least one catalog scenario name');
  return o;
}

/** Inline hunt trials/s of `s` over `seconds` of wall time, after the CPU-time warm-up. */
async function inlineRate(s: AnyScenario, seconds: number): Promise<number> {
  await warmUpCpu(() => hunt(s, { trials: Number.MAX_SAFE_INTEGER, timeMs: WARMUP_MS, seed: 1, keepGoing: true }), WARMUP_MS, WARMUP_ROUNDS);
  const r = await hunt(s, { trials: Number.MAX_SAFE_INTEGER, timeMs: seconds * 1000, seed: 2, keepGoing: true });
  return r.trials / r.seconds;
}

/**
 * Threaded hunt trials/s of `s` under `executor` for a budget of `seconds`: the trials after the
 * first over the time from the first's end to the last's (onProgress after each trial), so the
 * threads' start-up and teardown are left out; NaN when the budget held fewer than two trials.
 */
export async function threadedRate(
  s: AnyScenario, executor: ExecutorKind, seconds: number,
): Promise<number> {
  const seen: { trials: number; at: number }[] = [];
  const onProgress = (trials: number): void => {
    if (trials > (seen.at(-1)?.trials ?? 0)) seen.push({ trials, at: performance.now() });
  };
  await hunt(s, {
    trials: Number.MAX_SAFE_INTEGER, timeMs: seconds * 1000, seed: 2, keepGoing: true, executor,
    onProgress,
  });
  const [first, last] = [seen[0], seen.at(-1)];
  if (first === undefined || last === undefined || last === first) return NaN;
  return (last.trials - first.trials) / ((last.at - first.at) / 1000);
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const o = parseArgs(argv);
  if (o.root !== THIS_ROOT) return runInRoot(o.root, 'hunt_rate', withoutRoot(argv));
  // Every name resolved before anything is measured: a bad one is exit 2 with no row printed.
  const scenarios = o.names.map((name) => ({ name, s: catalogScenario(name) }));
  for (const { name, s } of scenarios) {
    if (o.executor === 'inline') {
      const rate = await inlineRate(s, o.seconds ?? 2);
      process.stdout.write(`${THIS_ROOT}  ${name}  ${Math.round(rate)} trials/s\n`);
    } else {
      const rate = await threadedRate(s, o.executor, o.seconds ?? 10);
      process.stdout.write(`${THIS_ROOT}  ${name}  ${o.executor}  ${rate.toFixed(1)} trials/s\n`);
    }
  }
  return 0;
}

const isMain = process.argv[1] !== undefined
  && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) await benchMain('hunt_rate', main);
