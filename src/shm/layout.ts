/**
 * The arena layout: the ONE place that knows an offset, with the files of `layout/` (one per
 * region) it re-exports. Import offsets from here, never from a region file.
 *
 * The arena is a single SharedArrayBuffer viewed as an Int32Array. Every region below is a table
 * of fixed-stride records; an object id is its row. All offsets are Int32 indices. Each field
 * says who writes it, who reads it and, where a futex is involved, which wait pairs with which
 * notify. "Turn holder" means the one actor allowed to run in `inline`/`controlled` execution
 * (in `stress` several actors run at once, and the fields marked "atomic" are the ones they race
 * on; those are accessed only with Atomics).
 *
 * The arena map, in order (arena_map.ts computeLayout places the regions; g is the Geometry, and
 * each region's file sets its stride):
 *
 *   region       words                                          file
 *   header       HEADER_WORDS                                   header.ts (and the Geometry)
 *   control      CONTROL_WORDS                                  control.ts
 *   sched        SCHED_WORDS                                    sched.ts
 *                (padding to the next cache line, CACHE_LINE_WORDS)
 *   actors       g.actors × ACTOR_WORDS                         actors.ts
 *   mutexes      g.mutexes × MUTEX_WORDS                        mutexes.ts
 *   classes      g.classes × CLASS_WORDS                        ww_classes.ts
 *   ctxs         g.ctxs × CTX_WORDS                             ww_ctxs.ts
 *   fences       g.fences × FENCE_WORDS                         fences.ts
 *   callbacks    g.callbacks × CB_WORDS                         fence_callbacks.ts
 *   resvs        g.resvs × (R_SLOTS + g.resvSlots × SLOT_WORDS) resvs.ts
 *   findings     g.findings × FINDING_WORDS                     findings.ts
 *   user         g.userWords                                    (no fields)
 *   dmabufs      g.dmabufs × DMABUF_WORDS                       dma_bufs.ts
 *   attachments  g.attachments × ATTACH_WORDS                   attachments.ts
 *   pages        g.pages × PAGE_WORDS                           pages.ts
 *   iovas        g.iovas × IOVA_WORDS                           iovas.ts
 *   devices      g.devices × DEVICE_WORDS                       devices.ts
 *   jobs         g.jobs × JOB_WORDS                             jobs.ts
 *   modules      g.modules × MODULE_WORDS                       modules.ts
 *   vmas         VMA_ROWS × VMA_WORDS                           vmas.ts
 *   priv         g.privWords                                    (no fields)
 *   privShadow   privShadowWords(g.privWords)                   priv_shadow.ts
 *   privBlocks   g.privWords × PRIV_BLOCK_WORDS                 priv_blocks.ts
 *                resetEnd: a trial reset zeroes control up to here, except the scheduler words
 *                from SCHED_PERSIST on and the rows of each cursor table past the prefix a
 *                trial took (cursor_tables.ts: its cursor, or its first row with a zero key)
 *   lockdep      lockdepSize(g)                                 lockdep.ts
 *   decisions    g.decisions × DECISION_WORDS                   decisions.ts
 *   trace        g.actors × g.traceEvents × EVENT_WORDS         trace_rings.ts
 *
 * User words are scenario-owned flags and counters, written and read by actors and fence
 * callbacks through Task.load/store/add (atomic). Driver-private words are kzalloc'd driver state
 * (krefs, completions, flags; kernel/priv.ts). Beside the regions: handles.ts (generation
 * handles of reclaimed rows), packed_op.ts (what an actor yields), words_fit.ts (the load-time
 * guard for hand-placed words).
 *
 * Every name is re-declared below rather than re-exported with `export *`: an importer then reads
 * a constant through one binding, as when this was one file. Vitest's module runner turns each
 * re-export hop into a getter call, which made a hot model loop (iova_settled's spin) about four
 * times slower under test. A slot added to a region file is added to its line here too
 * (test/unit/shm/layout_index.test.ts checks that none is missing). layout_digest.ts digests every
 * name exported here for replay files: it imports this index, so import it from there.
 */

import * as header from './layout/header.js';
import * as handles from './layout/handles.js';
import * as words_fit from './layout/words_fit.js';
import * as control from './layout/control.js';
import * as sched from './layout/sched.js';
import * as actors from './layout/actors.js';
import * as mutexes from './layout/mutexes.js';
import * as ww_classes from './layout/ww_classes.js';
import * as ww_ctxs from './layout/ww_ctxs.js';
import * as fences from './layout/fences.js';
import * as fence_callbacks from './layout/fence_callbacks.js';
import * as resvs from './layout/resvs.js';
import * as findings from './layout/findings.js';
import * as dma_bufs from './layout/dma_bufs.js';
import * as attachments from './layout/attachments.js';
import * as pages from './layout/pages.js';
import * as iovas from './layout/iovas.js';
import * as devices from './layout/devices.js';
import * as jobs from './layout/jobs.js';
import * as modules from './layout/modules.js';
import * as vmas from './layout/vmas.js';
import * as lockdep from './layout/lockdep.js';
import * as decisions from './layout/decisions.js';
import * as trace_rings from './layout/trace_rings.js';
import * as arena_map from './layout/arena_map.js';
import * as cursor_tables from './layout/cursor_tables.js';
import * as priv_blocks from './layout/priv_blocks.js';
import * as priv_shadow from './layout/priv_shadow.js';
import * as packed_op from './layout/packed_op.js';

