/**
 * The arena map: where every region starts for one geometry (the order is the index's map,
 * layout.ts). Each region's stride comes from its own file; this file only places them.
 */

import { ACTOR_WORDS, CACHE_LINE_WORDS } from './actors.js';
import { ATTACH_WORDS } from './attachments.js';
import { CONTROL_WORDS } from './control.js';
import { DECISION_WORDS } from './decisions.js';
import { DEVICE_WORDS } from './devices.js';
import { DMABUF_WORDS } from './dma_bufs.js';
import { CB_WORDS } from './fence_callbacks.js';
import { FENCE_WORDS } from './fences.js';
import { FINDING_WORDS } from './findings.js';
import { rowBits } from './handles.js';
import { HEADER_WORDS, type Geometry } from './header.js';
import { IOVA_WORDS } from './iovas.js';
import { JOB_WORDS } from './jobs.js';
import { lockdepSize } from './lockdep.js';
import { MODULE_WORDS } from './modules.js';
import { MUTEX_WORDS } from './mutexes.js';
import { PAGE_WORDS } from './pages.js';
import { PRIV_BLOCK_WORDS } from './priv_blocks.js';
import { privShadowWords } from './priv_shadow.js';
import { R_SLOTS, SLOT_WORDS } from './resvs.js';
import { SCHED_WORDS } from './sched.js';
import { EVENT_WORDS } from './trace_rings.js';
import { CLASS_WORDS } from './ww_classes.js';
import { CTX_WORDS } from './ww_ctxs.js';
import { VMA_ROWS, VMA_WORDS } from './vmas.js';

/** Base index of every region for one geometry. */
export interface Layout {
  readonly geometry: Geometry;
  readonly control: number;
  readonly sched: number;
  readonly actors: number;
  readonly mutexes: number;
  readonly classes: number;
  readonly ctxs: number;
  readonly fences: number;
  readonly callbacks: number;
  readonly resvs: number;
  readonly resvWords: number;
  readonly findings: number;
  readonly user: number;
  readonly dmabufs: number;
  readonly attachments: number;
  readonly pages: number;
  readonly iovas: number;
  readonly devices: number;
  readonly jobs: number;
  readonly modules: number;
  /** The CPU mappings' table (vmas.ts). */
  readonly vmas: number;
  readonly priv: number;
  /** The private words' poison bitmap (priv_shadow.ts). */
  readonly privShadow: number;
  /** The private words' block records, one row per private word (priv_blocks.ts). */
  readonly privBlocks: number;
  /** Row bits of fence and DMA address handles (see HANDLE_BITS). */
  readonly fenceRowBits: number;
  readonly iovaRowBits: number;
  /** Lock-dependency validator state: survives trial resets (edges are kept across trials). */
  readonly lockdep: number;
  readonly lockdepWords: number;
  readonly decisions: number;
  readonly trace: number;
  /** First word that a trial reset leaves alone (the trace rings are reset by their heads). */
  readonly resetEnd: number;
  readonly words: number;
}

export function computeLayout(g: Geometry): Layout {
  let at = HEADER_WORDS;
  const take = (n: number): number => { const base = at; at += n; return base; };
  const control = take(CONTROL_WORDS);
  const sched = take(SCHED_WORDS);
  at = Math.ceil(at / CACHE_LINE_WORDS) * CACHE_LINE_WORDS;
  const actors = take(g.actors * ACTOR_WORDS);
  const mutexes = take(g.mutexes * MUTEX_WORDS);
  const classes = take(g.classes * CLASS_WORDS);
  const ctxs = take(g.ctxs * CTX_WORDS);
  const fences = take(g.fences * FENCE_WORDS);
  const callbacks = take(g.callbacks * CB_WORDS);
  const resvWords = R_SLOTS + g.resvSlots * SLOT_WORDS;
  const resvs = take(g.resvs * resvWords);
  const findings = take(g.findings * FINDING_WORDS);
  const user = take(g.userWords);
  const dmabufs = take(g.dmabufs * DMABUF_WORDS);
  const attachments = take(g.attachments * ATTACH_WORDS);
  const pages = take(g.pages * PAGE_WORDS);
  const iovas = take(g.iovas * IOVA_WORDS);
  const devices = take(g.devices * DEVICE_WORDS);
  const jobs = take(g.jobs * JOB_WORDS);
  const modules = take(g.modules * MODULE_WORDS);
  const vmas = take(VMA_ROWS * VMA_WORDS);
  const priv = take(g.privWords);
  const privShadow = take(privShadowWords(g.privWords));
  const privBlocks = take(g.privWords * PRIV_BLOCK_WORDS);
  const resetEnd = at;
  const lockdepWords = lockdepSize(g);
  const lockdep = take(lockdepWords);
  const decisions = take(g.decisions * DECISION_WORDS);
  const trace = take(g.actors * g.traceEvents * EVENT_WORDS);
  return {
    geometry: g, control, sched, actors, mutexes, classes, ctxs, fences, callbacks, resvs,
    resvWords, findings, user, dmabufs, attachments, pages, iovas, devices, jobs, modules, vmas, priv, privShadow,
    privBlocks, lockdep,
    lockdepWords, decisions, trace, resetEnd, words: at,
    fenceRowBits: rowBits(g.fences), iovaRowBits: rowBits(g.iovas),
  };
}
