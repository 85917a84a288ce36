/**
 * The bench warm-up repeats its rounds until this thread ran its CPU time, however much wall time
 * that takes (a loaded host), bounded by its round count, and runs one round where the OS reports
 * no run times.
 */
import { describe, expect, it } from 'vitest';
import { warmUpCpu } from '../../../bench/cpu_warmup.js';

/** A reader whose thread runs `msPerRound` of CPU in each round `tick` counts. */
function cpuPerRound(msPerRound: number): { read: () => number; tick: () => Promise<void> } {
  let ns = 5e9;
  return { read: () => ns, tick: async () => { ns += msPerRound * 1e6; } };
}

describe('a CPU-time warm-up', () => {
  it('runs rounds until the thread ran its CPU time: 5 rounds of 100 ms for 500 ms', async () => {
    const c = cpuPerRound(100);
    expect(await warmUpCpu(c.tick, 500, 30, c.read)).toBe(5);
  });

  it('runs one round when that round alone ran the CPU time (an idle host)', async () => {
    const c = cpuPerRound(600);
    expect(await warmUpCpu(c.tick, 500, 30, c.read)).toBe(1);
  });

  it('stops at its round bound when the thread is starved throughout', async () => {
    const c = cpuPerRound(1);
    expect(await warmUpCpu(c.tick, 500, 30, c.read)).toBe(30);
  });

  it('runs one round where the OS reports no run times', async () => {
    let rounds = 0;
    expect(await warmUpCpu(async () => { rounds++; }, 500, 30, () => undefined)).toBe(1);
    expect(rounds).toBe(1);
  });
});
