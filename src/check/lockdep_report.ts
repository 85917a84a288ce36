/**
 * Kernel-style text of a lock-class dependency cycle (lockdep's print_circular_bug): the header,
 * the lock being acquired and the one held, the existing dependency chain in reverse order with
 * where each dependency was first seen (the model has no stack traces: actor, trial and step
 * stand in for them), and the two-column "Possible unsafe locking scenario".
 *
 * Pure formatting over plain data (trace/lockdep_info.ts): the data is read from the arena by
 * kernel/lockdep_circular.ts (lockdepCircularInfo), which owns the validator's sub-layout.
 */
import type { CircularLockingInfo, LockdepEdgeInfo } from '../trace/lockdep_info.js';

/** The report's input types, re-exported for callers of the formatter. */
export type { CircularLockingInfo, LockdepEdgeInfo };

export const CIRCULAR_HEADER = 'WARNING: possible circular locking dependency detected';
const RULE = '='.repeat(CIRCULAR_HEADER.length);
const DASH = '-'.repeat(CIRCULAR_HEADER.length);
const COL2 = ' '.repeat(31);

function inst(lock: string): string {
  return lock === '' ? '' : ` ${lock}`;
}

function seen(e: LockdepEdgeInfo): string {
  const dep = `${e.from}${inst(e.fromLock)} --> ${e.to}${inst(e.toLock)}`;
  if (e.actor === null) return `       ${dep}: primed at boot by dma_resv_lockdep()`;
  return `       ${dep}: first seen in ${e.actor}, trial ${e.trial}, step ${e.step}`;
}

/** The report text for `info`. */
export function circularLockingReport(info: CircularLockingInfo): string {
  const out: string[] = [
    RULE, CIRCULAR_HEADER, DASH,
    `${info.task} is trying to acquire lock:`,
    ` (${info.acquiring})${inst(info.acquiringLock)}, at: ${info.fn}`,
    '',
    'but task is already holding lock:',
    ` (${info.holding})${inst(info.holdingLock)}${info.holdingRead ? ' (recursive read)' : ''}`,
    '',
    'which lock already depends on the new lock.',
    '', '',
    'the existing dependency chain (in reverse order) is:',
  ];
  const k = info.chain.length;
  for (let i = k; i >= 1; i--) {
    const e = info.chain[i - 1]!;
    out.push('', `-> #${i} (${e.to}):`, seen(e));
  }
  out.push('', `-> #0 (${info.acquiring}):`, seen(info.added), '', 'other info that might help us debug this:', '');
  const parent = k > 0 ? info.chain[k - 1]!.from : info.acquiring;
  if (parent !== info.acquiring) {
    out.push('Chain exists of:', `  ${info.acquiring} --> ${parent} --> ${info.holding}`, '');
  }
  out.push(
    ' Possible unsafe locking scenario:',
    '',
    '       CPU0                    CPU1',
    '       ----                    ----',
    `  ${info.holdingRead ? 'rlock' : 'lock'}(${info.holding});`,
    `${COL2}lock(${parent});`,
    `${COL2}lock(${info.holding});`,
    `  lock(${info.acquiring});`,
    '',
    ' *** DEADLOCK ***',
    '',
  );
  return out.join('\n');
}
