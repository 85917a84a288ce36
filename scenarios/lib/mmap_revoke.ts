/**
 * Revoke against CPU access through a user mmap of a VFIO dma-buf (kernel-semantics §4.9, last
 * bullet: Matt Evans's in-flight 2026 series adds VFIO dma-buf mmap, and its revoke path zaps the
 * CPU PTEs with unmap_mapping_range; not a §6 reference). The user mmaps the buffer and touches
 * its first page (the fault handler installs the PTE), then touches it again while VFIO disables
 * the device's memory (PCI_COMMAND_MEMORY cleared: every buffer of the device revoked). With the
 * zap a touch after it faults and the fault handler, under memory_lock, refuses with SIGBUS
 * (-EFAULT); without it the stale PTE lets the CPU reach the revoked BAR: CPU_USE_AFTER_REVOKE
 * ('use-after-revoke in cpu_access') once the revoke completed.
 *
 * Actors: `vfio` (holds the export's file reference; waits for MAPPED, then disables memory),
 * `user` (holds one more: mmaps, touches, posts MAPPED, touches TOUCHES more times, or — with
 * `afterRevoke` — once, after REVOKED). The model's vma takes no file reference of its own.
 * Words: MR.* below.
 */
import { vfio_pci_set_memory_enabled } from '../../src/drivers/vfio_memory.js';
import { VFIO_FINAL, type VfioKnobs } from '../../src/drivers/vfio_knobs.js';
import { VFIO_PCI_CORE } from '../../src/drivers/modules.js';
import type { VfioDmaBuf } from '../../src/drivers/vfio_dmabuf.js';
import { defineScenario, type ActorDef } from '../../src/exec/scenario.js';
import {
  cond_resched, cpu_access, dma_buf_mmap, vm_area_alloc, wait_event, wake_up_word, type KGen, type Task, type Vma,
} from '../../src/kernel/index.js';
import { dmabufRefsFor, eachHoldingDmaBufRef } from './dmabuf_refs.js';
import { vfioExport } from './vfio_export.js';

/** MAPPED: the user's first touch is done; REVOKED: memory disabled; MMAP / FIRST / LAST: what
 *  dma_buf_mmap, the first touch and the last touch returned, + 1000 (0: not run). */
export const MR = { MAPPED: 0, REVOKED: 1, MMAP: 2, FIRST: 3, LAST: 4 } as const;
/** Touches of the mapped page while the revoke runs (the race). */
const TOUCHES = 3;
/** Pages of the buffer and of the mapping. */
const PAGES = 2;

function* awaitWord(t: Task, word: number): KGen<void> {
  yield* wait_event(t, t.arena.layout.user + word, 0);
}

function postWord(t: Task, word: number): void {
  t.store(word, 1);
  wake_up_word(t, t.arena.layout.user + word);
}

/** The user: mmap the whole buffer, touch page 0, post MAPPED, touch it again (see the file's doc). */
function* user(t: Task, e: VfioDmaBuf, afterRevoke: boolean): KGen<void> {
  const vma = vm_area_alloc(t, PAGES) as Vma;
  const ret = yield* dma_buf_mmap(t, e.db, vma, 0);
  t.store(MR.MMAP, ret + 1000);
  if (ret < 0) { postWord(t, MR.MAPPED); return; }
  t.store(MR.FIRST, (yield* cpu_access(t, vma, 0, true)) + 1000);
  postWord(t, MR.MAPPED);
  if (afterRevoke) yield* awaitWord(t, MR.REVOKED);
  for (let i = 0; i < (afterRevoke ? 1 : TOUCHES); i++) {
    yield* cond_resched(t, i);
    t.store(MR.LAST, (yield* cpu_access(t, vma, 0, false)) + 1000);
  }
}

/** What the user's touches through a stale PTE find: the BAR revoked, or (the revoke reusing the
 *  device memory) re-assigned; nothing when the revoke zaps. */
function expected(k: VfioKnobs): 'clean' | 'use-after-revoke' | 'use-after-free' {
  if (k.zap !== 'none') return 'clean';
  return k.memoryAfterRevoke === 'reuse' ? 'use-after-free' : 'use-after-revoke';
}

/** The pair's scenario with the final knobs and `knobs` over them; `afterRevoke` the handshake
 *  variant (tests). */
export function mmapRevokeScenario(name: string, module: string, over: Partial<VfioKnobs>, afterRevoke = false) {
  const knobs: VfioKnobs = { ...VFIO_FINAL, ...over };
  return defineScenario({
    name, module, revision: 1, expect: expected(knobs), params: {}, modules: [VFIO_PCI_CORE],
    description: knobs.zap === 'none' ? 'revoke leaves the CPU PTEs of a user mmap' : 'revoke zaps the CPU PTEs (unmap_mapping_range)',
    setup: (t): VfioDmaBuf => {
      const e = vfioExport(t, name, PAGES, knobs);
      dmabufRefsFor(t, e.db, 1);
      return e;
    },
    actors: (): ActorDef<VfioDmaBuf>[] => eachHoldingDmaBufRef<VfioDmaBuf>([
      { name: 'vfio', *run(t, e) {
        yield* awaitWord(t, MR.MAPPED);
        yield* vfio_pci_set_memory_enabled(t, e.vdev, false);
        postWord(t, MR.REVOKED);
      } },
      { name: 'user', run: (t, e) => user(t, e, afterRevoke) },
    ], (e) => e.db),
  });
}
