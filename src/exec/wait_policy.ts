/**
 * How actor threads wait, chosen once per executor: spin briefly before sleeping when every actor
 * can have a core of its own, sleep at once when they are oversubscribed (there, a spinner burns
 * the core the thread it waits for needs: spin-then-wait with 4 workers on 2 cores measured ~2.5×
 * slower than plain sleeping).
 */
import { availableParallelism } from 'node:os';
import { WAIT_SLEEP, WAIT_SPIN } from '../shm/layout.js';

export type WaitPolicyName = 'spin' | 'sleep';

/** WAIT_SPIN or WAIT_SLEEP for `actors` threads; `override` forces one. */
export function chooseWaitPolicy(actors: number, override?: WaitPolicyName): number {
  const spin = override === undefined ? actors <= availableParallelism() : override === 'spin';
  return spin ? WAIT_SPIN : WAIT_SLEEP;
}
