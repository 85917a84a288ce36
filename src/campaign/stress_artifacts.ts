/**
 * The artifacts of a `stress` timing campaign's findings: per finding of the trial that stopped
 * the run (StressOutcome.found), its kernel-style report and a Perfetto trace of what the trial's
 * threads did before it, from the events its trace rings held (StressResult.ringEvents) — the
 * same files a hunt writes for a stress finding's trial, named as it names them, under the same
 * directory layout (artifact_writer.ts, finding_report.ts). The report's trace tail is labelled as
 * the stress run's; when the trial's threads outlived their termination its rings were not read,
 * and the report says so instead. Nothing is re-run, so there is no replay file and no re-run
 * trace.
 */
import type { AnyScenario, Params } from '../exec/scenario.js';
import { ArtifactWriter, type StressRunArtifacts } from './artifact_writer.js';
import type { HuntFinding } from './hunt.js';
import type { StressFound } from './stress_run.js';

/** The findings of trial `t` as the artifact writer takes them: executor 'stress', strategy
 *  'uniform' (the campaign's schedule), with the trial's trace (stressTrace) or that stragglers
 *  kept its rings unread (stressStragglers). */
export function stressRunFindings(t: StressFound): HuntFinding[] {
  const r = t.result;
  const traced = r.ringEvents === undefined ? {} : { stressTrace: r.ringEvents };
  return r.findings.map((f) => ({
    ...f, trial: t.trial, seed: r.seed, strategy: 'uniform', executor: 'stress', decisions: r.decisions ?? [],
    ...traced, ...(r.stragglers === true ? { stressStragglers: true } : {}),
  }));
}

export interface StressArtifactInput {
  readonly scenario: AnyScenario;
  readonly params: Params;
  readonly found: StressFound;
}

/**
 * Write, under `dir`, the artifacts of each finding of `i.found` (stressRunFindings); returns
 * their paths, one entry per finding in order. A write that fails removes what this call wrote
 * and throws HarnessError(ERR_OUTPUT).
 */
export async function writeStressArtifacts(dir: string, i: StressArtifactInput): Promise<StressRunArtifacts[]> {
  const writer = new ArtifactWriter(dir);
  const written: StressRunArtifacts[] = [];
  try {
    for (const finding of stressRunFindings(i.found)) {
      written.push(await writer.writeStressRunFinding({ scenario: i.scenario, source: undefined, params: i.params, finding, stressRun: true }));
    }
    return written;
  } catch (err) {
    await writer.discard();
    throw err;
  }
}
