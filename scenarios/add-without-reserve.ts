/**
 * S11 (buggy): a slot reserved in one lock hold is used after unlocking and relocking; the
 * reservation expired at unlock (max_fences reset), so the add hits the BUG. Expected: fence-slot.
 */
import { reserveScenario } from './lib/resv_slots.js';

export const addWithoutReserve = reserveScenario('add-without-reserve', import.meta.url, false);
