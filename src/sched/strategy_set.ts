/**
 * The strategies one executor runs, by spec: each built on first use over the executor's arena
 * views and kept, so what a strategy learns (DFS's stack; PCT's step estimate, a word the PCT
 * depths share in the arena) carries from one of its trials to the next.
 */
import { HarnessError } from '../errno/errors.js';
import { createScheduler, inlineOnly } from './create.js';
import type { Scheduler, SchedViews } from './scheduler.js';

export class StrategySet {
  private readonly bySpec = new Map<string, Scheduler>();
  private readonly views: SchedViews;
  private readonly inlineOnlyOk: boolean;

  /** `inlineOnlyOk` false (the controlled executor) refuses strategies whose state lives in
   *  this thread (`inlineOnly`). */
  constructor(views: SchedViews, inlineOnlyOk: boolean) {
    this.views = views;
    this.inlineOnlyOk = inlineOnlyOk;
  }

  /** The strategy for `spec`; throws ERR_BAD_OPTION for an unknown spec, or an inline-only one
   *  where it cannot run. */
  get(spec: string): Scheduler {
    let s = this.bySpec.get(spec);
    if (s === undefined) {
      if (!this.inlineOnlyOk && inlineOnly(spec)) throw new HarnessError('ERR_BAD_OPTION', `strategy ${spec}: runs only under the inline executor`);
      s = createScheduler(spec, this.views);
      this.bySpec.set(spec, s);
    }
    return s;
  }
}
