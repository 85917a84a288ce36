/**
 * Blocking handshakes on a trial's user words: a waiter sleeps (wait_event) instead of looping, so
 * PCT schedules that never run a low-priority poster do not turn into step-limit hangs. Context:
 * an actor's task; awaitWord may sleep (one yield per wait), postWord does not.
 */
import { wait_event, wake_up_word, type KGen, type Task } from '../../src/kernel/index.js';

/** Sleep until user word `word` is no longer 0. */
export function* awaitWord(t: Task, word: number): KGen<void> {
  yield* wait_event(t, t.arena.layout.user + word, 0);
}

/** Set user word `word` to `value` (not 0) and wake its sleepers. */
export function postWord(t: Task, word: number, value = 1): void {
  t.store(word, value);
  wake_up_word(t, t.arena.layout.user + word);
}
