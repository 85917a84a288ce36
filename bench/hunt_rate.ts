/**
 * `node dist/bench/hunt_rate.js [--seconds S] [--root DIR] SCENARIO...`: trials per second of
 * `hunt()` with keepGoing (the whole campaign loop: slices, the hunt's bookkeeping, the event loop
 * turns between slices) on each catalog scenario, after warm-up hunts of 0.5 s until this thread
 * ran 0.5 s of CPU (cpu_warmup.ts: on a loaded host a wall-clock warm-up measured the code before
 * V8 optimised it), at most WARMUP_ROUNDS of them; S seconds a
 * scenario (default 2). `--root` runs another checkout's build of this script (bench/build_root.ts): alternate
 * two builds for an A/B, since single runs on a shared host are noisy.
 */
import { resolve } from 'node:path';
import { HarnessError } from '../src/errno/errors.js';
import { catalogScenario, positiveArg } from './args.js';
import { hunt } from '../src/campaign/hunt.js';
import { THIS_ROOT, runInRoot, withoutRoot } from './build_root.js';
import { benchMain } from './main.js';
import { warmUpCpu } from './cpu_warmup.js';

/** A warm-up hunt's wall time, and the CPU time of this thread the warm-up hunts add up to (ms). */
const WARMUP_MS = 500;
/** Warm-up hunts of WARMUP_MS at most: 15 s of wall time, a CPU share of 1/30 reaching WARMUP_MS. */
const WARMUP_ROUNDS = 30;

interface Options { seconds: number; root: string; names: string[] }

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { seconds: 2, root: THIS_ROOT, names: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--seconds') o.seconds = positiveArg(a, argv[++i] ?? '', 0);
    else if (a === '--root' && argv[i + 1] !== undefined) o.root = resolve(argv[++i]!);
    else if (!a.startsWith('--')) o.names.push(a);
    else throw new HarnessError('ERR_BAD_OPTION', `unknown option ${JSON.stringify(a)}: expected --seconds S, --root DIR or scenario names`);
  }
  if (o.names.length === 0) throw new HarnessError('ERR_BAD_OPTION', 'expected at least one catalog scenario name');
  return o;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const o = parseArgs(argv);
  if (o.root !== THIS_ROOT) return runInRoot(o.root, 'hunt_rate', withoutRoot(argv));
  // Every name resolved before anything is measured: a bad one is exit 2 with no row printed.
  const scenarios = o.names.map((name) => ({ name, s: catalogScenario(name) }));
  for (const { name, s } of scenarios) {
    await warmUpCpu(() => hunt(s, { trials: Number.MAX_SAFE_INTEGER, timeMs: WARMUP_MS, seed: 1, keepGoing: true }), WARMUP_MS, WARMUP_ROUNDS);
    const r = await hunt(s, { trials: Number.MAX_SAFE_INTEGER, timeMs: o.seconds * 1000, seed: 2, keepGoing: true });
    process.stdout.write(`${THIS_ROOT}  ${name}  ${Math.round(r.trials / r.seconds)} trials/s\n`);
  }
  return 0;
}

await benchMain('hunt_rate', main);
