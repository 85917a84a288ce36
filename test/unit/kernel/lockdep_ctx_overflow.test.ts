/**
 * An acquire context whose maps overflowed the held stack at ww_acquire_init
 * (kernel/lockdep_held.ts, overflow): the kernel's lockdep would stop at "MAX_LOCK_DEPTH too
 * low!"; the model counts the overflowing maps, and ww_acquire_fini releases them from that
 * count as a lock's release does, so the stack balances: once everything is released the task
 * holds nothing, counted or stored, and the next context is validated from its own entries.
 */
import { describe, expect, it } from 'vitest';
import { lockdepHeld, lockdepHeldOverflow, lock_map_acquire, lock_map_release } from '../../../src/kernel/lockdep.js';
import { HELD_CAP } from '../../../src/kernel/lockdep_layout.js';
import {
  ww_acquire_fini, ww_acquire_init, ww_class_init, ww_mutex_init, ww_mutex_lock, ww_mutex_unlock, type Mutex, type Task,
  type WwClass,
} from '../../fixtures/kernel.js';
import { codes, runOnce } from '../../fixtures/lockdep/run_once.js';
import { scripted } from '../../fixtures/lockdep/scripted.js';

interface Env { readonly cls: WwClass; readonly a: Mutex }

const over = scripted('lockdep-ctx-overflow', (t: Task): Env => {
  const cls = ww_class_init(t, false);
  return { cls, a: ww_mutex_init(t, cls) };
});

const FILL = Array.from({ length: HELD_CAP }, (_, i) => `ctx_overflow_fill_${i}`);

describe('a context whose maps overflowed the held stack at ww_acquire_init', () => {
  it.each([
    { maps: 'both maps', fill: HELD_CAP, counted: 2 },
    { maps: 'its first_lock_dep_map alone', fill: HELD_CAP - 1, counted: 1 },
  ])('is released from the overflow count by ww_acquire_fini ($maps)', ({ fill, counted }) => {
    const seen: Record<string, unknown> = {};
    const { r } = runOnce(over, function* (t, e) {
      for (const key of FILL.slice(0, fill)) lock_map_acquire(t, key);
      const ctx = ww_acquire_init(t, e.cls);
      seen.atInit = lockdepHeldOverflow(t);
      expect(yield* ww_mutex_lock(t, e.a, ctx)).toBe(0);
      ww_mutex_unlock(t, e.a);
      ww_acquire_fini(t, ctx);
      seen.atFini = lockdepHeldOverflow(t);
      for (const key of FILL.slice(0, fill).reverse()) lock_map_release(t, key);
      seen.held = lockdepHeld(t);
    });
    expect(r.end).toBe('done');
    expect(codes(r)).toEqual([]);
    expect(seen).toEqual({ atInit: counted, atFini: 0, held: [] });
  });

  it('leaves a lock that overflowed after it counted until its own release', () => {
    const seen: number[] = [];
    const { r } = runOnce(over, function* (t, e) {
      for (const key of FILL) lock_map_acquire(t, key);
      const ctx = ww_acquire_init(t, e.cls);
      expect(yield* ww_mutex_lock(t, e.a, ctx)).toBe(0);
      seen.push(lockdepHeldOverflow(t));
      ww_acquire_fini(t, ctx);
      seen.push(lockdepHeldOverflow(t));
      ww_mutex_unlock(t, e.a);
      seen.push(lockdepHeldOverflow(t));
      for (const key of FILL) lock_map_release(t, key);
    });
    expect(r.end).toBe('done');
    expect(codes(r).map(([code]) => code)).toEqual(['WW_FINI_HELD']);
    expect(seen).toEqual([3, 1, 0]);
  });
});
