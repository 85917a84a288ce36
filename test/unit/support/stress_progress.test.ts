import { describe, expect, it } from 'vitest';
import { PROGRESS_CPU_MS, starvedActors, unmeasuredActors } from '../../support/stress_progress.js';

describe('the ww stress progress check: rounds judged over the CPU an actor got', () => {
  it('calls an actor starved when it ran PROGRESS_CPU_MS on a CPU without a round', () => {
    const p = [{ rounds: 3, cpuMs: 40 }, { rounds: 0, cpuMs: PROGRESS_CPU_MS }, { rounds: 0, cpuMs: 90 }];
    expect(starvedActors(p)).toEqual([1, 2]);
    expect(unmeasuredActors(p)).toEqual([]);
  });

  it('leaves an actor the OS kept off the CPUs unjudged (re-measured), not starved', () => {
    const p = [{ rounds: 3, cpuMs: 40 }, { rounds: 0, cpuMs: 0.3 }, { rounds: 0, cpuMs: PROGRESS_CPU_MS - 0.01 }];
    expect(starvedActors(p)).toEqual([]);
    expect(unmeasuredActors(p)).toEqual([1, 2]);
  });

  it('judges by rounds alone (starved) where the OS does not report CPU time', () => {
    const p = [{ rounds: 0, cpuMs: NaN }, { rounds: 1, cpuMs: NaN }];
    expect(starvedActors(p)).toEqual([0]);
    expect(unmeasuredActors(p)).toEqual([]);
  });
});
