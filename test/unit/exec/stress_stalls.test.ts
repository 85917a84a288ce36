import { describe, expect, it } from 'vitest';
import { Arena } from '../../../src/shm/arena.js';
import {
  ACTOR_BLOCKED, ACTOR_DONE, ACTOR_READY, A_SPIN, A_STALLS, A_STATE, A_WAIT_FLAGS, A_WAIT_KIND,
  A_WAIT_SITE, A_WAIT_TICKET, C_AWAKE, C_STEP, C_STOP, D_ACTOR, EXEC_STRESS, WAITF_TIMED, WAITK_NONE,
  WAITK_WORD, WAIT_SLEEP,
} from '../../../src/shm/layout.js';
import { Task } from '../../../src/kernel/task.js';
import { block } from '../../../src/kernel/wait.js';
import { WS_PRIMITIVE } from '../../../src/kernel/wait_site.js';
import {
  STALL_BUDGET_MS, STALL_DEFAULT_HORIZON, STALL_HEAVY_CHANCE, STALL_HEAVY_SPINS, STALL_MAX_POINTS, STALL_RUN_AHEAD,
  STALL_END_CODE, STALL_SPIN_RUN_AHEAD, StallCursor, drawStressPlan, learnHorizons, othersCanRun, stallActor, stalledNow,
  type StallWaits, type StressPlan,
} from '../../../src/exec/stress_stalls.js';
import { readEvents } from '../../../src/trace/ring.js';
import { EV_STALL_END } from '../../../src/trace/ops.js';

/** Waits on a fake clock that each reading moves on by 1 µs and each nap by 1 ms (after `onNap`);
 *  the nap after `most` throws, so a stall that would not end fails instead of hanging. */
function fakeWaits(most: number, onNap: () => void = () => {}): StallWaits & { naps(): number } {
  let clock = 0;
  let naps = 0;
  return {
    now: () => (clock += 0.001),
    nap: () => {
      if (++naps > most) throw new Error(`stall still going after ${most} naps`);
      onNap();
      clock += 1;
    },
    naps: () => naps,
  };
}

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
    expect(horizons, 'the learned yields, not STALL_DEFAULT_HORIZON, once a trial ended').toEqual([2, 5]);
    horizons[1] = 9;
    learnHorizons(a, horizons, 2);
    expect(horizons).toEqual([2, 9]);
  });

  it('draws steps below what was learned, however far below STALL_DEFAULT_HORIZON', () => {
    const [t] = stressTasks(1);
    const a = t!.arena;
    for (let s = 0; s < 5; s++) a.i32[a.decision(s) + D_ACTOR] = 0;
    a.setCtl(C_STEP, 5);
    const horizons: number[] = [];
    learnHorizons(a, horizons, 1);
    const steps = plans(1, horizons).flatMap((p) => p.stalls[0]!.map((s) => s.step));
    expect(Math.max(...steps)).toBe(4);
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

  // The flake this pins: a stall ended 'none-can-run' while the runner, woken, was leaving its
  // sleep, the OS holding its thread between unblock's stores (kernel/wait.ts): blocked, its
  // record half cleared, it read as asleep on nothing.
  it('counts an actor leaving its sleep as able to run after any of unblock\'s stores', () => {
    const [me, other] = stressTasks(2);
    const h = me!.i32;
    const b = other!.base;
    const word = me!.arena.layout.user;
    const leaving = [
      () => Atomics.store(h, b + A_WAIT_TICKET, 0),
      () => { h[b + A_WAIT_KIND] = WAITK_NONE; },
      () => { h[b + A_WAIT_SITE] = WS_PRIMITIVE; },
    ];
    for (let made = 1; made <= leaving.length; made++) {
      block(other!, WAITK_WORD, word, 0, 0, 0);
      expect(othersCanRun(me!.arena, 0), 'asleep on a word nobody changed').toBe(false);
      for (const store of leaving.slice(0, made)) store();
      expect(Atomics.load(h, b + A_STATE)).toBe(ACTOR_BLOCKED);
      expect(othersCanRun(me!.arena, 0), `after ${made} of unblock's stores`).toBe(true);
    }
  });

  it('skips a peer stalled at a stall point: ready, but not running', () => {
    const [me, other] = stressTasks(2);
    Atomics.store(me!.i32, other!.base + A_STATE, ACTOR_READY);
    Atomics.store(me!.i32, other!.base + A_STALLS, 1);
    expect(stalledNow(me!.arena, 1)).toBe(true);
    expect(othersCanRun(me!.arena, 0), 'two stalls do not wait for each other').toBe(false);
    Atomics.store(me!.i32, other!.base + A_STALLS, 2);
    expect(othersCanRun(me!.arena, 0), 'its stall ended').toBe(true);
  });

  it('ends when no other actor can run, and when the actors are asked to stop', () => {
    const [me, other] = stressTasks(2);
    const a = me!.arena;
    const w = fakeWaits(0);
    Atomics.store(me!.i32, other!.base + A_STATE, ACTOR_DONE);
    expect(stallActor(a, me!, { step: 0, runAhead: 0, budgetMs: 10 }, w)).toBe('none-can-run');
    Atomics.store(me!.i32, other!.base + A_STATE, ACTOR_READY);
    a.setCtl(C_STOP, 1);
    expect(stallActor(a, me!, { step: 0, runAhead: 0, budgetMs: 10 }, w)).toBe('stop');
    expect(a.ctl(C_AWAKE), 'counted awake again').toBe(2);
    expect(me!.i32[me!.base + A_STALLS], 'two stalls began and ended').toBe(4);
  });

  it('ends after its budget while another actor could run but does not', () => {
    const [me, other] = stressTasks(2);
    Atomics.store(me!.i32, other!.base + A_STATE, ACTOR_READY);
    const w = fakeWaits(50);
    expect(stallActor(me!.arena, me!, { step: 0, runAhead: 0, budgetMs: 20 }, w)).toBe('budget');
    expect(w.naps(), 'about one nap a ms on the fake clock').toBeGreaterThanOrEqual(19);
    expect(stalledNow(me!.arena, 0), 'not stalled once it ended').toBe(false);
  });

  it('ends once the others made runAhead yields, polling for a small target before it naps', () => {
    const [me, other] = stressTasks(2);
    const a = me!.arena;
    Atomics.store(me!.i32, other!.base + A_STATE, ACTOR_READY);
    let calls = 0;
    const still = (): number => { if (++calls === 5) a.setCtl(C_STEP, a.ctl(C_STEP) + STALL_SPIN_RUN_AHEAD); return 0; };
    const w = { now: still, nap: fakeWaits(0).nap }; // the clock stands still: it polls, never naps
    expect(stallActor(a, me!, { step: 0, runAhead: STALL_SPIN_RUN_AHEAD, budgetMs: 10 }, w)).toBe('run-ahead');
    const polled = fakeWaits(50, () => a.setCtl(C_STEP, a.ctl(C_STEP) + 1));
    expect(stallActor(a, me!, { step: 0, runAhead: 2, budgetMs: 10 }, polled), 'nobody yields while it polls').toBe('run-ahead');
    expect(polled.naps()).toBe(2);
    const napping = fakeWaits(50, () => a.setCtl(C_STEP, a.ctl(C_STEP) + 64));
    expect(stallActor(a, me!, { step: 0, runAhead: 128, budgetMs: 10 }, napping)).toBe('run-ahead');
    expect(napping.naps()).toBe(2);
  });
});

