/**
 * How an IOMMU entry changes hands. A task that unmaps or redirects a mapped entry first claims it
 * (a CAS from the live state it read to IOS_UNMAPPING or IOS_REDIRECTING), then writes the entry's
 * words — who changed it at which step, the nirvana page — and stores the final state
 * (iova_publish). Only the claimer writes, so under stress two racing changes (an unmap without
 * the reservation lock beside a revoke's redirect, or two unmaps of one handle) never mix their
 * records, and a redirect can no longer write into a range that was unmapped and mapped again
 * meanwhile. A reader that reports who changed an entry reads its state through iova_settled,
 * which waits a claim out, so the record it reads is the claimer's.
 *
 * Inline and controlled never show a claim: a task claims and publishes within one step.
 */
import {
  C_STEP, IOS_NIRVANA, IOS_REDIRECTING, IOS_UNMAPPING, IOS_VALID, IO_CHANGED_BY, IO_CHANGE_STEP, IO_STATE,
} from '../shm/layout.js';
import type { Task } from './task.js';

/** Loads iova_settled spends on one claim (~85 ms here) before judging by the claim's state. */
const SETTLE_LIMIT = 1 << 24;

/**
 * The state of the entry at `b` once any claim on it is published. A claim outlives the limit
 * only if its claimer's thread is preempted that long; the claim's state is then returned as it
 * is, and the entry's change record may still be the previous change's.
 */
export function iova_settled(t: Task, b: number): number {
  const h = t.i32;
  let st = Atomics.load(h, b + IO_STATE);
  for (let i = 0; i < SETTLE_LIMIT && (st === IOS_UNMAPPING || st === IOS_REDIRECTING); i++) {
    st = Atomics.load(h, b + IO_STATE);
  }
  return st;
}

/** Whether a device access through an entry in state `st` reaches memory or nirvana (not a
 *  fault). */
export function iova_live(st: number): boolean {
  return st === IOS_VALID || st === IOS_NIRVANA || st === IOS_REDIRECTING;
}

/** Whether an entry in state `st` is (about to be) redirected to the nirvana page. */
export function iova_nirvana(st: number): boolean {
  return st === IOS_NIRVANA || st === IOS_REDIRECTING;
}

/**
 * Claim the entry at `b` for a change, from the state `from` the caller read (VALID or NIRVANA)
 * to `claim` (IOS_UNMAPPING or IOS_REDIRECTING). True when the caller now owns the entry and must
 * iova_publish it; false when the entry left `from` meanwhile.
 */
export function iova_claim(t: Task, b: number, from: number, claim: number): boolean {
  return Atomics.compareExchange(t.i32, b + IO_STATE, from, claim) === from;
}

/**
 * End the caller's claim on the entry at `b`: record the caller as its changer at this step, then
 * store `state` (IOS_UNMAPPED or IOS_NIRVANA). The caller has written the entry's other words.
 */
export function iova_publish(t: Task, b: number, state: number): void {
  const h = t.i32;
  h[b + IO_CHANGED_BY] = t.id + 1;
  h[b + IO_CHANGE_STEP] = h[t.ctl + C_STEP]!;
  Atomics.store(h, b + IO_STATE, state);
}
