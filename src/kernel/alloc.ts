/**
 * Per-trial bump allocation of model objects. Tables are sized by the arena geometry; running out
 * is a harness capacity problem (raise the geometry), not a modelled -ENOMEM.
 */
import { HarnessError } from '../errno/errors.js';
import type { Arena } from '../shm/arena.js';

/** Take the next row of a table whose cursor is control word `cursor`; throws when full. */
export function allocRow(a: Arena, cursor: number, capacity: number, what: string): number {
  const id = Atomics.add(a.i32, a.layout.control + cursor, 1);
  if (id >= capacity) {
    throw new HarnessError('ERR_ARENA_GEOMETRY', `arena: no free ${what} (geometry allows ${capacity})`);
  }
  return id;
}
