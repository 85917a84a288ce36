import { afterAll, describe, expect, it } from 'vitest';
import { ControlledExecutor } from '../../../src/exec/controlled.js';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { opOf } from '../../../src/shm/layout.js';
import { OP_START } from '../../../src/trace/ops.js';
import { mixed } from '../../fixtures/mixed.js';

describe('determinism of the 3-actor lock/fence workload', () => {
  const inline = new InlineExecutor(mixed, { strategy: 'random', events: true, decisions: true });
  const controlled = new ControlledExecutor(mixed, { strategy: 'random', events: true, decisions: true });
  afterAll(() => controlled.close());

  it('produces identical event sequences under inline and controlled for 200 seeds', async () => {
    for (let seed = 0; seed < 200; seed++) {
      const a = inline.runTrial(seed);
      const b = await controlled.runTrial(seed);
      expect(a.end).toBe('done');
      expect(a.findings).toEqual([]);
      expect(b.events, `seed ${seed}`).toEqual(a.events);
      expect(b.decisions).toEqual(a.decisions);
      expect(b.user).toEqual(a.user);
    }
  });

  it('explores different schedules for different seeds', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 50; seed++) seen.add(JSON.stringify(inline.runTrial(seed).decisions));
    expect(seen.size).toBeGreaterThan(10);
  });

  it.each(['inline', 'controlled'] as const)('reproduces the event sequence when replaying a recorded decision list (%s)', async (kind) => {
    for (let seed = 0; seed < 20; seed++) {
      const rec = inline.runTrial(seed);
      const rep = kind === 'inline' ? inline.runTrial(999, rec.decisions) : await controlled.runTrial(999, rec.decisions);
      expect(rep.end).toBe(rec.end);
      expect(rep.events).toEqual(rec.events);
    }
  });

  it.each(['inline', 'controlled'] as const)('stops a tampered replay at the first divergence naming step, actor and op (%s)', async (kind) => {
    const rec = inline.runTrial(7);
    const decisions = [...rec.decisions!];
    const at = decisions.findIndex((d, i) => i > 3 && opOf(d.op) !== OP_START);
    const victim = decisions[at]!;
    decisions[at] = { actor: victim.actor, op: victim.op + 1 };
    const rep = kind === 'inline' ? inline.runTrial(0, decisions) : await controlled.runTrial(0, decisions);
    expect(rep.end).toBe('diverged');
    expect(rep.steps).toBe(at);
    expect(rep.divergence).toContain(`step ${at}`);
    expect(rep.divergence).toContain(inline.actorNames[victim.actor]);
    expect(rep.divergence).toMatch(/expected \w+ to [a-z-]+ \w+ \d+/);
  });
});
