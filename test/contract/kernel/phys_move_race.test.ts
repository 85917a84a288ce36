// A pipelined move racing a device reset that renews its page in place (phys_replace holds the
// page PGS_FREEING for a few stores): the move's completion (phys_move_done) and its start
// (phys_move_begin) wait the claim out instead of being lost, so the page is owned once the move
// is done — no false DMA_BEFORE_MOVE_DONE later — and moving once it began, in every round. The
// mover acts the moment it sees the claim (a handshake on the page's state word); the test also
// requires that it caught the claim in some rounds, so the window was really opened.
import { describe, expect, it } from 'vitest';
import { StressExecutor } from '../../../src/exec/stress.js';
import { PG_GEN } from '../../../src/shm/layout.js';
import { MOVE_RACE, moveRace } from '../../fixtures/dmabuf/move_race.js';
import { withExecutor } from '../../support/executor.js';

const ROUNDS = 20_000;

describe.each(['done', 'begin'] as const)('phys_move_%s racing a reset that renews the page (stress)', (op) => {
  it(`keeps the move's state in all ${ROUNDS} rounds`, async () => {
    await withExecutor(new StressExecutor(moveRace, { durationMs: 60_000, params: { rounds: ROUNDS, op } }), async (ex) => {
      const r = await ex.runTrial(1);
      const a = ex.arena;
      let renewals = 0;
      for (let p = 1; p < a.geometry.pages; p++) renewals += a.i32[a.page(p) + PG_GEN]!;
      const [caught, lost] = [r.user[MOVE_RACE.CAUGHT]!, r.user[MOVE_RACE.LOST]!];
      expect({ end: r.end, findings: r.findings.map((f) => f.code), lost, renewals }).toEqual({ end: 'done', findings: [], lost: 0, renewals: ROUNDS });
      expect(caught).toBeGreaterThan(0);
    });
  });
});
