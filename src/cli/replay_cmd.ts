/**
 * `dmabuf-harness replay FILE`: re-run a recorded schedule and say whether the recorded finding
 * came back. A schedule recorded by `controlled` or `inline` is followed exactly (a divergence is
 * reported); a `stress` yield order is followed as a guide. A stress finding's plan and the stalls
 * that ended in its trial, which the file carries, are printed as information (stressLines): the
 * replay itself does not stall. Exit 0 reproduced, 1 not.
 */
import { checkOutput, writeAtomic } from '../campaign/artifacts.js';
import { reproduce } from '../campaign/reproduce.js';
import { formerTitles } from '../campaign/replay_file.js';
import { stressLines } from '../campaign/stress_plan.js';
import type { ExecutorKind } from '../campaign/runner.js';
import { chromeTrace } from '../trace/perfetto.js';
import type { CliIo } from './io.js';
import { loadReplay } from './replay_input.js';

export interface ReplayCliOptions {
  /** inline or controlled (the parser refuses stress). */
  readonly executor?: Exclude<ExecutorKind, 'stress'>;
  readonly trace?: string;
  /** ms (--trial-timeout); undefined: the executor's default. */
  readonly trialTimeout?: number;
}

/** Run the replay command against `io`; returns the exit code. */
export async function replayCommand(io: CliIo, path: string, o: ReplayCliOptions): Promise<number> {
  const r = await loadReplay(path);
  if (o.trace !== undefined) checkOutput('--trace', o.trace, path);
  const executor = o.executor ?? (r.file.executor === 'stress' ? 'controlled' : r.file.executor);
  const follow = r.file.executor === 'stress' ? 'guided' : 'exact';
  const rep = await reproduce(r.scenario, r.file.finding.title, {
    executor, params: r.params, seed: r.file.seed, decisions: r.decisions, follow, events: o.trace !== undefined, lockdep: r.file.lockdep, lockdepUsage: r.file.lockdepUsage, code: r.file.finding.code,
    trialTimeoutMs: o.trialTimeout, formerTitles: formerTitles(r.file),
  });
  const f = rep.finding;
  const out: string[] = [
    `replay ${r.scenario.name} under ${executor} (${follow}), ${r.decisions.length} decisions: ${rep.result.end}`,
    ...stressLines(r.file, rep.actorNames),
  ];
  if (rep.result.divergence !== undefined) out.push(rep.result.divergence);
  if ((rep.result.dropped ?? 0) > 0) out.push(`${rep.result.dropped} finding records lost (findings table full; raise geometry.findings)`);
  if (f !== undefined) out.push(`reproduced: ${f.title}`, '', f.message);
  else out.push(`NOT reproduced: ${r.file.finding.title}`, ...rep.result.findings.map((x) => `  found instead: ${x.title}`));
  if (o.trace !== undefined) {
    writeAtomic(o.trace, JSON.stringify(chromeTrace(rep.result.events ?? [], rep.actorNames, {
      scenario: r.scenario.name, seed: r.file.seed, ...(f === undefined ? {} : { finding: { title: f.title, actor: f.actor, step: f.step } }),
    })));
    out.push('', `trace: ${o.trace}`);
  }
  io.stdout.write(`${out.join('\n')}\n`);
  return rep.reproduced ? 0 : 1;
}
