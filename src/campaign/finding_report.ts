/**
 * A finding's kernel-style text report (the `.report.txt` artifact) and where its traces come
 * from. The re-run's trace (inline, or controlled along a stress finding's yield order) is the
 * report's main tail and the `.trace.json`; a stress finding's trial also left its own trace in
 * its rings (HuntFinding.stressTrace: the free-running threads as they ran, stall ends included),
 * which the controlled re-run cannot show — the report gives its tail too, and the artifacts a
 * `.stress-trace.json` of it — or, when the trial's actor threads outlived their termination,
 * says it has none (STRESS_TRACE_UNREAD). Each tail and trace says which run it is of
 * (rerunLabel, STRESS_TRIAL_RUN; a trace's metadata `run`) and names the actors as the re-run
 * did, or as the scenario does with the finding's parameters when there was none. A `stress`
 * timing campaign's finding (ArtifactInput.stressRun) has no re-run and its trace is the stress
 * run's (STRESS_RUN).
 */
import { resolveParams, scenarioActors } from '../exec/scenario.js';
import { chromeTrace, type ChromeTrace } from '../trace/perfetto.js';
import { dumpText, dumpTextMarked, type TraceEvent, type TraceMark } from '../trace/ring.js';
import type { ArtifactInput } from './artifact_writer.js';
import type { HuntFinding } from './hunt.js';
import { stressLines } from './stress_plan.js';

/** Events a report's trace tail shows. */
export const TRACE_TAIL = 40;

/** Which run the re-run's trace is of, for finding `f` (the report's tail, the trace's `run`). */
export function rerunLabel(f: HuntFinding): string {
  return f.executor === 'stress' ? 'controlled re-run of the stress yield order' : `${f.executor} re-run`;
}

/** Which run a stress finding's own trace is of. */
export const STRESS_TRIAL_RUN = 'stress trial that found it';

/** Which run the trace of a `stress` timing campaign's finding is of (ArtifactInput.stressRun). */
export const STRESS_RUN = 'stress run that found it';

/** Why a stress finding's trial left no trace: its rings were not read. */
const UNREAD_WHY = 'an actor thread still ran after its termination bound, and could have written the trace rings';

/** The report's line for a stress finding whose trial's rings were left unread
 *  (HuntFinding.stressStragglers). */
export const STRESS_TRACE_UNREAD = `(no trace of the ${STRESS_TRIAL_RUN} and no stall ends: ${UNREAD_WHY})`;

/** The same for a `stress` timing campaign's finding (no plan, so no stall ends either way). */
export const STRESS_RUN_TRACE_UNREAD = `(no trace of the ${STRESS_RUN}: ${UNREAD_WHY})`;

/** The report's line when `i` has no re-run: a `stress` campaign re-runs nothing; a hunt's stress
 *  finding has none when the controlled executor refuses its parameters. */
function noRerunLine(i: ArtifactInput): string {
  return i.stressRun === true ? '(no re-run: the stress timing campaign re-runs nothing; the report below is the original)'
    : '(no re-run: its parameters break the scenario\'s scheduledRules, so the controlled executor cannot follow it; the report below is the original)';
}

/** Which run `i`'s stress trace is of. */
const stressRunOf = (i: ArtifactInput): string => (i.stressRun === true ? STRESS_RUN : STRESS_TRIAL_RUN);

/** The kernel-style report: header, the finding's report, and the re-run's trace tail with a line
 *  where the finding happened in it (its decision step), when the re-run showed it again; for a
 *  stress finding that carries its trial's trace, that trace's tail after it, the finding
 *  marked. */
export function reportText(i: ArtifactInput): string {
  const f = i.finding;
  const rerun = i.rerun?.finding;
  const names = actorNamesOf(i);
  const lines = [
    `scenario: ${i.scenario.name} (revision ${i.scenario.revision ?? 1})`,
    `finding: ${f.title} [${f.code}]`,
    `found by: ${f.executor} ${f.strategy}, trial ${f.trial}, seed ${f.seed}, ${f.decisions.length} decisions`,
    ...stressLines(f, names),
    ...(f.stressStragglers !== true ? [] : [i.stressRun === true ? STRESS_RUN_TRACE_UNREAD : STRESS_TRACE_UNREAD]),
    ...(i.stressReproduced === undefined ? [] : [`controlled reproduction of the stress yield order: ${i.stressReproduced ? 'reproduced' : 'NOT reproduced'}`]),
    ...(i.rerun === undefined ? [noRerunLine(i)]
      : rerun === undefined ? ['(the re-run did not show the finding again: the report below is the original)'] : []),
    '',
    (rerun ?? f).message,
    '',
    ...(i.rerun === undefined ? [] : traceTail(rerunLabel(f), i.rerun.result.events ?? [], names, rerun)),
    ...(f.stressTrace === undefined ? [] : ['', ...traceTail(stressRunOf(i), f.stressTrace, names, f)]),
  ];
  return `${lines.join('\n')}\n`;
}

/** The actor names `i`'s report and traces use: the re-run's, else the scenario's with `i`'s
 *  parameters (the stress trial ran the same actors). */
function actorNamesOf(i: ArtifactInput): readonly string[] {
  return i.rerun?.actorNames ?? scenarioActors(i.scenario, resolveParams(i.scenario, i.params)).map((d) => d.name);
}

/** A trace tail's heading (naming the run it is of) and its last TRACE_TAIL events, with a line
 *  for `mark` when given. */
function traceTail(run: string, events: readonly TraceEvent[], names: readonly string[], mark: TraceMark | undefined): string[] {
  const tail = events.slice(-TRACE_TAIL);
  return [
    `trace tail of the ${run} (last ${tail.length} events):`,
    mark === undefined ? dumpText(tail, names) : dumpTextMarked(tail, names, mark),
  ];
}

/** The Perfetto traces of `i`'s finding, each naming its run: the re-run's (no events without
 *  one), and the stress trial's own when the finding carries it. */
export function findingTraces(i: ArtifactInput): { rerun: ChromeTrace; stress?: ChromeTrace } {
  const f = i.finding;
  const names = actorNamesOf(i);
  const meta = { scenario: i.scenario.name, seed: f.seed, finding: { title: f.title, actor: f.actor, step: f.step } };
  const rerun = chromeTrace(i.rerun?.result.events ?? [], names, i.rerun === undefined ? meta : { ...meta, run: rerunLabel(f) });
  if (f.stressTrace === undefined) return { rerun };
  return { rerun, stress: chromeTrace(f.stressTrace, names, { ...meta, run: stressRunOf(i) }) };
}
