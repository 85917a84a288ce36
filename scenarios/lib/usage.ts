/**
 * The `usage` parameter of the revoke scenarios (lib/revoke.ts, stress-revoke.ts): a fence usage
 * by name, and what it lets the fenced job do — a READ fence promises the job does not write the
 * buffer, so such a job only reads it; under any other usage it writes.
 */
import { HarnessError } from '../../src/errno/errors.js';
import {
  DMA_RESV_USAGE_BOOKKEEP, DMA_RESV_USAGE_KERNEL, DMA_RESV_USAGE_READ, DMA_RESV_USAGE_WRITE, type DmaResvUsage,
} from '../../src/kernel/index.js';

const USAGES: Readonly<Record<string, DmaResvUsage>> = {
  kernel: DMA_RESV_USAGE_KERNEL, write: DMA_RESV_USAGE_WRITE, read: DMA_RESV_USAGE_READ, bookkeep: DMA_RESV_USAGE_BOOKKEEP,
};

/** The usage names, for the parameter's declared range. */
export const USAGE_NAMES: readonly string[] = Object.keys(USAGES);

/** The usage named `name`. Throws HarnessError(ERR_BAD_OPTION), one line naming scenario
 *  `scenario` and the parameter, when it names none (inherited names such as `toString` too). */
export function usageParam(scenario: string, name: string): DmaResvUsage {
  if (Object.hasOwn(USAGES, name)) return USAGES[name]!;
  throw new HarnessError('ERR_BAD_OPTION', `scenario ${scenario}: param usage: expected ${Object.keys(USAGES).join('|')}, got ${name}`);
}

/** Whether a job fenced with `usage` writes the buffer (every usage but READ). */
export function jobWrites(usage: DmaResvUsage): boolean {
  return usage !== DMA_RESV_USAGE_READ;
}
