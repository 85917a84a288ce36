/**
 * Per-trial bump allocation of model objects. Tables are sized by the arena geometry; running out
 * is a harness capacity problem (raise the geometry), not a modelled -ENOMEM.
 */
import { HarnessError } from '../errno/errors.js';
import type { Arena } from '../shm/arena.js';
import { CTXS_FINI, C_NEXT_CTX, X_OWNER, X_STATE } from '../shm/layout.js';

/** Take the next row of a table whose cursor is control word `cursor`; throws when full. */
export function allocRow(a: Arena, cursor: number, capacity: number, what: string): number {
  const id = Atomics.add(a.i32, a.layout.control + cursor, 1);
  if (id >= capacity) {
    throw new HarnessError('ERR_ARENA_GEOMETRY', `arena: no free ${what} (geometry allows ${capacity})`);
  }
  return id;
}

/**
 * A row for a new ww_acquire_ctx of task `actor`: one of its own finished contexts when there is
 * one (long-running actors start a transaction per round), else a fresh row. Reusing only the
 * task's own rows keeps concurrent stress actors apart; a stale handle to a reused row is no
 * longer recognised as finished.
 */
export function allocCtxRow(a: Arena, actor: number): number {
  const h = a.i32;
  const n = Math.min(h[a.layout.control + C_NEXT_CTX]!, a.geometry.ctxs);
  for (let x = 0; x < n; x++) {
    const b = a.ctx(x);
    if (h[b + X_OWNER] === actor + 1 && h[b + X_STATE] === CTXS_FINI) return x;
  }
  return allocRow(a, C_NEXT_CTX, a.geometry.ctxs, 'ww_acquire_ctx');
}
