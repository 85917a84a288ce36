/** A load-time guard for runs of words laid out by hand inside one record. */

import { HarnessError } from '../../errno/errors.js';

/** Throws ERR_LAYOUT unless words [first, first + count) end at or before word `next` (the next
 *  word in use): a load-time check that a run of words has not grown into its neighbour. */
export function assertWordsFit(what: string, first: number, count: number, next: number, remedy: string): void {
  if (first + count > next) throw new HarnessError('ERR_LAYOUT', `layout.ts: ${what} (words ${first}..${first + count - 1}) reach word ${next}; ${remedy}`);
}
