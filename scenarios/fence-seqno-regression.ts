/**
 * S10 (buggy, before a3f7c10a269d, CVE-2022-49935): a userspace-imported fence with an earlier
 * seqno of the same context replaces the later one in the reservation object, so waiters wait for
 * too little. Expected: fence-order.
 */
import { seqnoScenario } from './lib/resv_slots.js';

export const fenceSeqnoRegression = seqnoScenario('fence-seqno-regression', import.meta.url, false);
