/**
 * How actor threads wait, chosen once per executor: spin briefly before sleeping when every actor
 * can have a core of its own, sleep at once when they are oversubscribed (there, a spinner burns
 * the core the thread it waits for needs: spin-then-wait with 4 workers on 2 cores measured ~2.5×
 * slower than plain sleeping).
 *
 * `stress` counts at the moment of waiting instead (WAIT_ADAPT): its actors often sleep for long
 * stretches (an exporter revoking every 10 ms), so what matters is how many are awake when one
 * blocks, not how many exist. There only fence waiters poll, with naps (stress-actor.ts).
 */
import { availableParallelism } from 'node:os';
import { WAIT_ADAPT, WAIT_SLEEP, WAIT_SPIN } from '../shm/layout.js';

export type WaitPolicyName = 'spin' | 'sleep';
export type StressWaitPolicyName = WaitPolicyName | 'adapt';

/** WAIT_SPIN or WAIT_SLEEP for `actors` threads; `override` forces one. */
export function chooseWaitPolicy(actors: number, override?: WaitPolicyName): number {
  const spin = override === undefined ? actors <= availableParallelism() : override === 'spin';
  return spin ? WAIT_SPIN : WAIT_SLEEP;
}

/** The stress executor's policy: WAIT_ADAPT unless `override` forces spin or sleep. */
export function chooseStressWaitPolicy(override?: StressWaitPolicyName): number {
  return override === 'spin' ? WAIT_SPIN : override === 'sleep' ? WAIT_SLEEP : WAIT_ADAPT;
}

/** The cores WAIT_ADAPT lets awake actors spin on. */
export function spinCores(): number {
  return availableParallelism();
}
