/**
 * `dmabuf-harness shrink FILE`: the fewest preemptions (then deviations) that keep the recorded
 * finding; prints the schedule's shape before and after and writes the shrunk replay file.
 * Exit 0 written, 1 the file's schedule does not reproduce its finding.
 */
import { checkOutput, writeAtomic } from '../campaign/artifacts.js';
import { formerTitles, replayFile } from '../campaign/replay_file.js';
import { shrink, type ScheduleShape } from '../campaign/shrink.js';
import { plural } from '../campaign/stress_format.js';
import type { CliIo } from './io.js';
import { loadReplay } from './replay_input.js';

export interface ShrinkCliOptions {
  readonly out?: string;
  /** ms (--trial-timeout); undefined: the inline executor's default. */
  readonly trialTimeout?: number;
}

const shape = (s: ScheduleShape): string =>
  [plural(s.preemptions, 'preemption'), plural(s.switches, 'context switch', 'context switches'), plural(s.steps, 'step')].join(', ');

/** Run the shrink command against `io`; returns the exit code. */
export async function shrinkCommand(io: CliIo, path: string, o: ShrinkCliOptions): Promise<number> {
  const out = o.out ?? path.replace(/(\.replay)?\.json$/, '') + '.shrunk.replay.json';
  const r = await loadReplay(path);
  checkOutput('--out', out, path);
  const res = shrink({ scenario: r.scenario, params: r.params, seed: r.file.seed, decisions: r.decisions, title: r.file.finding.title, code: r.file.finding.code, lockdep: r.file.lockdep, lockdepUsage: r.file.lockdepUsage, trialTimeoutMs: o.trialTimeout, formerTitles: formerTitles(r.file) });
  if (res.decisions === null) {
    io.stdout.write(`${path}: the schedule does not reproduce ${r.file.finding.title}: nothing to shrink\n`);
    return 1;
  }
  const doc = replayFile({
    scenario: r.scenario, source: r.file.scenario.source, params: r.params, executor: 'inline',
    strategy: `shrink(${r.file.strategy})`, seed: r.file.seed, finding: { ...r.file.finding, title: res.title ?? r.file.finding.title }, decisions: res.decisions, lockdep: r.file.lockdep, lockdepUsage: r.file.lockdepUsage,
  });
  writeAtomic(out, `${JSON.stringify(doc, null, 2)}\n`);
  io.stdout.write([
    `shrink ${r.scenario.name}: ${r.file.finding.title} (${res.trials} trials)`,
    `  before: ${shape(res.before)}`, `  after:  ${shape(res.after)}`, `shrunk replay: ${out}`,
  ].join('\n') + '\n');
  return 0;
}
