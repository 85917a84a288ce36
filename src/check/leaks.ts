/**
 * Leaks at trial end: what an actor took and nobody gave back once every actor finished — pins,
 * mappings and attachments of dma-bufs, and fences whose expected signaler finished without
 * signalling them (a waiter would hang). Locks held at exit are reported when the task exits
 * (do_exit), not here. Reads the arena only.
 */
import type { Arena } from '../shm/arena.js';
import {
  ACTOR_DONE, ATF_LINKED, AT_DMABUF, AT_FLAGS, AT_MAPS, AT_PINS, A_STATE, C_NEXT_ATTACH,
  C_NEXT_FENCE, FENCEF_LIVE, FENCEF_SIGNALED, F_FLAGS, F_REFCOUNT, F_SIGNALER,
} from '../shm/layout.js';

export interface Leak {
  /** Stable code: LEAK_PIN, LEAK_MAPPING, LEAK_ATTACHMENT, LEAK_FENCE. */
  readonly code: string;
  /** The function that should have released it (the finding's title names it). */
  readonly fn: string;
  readonly obj: number;
  readonly what: string;
}

/** Every leak in `a` after a trial of `actors` actors ended with all of them done. */
export function findLeaks(a: Arena, actors: number): Leak[] {
  return [...attachmentLeaks(a), ...fenceLeaks(a, actors)];
}

function attachmentLeaks(a: Arena): Leak[] {
  const h = a.i32;
  const out: Leak[] = [];
  const n = Math.min(h[a.layout.control + C_NEXT_ATTACH]!, a.geometry.attachments);
  for (let x = 0; x < n; x++) {
    const b = a.attachment(x);
    const db = h[b + AT_DMABUF]! - 1;
    if (h[b + AT_PINS]! > 0) out.push({ code: 'LEAK_PIN', fn: 'dma_buf_unpin', obj: x, what: `attachment ${x} of dma-buf ${db} still pinned (${h[b + AT_PINS]})` });
    if (h[b + AT_MAPS]! > 0) out.push({ code: 'LEAK_MAPPING', fn: 'dma_buf_unmap_attachment', obj: x, what: `attachment ${x} of dma-buf ${db} still mapped (${h[b + AT_MAPS]})` });
    if ((h[b + AT_FLAGS]! & ATF_LINKED) !== 0) out.push({ code: 'LEAK_ATTACHMENT', fn: 'dma_buf_detach', obj: x, what: `attachment ${x} of dma-buf ${db} never detached` });
  }
  return out;
}

function fenceLeaks(a: Arena, actors: number): Leak[] {
  const h = a.i32;
  const out: Leak[] = [];
  const n = Math.min(h[a.layout.control + C_NEXT_FENCE]!, a.geometry.fences);
  for (let f = 1; f < n; f++) {
    const b = a.fence(f);
    const flags = h[b + F_FLAGS]!;
    const signaler = h[b + F_SIGNALER]! - 1;
    if ((flags & FENCEF_LIVE) === 0 || (flags & FENCEF_SIGNALED) !== 0 || h[b + F_REFCOUNT]! <= 0) continue;
    if (signaler < 0 || signaler >= actors || h[a.actor(signaler) + A_STATE] !== ACTOR_DONE) continue;
    out.push({ code: 'LEAK_FENCE', fn: 'dma_fence_signal', obj: f, what: `fence ${f} never signaled by its signaler (actor ${signaler}), which finished` });
  }
  return out;
}
