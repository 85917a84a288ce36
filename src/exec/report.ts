/**
 * Kernel-style report text for the model's findings: KASAN-style reports for device accesses
 * and DMA-API calls (who mapped, who revoked / freed / unmapped / removed, who accessed or
 * unmapped again — with steps), lockdep's
 * circular-locking report, leak reports, and a WARNING line for the rest. Titles are built
 * elsewhere; this is prose for people, never asserted on.
 */
import type { Arena } from '../shm/arena.js';
import { G_AUX, G_OBJ, G_STEP } from '../shm/layout.js';
import { lockdepCircularInfo } from '../kernel/lockdep.js';
import type { WarnSpec } from '../kernel/warn.js';
import { circularLockingReport } from '../check/lockdep_report.js';
import type { Leak } from '../check/leaks.js';

const OTHER: Readonly<Record<string, string>> = {
  DMA_USE_AFTER_FREE: 'freed or reused', DMA_USE_AFTER_REVOKE: 'revoked', DMA_WRITE_NIRVANA: 'redirected to nirvana',
  DMA_AFTER_UNMAP: 'unmapped', DMA_USE_AFTER_REMOVE: 'removed', DMA_UNMAP_UNMAPPED: 'unmapped first',
};
/** What the reporting actor did, when it was not a device access. */
const ACCESS: Readonly<Record<string, string>> = { DMA_UNMAP_UNMAPPED: 'unmapped again' };

/** The report of the finding record at `g` (a WARN/BUG of `spec`), checked in function `fn`. */
export function findingMessage(a: Arena, g: number, spec: WarnSpec, names: readonly string[], actor: number, fn: string): string {
  const h = a.i32;
  if (spec.name === 'LOCKDEP_CIRCULAR') return circularLockingReport(lockdepCircularInfo(a, g, names, fn));
  const who = (id: number): string => (id <= 0 ? 'nobody' : names[id - 1] ?? 'setup');
  const other = OTHER[spec.name];
  if (other !== undefined) {
    const aux = (i: number): number => h[g + G_AUX + i]!;
    const subject = spec.name === 'DMA_USE_AFTER_REMOVE' ? `device ${h[g + G_OBJ]}` : `DMA address ${h[g + G_OBJ]}`;
    return [
      `BUG: KASAN-style ${spec.kind} in ${fn}`,
      `${spec.what}`,
      `  ${ACCESS[spec.name] ?? 'accessed'} by ${names[actor] ?? 'setup'} at step ${h[g + G_STEP]}: ${subject}`,
      ...(spec.name === 'DMA_USE_AFTER_REMOVE' ? [] : [`  mapped by ${who(aux(0))} at step ${aux(1)}`]),
      `  ${other} by ${who(aux(spec.name === 'DMA_USE_AFTER_REMOVE' ? 0 : 2))} at step ${aux(spec.name === 'DMA_USE_AFTER_REMOVE' ? 1 : 3)}`,
    ].join('\n');
  }
  return `WARNING: ${spec.what} (${fn}, ${names[actor] ?? 'setup'}, object ${h[g + G_OBJ]})`;
}

/** The report of a leak found at trial end. */
export function leakMessage(l: Leak): string {
  return `BUG: leak at trial end: ${l.what} (should have been released by ${l.fn})`;
}
