import { describe, expect, it } from 'vitest';
import { ReplayScheduler } from '../../../src/sched/replay.js';
import { D_ACTOR, D_OP, DECISION_WORDS, packOp, SCHED_WORDS } from '../../../src/shm/layout.js';

describe('replay scheduler', () => {
  const recorded = [2, 0, 0, 1, 2];
  const decisions = new Int32Array(recorded.length * DECISION_WORDS);
  recorded.forEach((a, i) => {
    decisions[i * DECISION_WORDS + D_ACTOR] = a;
    decisions[i * DECISION_WORDS + D_OP] = packOp(3, i);
  });
  const s = new ReplayScheduler({ state: new Int32Array(SCHED_WORDS), decisions, pending: () => 0, resvLock: () => 0, jobFence: () => -1 });

  it('is named replay', () => {
    expect(s.name).toBe('replay');
  });

  it('returns the recorded actor of each step', () => {
    s.begin(0, 3);
    expect(recorded.map((_, step) => s.pick(0b111, -1, step))).toEqual(recorded);
    s.end(recorded.length);
  });

  it('returns the recorded actor even when it is not runnable', () => {
    expect(s.pick(0b001, 0, 0)).toBe(2);
  });

  it('returns -1 beyond the decision log', () => {
    expect(s.pick(0b111, -1, recorded.length)).toBe(-1);
  });
});
