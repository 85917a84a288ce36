// A spin that never succeeds never hangs the harness: it is a finding that ends the task with
// KernelOops. A spinlock nobody releases is the kernel's "spinlock lockup suspected"
// (SPINLOCK_LOCKUP, "hang in spin_lock"); a retry or busy-wait loop whose exit never comes is the
// watchdog's soft lockup (SOFT_LOCKUP), titled after the looping function as syzbot titles "BUG:
// soft lockup in <fn>", with the headline as its condition (a hang blocked there is another bug): a lockless resv reader whose walk restarts for ever (a fence released while
// still in the list: dma_fence_get_rcu fails at every pass, as in the kernel), and dma_engine_unbind or an IOMMU domain's clear (iommufd's revoke and
// unfill) facing a DMA burst that never ends.
import { describe, expect, it } from 'vitest';
import { Arena } from '../../../src/shm/arena.js';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { scripted } from '../../fixtures/lockdep/scripted.js';
import { drain } from '../../fixtures/drain.js';
import { EXEC_STRESS, TRIAL_DONE, WAIT_SLEEP } from '../../../src/shm/layout.js';
import { collectResult } from '../../../src/exec/collect_result.js';
import { endTrial } from '../../../src/exec/step.js';
import { kernelBoot } from '../../../src/kernel/boot.js';
import { dma_fence_context_alloc, dma_fence_init } from '../../../src/kernel/dma_fence_init.js';
import { dma_fence_put } from '../../../src/kernel/dma_fence_ref.js';
import { dma_fence_signal } from '../../../src/kernel/dma_fence_signal.js';
import {
  DMA_RESV_USAGE_BOOKKEEP, dma_resv_add_fence, dma_resv_init, dma_resv_lock, dma_resv_reserve_fences, dma_resv_unlock,
} from '../../../src/kernel/dma_resv.js';
import type { Fence, Resv } from '../../../src/kernel/types.js';
import { dma_resv_get_fences, dma_resv_test_signaled, dma_resv_wait_timeout } from '../../../src/kernel/dma_resv_query.js';
import { privIndex } from '../../../src/kernel/priv.js';
import { spin_lock, spin_unlock } from '../../../src/kernel/spinlock.js';
import { Task } from '../../../src/kernel/task.js';
import { KernelOops, WARNINGS, warnCode, warnTitle, type WarnName } from '../../../src/kernel/warn.js';
import { D_INFLIGHT, iommu_domain_alloc, iommu_domain_clear, iommu_domain_dma, iommu_domain_install } from '../../../src/kernel/iommu_domain.js';
import { X_INFLIGHT, dma_engine_bind, dma_engine_context, dma_engine_create, dma_engine_unbind } from '../../../src/drivers/dma_engine.js';

function boot(): Task {
  const a = Arena.create();
  a.resetTrial({ actors: 2, mode: EXEC_STRESS, stepLimit: 100, waitPolicy: WAIT_SLEEP, replayLen: 0 });
  const t = new Task(a, 0, 'spinner');
  kernelBoot(t);
  return t;
}

/** The code a call threw as KernelOops, or 'none'. */
function oopsOf(f: () => unknown): number | string {
  try { f(); return 'none'; } catch (err) { return err instanceof KernelOops ? err.code : String(err); }
}

/** [check, object, title] of every finding recorded, as a trial's result gives them (exec/result.ts).
 *  Ends the trial first (the model's calls do not read the trial's state). */
const findings = (t: Task): [string, number, string][] => {
  endTrial(t.arena, TRIAL_DONE, -1, 0);
  return collectResult(t.arena, 0, { actorNames: ['spinner'], leakCheck: false }).findings.map((f) => [f.code, f.obj, f.title]);
};

/** Drop the creator's reference and the one the resv's list holds: a put too many, which
 *  releases the fence while the list still names it. */
function putTwice(t: Task, f: Fence): void {
  dma_fence_put(t, f);
  dma_fence_put(t, f);
}

const title = (name: WarnName): string => warnTitle(WARNINGS[warnCode(name) - 1]!);

