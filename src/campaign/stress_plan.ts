/**
 * A stress finding's plan: the delay profile and stall points the stress trial that found it ran
 * with (exec/stress_stalls.ts, StressResult.plan). Drawn from the trial's seed and horizons that
 * earlier trials' timing set, so the seed alone does not say it: a hunt's finding carries it
 * (HuntFinding.stressPlan), as information for the developer — in the `--json` document, the
 * replay file and the text report's one line. Nothing reads it back: a replay follows the
 * recorded yield order under controlled, where no actor stalls.
 */
import type { TrialResult } from '../exec/result.js';
import type { StressPlan } from '../exec/stress_stalls.js';

/** `{ stressPlan }` of trial result `r` when a stress trial ran it with a plan (schedule 'stalls'
 *  or stall points given), else `{}`: to spread into the finding. */
export function stressPlanOf(r: TrialResult): { stressPlan?: StressPlan } {
  const plan = (r as TrialResult & { readonly plan?: StressPlan }).plan;
  return plan === undefined ? {} : { stressPlan: plan };
}

/**
 * The report's line for `plan`: `stress plan: delays 0.05 up to 2000 spins; stalls: actor 1 at
 * its yield 14 until 16 others' yields, …` (run-ahead 0 reads "until none can run"; steps are the
 * actor's own yields, counted from 0), with `names[i]` after actor i when given.
 */
export function formatStressPlan(plan: StressPlan, names: readonly string[] = []): string {
  const delays = plan.delayChance > 0 ? `delays ${plan.delayChance} up to ${plan.maxDelaySpins} spins` : 'no delays';
  const stalls = plan.stalls.flatMap((points, actor) => points.map((p) => {
    const who = names[actor] === undefined ? `actor ${actor}` : `actor ${actor} (${names[actor]})`;
    const until = p.runAhead > 0 ? `${p.runAhead} others' yields` : 'none can run';
    return `${who} at its yield ${p.step} until ${until}`;
  }));
  return `stress plan: ${delays}; ${stalls.length === 0 ? 'no stalls' : `stalls: ${stalls.join(', ')}`}`;
}
