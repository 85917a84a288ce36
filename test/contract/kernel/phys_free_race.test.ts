// Two tasks freeing the same page at once: exactly one frees it (its generation moves on once, it
// ends quarantined) and the other WARNs PAGE_BAD_FREE — whichever order the schedule picks
// (inline and controlled explore both), and with both threads inside phys_free together (stress).
import { describe, expect, it } from 'vitest';
import { StressExecutor } from '../../../src/exec/stress.js';
import { PGS_QUARANTINED, PG_GEN, PG_STATE } from '../../../src/shm/layout.js';
import { EXECUTORS } from '../../support/both.js';
import { at, run } from '../../fixtures/fence/oracle.js';
import { freeRace } from '../../fixtures/dmabuf/free_race.js';
import { withExecutor } from '../../support/executor.js';

const ROUNDS = 3;
const STRESS_ROUNDS = 4000;

describe.each(EXECUTORS)('two frees of one page (%s)', (kind) => {
  it('reports exactly one PAGE_BAD_FREE per page, and both orders happen across seeds', async () => {
    const losers = new Set<number>();
    for (const r of await run(kind, freeRace, { rounds: ROUNDS, spin: false })) {
      expect(r.end, at(r)).toBe('done');
      expect(r.findings.map((f) => [f.code, f.obj]), at(r)).toEqual(Array.from({ length: ROUNDS }, (_, i) => ['PAGE_BAD_FREE', i + 1]));
      for (const f of r.findings) losers.add(f.actor);
    }
    expect([...losers].sort()).toEqual([0, 1]);
  });
});

describe('two threads freeing one page at once (stress)', () => {
  it(`frees each of ${STRESS_ROUNDS} pages once and reports the other free every time`, async () => {
    await withExecutor(new StressExecutor(freeRace, { durationMs: 10_000, params: { rounds: STRESS_ROUNDS, spin: true } }), async (ex) => {
      const r = await ex.runTrial(1);
      expect(r.end).toBe('done');
      expect(r.findings.every((f) => f.code === 'PAGE_BAD_FREE')).toBe(true);
      const records = r.findings.reduce((n, f) => n + 1 + (f.repeats ?? 0), 0) + (r.dropped ?? 0);
      const a = ex.arena;
      const wrong = Array.from({ length: STRESS_ROUNDS }, (_, i) => i + 1)
        .filter((p) => a.i32[a.page(p) + PG_GEN] !== 1 || a.i32[a.page(p) + PG_STATE] !== PGS_QUARANTINED);
      expect({ records, wrong: wrong.length }).toEqual({ records: STRESS_ROUNDS, wrong: 0 });
    });
  });
});
