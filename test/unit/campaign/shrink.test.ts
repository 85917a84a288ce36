/**
 * Shrinking: ddmin keeps a 1-minimal subset for monotone predicates, and the S1 and S3 findings
 * (found by PCT with many preemptions) shrink to at most 3 preemptions with the same title; the
 * shrunk schedule replays exactly.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InlineExecutor } from '../../../src/exec/inline.js';
import type { AnyScenario } from '../../../src/exec/scenario.js';
import { ddmin, shrink } from '../../../src/campaign/shrink.js';
import type { Decision } from '../../../src/exec/result.js';
import { revokeWaitKernel } from '../../../scenarios/revoke-wait-kernel.js';
import { reuseBeforeUnmap } from '../../../scenarios/reuse-before-unmap.js';

describe('ddmin', () => {
  it('returns a 1-minimal subset that still passes a monotone test', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 30 }), fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 4 }), (items, needed) => {
      const need = needed.filter((x) => items.includes(x));
      const test = (c: readonly number[]): boolean => need.every((x) => c.includes(x));
      const out = ddmin(items, test);
      expect(test(out)).toBe(true);
      for (const x of out) expect(test(out.filter((y) => y !== x))).toBe(false);
    }));
  });
});

/** The first finding of `s.expect` by `strategy`, with its seed and exact schedule. */
function findOne(s: AnyScenario, strategy: string): { seed: number; title: string; decisions: readonly Decision[] } {
  const ex = new InlineExecutor(s, { strategy, decisions: true });
  for (let seed = 1; seed <= 2000; seed++) {
    const r = ex.runTrial(seed);
    const f = r.findings.find((x) => x.kind === s.expect);
    if (f !== undefined) return { seed, title: f.title, decisions: r.decisions ?? [] };
  }
  throw new Error(`${s.name}: not found by ${strategy}`);
}

describe('shrink', () => {
  it.each([
    ['S1', revokeWaitKernel.name, 'random', revokeWaitKernel], ['S1', revokeWaitKernel.name, 'pct:3', revokeWaitKernel],
    ['S3', reuseBeforeUnmap.name, 'random', reuseBeforeUnmap], ['S3', reuseBeforeUnmap.name, 'pct:3', reuseBeforeUnmap],
  ] as const)('brings the %s finding of %s to at most 3 preemptions with the same title (%s)', (_ref, _name, strategy, s) => {
    const found = findOne(s, strategy);
    const res = shrink({ scenario: s, params: s.params, seed: found.seed, decisions: found.decisions, title: found.title });
    expect(res.decisions).not.toBeNull();
    expect(res.after.preemptions).toBeLessThanOrEqual(3);
    expect(res.after.preemptions).toBeLessThanOrEqual(res.before.preemptions);
    const again = new InlineExecutor(s).runTrial(found.seed, res.decisions!);
    expect(again.end).not.toBe('diverged');
    expect(again.findings.map((f) => f.title)).toContain(found.title);
  });

  it('matches a former title only for a file of an earlier title revision, then keeps the title the trial gave', () => {
    const found = findOne(reuseBeforeUnmap, 'random');
    expect(found.title).toBe('use-after-free in vfio_pci_try_reset_function');
    const base = { scenario: reuseBeforeUnmap, params: reuseBeforeUnmap.params, seed: found.seed, decisions: found.decisions, code: 'REUSE_BEFORE_UNMAP', budget: 50 };
    const former = shrink({ ...base, title: 'use-after-free in phys_free', formerTitles: true });
    expect(former.decisions).not.toBeNull();
    expect(former.title).toBe(found.title);
    expect(shrink({ ...base, title: 'use-after-free in phys_free' }).decisions).toBeNull();
  });

  it('says so when the schedule does not reproduce the title', () => {
    const found = findOne(revokeWaitKernel, 'random');
    const res = shrink({ scenario: revokeWaitKernel, params: revokeWaitKernel.params, seed: found.seed, decisions: found.decisions, title: 'deadlock in nowhere' });
    expect(res.decisions).toBeNull();
  });
});
