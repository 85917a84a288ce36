/**
 * ww_acquire_done's debug checks in the kernel's order: lockdep_assert_held(ctx) — the context's
 * map is held from ww_acquire_init to ww_acquire_fini, by its owner — then done_acquire set
 * already. With PROVE_LOCKING ww_acquire_fini leaves done_acquire as it was, so a done after fini
 * is the assert's report alone (another task's live context: contract/kernel/ww_ctx_foreign).
 */
import { describe, expect, it } from 'vitest';
import { ww_acquire_done, ww_acquire_fini, ww_acquire_init, ww_class_init, type Task, type WwClass } from '../../fixtures/kernel.js';
import { codes, runOnce } from '../../fixtures/lockdep/run_once.js';
import { scripted } from '../../fixtures/lockdep/scripted.js';

const done = scripted('ww-acquire-done', (t: Task): { cls: WwClass } => ({ cls: ww_class_init(t, false) }));

const NOT_HELD = ['LOCK_NOT_HELD', 'lock-not-held in ww_acquire_done'];
const TWICE = ['WW_DONE_TWICE', 'assertion in ww_acquire_done'];

/** A step of a program over one context of the class. */
type Step = 'done' | 'fini';

describe('ww_acquire_done', () => {
  it.each([
    ['after ww_acquire_fini is the assert that the context\'s map is held, not done twice', ['fini', 'done'], [NOT_HELD]],
    ['after ww_acquire_done and ww_acquire_fini is the assert, then done twice', ['done', 'fini', 'done'], [NOT_HELD, TWICE]],
    ['twice on a live context of its own is done twice alone', ['done', 'done', 'fini'], [TWICE]],
    ['once on a live context of its own reports nothing', ['done', 'fini'], []],
  ] as [string, Step[], string[][]][])('%s', (_how, steps, found) => {
    const { r } = runOnce(done, function* (t, e) {
      const ctx = ww_acquire_init(t, e.cls);
      for (const step of steps) (step === 'done' ? ww_acquire_done : ww_acquire_fini)(t, ctx);
      yield* [];
    });
    expect(r.end).toBe('done');
    expect(codes(r)).toEqual(found);
  });
});
