// phys_free of a page that is not allocated — freed already, the nirvana page, -ENOMEM or one past
// the page table — WARNs PAGE_BAD_FREE and changes no page's generation or state; one free of an
// allocated page stays clean. Inline and controlled, same seeds.
import { describe, expect, it } from 'vitest';
import { PGS_QUARANTINED } from '../../../src/shm/layout.js';
import { EXECUTORS } from '../../support/both.js';
import { SNAP, pageBadFree, type BadFreeCase } from '../../fixtures/dmabuf/bad_free.js';
import { CLEAN, at, outcome, run } from '../../fixtures/fence/oracle.js';

const TITLE = 'use-after-free in phys_free';

/** The watched pages' words after the first free and at the end. */
const snapshots = (user: readonly number[]) => [user.slice(0, SNAP.SECOND), user.slice(SNAP.SECOND, 2 * SNAP.SECOND)];

describe.each(EXECUTORS)('phys_free of a page that is not allocated (%s)', (kind) => {
  it.each([['twice', 1], ['nirvana', 1], ['range', 2]] as const)('reports a free of %s and changes nothing', async (c: BadFreeCase, n) => {
    for (const r of await run(kind, pageBadFree, { case: c })) {
      expect(outcome(r), at(r)).toEqual({ end: 'done', codes: Array<string>(n).fill('PAGE_BAD_FREE') });
      expect(r.findings[0]?.title, at(r)).toBe(TITLE);
      const [first, last] = snapshots(r.user);
      expect(last, at(r)).toEqual(first);
    }
  });

  it('keeps the fixed twin (one free of an allocated page) clean: the page is quarantined', async () => {
    for (const r of await run(kind, pageBadFree, { case: 'once' })) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect(r.user[SNAP.P + 1], at(r)).toBe(PGS_QUARANTINED);
    }
  });
});
