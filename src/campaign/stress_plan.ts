/**
 * A stress finding's plan: the delay profile and stall points the stress trial that found it ran
 * with (exec/stress_stalls.ts, StressResult.plan), and the stalls that ended in it — why, after how
 * many of the others' yields (StressResult.stallEnds, from the trial's trace). The plan is drawn
 * from the trial's seed and horizons that earlier trials' timing set, so the seed alone does not
 * say it: a hunt's finding carries both (HuntFinding.stressPlan, .stressStalls), as information for
 * the developer — in the `--json` document, the replay file, and a line each in the text report
 * and in `replay`'s output (stressLines). Nothing reads them back: a replay follows the recorded
 * yield order under controlled, where no actor stalls. The finding handed to the hunt's
 * onFinding also carries the trial's own trace (stressTrace) for its artifacts
 * (finding_report.ts), or says why it has none (stressStragglers).
 */
import type { TrialResult } from '../exec/result.js';
import type { StressResult } from '../exec/stress.js';
import type { StallRecord, StressPlan } from '../exec/stress_stalls.js';
import type { TraceEvent } from '../trace/ring.js';

/** What a stress finding carries of its trial's plan. */
export interface StressPlanned {
  readonly stressPlan?: StressPlan;
  readonly stressStalls?: readonly StallRecord[];
  /** The events the trial's trace rings held at its end (StressResult.ringEvents): the stress
   *  trial's own trace, for the finding's artifacts (finding_report.ts). Only on the finding
   *  handed to the hunt's onFinding (hunt.ts takeTrial) or to a `stress` timing campaign's
   *  artifact writer (stress_artifacts.ts), and in no document. */
  readonly stressTrace?: readonly TraceEvent[];
  /** The trial's actor threads outlived their termination (StressResult.stragglers): its trace
   *  rings were not read, so the finding has neither stressTrace nor stressStalls. */
  readonly stressStragglers?: true;
}

/** The plan of trial result `r`, its stalls that ended and its rings' events (or that stragglers
 *  kept them unread), when a stress trial ran it with a plan (schedule 'stalls' or stall points
 *  given), else `{}`: to spread into the finding. */
export function stressPlanOf(r: TrialResult): StressPlanned {
  const { plan, stallEnds, ringEvents, stragglers } = r as Partial<StressResult>;
  if (plan === undefined) return {};
  return {
    stressPlan: plan, ...(stallEnds === undefined ? {} : { stressStalls: stallEnds }),
    ...(ringEvents === undefined ? {} : { stressTrace: ringEvents }),
    ...(stragglers === true ? { stressStragglers: true } : {}),
  };
}

/**
 * The report's line for `plan`: `stress plan: delays 0.05 up to 2000 spins; stalls: actor 1 at
 * its yield 14 until 16 others' yields, …` (run-ahead 0 reads "until none can run"; steps are the
 * actor's own yields, counted from 0), with `names[i]` after actor i when given.
 */
export function formatStressPlan(plan: StressPlan, names: readonly string[] = []): string {
  const delays = plan.delayChance > 0 ? `delays ${plan.delayChance} up to ${plan.maxDelaySpins} spins` : 'no delays';
  const stalls = plan.stalls.flatMap((points, actor) => points.map((p) => {
    const until = p.runAhead > 0 ? `${p.runAhead} others' yields` : 'none can run';
    return `${actorLabel(actor, names)} at its yield ${p.step} until ${until}`;
  }));
  return `stress plan: ${delays}; ${stalls.length === 0 ? 'no stalls' : `stalls: ${stalls.join(', ')}`}`;
}

/** The report's line for the stalls that ended (`stalls` from the finding's trial), '' for none:
 *  `stress stalls ended: actor 1 at step 20 (none-can-run) after 16 others' yields, …`. */
export function formatStallRecords(stalls: readonly StallRecord[], names: readonly string[] = []): string {
  if (stalls.length === 0) return '';
  const ended = stalls.map((s) => `${actorLabel(s.actor, names)} at step ${s.step} (${s.end}) after ${s.held} others' yields`);
  return `stress stalls ended: ${ended.join(', ')}`;
}

/** A stress finding's report lines (`f` a finding, or a replay file that carries them): its
 *  plan's when it has one (formatStressPlan) and, when stalls ended, theirs (formatStallRecords);
 *  none for another executor's finding. */
export function stressLines(f: StressPlanned, names: readonly string[] = []): string[] {
  const stalls = f.stressStalls === undefined || f.stressStalls.length === 0 ? [] : [formatStallRecords(f.stressStalls, names)];
  return f.stressPlan === undefined ? stalls : [formatStressPlan(f.stressPlan, names), ...stalls];
}

/** `actor i`, with its name when `names` has one. */
function actorLabel(actor: number, names: readonly string[]): string {
  return names[actor] === undefined ? `actor ${actor}` : `actor ${actor} (${names[actor]})`;
}
