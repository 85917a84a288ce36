import { describe, expect, it } from 'vitest';
import { Arena } from '../../../src/shm/arena.js';
import {
  ACTOR_DONE, ACTOR_READY, A_SPIN, A_STATE, A_WAIT_FLAGS, C_AWAKE, C_STEP, C_STOP, D_ACTOR, EXEC_STRESS, WAITF_TIMED,
  WAITK_WORD, WAIT_SLEEP,
} from '../../../src/shm/layout.js';
import { Task } from '../../../src/kernel/task.js';
import { block } from '../../../src/kernel/wait.js';
import {
  STALL_BUDGET_MS, STALL_DEFAULT_HORIZON, STALL_HEAVY_CHANCE, STALL_HEAVY_SPINS, STALL_MAX_POINTS, STALL_RUN_AHEAD, StallCursor,
  drawStressPlan, learnHorizons, othersCanRun, stallActor, type StressPlan,
} from '../../../src/exec/stress_stalls.js';

const BASE = { delayChance: 0.05, maxDelaySpins: 2000 };
const plans = (actors: number, horizons: readonly number[], n = 400): StressPlan[] =>
  Array.from({ length: n }, (_, seed) => drawStressPlan(seed, actors, horizons, BASE));

/** A stress-mode arena of `actors` actors, their tasks. */
function stressTasks(actors: number): Task[] {
  const a = Arena.create();
  a.resetTrial({ actors, mode: EXEC_STRESS, stepLimit: 100, waitPolicy: WAIT_SLEEP, replayLen: 0 });
  return Array.from({ length: actors }, (_, i) => new Task(a, i, `a${i}`));
}

describe('drawStressPlan', () => {
  it('is a function of the seed and the horizons', () => {
    expect(plans(3, [5, 40, 9], 50)).toEqual(plans(3, [5, 40, 9], 50));
  });

  it('draws at most STALL_MAX_POINTS points, each below its actor\'s horizon, by ascending step', () => {
    const horizons = [5, 40, 1];
    for (const p of plans(3, horizons)) {
      expect(p.stalls).toHaveLength(3);
      expect(p.stalls.flat().length).toBeLessThanOrEqual(STALL_MAX_POINTS);
      p.stalls.forEach((points, actor) => {
        for (const s of points) {
          expect(s.step).toBeLessThan(horizons[actor]!);
          expect(STALL_RUN_AHEAD).toContain(s.runAhead);
          expect(s.budgetMs).toBe(STALL_BUDGET_MS);
        }
        expect(points.map((s) => s.step)).toEqual(points.map((s) => s.step).sort((x, y) => x - y));
      });
    }
  });

  it('varies over seeds: trials without stalls and with the most, no delays, the base and heavy ones', () => {
    const all = plans(2, []);
    const counts = new Set(all.map((p) => p.stalls.flat().length));
    expect(counts).toContain(0);
    expect(counts).toContain(STALL_MAX_POINTS);
    const profiles = new Set(all.map((p) => `${p.delayChance}/${p.maxDelaySpins}`));
    expect(profiles).toEqual(new Set(['0/0', '0.05/2000', `${0.05 * STALL_HEAVY_CHANCE}/${2000 * STALL_HEAVY_SPINS}`]));
    expect(Math.max(...all.flatMap((p) => p.stalls.flat().map((s) => s.step)))).toBe(STALL_DEFAULT_HORIZON - 1);
  });

  it('draws nothing with a delay chance of 0: the model timed undisturbed', () => {
    for (const p of Array.from({ length: 50 }, (_, seed) => drawStressPlan(seed, 2, [], { delayChance: 0, maxDelaySpins: 2000 }))) {
      expect(p).toEqual({ delayChance: 0, maxDelaySpins: 2000, stalls: [[], []] });
    }
  });
});

