/** S11 fixed twin: reserve and add in the same lock hold. Expected: clean. */
import { reserveScenario } from './lib/resv_slots.js';

export const addAfterReserve = reserveScenario('add-after-reserve', import.meta.url, true);
