/**
 * Claims of the validator's shared records: a class slot (its LC_FLAGS word), the boot priming
 * (LD_INIT) and an edge's first-seen record (E_SERIAL). Such a word is 0 while its record is
 * free, negative while one thread fills the record — the claim, -(C_TRIAL + 1) of the trial the
 * claimer runs in — and positive once the record is published.
 *
 * The validator's region outlives trials and actor threads (lockdep_layout.ts): it spans every
 * trial of an executor, and a trial that is stopped (the inline watchdog's execution timeout, a
 * controlled or stress trial's threads terminated after a hang or a finding) may stop a thread
 * between its claim and its publish. Such a claim names an earlier trial than the current one,
 * and that is how it is known dead: an executor resets the arena for a new trial only when no
 * thread of the previous one runs (Arena.resetTrial; a threaded executor whose hung threads
 * outlive their termination refuses further trials). Any thread that meets a dead claim takes
 * it over with a CAS and fills the record itself, so one lost thread costs nothing later. A claim
 * of the current trial is live: its claimer runs (or is being stopped with the whole trial).
 */
import { FUTEX_TIMED_OUT, futexWait } from '../shm/futex.js';
import { HarnessError } from '../errno/errors.js';
import { LD_WRITES, type LockdepLayout } from './lockdep_layout.js';

/** claimWord: this thread now holds the claim and must fill and publish the record. */
export const CLAIMED = 0;

/**
 * A reader waits for a live claim to be published in futex sleeps of WAIT_SLICE_MS, woken by the
 * publisher; after WAIT_SLICES sleeps that time out (a minute), the claimer is taken to be gone
 * and the wait fails. Never reached for a dead claim, which is taken over at once.
 */
const WAIT_SLICE_MS = 50;
const WAIT_SLICES = 1200;

/** The claim a thread of the current trial makes: -(C_TRIAL + 1). */
function ownClaim(h: Int32Array, ld: LockdepLayout): number {
  return -(Atomics.load(h, ld.trial) + 1);
}

/**
 * Claim record word `idx` when it is free or claimed by a dead claimer (an earlier trial).
 * Returns CLAIMED when this thread now holds the claim; else the word: positive when published,
 * negative when a live thread of this trial holds the claim. Allocation-free; one atomic load
 * when the record is published.
 */
export function claimWord(h: Int32Array, ld: LockdepLayout, idx: number): number {
  let v = Atomics.load(h, idx);
  if (v > 0) return v;
  Atomics.add(h, ld.hdr(LD_WRITES), 1);
  const mine = ownClaim(h, ld);
  while (v <= 0 && v !== mine) {
    const was = Atomics.compareExchange(h, idx, v, mine);
    if (was === v) return CLAIMED;
    v = was;
  }
  return v;
}

/**
 * claimWord, then while a live claimer holds the word, sleep until it publishes (woken through
 * the word's futex) or dies. Returns CLAIMED or the published word. Throws ERR_WORKER (a harness
 * failure, not a finding) when a live claim is not published within a minute. Context: any
 * thread; a single-threaded executor never waits (its claimer publishes before anyone runs).
 */
export function claimOrAwait(h: Int32Array, ld: LockdepLayout, idx: number, what: string): number {
  for (let slices = 0; ;) {
    const v = claimWord(h, ld, idx);
    if (v >= 0) return v;
    if (futexWait(h, idx, v, WAIT_SLICE_MS) === FUTEX_TIMED_OUT && ++slices >= WAIT_SLICES) {
      throw new HarnessError('ERR_WORKER', `lockdep: ${what} claimed and not published after ${(WAIT_SLICE_MS * WAIT_SLICES) / 1000} s`);
    }
  }
}
