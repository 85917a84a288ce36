/**
 * `node --expose-gc dist/bench/live_heap.js [--seconds S] [--every-s E] [--slice-ms T]
 * [--root DIR]`: the JS heap a campaign keeps alive, as opposed to the garbage it has not collected
 * yet. bench/memory.ts samples the resident set, which rises and falls with V8's collections; this
 * forces a full collection every E seconds (default 5) of an inline campaign over the catalog
 * (hunt() with keepGoing, T ms per scenario, default 300; S seconds in all, default 60) and prints
 * heapUsed right after each. Flat and equal figures for two builds mean the same live data, so a
 * difference in their resident sets is collection timing, not retention. `--root` runs the build
 * of another checkout (its dist/, this script as it has it), for an A/B against an older commit.
 */
import { resolve } from 'node:path';
import { HarnessError } from '../src/errno/errors.js';
import { positiveArg } from './args.js';
import { hunt } from '../src/campaign/hunt.js';
import { CATALOG } from '../scenarios/index.js';
import { THIS_ROOT, runInRoot, withoutRoot } from './build_root.js';
import { benchMain } from './main.js';

interface Options { seconds: number; everyS: number; sliceMs: number; root: string }

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { seconds: 60, everyS: 5, sliceMs: 300, root: THIS_ROOT };
  for (let i = 0; i < argv.length; i += 2) {
    const [a, v] = [argv[i]!, argv[i + 1]];
    if (a === '--seconds') o.seconds = positiveArg(a, v ?? '', 0);
    else if (a === '--every-s') o.everyS = positiveArg(a, v ?? '', 0);
    else if (a === '--slice-ms') o.sliceMs = positiveArg(a, v ?? '', 0);
    else if (a === '--root' && v !== undefined) o.root = resolve(v);
    else throw new HarnessError('ERR_BAD_OPTION', `unknown option ${JSON.stringify(a)}: expected --seconds, --every-s, --slice-ms or --root DIR`);
  }
  if (typeof globalThis.gc !== 'function') throw new HarnessError('ERR_BAD_OPTION', 'expected node --expose-gc (the bench forces full collections)');
  return o;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const o = parseArgs(argv);
  if (o.root !== THIS_ROOT) return runInRoot(o.root, 'live_heap', withoutRoot(argv));
  const live: number[] = [];
  const t0 = performance.now();
  let next = o.everyS * 1000;
  for (let round = 0; performance.now() - t0 < o.seconds * 1000; round++) {
    for (const e of CATALOG) {
      await hunt(e.scenario, { trials: Number.MAX_SAFE_INTEGER, timeMs: o.sliceMs, seed: 1 + round * 1_000_003, keepGoing: true });
      if (performance.now() - t0 < next) continue;
      next += o.everyS * 1000;
      globalThis.gc!();
      live.push(process.memoryUsage().heapUsed / 2 ** 20);
    }
  }
  process.stdout.write(`${THIS_ROOT}: heapUsed after a full collection every ${o.everyS} s (MiB): ${live.map((x) => x.toFixed(1)).join(' ')}\n`);
  return 0;
}

await benchMain('live_heap', main);
