/**
 * The wait-for graph, read from the arena: each blocked actor has one edge — actor → mutex →
 * owner, or actor → fence → the actor expected to signal it. A deadlock is a cycle; a blocked
 * chain that ends at an actor who will never act (finished, or no known signaler) is a hang.
 */
import type { Arena } from '../shm/arena.js';
import {
  ACTOR_BLOCKED, A_STATE, A_WAIT_KIND, A_WAIT_OBJ, F_SIGNALER, M_OWNER, WAITK_FENCE, WAITK_MUTEX,
  WAITK_WORD,
} from '../shm/layout.js';

export interface WaitEdge {
  readonly actor: number;
  readonly kind: 'mutex' | 'fence' | 'event' | 'sleep';
  readonly obj: number;
  /** The actor that must act to wake `actor` (owner or signaler), -1 when nobody is known. */
  readonly next: number;
}

/** One edge per blocked actor in [0, n). */
export function waitEdges(a: Arena, n: number): WaitEdge[] {
  const h = a.i32;
  const out: WaitEdge[] = [];
  for (let i = 0; i < n; i++) {
    const b = a.actor(i);
    if (h[b + A_STATE] !== ACTOR_BLOCKED) continue;
    const kind = h[b + A_WAIT_KIND];
    const obj = h[b + A_WAIT_OBJ]!;
    if (kind === WAITK_MUTEX) out.push({ actor: i, kind: 'mutex', obj, next: h[a.mutex(obj) + M_OWNER]! - 1 });
    else if (kind === WAITK_FENCE) out.push({ actor: i, kind: 'fence', obj, next: h[a.fence(obj) + F_SIGNALER]! - 1 });
    else if (kind === WAITK_WORD) out.push({ actor: i, kind: 'event', obj, next: -1 });
    else out.push({ actor: i, kind: 'sleep', obj, next: -1 });
  }
  return out;
}

/**
 * A hang's edges (`edges` with no cycle) arranged to tell its story: the longest chain first, from
 * an actor nobody waits for to the one whose waker will never act — `at`, the chain's last edge,
 * where the hang is — then the other edges in actor order. `at` is undefined for no edges.
 */
export function hangChain(edges: readonly WaitEdge[]): { readonly waits: WaitEdge[]; readonly at: WaitEdge | undefined } {
  const byActor = new Map(edges.map((e) => [e.actor, e]));
  const waitedFor = new Set(edges.map((e) => e.next));
  let best: WaitEdge[] = [];
  for (const head of edges) {
    if (waitedFor.has(head.actor)) continue;
    const chain: WaitEdge[] = [];
    for (let e: WaitEdge | undefined = head; e !== undefined && chain.length < edges.length; e = byActor.get(e.next)) chain.push(e);
    if (chain.length > best.length) best = chain;
  }
  return { waits: [...best, ...edges.filter((e) => !best.includes(e))], at: best[best.length - 1] };
}

/**
 * The first wait-for cycle, as its edges in order (a self-deadlock is a cycle of one), or null.
 */
export function findCycle(edges: readonly WaitEdge[]): WaitEdge[] | null {
  const byActor = new Map(edges.map((e) => [e.actor, e]));
  for (const start of edges) {
    const path: WaitEdge[] = [];
    const seen = new Set<number>();
    let e: WaitEdge | undefined = start;
    while (e !== undefined && !seen.has(e.actor)) {
      seen.add(e.actor);
      path.push(e);
      e = byActor.get(e.next);
    }
    if (e !== undefined) return path.slice(path.findIndex((p) => p.actor === e!.actor));
  }
  return null;
}
