/**
 * Revoke against CPU access through a user mmap of a VFIO dma-buf (kernel-semantics §4.9, last
 * bullet: Matt Evans's in-flight 2026 series adds VFIO dma-buf mmap, and its revoke path zaps the
 * CPU PTEs with unmap_mapping_range, last in the move; not a §6 reference). The user mmaps the
 * buffer, posts MAPPED and touches its first page while VFIO disables the device's memory
 * (PCI_COMMAND_MEMORY cleared: every buffer of the device revoked): the first touch's fault races
 * the revoke, the later touches its return. With the zap and the fault handler checking `revoked`
 * under memory_lock a touch after the move faults and gets SIGBUS (-EFAULT); without the zap the
 * stale PTE, and with the check made before the lock (knob fault: 'check-unlocked') a PTE
 * installed after the zap, let the CPU reach the revoked BAR: CPU_USE_AFTER_REVOKE
 * ('use-after-revoke in cpu_access') once the move returned.
 *
 * Actors: `vfio` (holds the export's file reference; waits for MAPPED, then disables memory),
 * `user` (holds one more: userRace, or a handshake body in tests), and any `others` (one more
 * reference each). The user's vma holds a file reference of its own (dma_buf_mmap's
 * vma_set_file) until the user's vm_munmap, last in its body. Words: MR.* below.
 */
import { vfio_pci_set_memory_enabled } from '../../src/drivers/vfio_memory.js';
import { VFIO_FINAL, type VfioKnobs } from '../../src/drivers/vfio_knobs.js';
import { VFIO_PCI_CORE } from '../../src/drivers/modules.js';
import type { VfioDmaBuf } from '../../src/drivers/vfio_dmabuf.js';
import { defineScenario, type ActorDef } from '../../src/exec/scenario.js';
import { EFAULT } from '../../src/errno/errno.js';
import {
  cond_resched, cpu_access, dma_buf_mmap, vm_area_alloc, vm_munmap, type KGen, type Task, type Vma,
} from '../../src/kernel/index.js';
import { dmabufRefsFor, eachHoldingDmaBufRef } from './dmabuf_refs.js';
import { awaitWord, postWord } from './user_words.js';
import { vfioExport } from './vfio_export.js';

/** MAPPED: the user mapped (race) or made its first touch (handshakes); REVOKED: memory
 *  disabled; MMAP / FIRST / LAST: what dma_buf_mmap, the first touch and the last touch returned,
 *  + 1000 (0: not run); OKS / SIGBUS: touches that went through a PTE (0) / got SIGBUS (-EFAULT). */
export const MR = { MAPPED: 0, REVOKED: 1, MMAP: 2, FIRST: 3, LAST: 4, OKS: 5, SIGBUS: 6 } as const;
/** Touches of the mapped page while the revoke runs (the race). */
const TOUCHES = 3;
/** Pages of the buffer and of the mapping. */
const PAGES = 2;

/**
 * mmap the whole buffer (MR.MMAP records the return): the vma, or undefined when vm_area_alloc
 * ran out of rows (-ENOMEM, recorded) or the mmap failed.
 */
export function* mmapWhole(t: Task, e: VfioDmaBuf): KGen<Vma | undefined> {
  const vma = vm_area_alloc(t, PAGES);
  const ret = vma < 0 ? vma : yield* dma_buf_mmap(t, e.db, vma as Vma, 0);
  t.store(MR.MMAP, ret + 1000);
  return ret < 0 ? undefined : vma as Vma;
}

/** Touch page 0 of `vma` and record the outcome (MR.FIRST once, MR.LAST, MR.OKS / MR.SIGBUS). */
export function* touch(t: Task, vma: Vma, write: boolean): KGen<number> {
  const ret = yield* cpu_access(t, vma, 0, write);
  if (t.load(MR.FIRST) === 0) t.store(MR.FIRST, ret + 1000);
  t.store(MR.LAST, ret + 1000);
  if (ret === 0) t.add(MR.OKS); else if (ret === -EFAULT) t.add(MR.SIGBUS);
  return ret;
}

/** The race (the catalog pair): mmap, post MAPPED, then TOUCHES touches — the first one's fault
 *  races the revoke's zap, the later ones its return —, then munmap. */
export function* userRace(t: Task, e: VfioDmaBuf): KGen<void> {
  const vma = yield* mmapWhole(t, e);
  postWord(t, MR.MAPPED);
  if (vma === undefined) return;
  for (let i = 0; i < TOUCHES; i++) {
    yield* cond_resched(t, i);
    yield* touch(t, vma, i === 0);
  }
  yield* vm_munmap(t, vma);
}

/** The handshake: mmap, touch (the PTE installed), post MAPPED, touch once after REVOKED, munmap. */
export function* userAfterRevoke(t: Task, e: VfioDmaBuf): KGen<void> {
  const vma = yield* mmapWhole(t, e);
  if (vma !== undefined) yield* touch(t, vma, true);
  postWord(t, MR.MAPPED);
  if (vma === undefined) return;
  yield* awaitWord(t, MR.REVOKED);
  yield* touch(t, vma, false);
  yield* vm_munmap(t, vma);
}

/** What the user's touches through a stale PTE find: the BAR revoked, or (the revoke reusing the
 *  device memory) re-assigned; nothing when the revoke zaps and the fault handler checks under
 *  memory_lock. */
function expected(k: VfioKnobs): 'clean' | 'use-after-revoke' | 'use-after-free' {
  if (k.zap !== 'none' && k.fault === 'locked') return 'clean';
  return k.memoryAfterRevoke === 'reuse' ? 'use-after-free' : 'use-after-revoke';
}

/** The user's body and any other actors (an importer: tests) beside `vfio`. */
export interface MmapRevokeShape {
  readonly user: (t: Task, e: VfioDmaBuf) => KGen<void>;
  readonly others?: readonly ActorDef<VfioDmaBuf>[];
}

/** The pair's scenario with the final knobs and `knobs` over them; `shape` the user's body (the
 *  race by default; handshake variants in tests). */
export function mmapRevokeScenario(name: string, module: string, over: Partial<VfioKnobs>, shape: MmapRevokeShape = { user: userRace }) {
  const knobs: VfioKnobs = { ...VFIO_FINAL, ...over };
  const others = shape.others ?? [];
  return defineScenario({
    name, module, revision: 2, expect: expected(knobs), params: {}, modules: [VFIO_PCI_CORE],
    description: describe(knobs),
    setup: (t): VfioDmaBuf => {
      const e = vfioExport(t, name, PAGES, knobs);
      dmabufRefsFor(t, e.db, 1 + others.length);
      return e;
    },
    actors: (): ActorDef<VfioDmaBuf>[] => eachHoldingDmaBufRef<VfioDmaBuf>([
      { name: 'vfio', *run(t, e) {
        yield* awaitWord(t, MR.MAPPED);
        yield* vfio_pci_set_memory_enabled(t, e.vdev, false);
        postWord(t, MR.REVOKED);
      } },
      { name: 'user', run: shape.user },
      ...others,
    ], (e) => e.db),
  });
}

function describe(k: VfioKnobs): string {
  if (k.zap === 'none') return 'revoke leaves the CPU PTEs of a user mmap';
  if (k.fault === 'check-unlocked') return 'mmap fault handler checks revoked before taking memory_lock (2024 RFC)';
  return 'revoke zaps the CPU PTEs (unmap_mapping_range) and the fault handler checks revoked under memory_lock';
}
