/** S10 fixed twin: an earlier same-context fence never replaces a later one. Expected: clean. */
import { seqnoScenario } from './lib/resv_slots.js';

export const fenceSeqnoChecked = seqnoScenario('fence-seqno-checked', import.meta.url, true);