describe('stallActor\'s record and accounting', () => {
  /** The EV_STALL_END events in `t`'s arena: [actor, why, the others' yields while it held, step]. */
  const stallEnds = (t: Task) => readEvents(t.arena, 2).filter((e) => e.op === EV_STALL_END).map((e) => [e.actor, e.obj, e.aux, e.step]);

  it('traces each stall\'s end on the stalled actor: why, and how many of the others\' yields it held for', () => {
    const [me, other] = stressTasks(2);
    const a = me!.arena;
    Atomics.store(me!.i32, other!.base + A_STATE, ACTOR_READY);
    a.setCtl(C_STEP, 10);
    const yields = fakeWaits(50, () => a.setCtl(C_STEP, a.ctl(C_STEP) + 1));
    expect(stallActor(a, me!, { step: 0, runAhead: 0, budgetMs: 5 }, yields)).toBe('budget');
    const held = a.ctl(C_STEP) - 10;
    expect(held).toBeGreaterThan(0);
    Atomics.store(me!.i32, other!.base + A_STATE, ACTOR_DONE);
    expect(stallActor(a, me!, { step: 0, runAhead: 0, budgetMs: 5 }, fakeWaits(0))).toBe('none-can-run');
    expect(stallEnds(me!)).toEqual([[0, STALL_END_CODE.budget, held, 10 + held], [0, STALL_END_CODE['none-can-run'], 0, 10 + held]]);
  });

  it('counts a stalled actor out of C_AWAKE only while it naps: a poller takes a CPU', () => {
    const [me, other] = stressTasks(2);
    const a = me!.arena;
    Atomics.store(me!.i32, other!.base + A_STATE, ACTOR_READY);
    const awake: number[] = [];
    let polls = 0;
    // Polling (a small run-ahead, the others yielding on a clock that stands still), then napping.
    const w: StallWaits = {
      now: () => { awake.push(a.ctl(C_AWAKE)); if (++polls <= 3) a.setCtl(C_STEP, a.ctl(C_STEP) + 1); return polls <= 3 ? 0 : polls; },
      nap: () => { awake.push(-a.ctl(C_AWAKE)); a.setCtl(C_STEP, a.ctl(C_STEP) + STALL_SPIN_RUN_AHEAD); },
    };
    expect(stallActor(a, me!, { step: 0, runAhead: STALL_SPIN_RUN_AHEAD, budgetMs: 1000 }, w)).toBe('run-ahead');
    expect(awake, 'awake (2) while polling, out (-1) while napping').toEqual([2, 2, 2, 2, 2, -1]);
    expect(a.ctl(C_AWAKE)).toBe(2);
    expect(stalledNow(a, 0)).toBe(false);
  });

  it('ends at once, with nothing held, when the only other actor is stalled too, polling or napping', () => {
    const [me, other] = stressTasks(2);
    const a = me!.arena;
    Atomics.store(me!.i32, other!.base + A_STATE, ACTOR_READY);
    Atomics.store(me!.i32, other!.base + A_STALLS, 1);
    for (const runAhead of [2, 0]) expect(stallActor(a, me!, { step: 0, runAhead, budgetMs: 10 }, fakeWaits(0))).toBe('none-can-run');
    expect(stallEnds(me!).map(([, why, held]) => [why, held])).toEqual([[STALL_END_CODE['none-can-run'], 0], [STALL_END_CODE['none-can-run'], 0]]);
  });
});