describe('a spin that never succeeds', () => {
  it('is titled hang in spin_lock for a spinlock, and after the watchdog for a stuck loop without a site', () => {
    expect([title('SPINLOCK_LOCKUP'), title('SOFT_LOCKUP')]).toEqual(['hang in spin_lock', 'hang in watchdog_timer_fn (soft lockup)']);
  });

  it('takes a free spinlock, and reports one another task never releases as SPINLOCK_LOCKUP on its object', () => {
    const t = boot();
    const holder = new Task(t.arena, 1, 'holder');
    const word = t.arena.layout.user;
    expect(oopsOf(() => spin_lock(holder, word, 7))).toBe('none');
    expect(findings(t)).toEqual([]);
    expect(oopsOf(() => spin_lock(t, word, 7))).toBe(warnCode('SPINLOCK_LOCKUP'));
    expect(findings(t)).toEqual([['SPINLOCK_LOCKUP', 7, 'hang in spin_lock']]);
    spin_unlock(holder, word);
  });

  it.each([
    ['dma_resv_test_signaled', (t: Task, obj: Resv) => dma_resv_test_signaled(t, obj, DMA_RESV_USAGE_BOOKKEEP)],
    ['dma_resv_get_fences', (t: Task, obj: Resv) => dma_resv_get_fences(t, obj, DMA_RESV_USAGE_BOOKKEEP)],
    ['dma_resv_wait_timeout', (t: Task, obj: Resv) => drain(dma_resv_wait_timeout(t, obj, DMA_RESV_USAGE_BOOKKEEP, false, 0))],
  ] as const)('reports %s facing a fence released while still in the list as a soft lockup in the reader, on the resv', (fn, read) => {
    const t = boot();
    const obj = dma_resv_init(t);
    expect(oopsOf(() => read(t, obj))).toBe('none');
    const f = dma_fence_init(t, dma_fence_context_alloc(t, 1), 1);
    drain(dma_resv_lock(t, obj, null));
    dma_resv_reserve_fences(t, obj, 1);
    dma_resv_add_fence(t, obj, f, DMA_RESV_USAGE_BOOKKEEP);
    dma_resv_unlock(t, obj);
    putTwice(t, f);
    expect(oopsOf(() => read(t, obj))).toBe(warnCode('SOFT_LOCKUP'));
    expect(findings(t)).toEqual([['SOFT_LOCKUP', obj, `hang in ${fn} (soft lockup)`]]);
  });

  it('reports dma_resv_wait_timeout restarting for ever in a hunt\'s trial as the soft lockup, not as the executor\'s step limit', () => {
    // The released fence sits in the second slot, behind a signaled one the walk skips: each
    // restart reads both, so a walk that kept its scheduling points after a restart would spend
    // the trial's step budget first.
    const s = scripted('resv-wait-spin', (t) => dma_resv_init(t));
    s.program = function* (t, obj) {
      const ctx = dma_fence_context_alloc(t, 2);
      const [done, freed] = [dma_fence_init(t, ctx, 1), dma_fence_init(t, ctx + 1, 1)];
      dma_fence_signal(t, done);
      yield* dma_resv_lock(t, obj, null);
      dma_resv_reserve_fences(t, obj, 2);
      dma_resv_add_fence(t, obj, done, DMA_RESV_USAGE_BOOKKEEP);
      dma_resv_add_fence(t, obj, freed, DMA_RESV_USAGE_BOOKKEEP);
      dma_resv_unlock(t, obj);
      putTwice(t, freed);
      yield* dma_resv_wait_timeout(t, obj, DMA_RESV_USAGE_BOOKKEEP, false, 0);
    };
    const ex = new InlineExecutor(s.scenario);
    try {
      const r = ex.runTrial(0);
      expect(r.findings.map((f) => [f.code, f.title])).toEqual([['SOFT_LOCKUP', 'hang in dma_resv_wait_timeout (soft lockup)']]);
    } finally {
      ex.close();
    }
  });

  it('unbinds an idle context, and reports a DMA burst that never ends as a soft lockup in dma_engine_unbind, on the context', () => {
    const t = boot();
    const engine = dma_engine_create(t);
    const [idle, busy] = [dma_engine_context(t, engine), dma_engine_context(t, engine)];
    for (const ctx of [idle, busy]) dma_engine_bind(t, ctx, 1, 1);
    expect(oopsOf(() => dma_engine_unbind(t, idle))).toBe('none');
    Atomics.add(t.i32, privIndex(t, busy + X_INFLIGHT), 1);
    expect(oopsOf(() => dma_engine_unbind(t, busy))).toBe(warnCode('SOFT_LOCKUP'));
    expect(findings(t)).toEqual([['SOFT_LOCKUP', busy, 'hang in dma_engine_unbind (soft lockup)']]);
  });

  it.each(['iopt_revoke_notify', 'iopt_area_unfill_domains'])(
    'clears an IOMMU domain with no burst in flight, and reports one that never ends as a soft lockup in its caller, %s', (fn) => {
      const t = boot();
      const [idle, busy] = [iommu_domain_alloc(t), iommu_domain_alloc(t)];
      for (const d of [idle, busy]) iommu_domain_install(t, d, 5, 1);
      expect(oopsOf(() => iommu_domain_clear(t, idle, 11, fn))).toBe('none');
      Atomics.add(t.i32, privIndex(t, busy + D_INFLIGHT), 1);
      expect(oopsOf(() => iommu_domain_clear(t, busy, 12, fn))).toBe(warnCode('SOFT_LOCKUP'));
      expect(findings(t)).toEqual([['SOFT_LOCKUP', 12, `hang in ${fn} (soft lockup)`]]);
    });

  it('lets no burst through a cleared (or never filled) IOMMU domain: an IOMMU fault, nothing accessed, nothing reported', () => {
    const t = boot();
    const [empty, cleared] = [iommu_domain_alloc(t), iommu_domain_alloc(t)];
    iommu_domain_install(t, cleared, 5, 1);
    iommu_domain_clear(t, cleared, 12, 'iopt_revoke_notify');
    expect([iommu_domain_dma(t, empty, 0, 1, true, false), iommu_domain_dma(t, cleared, 0, 1, true, false)]).toEqual([false, false]);
    expect(findings(t)).toEqual([]);
  });
});
