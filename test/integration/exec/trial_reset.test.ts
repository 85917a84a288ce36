// A trial reset zeroes a cursor table only over the prefix of rows a trial took — below its cursor,
// or up to its first row with a zero key (src/shm/arena.ts resetTrial, layout/cursor_tables.ts).
// That is exact only if no trial writes a row past that prefix: after real trials of every catalog
// scenario and of the reclaiming stress scenario, the reset leaves every per-trial word zero.
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import type { AnyScenario } from '../../../src/exec/scenario.js';
import { EXEC_INLINE, SCHED_WORDS, WAIT_SLEEP } from '../../../src/shm/layout.js';
import { CATALOG } from '../../../scenarios/index.js';
import { stressRevoke } from '../../../scenarios/stress-revoke.js';

/** Per-trial words left non-zero by a reset after each of `trials` trials of `s`. */
function dirtyAfterReset(s: AnyScenario, trials: number, params = {}): string[] {
  const ex = new InlineExecutor(s, { strategy: 'random', params });
  const { sched, resetEnd } = ex.arena.layout;
  const out: string[] = [];
  for (let seed = 0; seed < trials && out.length === 0; seed++) {
    ex.runTrial(seed);
    ex.arena.resetTrial({ actors: 1, mode: EXEC_INLINE, stepLimit: 1, waitPolicy: WAIT_SLEEP, replayLen: 0 });
    const words = ex.arena.i32.subarray(sched + SCHED_WORDS, resetEnd);
    const at = words.findIndex((w) => w !== 0);
    if (at >= 0) out.push(`${s.name} seed ${seed}: word ${sched + SCHED_WORDS + at} = ${words[at]}`);
  }
  return out;
}

describe('trial reset', () => {
  it('leaves every per-trial word zero after trials of each catalog scenario', () => {
    const names = [...new Map(CATALOG.map((e) => [e.scenario.name, e.scenario])).values()];
    expect(names.flatMap((s) => dirtyAfterReset(s, 30))).toEqual([]);
  });

  it('leaves every per-trial word zero after stress-revoke trials that reuse fences and DMA addresses', () => {
    expect(dirtyAfterReset(stressRevoke, 30, { rounds: 3, jobs: 10, pageBytes: 4096 })).toEqual([]);
  });
});
