// A pipelined move racing a device reset that renews its page in place (phys_replace holds the
// page PGS_FREEING for a few stores): the move's completion (phys_move_done) and its start
// (phys_move_begin) wait the claim out instead of being lost, so the page is owned once the move
// is done — no false DMA_BEFORE_MOVE_DONE later — and moving once it began, in every round. The
// mover acts the moment it sees the claim (a handshake on the page's state word); the test also
// requires that it caught the claim in some rounds, so the window was really opened. The rounds
// end at ROUNDS or at the stress duration's stop request, whichever comes first: each meeting
// waits out the other thread's wait for a CPU, so on a loaded machine 20,000 rounds took longer
// than the test's time (24 s a case at load 14 here, past 60 s under more). The checks hold over
// the rounds that ran (RESET), at least one.
import { describe, expect, it } from 'vitest';
import { StressExecutor } from '../../../src/exec/stress.js';
import { PG_GEN } from '../../../src/shm/layout.js';
import { MOVE_RACE, moveRace } from '../../fixtures/dmabuf/move_race.js';
import { withExecutor } from '../../support/executor.js';

const ROUNDS = 20_000;
/** The stress duration: its stop request ends the rounds (wall clock; two cases under the 60 s
 *  test timeout with room for the teardown). */
const DURATION_MS = 15_000;

describe.each(['done', 'begin'] as const)('phys_move_%s racing a reset that renews the page (stress)', (op) => {
  it(`keeps the move's state in every round it runs (up to ${ROUNDS})`, async () => {
    await withExecutor(new StressExecutor(moveRace, { durationMs: DURATION_MS, params: { rounds: ROUNDS, op } }), async (ex) => {
      const r = await ex.runTrial(1);
      const a = ex.arena;
      let renewals = 0;
      for (let p = 1; p < a.geometry.pages; p++) renewals += a.i32[a.page(p) + PG_GEN]!;
      const [caught, lost, rounds] = [r.user[MOVE_RACE.CAUGHT]!, r.user[MOVE_RACE.LOST]!, r.user[MOVE_RACE.RESET]!];
      expect({ end: r.end, findings: r.findings.map((f) => f.code), lost, renewals }).toEqual({ end: 'done', findings: [], lost: 0, renewals: rounds });
      expect(rounds).toBeGreaterThan(0);
      expect(caught).toBeGreaterThan(0);
    });
  });
});
