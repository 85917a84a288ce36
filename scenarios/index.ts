/** The built-in scenario catalog (DESIGN §6): every buggy variant with its fixed twin. */
import type { AnyScenario } from '../src/exec/scenario.js';
import { abbaNoCtx } from './abba-no-ctx.js';
import { abbaWwBackoff } from './abba-ww-backoff.js';
import { recursiveResvLock } from './recursive-resv-lock.js';
import { resvLockOnce } from './resv-lock-once.js';
import { revokeWaitKernel } from './revoke-wait-kernel.js';
import { revokeNoWait } from './revoke-no-wait.js';
import { revokeWaitBookkeep } from './revoke-wait-bookkeep.js';
import { reuseBeforeUnmap } from './reuse-before-unmap.js';
import { nirvanaUntilUnmap } from './nirvana-until-unmap.js';
import { removeBeforeUnmap } from './remove-before-unmap.js';
import { removeWaitsUnmap } from './remove-waits-unmap.js';
import { doubleDrain } from './double-drain.js';
import { idempotentDrain } from './idempotent-drain.js';
import { unrevokeBeforeRearm } from './unrevoke-before-rearm.js';
import { unrevokeAfterRearm } from './unrevoke-after-rearm.js';
import { invalidateWithoutLock } from './invalidate-without-lock.js';
import { invalidateUnderLock } from './invalidate-under-lock.js';
import { legacyImporterRevoke } from './legacy-importer-revoke.js';
import { legacyImporterRefused } from './legacy-importer-refused.js';
import { rdmaPinnedRevoke } from './rdma-pinned-revoke.js';
import { rdmaPinnedRefused } from './rdma-pinned-refused.js';
import { iommufdUnwindLeak } from './iommufd-unwind-leak.js';
import { iommufdUnwind } from './iommufd-unwind.js';
import { namespaceMissingImport } from './namespace-missing-import.js';
import { namespaceImported } from './namespace-imported.js';
import { fenceSeqnoRegression } from './fence-seqno-regression.js';
import { fenceSeqnoChecked } from './fence-seqno-checked.js';
import { addWithoutReserve } from './add-without-reserve.js';
import { addAfterReserve } from './add-after-reserve.js';
import { waitInSignalling } from './wait-in-signalling.js';
import { signalOutsideLock } from './signal-outside-lock.js';
import { preemptFenceLocked } from './preempt-fence-locked.js';
import { preemptFence } from './preempt-fence.js';
import { pollWithoutFileRef } from './poll-without-file-ref.js';
import { pollFileRef } from './poll-file-ref.js';
import { mmapRevokeNoZap } from './mmap-revoke-no-zap.js';
import { mmapRevokeZap } from './mmap-revoke-zap.js';
import { mmapRevokeFaultUnlocked } from './mmap-revoke-fault-unlocked.js';
import { fenceCbLockIrqUnsafe } from './fence-cb-lock-irq-unsafe.js';
import { fenceCbLockIrqsave } from './fence-cb-lock-irqsave.js';

export interface CatalogEntry {
  /** Reference id of kernel-semantics §6 (G5: gap audit item 5, preempt fences in BOOKKEEP, §1.2;
   *  MMAP: not a §6 id — Matt Evans's in-flight 2026 VFIO dma-buf mmap series, §4.9's last item;
   *  IRQ: not a §6 id — lockdep's generic irq-safety rule, a lock used in hardirq context and with
   *  interrupts on). */
  readonly ref: string;
  readonly scenario: AnyScenario;
}

export const CATALOG: readonly CatalogEntry[] = [
  { ref: 'S1', scenario: revokeWaitKernel },
  { ref: 'S2', scenario: revokeNoWait },
  { ref: 'S1/S2', scenario: revokeWaitBookkeep },
  { ref: 'S3', scenario: reuseBeforeUnmap },
  { ref: 'S3', scenario: nirvanaUntilUnmap },
  { ref: 'S4', scenario: removeBeforeUnmap },
  { ref: 'S4', scenario: removeWaitsUnmap },
  { ref: 'S5', scenario: legacyImporterRevoke },
  { ref: 'S5', scenario: legacyImporterRefused },
  { ref: 'S6', scenario: rdmaPinnedRevoke },
  { ref: 'S6', scenario: rdmaPinnedRefused },
  { ref: 'S7', scenario: doubleDrain },
  { ref: 'S7', scenario: idempotentDrain },
  { ref: 'S8', scenario: unrevokeBeforeRearm },
  { ref: 'S8', scenario: unrevokeAfterRearm },
  { ref: 'S10', scenario: fenceSeqnoRegression },
  { ref: 'S10', scenario: fenceSeqnoChecked },
  { ref: 'S11', scenario: addWithoutReserve },
  { ref: 'S11', scenario: addAfterReserve },
  { ref: 'S18', scenario: invalidateWithoutLock },
  { ref: 'S18', scenario: invalidateUnderLock },
  { ref: 'S20', scenario: iommufdUnwindLeak },
  { ref: 'S20', scenario: iommufdUnwind },
  { ref: 'S23', scenario: namespaceMissingImport },
  { ref: 'S23', scenario: namespaceImported },
  { ref: 'S16', scenario: abbaNoCtx },
  { ref: 'S16', scenario: abbaWwBackoff },
  { ref: 'S17', scenario: recursiveResvLock },
  { ref: 'S17', scenario: resvLockOnce },
  { ref: 'S19', scenario: waitInSignalling },
  { ref: 'S19', scenario: signalOutsideLock },
  { ref: 'G5', scenario: preemptFenceLocked },
  { ref: 'G5', scenario: preemptFence },
  { ref: 'S14', scenario: pollWithoutFileRef },
  { ref: 'S14', scenario: pollFileRef },
  { ref: 'MMAP', scenario: mmapRevokeNoZap },
  { ref: 'MMAP', scenario: mmapRevokeZap },
  { ref: 'MMAP', scenario: mmapRevokeFaultUnlocked },
  { ref: 'IRQ', scenario: fenceCbLockIrqUnsafe },
  { ref: 'IRQ', scenario: fenceCbLockIrqsave },
];

/** The catalog scenario named `name`; undefined when the catalog has none (each caller refuses the
 *  name with its own error code: the CLI's ERR_SCENARIO, a bench script's ERR_BAD_OPTION). */
export function catalogScenarioNamed(name: string): AnyScenario | undefined {
  return CATALOG.find((e) => e.scenario.name === name)?.scenario;
}