export const {
  ARENA_MAGIC, LAYOUT_VERSION, DEFAULT_GEOMETRY, MAX_ACTORS, MAX_OBJECTS, H_MAGIC, H_VERSION, H_WORDS, H_GEOMETRY,
  GEOMETRY_KEYS, HEADER_WORDS,
} = header;
export const { HANDLE_BITS, rowBits } = handles;
export const { assertWordsFit } = words_fit;
export const {
  C_STATE, C_STEP_LIMIT, C_NACTORS, C_MODE, C_TRIAL, C_END_ACTOR, C_END_DETAIL, C_REPLAY_LEN, C_DONE, C_NEXT_MUTEX,
  C_NEXT_CLASS, C_NEXT_CTX, C_NEXT_FENCE, C_NEXT_CB, C_NEXT_RESV, C_FENCE_CONTEXT, C_TICKET, C_NFINDINGS,
  C_DIVERGE_OP, C_WAIT_POLICY, C_KERNEL, C_NEXT_DMABUF, C_NEXT_ATTACH, C_NEXT_IOVA, C_NEXT_JOB, C_NEXT_PRIV,
  C_NEXT_DEVICE, C_QUIRKS, C_FREE_FENCE, C_FREE_FENCE_TAIL, C_FENCE_LOCK, C_FREE_IOVA, C_FREE_IOVA_TAIL,
  C_IOVA_LOCK, C_FREE_PRIV, C_FREE_CB, C_WARNED, WARNED_WORDS, C_FINDINGS_LOST, warnedWord, warnedBit, WARNED_CODES,
  C_SPIN_CORES, C_STOP, C_TURN_LINE, C_STEP, C_TURN, C_EVSEQ, C_CLOCK, C_AWAKE, CONTROL_WORDS, TRIAL_IDLE,
  TRIAL_RUNNING, TRIAL_DONE, TRIAL_DEADLOCK, TRIAL_STEP_LIMIT, TRIAL_CRASH, TRIAL_BUG, TRIAL_DIVERGED,
  TRIAL_ABORTED, EXEC_INLINE, EXEC_CONTROLLED, EXEC_STRESS, QUIRK_RESV_NO_SEQNO_CHECK, QUIRK_RESV_STRICT_LATER,
  QUIRK_RESV_WAIT_ZERO_SLEEPS, QUIRK_POLL_NO_FILE_REF, QUIRK_POLL_ALWAYS_PUT, KERNEL_FINAL, KERNEL_V3, WAIT_SPIN, WAIT_SLEEP, WAIT_ADAPT,
} = control;
export const { SCHED_WORDS, SCHED_PERSIST } = sched;
export const {
  A_STATE, A_STALLS, A_WAIT_KIND, A_WAIT_OBJ, A_WAIT_FLAGS, A_WAIT_DEADLINE, A_WAIT_CTX, A_WAIT_TICKET, A_SIGPENDING, A_WAIT_SITE, A_SEAT,
  A_GRANT_STEP, A_OP, A_EVCOUNT, A_HELD, A_SIGNALLING, A_TID, A_SPIN, A_HARDIRQ, A_IRQS_OFF, ACTOR_WORDS, CACHE_LINE_WORDS, ACTOR_NEW, ACTOR_READY,
  ACTOR_BLOCKED, ACTOR_DONE, WAITK_NONE, WAITK_MUTEX, WAITK_FENCE, WAITK_SLEEP, WAITK_WORD, WAITF_TIMED, WAITF_INTR,
  WAITF_USEC,
} = actors;
export const {
  M_OWNER, M_CTX, M_CLASS, M_WAITERS, M_KEY, M_FLAGS, M_WAIT_LOCK, M_STALE, MUTEX_WORDS, MUTEXF_LIVE,
} = mutexes;
export const { W_STAMP, W_WAIT_DIE, CLASS_WORDS } = ww_classes;
export const {
  X_STAMP, X_ACQUIRED, X_WOUNDED, X_DONE, X_CLASS, X_OWNER, X_CONTENDING, X_STATE, CTX_WORDS, CTXS_FREE, CTXS_LIVE,
  CTXS_FINI,
} = ww_ctxs;
export const {
  F_FLAGS, F_CONTEXT, F_SEQNO_LO, F_SEQNO_HI, F_ERROR, F_TIMESTAMP, F_REFCOUNT, F_OPS, F_CB_HEAD, F_CB_TAIL,
  F_SIGNALER, F_LOCK, F_GEN, F_NEXT_FREE, F_PRIV, FENCE_WORDS, FENCEF_LIVE, FENCEF_SIGNALED, FENCEF_ENABLE_SIGNAL,
  FENCEF_SEQNO64, FENCEF_TIMESTAMP, FENCEF_WAITERS, FOPS_ENABLE_SIGNALS, FOPS_ARRAY, FOPS_CHAIN, FOPS_USER, FOPS_USER_SHIFT,
} = fences;
export const { B_FENCE, B_NEXT, B_FN, B_ARG, B_STATE, CB_WORDS, CBS_IDLE, CBS_PENDING, CBS_RUN } = fence_callbacks;
export const {
  R_LOCK, R_LIST, R_MAX, R_FLAGS, R_NUM, RESV_LISTS, R_SLOTS, SLOT_WORDS, RESVF_LIVE, resvEntry, entryFence, entryUsage,
} = resvs;
export const {
  G_CODE, G_ACTOR, G_STEP, G_OBJ, G_ARG, G_AUX, FINDING_AUX_WORDS, G_REPEATS, FINDING_WORDS, FINDING_FILLING,
} = findings;
export const {
  DB_FLAGS, DB_RESV, DB_SIZE, DB_OPS, DB_PRIV, DB_FILEREFS, DB_VMAP_COUNT, DB_REVOKED_BY, DB_REVOKE_STEP,
  DB_OWNER, DB_POLL_LOCK, DB_POLL_WAKE, DB_POLL_IN_ACTIVE, DB_POLL_OUT_ACTIVE, DB_POLL_IN_CB, DB_POLL_OUT_CB,
  DMABUF_WORDS, DBF_LIVE, DBF_RELEASED, DBF_OWN_RESV,
} = dma_bufs;
export const {
  AT_DMABUF, AT_DEV, AT_IOPS, AT_P2P, AT_PRIV, AT_IPRIV, AT_FLAGS, AT_PINS, AT_MAPS, AT_LINK_SEQ, ATTACH_WORDS,
  ATF_LINKED, ATF_FREED,
} = attachments;
export const {
  PG_STATE, PG_OWNER, PG_GEN, PG_FREED_BY, PG_FREED_STEP, PG_ALLOC_BY, PAGE_WORDS, PGS_FREE, PGS_OWNED, PGS_NIRVANA,
  PGS_QUARANTINED, PGS_MOVING, PGS_FREEING,
} = pages;
export const {
  IO_STATE, IO_PAGE, IO_GEN, IO_ATTACH, IO_DEV, IO_MAPPED_BY, IO_MAP_STEP, IO_CHANGED_BY, IO_CHANGE_STEP, IO_HGEN,
  IO_NEXT_FREE, IO_LEN, IO_PREV_MAPPED_BY, IO_PREV_MAP_STEP, IO_PREV_CHANGED_BY, IO_PREV_CHANGE_STEP, IOVA_WORDS,
  IOS_FREE, IOS_VALID, IOS_NIRVANA, IOS_UNMAPPED, IOS_UNMAPPING, IOS_REDIRECTING,
} = iovas;
export const { DV_STATE, DV_REMOVED_BY, DV_REMOVED_STEP, DEVICE_WORDS, DVS_BOUND, DVS_REMOVED } = devices;
export const {
  JB_STATE, JB_IOVA, JB_PAGES, JB_WRITE, JB_FENCE, JB_RUN_FENCE, JB_ENGINE, JB_SEQ, JOB_WORDS, JOBS_FREE,
  JOBS_QUEUED, JOBS_RUNNING, JOBS_DONE,
} = jobs;
export const { MOD_REFCNT, MODULE_WORDS } = modules;
export const {
  VMA_ROWS, VMA_MAX_PTES, VM_OWNER, VM_DMABUF, VM_UNMAPPED, VM_MMAP_FAILED, VM_PGOFF, VM_PAGES, VM_FAULT_BY, VM_FAULT_STEP,
  VM_FLAGS, VM_REVOKED_BY, VM_REVOKE_STEP,
  VM_PTES, PTE_PAGE, PTE_GEN, PTE_WORDS, VMA_WORDS,
} = vmas;
export const { lockdepSize } = lockdep;
export const { D_ACTOR, D_OP, DECISION_WORDS } = decisions;
export const { T_SEQ, T_OP, T_AUX, T_RET, T_STEP, EVENT_WORDS } = trace_rings;
export const { computeLayout } = arena_map;
export const { cursorTables } = cursor_tables;
export const { PRIV_SHADOW_BITS, PRIV_SHADOW_SHIFT, privShadowWords } = priv_shadow;
export const { PB_LEN, PB_ALLOC_BY, PB_ALLOC_SITE, PB_FREE_BY, PB_FREE_SITE, PRIV_BLOCK_WORDS } = priv_blocks;
export const { packOp, opOf, objOf } = packed_op;
export type { Geometry } from './layout/header.js';
export type { Layout } from './layout/arena_map.js';
export type { CursorTable } from './layout/cursor_tables.js';
