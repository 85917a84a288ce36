/**
 * Carrying a circular-locking finding's chain to a fresh arena (kernel/lockdep_prime.ts): the
 * finding lists the dependencies it closed, priming a fresh executor with them makes the same
 * acquisition report the same cycle, and a restart forgets everything but what it primes.
 */
import { describe, expect, it } from 'vitest';
import { EBUSY } from '../../../src/errno/errno.js';
import { ControlledExecutor } from '../../../src/exec/controlled.js';
import { InlineExecutor } from '../../../src/exec/inline.js';
import type { Finding } from '../../../src/exec/result.js';
import {
  lockdepCircularInfo, lockdepEdgeCount, lockdepHasEdge, lockdepMutexClassOf, lockdepPrimeDeps, lockdepRestart,
} from '../../../src/kernel/lockdep.js';
import { mutex_init, type Task } from '../../fixtures/kernel.js';
import { nested, scripted } from '../../fixtures/lockdep/scripted.js';
import { trialOrders } from '../../fixtures/lockdep/trial_orders.js';
import { ORDER_WORD, Z_THEN_X, subclassChain } from '../../fixtures/lockdep/subclass_chain.js';

/** Seeds of trialOrders whose trial takes order_a → order_b (first) and order_b → order_a (second). */
function seedsOfBothOrders(): { ab: number; ba: number; finding: Finding } {
  const ex = new InlineExecutor(trialOrders);
  let first = -1;
  for (let seed = 0; seed < 64; seed++) {
    const r = ex.runTrial(seed);
    const f = r.findings.find((x) => x.code === 'LOCKDEP_CIRCULAR');
    if (f !== undefined) { ex.close(); return { ab: first, ba: seed, finding: f }; }
    if (first < 0) first = seed;
  }
  throw new Error('no two seeds with opposite orders in 64');
}

const restartInTrial = scripted('lockdep-restart-in-trial', (t: Task) => ({ a: mutex_init(t, 'restart_a'), b: mutex_init(t, 'restart_b') }));

describe('lockdep chain of a finding', () => {
  it('lists the earlier trial\'s dependency, with its first-seen record', () => {
    const { finding } = seedsOfBothOrders();
    expect(finding.title).toBe('circular-locking in mutex_lock');
    expect(finding.lockdep).toHaveLength(1);
    const [dep] = finding.lockdep!;
    expect(dep).toMatchObject({ actor: 0, trial: 1, from: { named: true, flags: 0 }, to: { named: true, flags: 0 } });
    expect(dep!.from.key).not.toBe(dep!.to.key);
  });
});

describe('priming a fresh executor', () => {
  it('makes the second trial\'s schedule report the cycle on its own, with the same chain', () => {
    const { ba, finding } = seedsOfBothOrders();
    const bare = new InlineExecutor(trialOrders);
    expect(bare.runTrial(ba).findings.map((f) => f.code)).not.toContain('LOCKDEP_CIRCULAR');
    bare.close();
    const primed = new InlineExecutor(trialOrders);
    expect(lockdepPrimeDeps(primed.arena, finding.lockdep!)).toBe(1);
    const again = primed.runTrial(ba).findings.find((f) => f.code === 'LOCKDEP_CIRCULAR');
    primed.close();
    expect(again?.title).toBe(finding.title);
    expect(again?.lockdep).toEqual(finding.lockdep);
    const chainLine = (m: string): string | undefined => m.split('\n').find((l) => l.includes('-->'));
    expect(chainLine(again!.message)).toBe(chainLine(finding.message));
  });

  it('adds nothing for a dependency the graph already has', () => {
    const { finding } = seedsOfBothOrders();
    const ex = new InlineExecutor(trialOrders);
    expect(lockdepPrimeDeps(ex.arena, finding.lockdep!)).toBe(1);
    expect(lockdepPrimeDeps(ex.arena, finding.lockdep!)).toBe(0);
    ex.close();
  });
});

