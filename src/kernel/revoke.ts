/**
 * Revocation as the detectors see it: annotations an exporter model makes at the points the
 * protocol gives meaning to (like lockdep annotations, they change no kernel state).
 *
 * revoke_complete: the exporter has invalidated and waited for the importers' fences — the point
 * after which, by the revoke contract, an importer may only do speculative read-and-discard until
 * it unmaps. Any non-speculative device access through the buffer's mappings from here on is a
 * use-after-revoke (reads included: only hardware read-ahead is tolerated). Reaching it while
 * fences are still unsignaled in the reservation object breaks the protocol (BOOKKEEP covers every
 * importer access) and is reported at once. It is traced as EV_REVOKE_COMPLETE (aux 1: fences were
 * still pending).
 *
 * revoke_return: the exporter's revoke of the buffer returns to its caller (after its unmap wait,
 * when it has one). By the revoke contract (kernel-semantics §4.8) the exporter may reset, reuse
 * or free the memory from here, so every importer mapping must be unmapped by now (§8 item 6;
 * S3, S21: a revoke that skips or times out its unmap wait). Exporter models call it where their
 * revoke ends — VFIO at the end of each buffer's move — before they reuse anything, and after
 * their zap of user mmaps: from here a CPU access through a vma of the buffer is a finding too
 * (cpu_mapping.ts vma_revoke_returned), until revoke_cleared.
 */
import { C_STEP, DB_REVOKED_BY, DB_REVOKE_STEP, packOp } from '../shm/layout.js';
import { EV_REVOKE_COMPLETE } from '../trace/ops.js';
import { vma_revoke_cleared, vma_revoke_returned } from './cpu_mapping.js';
import { dma_buf_resv, type DmaBuf } from './dma_buf.js';
import { DMA_RESV_USAGE_BOOKKEEP } from './dma_resv.js';
import { dma_resv_test_signaled } from './dma_resv_query.js';
import { dmabuf_live_mappings } from './live_mappings.js';
import type { Task } from './task.js';

export function revoke_complete(t: Task, db: DmaBuf): void {
  const d = t.arena.dmabuf(db);
  const pending = !dma_resv_test_signaled(t, dma_buf_resv(t, db), DMA_RESV_USAGE_BOOKKEEP);
  if (pending) t.warn('REVOKE_FENCES_PENDING', db);
  t.i32[d + DB_REVOKE_STEP] = t.i32[t.ctl + C_STEP]!;
  t.trace(packOp(EV_REVOKE_COMPLETE, db), pending ? 1 : 0);
  Atomics.store(t.i32, d + DB_REVOKED_BY, t.id + 1);
}

/**
 * revoke_return(db, warned): the exporter's revoke of `db` returns. Every user vma of `db` is
 * stamped revoked (vma_revoke_returned: a CPU access through it is judged from here). Any live
 * importer mapping of `db` (valid, or redirected to the nirvana page: live_mappings.ts) WARNs
 * REVOKE_LIVE_MAPPINGS once for the buffer, naming the first in IOMMU-table order (aux [mapper + 1,
 * map step, attachment + 1, live mappings]) — unless `warned`: the exporter's revoke already
 * printed a kernel WARN about these same outstanding mappings (VFIO v5's timed unmap wait,
 * VFIO_UNMAP_TIMEOUT), and this check, which is the model's and prints nothing in the kernel, would
 * report that one cause again. A later reuse of the memory is another kernel event and is still
 * reported (REUSE_BEFORE_UNMAP). Returns the number of live mappings (0: the contract holds),
 * warned or not. Context: the exporter's task, after its zap of user mmaps (under the lock the zap
 * takes, when it has one), any other locks; no sleeping; changes no kernel state.
 */
export function revoke_return(t: Task, db: DmaBuf, warned = false): number {
  vma_revoke_returned(t, db);
  const live = dmabuf_live_mappings(t, db);
  const m = live[0];
  if (m !== undefined && !warned) t.warn('REVOKE_LIVE_MAPPINGS', db, 0, [m.by, m.step, m.attach, live.length]);
  return live.length;
}

/** The buffer is usable again (un-revoke after reset): importers and the CPU, through its user
 *  vmas (vma_revoke_cleared), may reach it. */
export function revoke_cleared(t: Task, db: DmaBuf): void {
  Atomics.store(t.i32, t.arena.dmabuf(db) + DB_REVOKED_BY, 0);
  vma_revoke_cleared(t, db);
}
