// The exporter's device side is in the trace, so a report's "removed by vfio at step N" and
// "reset by vfio at step N: page P" have their event in the trace tail: device_mark_removed
// records EV_DEVICE_REMOVE on the device; phys_replace records EV_PAGE_REUSE on the page let go,
// with the page now holding the contents as aux — a fresh page, or the same page renewed in place
// when no page is left.
import { describe, expect, it } from 'vitest';
import { device_add, device_mark_removed, phys_alloc, phys_replace } from '../../../src/kernel/memory.js';
import { EV_DEVICE_REMOVE, EV_PAGE_REUSE } from '../../../src/trace/ops.js';
import { readEvents } from '../../../src/trace/ring.js';
import { bootTask } from './module/support.js';

const traced = (t: ReturnType<typeof bootTask>): [number, number, number][] => readEvents(t.arena, 1).map((e) => [e.op, e.obj, e.aux]);

describe('the device side of the trace', () => {
  it('records a device removal on the device', () => {
    const t = bootTask();
    device_add(t);
    const d = device_add(t);
    device_mark_removed(t, d);
    expect(traced(t)).toEqual([[EV_DEVICE_REMOVE, d, 0]]);
  });

  it('records a page reused on a fresh page', () => {
    const t = bootTask();
    const p = phys_alloc(t, 0);
    const q = phys_replace(t, p, 0);
    expect(q).not.toBe(p);
    expect(traced(t)).toEqual([[EV_PAGE_REUSE, p, q]]);
  });

  it('records a page renewed in place when no other page is left', () => {
    const t = bootTask();
    const pages: number[] = [];
    for (let p = phys_alloc(t, 0); p >= 0; p = phys_alloc(t, 0)) pages.push(p);
    const p = pages[3]!;
    expect(phys_replace(t, p, 0)).toBe(p);
    expect(traced(t)).toEqual([[EV_PAGE_REUSE, p, p]]);
  });
});
