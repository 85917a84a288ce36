/**
 * A controlled trial whose actor threads were terminated treats a thread that outlived its
 * termination bound as stress does (TrialResult.stragglers): the hang is reported, the result
 * says the thread could still write the arena, and the trace rings are left unread. The
 * straggler is the executor's own account of the termination (terminateHung's false), injected
 * by a subclass: a real one needs a thread blocked past the bound, a race on the host's timing.
 */
import { describe, expect, it } from 'vitest';
import { ControlledExecutor, type ControlledOptions } from '../../../src/exec/controlled.js';
import type { Params } from '../../../src/exec/scenario.js';
import { spinsForever } from '../../fixtures/stress/ww_stress.js';
import { withExecutor } from '../../support/executor.js';

/** A controlled executor whose terminations report that a thread outlived the bound. */
class StragglingControlled<P extends Params, E> extends ControlledExecutor<P, E> {
  protected override async terminateHung(ms: number): Promise<boolean> {
    await super.terminateHung(ms);
    return false;
  }
}

/** The spinner never yields after its first yield: the trial timeout aborts the trial and its
 *  thread is terminated. */
const opts: ControlledOptions = { trialTimeoutMs: 300, events: true };

describe('a controlled trial whose actor threads were terminated', () => {
  it('reports the hang, says a thread outlived the termination bound, and leaves the rings unread', async () => {
    const r = await withExecutor(new StragglingControlled(spinsForever, opts), (ex) => ex.runTrial(4));
    expect(r.findings.map((f) => f.title)).toEqual(['hang in watchdog']);
    expect(r.stragglers).toBe(true);
    expect(r).not.toHaveProperty('events');
  });

  it('reads its rings and reports no stragglers when every thread was gone in time', async () => {
    const r = await withExecutor(new ControlledExecutor(spinsForever, opts), (ex) => ex.runTrial(4));
    expect(r.findings.map((f) => f.title)).toEqual(['hang in watchdog']);
    expect(r).not.toHaveProperty('stragglers');
    expect(r).toHaveProperty('events');
  });
});