describe('restarting the validator', () => {
  it('forgets earlier trials\' dependencies, so a cycle is reported again', () => {
    const { ab, ba, finding } = seedsOfBothOrders();
    const ex = new InlineExecutor(trialOrders);
    const primedAtBoot = lockdepEdgeCount(ex.arena);
    ex.runTrial(ab);
    expect(ex.runTrial(ba).findings.map((f) => f.code)).toContain('LOCKDEP_CIRCULAR');
    expect(ex.runTrial(ba).findings.map((f) => f.code)).not.toContain('LOCKDEP_CIRCULAR');
    expect(lockdepRestart(ex.arena, [])).toBe(0);
    expect(lockdepEdgeCount(ex.arena)).toBe(primedAtBoot);
    expect(ex.runTrial(ba).findings.map((f) => f.code)).not.toContain('LOCKDEP_CIRCULAR');
    expect(lockdepRestart(ex.arena, finding.lockdep!)).toBe(0);
    expect(ex.runTrial(ba).findings.map((f) => f.code)).toContain('LOCKDEP_CIRCULAR');
    ex.close();
  });
});

describe('restarting the validator of an arena another thread may validate on', () => {
  it('is refused (-EBUSY) for a controlled executor\'s arena, whose actor threads remember the class table, and changes nothing', async () => {
    const { ab } = seedsOfBothOrders();
    const ex = new ControlledExecutor(trialOrders);
    try {
      await ex.runTrial(ab);
      const edges = lockdepEdgeCount(ex.arena);
      expect(lockdepRestart(ex.arena, [])).toBe(-EBUSY);
      expect(lockdepEdgeCount(ex.arena)).toBe(edges);
    } finally {
      await ex.close();
    }
  });

  it('is refused (-EBUSY) while a trial runs on the arena, and changes nothing', () => {
    const ex = new InlineExecutor(restartInTrial.scenario);
    let ret = 0;
    let kept = false;
    restartInTrial.program = function* (t, e) {
      yield* nested(t, e.a, e.b);
      ret = lockdepRestart(t.arena, []);
      kept = lockdepHasEdge(t.arena, lockdepMutexClassOf(t.arena, e.a), lockdepMutexClassOf(t.arena, e.b));
    };
    expect(ex.runTrial(0).end).toBe('done');
    ex.close();
    expect([ret, kept]).toEqual([-EBUSY, true]);
  });
});

/** The circular-locking finding of `r` (just run on `ex`) with its classes as the report names them. */
function circularNames(ex: Pick<InlineExecutor, 'arena' | 'actorNames'>, r: { findings: readonly Finding[] }): { title: string; classes: string[][] } {
  const i = r.findings.findIndex((f) => f.code === 'LOCKDEP_CIRCULAR');
  expect(i).toBeGreaterThanOrEqual(0);
  const f = r.findings[i]!;
  const info = lockdepCircularInfo(ex.arena, ex.arena.finding(i), ex.actorNames, 'mutex_lock');
  return { title: f.title, classes: [[info.holding, info.acquiring], ...info.chain.map((e) => [e.from, e.to])] };
}

describe('a chain through a subclass class (mutex_lock_nested)', () => {
  it('names the subclass after its base in a replay whose own trial never takes it', () => {
    let recorded: { seed: number; finding: Finding; names: ReturnType<typeof circularNames> } | undefined;
    for (let start = 0; start < 64 && recorded === undefined; start += 16) {
      const ex = new InlineExecutor(subclassChain);
      for (let seed = start; seed < start + 16; seed++) {
        const r = ex.runTrial(seed);
        const f = r.findings.find((x) => x.code === 'LOCKDEP_CIRCULAR');
        if (f === undefined) continue;
        if (r.user[ORDER_WORD] === Z_THEN_X) recorded = { seed, finding: f, names: circularNames(ex, r) };
        break;
      }
      ex.close();
    }
    expect(recorded, 'no run in 64 seeds closed the cycle with sub_z → sub_x').toBeDefined();
    const { seed, finding, names } = recorded!;
    expect(names.classes.flat()).toContain('sub_y/1');
    const replay = new InlineExecutor(subclassChain);
    lockdepPrimeDeps(replay.arena, finding.lockdep!);
    const again = replay.runTrial(seed);
    expect(again.user[ORDER_WORD]).toBe(Z_THEN_X);
    expect(circularNames(replay, again)).toEqual(names);
    replay.close();
  });
});
