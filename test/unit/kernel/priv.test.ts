// kzalloc_words (src/kernel/priv.ts): a request that does not fit the arena's private region
// throws ERR_ARENA_GEOMETRY and leaves the cursor where it was, so the next allocation gets the
// index it would have got without the failed one, and the region can still be filled exactly.
import { describe, expect, it } from 'vitest';
import { GFP_KERNEL } from '../../../src/kernel/gfp.js';
import { kzalloc_words } from '../../../src/kernel/priv.js';
import type { Task } from '../../../src/kernel/task.js';
import { bootTask as task } from './module/support.js';

/** The error code kzalloc_words throws for `n` words, or 'none'. */
function failure(t: Task, n: number): string {
  try { kzalloc_words(t, n, GFP_KERNEL, failure); } catch (e) { return (e as { code: string }).code; }
  return 'none';
}

describe('kzalloc_words', () => {
  it.each([
    ['larger than the whole region', (t: Task) => t.arena.geometry.privWords + 1],
    ['one word more than is left', (t: Task, next: number) => t.arena.geometry.privWords - next + 1],
  ])('a failed request (%s) leaves the next allocation\'s index unchanged', (_what, tooMany) => {
    const t = task();
    const next = kzalloc_words(t, 2, GFP_KERNEL, 'test_alloc') + 2;
    expect(failure(t, tooMany(t, next))).toBe('ERR_ARENA_GEOMETRY');
    expect(kzalloc_words(t, 1, GFP_KERNEL, 'test_alloc')).toBe(next);
  });

  it('after failed requests the rest of the region can still be taken exactly, then nothing more', () => {
    const t = task();
    const first = kzalloc_words(t, 1, GFP_KERNEL, 'test_alloc');
    const room = t.arena.geometry.privWords - (first + 1);
    for (let i = 0; i < 3; i++) expect(failure(t, room + 1)).toBe('ERR_ARENA_GEOMETRY');
    expect(kzalloc_words(t, room, GFP_KERNEL, 'test_alloc')).toBe(first + 1);
    expect(failure(t, 1)).toBe('ERR_ARENA_GEOMETRY');
  });
});