describe('learnHorizons', () => {
  it('raises each actor\'s horizon to its yields in the decision log, never lowering it', () => {
    const [t] = stressTasks(2);
    const a = t!.arena;
    const log = [0, 1, 1, 0, 1, 1, 1];
    log.forEach((actor, s) => { a.i32[a.decision(s) + D_ACTOR] = actor; });
    a.setCtl(C_STEP, log.length);
    const horizons: number[] = [];
    learnHorizons(a, horizons, 2);
    expect(horizons).toEqual([STALL_DEFAULT_HORIZON, STALL_DEFAULT_HORIZON]);
    horizons[1] = 3;
    learnHorizons(a, horizons, 2);
    expect(horizons).toEqual([STALL_DEFAULT_HORIZON, 5]);
  });
});

describe('StallCursor', () => {
  const points = [{ step: 2, runAhead: 16, budgetMs: 10 }, { step: 3, runAhead: 0, budgetMs: 10 }, { step: 9, runAhead: 2, budgetMs: 10 }];

  it('gives each point at its step, or the first ready yield after it, skipping points passed meanwhile', () => {
    const [t] = stressTasks(1);
    const c = new StallCursor(points);
    expect(c.due(t!, 0)).toBeUndefined();
    expect(c.due(t!, 4)).toBe(points[0]);
    expect(c.due(t!, 5)).toBeUndefined();
    expect(c.due(t!, 9)).toBe(points[2]);
    expect(c.due(t!, 10)).toBeUndefined();
  });

  it('holds a due stall while the actor is not preemptible', () => {
    const [t] = stressTasks(1);
    const c = new StallCursor(points);
    t!.i32[t!.base + A_SPIN] = 1;
    expect(c.due(t!, 2)).toBeUndefined();
    t!.i32[t!.base + A_SPIN] = 0;
    expect(c.due(t!, 2)).toBe(points[0]);
  });
});

describe('stallActor bounds (one thread: the others never move)', () => {
  it('counts the others able to run: not finished, not blocked on a condition that does not hold', () => {
    const [me, other] = stressTasks(2);
    const h = me!.i32;
    Atomics.store(h, other!.base + A_STATE, ACTOR_READY);
    expect(othersCanRun(me!.arena, 0)).toBe(true);
    const word = me!.arena.layout.user;
    block(other!, WAITK_WORD, word, 0, 0, 0);
    expect(othersCanRun(me!.arena, 0)).toBe(false);
    h[other!.base + A_WAIT_FLAGS]! |= WAITF_TIMED;
    expect(othersCanRun(me!.arena, 0), 'a timed sleeper wakes by itself').toBe(true);
    Atomics.store(h, other!.base + A_STATE, ACTOR_DONE);
    expect(othersCanRun(me!.arena, 0)).toBe(false);
  });

  it('returns at once when no other actor can run, and when the actors are asked to stop', () => {
    const [me, other] = stressTasks(2);
    const a = me!.arena;
    Atomics.store(me!.i32, other!.base + A_STATE, ACTOR_DONE);
    const t0 = performance.now();
    expect(stallActor(a, me!, { step: 0, runAhead: 0, budgetMs: 60_000 })).toBe(0);
    Atomics.store(me!.i32, other!.base + A_STATE, ACTOR_READY);
    a.setCtl(C_STOP, 1);
    expect(stallActor(a, me!, { step: 0, runAhead: 0, budgetMs: 60_000 })).toBe(0);
    expect(performance.now() - t0).toBeLessThan(30_000);
    expect(a.ctl(C_AWAKE), 'counted awake again').toBe(2);
  });

  it('returns after its budget while another actor could run but does not', () => {
    const [me, other] = stressTasks(2);
    Atomics.store(me!.i32, other!.base + A_STATE, ACTOR_READY);
    const t0 = performance.now();
    stallActor(me!.arena, me!, { step: 0, runAhead: 4, budgetMs: 20 });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(20);
    expect(performance.now() - t0).toBeLessThan(30_000);
  });
});
