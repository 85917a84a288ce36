/**
 * The canonical revoke scenario made free-running, for `dmabuf-harness stress`: a VFIO exporter
 * (final knobs: BOOKKEEP fence wait, then block until every unmap) revokes and un-revokes its
 * buffer every `revokeEveryMs` from the moment every importer has attached, while `importers`
 * dynamic importers (scenarios/lib/stress_importer.ts) keep DMA jobs of `jobPages` pages in flight
 * on `engines` DMA engines (importer i on engine i mod engines). Expected: clean. Not in the
 * hunting catalog: its actors loop until the stress executor asks them to stop.
 *
 * The model reclaims released fences and unmapped DMA addresses (kernel/dma_fence_alloc.ts,
 * kernel/iova_alloc.ts), so a trial runs until the stress executor asks the actors to stop: an
 * importer keeps at most `depth` fences of its own and one mapping alive. With `rounds` > 0 the
 * exporter winds the trial down after that many revokes, and with `jobs` > 0 an importer does
 * after that many jobs. Under the inline and controlled executors nothing asks the actors to
 * stop, so a trial ends under every strategy only with both (STRESS_REVOKE_SCHEDULED_RULES: they
 * refuse either at 0): with the defaults every trial runs to the 20,000-step limit; with `rounds`
 * alone PCT may never let the sleeping exporter run while the importers keep submitting, and with
 * `jobs` alone a favoured exporter revokes over and over (1,143 revokes in pct:2 seed 2) while no
 * importer finishes its jobs. With rounds 3 and jobs 10 a trial takes at most 1,319 steps (2
 * importers; 2,541 with 4 on 2 engines) over 200 seeds of each portfolio strategy.
 *
 * `revokeWait` picks the exporter's fence wait: `bookkeep` (final, clean), `kernel` (S1) or `none`
 * (S2) — the buggy ones show that findings are still detected while timing.
 *
 * `usage` is the importers' fence usage, and so what their jobs do: `write` (the default) writes
 * the window, `read` only reads it into the engine's DMA buffer, `kernel` and `bookkeep` write.
 *
 * `pageBytes` is not read by the actors: it is the device-memory page size the stress campaign
 * models (buffer size = pages × pageBytes, job size = jobPages × pageBytes).
 *
 * The exporter and every importer hold a file reference of the buffer and put it when they stop
 * (lib/dmabuf_refs.ts), so a trial ends with the buffer released.
 */
import { PAGE_BYTES_RANGE, type IntRange, type ParamRanges } from '../src/exec/param_ranges.js';
import type { ParamRules } from '../src/exec/param_rules.js';
import { defineScenario, type ActorDef } from '../src/exec/scenario.js';
import {
  GFP_KERNEL, complete, device_add, dma_resv_init, init_completion, kzalloc_words, msleep, wait_for_completion,
  type DmaBuf, type KGen, type Resv, type Task,
} from '../src/kernel/index.js';
import { DMA_ENGINE, VFIO_PCI_CORE } from '../src/drivers/modules.js';
import { VFIO_FINAL, type VfioKnobs } from '../src/drivers/vfio_knobs.js';
import { vfio_pci_set_memory_enabled } from '../src/drivers/vfio_memory.js';
import type { VfioDevice } from '../src/drivers/vfio_device.js';
import { dmabufRefsFor, withDmaBufRef } from './lib/dmabuf_refs.js';
import { createEngines, engineActorOf, engineActors, enginesFedRule, MAX_ENGINES } from './lib/engines.js';
import { stress_importer_run } from './lib/stress_importer.js';
import { USAGE_NAMES, usageParam } from './lib/usage.js';
import { vfioExport } from './lib/vfio_export.js';

export type StressRevokeParams = {
  importers: number; engines: number; pages: number; pageBytes: number; jobPages: number;
  revokeEveryMs: number; holdMs: number; depth: number; reap: number; burst: number; usage: string; pin: boolean;
  rounds: number; jobs: number; revokeWait: string; kernel: string; window: string;
};

/** Pages of the exported buffer (the VFIO exporter keeps at most this many per buffer). */
export const STRESS_MAX_PAGES = 64;
/** Jobs an importer keeps in flight, at most. */
export const STRESS_MAX_DEPTH = 16;
export const STRESS_MAX_IMPORTERS = 16;
/** Device-memory page sizes: the harness's for any pageBytes (PAGE_BYTES_RANGE: whole kernel pages
 *  of 4 KiB, up to 2 MiB — a 64-page buffer of 128 MiB; device memory stays under 300 MiB).
 *  `--buffer-size` is checked against it too. */
export const STRESS_PAGE_BYTES: IntRange = PAGE_BYTES_RANGE;

export const STRESS_REVOKE_DEFAULTS: StressRevokeParams = {
  importers: 2, engines: 1, pages: STRESS_MAX_PAGES, pageBytes: 128 << 10, jobPages: STRESS_MAX_PAGES,
  revokeEveryMs: 10, holdMs: 0, depth: 8, reap: 4, burst: 1, usage: 'write', pin: false, rounds: 0, jobs: 0, revokeWait: 'bookkeep', kernel: 'final',
  window: 'spread',
};

/**
 * The pages importer `i` maps and its jobs cover: with `window` `spread` importer i starts at page
 * i × jobPages, so more importers touch more of the buffer; with `engine` every importer of
 * engine j (i ≡ j mod engines) starts at page j × jobPages, so each engine's working set stays one
 * job's pages however many importers feed it (the scaling bench, whose copy limit copies over one
 * job's pages). Starts wrap modulo the starts a whole job fits at, so windows share pages when
 * there are more of them than starts (with a job as large as the buffer, all start at 0).
 */
export function importerWindow(p: StressRevokeParams, i: number): { offset: number; pages: number } {
  const span = p.pages - p.jobPages + 1;
  const slot = p.window === 'engine' ? i % p.engines : i;
  return { offset: (slot * p.jobPages) % span, pages: p.jobPages };
}

/** Fences and DMA addresses are reclaimed: the tables hold what is alive at once (16 importers ×
 *  16 jobs in flight, 16 × 64-page mappings) with room to spare, and small tables leave handles
 *  more generation bits (layout.ts HANDLE_BITS) so a stale one stays recognisable longer. Job
 *  rows are kept by their importer (one per slot), so there is one per importer × depth. */
const GEOMETRY = {
  fences: 512, iovas: 2048, pages: STRESS_MAX_PAGES + 16, jobs: STRESS_MAX_IMPORTERS * STRESS_MAX_DEPTH, attachments: 32, resvs: 40, resvSlots: 64,
  privWords: 1024, ctxs: 64, findings: 64, devices: 32,
};

/** User words: the wind-down flag (any actor may set it), the revokes made, the importers whose
 *  attach returned, and those whose attach the exporter refused. */
export const W_WIND_DOWN = 0;
export const W_REVOKES = 1;
export const W_STARTED = 2;
export const W_ATTACH_REFUSED = 3;

interface Env {
  readonly db: DmaBuf; readonly vp: number; readonly vdev: VfioDevice; readonly engines: readonly number[];
  readonly ctxs: readonly number[]; readonly vms: readonly Resv[]; readonly devs: readonly number[];
  /** A completion each importer completes once its attach returned. */
  readonly started: number;
}

const stop = (t: Task): boolean => t.stopRequested() || t.load(W_WIND_DOWN) !== 0;

/**
 * Once every importer has attached, revoke and un-revoke every `revokeEveryMs` (jiffies:
 * wall-clock ms under stress). The wait matters on real threads: an importer whose thread started
 * after the first revoke had its attach refused (-ENODEV) and sat the trial out, so a run with 8
 * importers could measure 4.
 */
function* exporter(t: Task, e: Env, p: StressRevokeParams): KGen<void> {
  for (let i = 0; i < p.importers; i++) yield* wait_for_completion(t, e.started);
  let next = t.now() + p.revokeEveryMs;
  for (let n = 0; !stop(t);) {
    while (t.now() < next && !stop(t)) yield* msleep(t, Math.min(next - t.now(), 20));
    if (stop(t)) break;
    yield* vfio_pci_set_memory_enabled(t, e.vdev, false);
    t.add(W_REVOKES);
    if (p.holdMs > 0) yield* msleep(t, p.holdMs);
    yield* vfio_pci_set_memory_enabled(t, e.vdev, true);
    if (p.rounds > 0 && ++n >= p.rounds) t.store(W_WIND_DOWN, 1);
    next = Math.max(next + p.revokeEveryMs, t.now());
  }
}

function importer(t: Task, e: Env, p: StressRevokeParams, i: number): KGen<void> {
  return stress_importer_run(t, {
    db: e.db, vm: e.vms[i]!, ctx: e.ctxs[i]!, engineActor: engineActorOf(p.importers, p.engines, i), dev: e.devs[i]!,
    window: importerWindow(p, i), usage: usageParam('stress-revoke', p.usage),
    depth: p.depth, reap: p.reap, pin: p.pin,
    jobBudget: p.jobs > 0 ? p.jobs : Infinity,
    stop, exhausted: (task) => task.store(W_WIND_DOWN, 1),
    started: (task, err) => {
      task.add(W_STARTED);
      if (err < 0) task.add(W_ATTACH_REFUSED);
      complete(task, e.started);
    },
  });
}

/** What each parameter may be set to (STRESS_REVOKE_RULES: what they may be set to together). */
export const STRESS_REVOKE_RANGES: ParamRanges<StressRevokeParams> = {
  importers: { min: 1, max: STRESS_MAX_IMPORTERS }, engines: { min: 1, max: MAX_ENGINES },
  pages: { min: 1, max: STRESS_MAX_PAGES }, jobPages: { min: 1, max: STRESS_MAX_PAGES }, pageBytes: STRESS_PAGE_BYTES,
  revokeEveryMs: { min: 1, max: 60_000 }, holdMs: { min: 0, max: 60_000 }, depth: { min: 1, max: STRESS_MAX_DEPTH },
  reap: { min: 1, max: STRESS_MAX_DEPTH }, burst: { min: 1, max: 1024 }, rounds: { min: 0, max: 1 << 20 }, jobs: { min: 0, max: 1 << 20 },
  usage: { oneOf: USAGE_NAMES }, revokeWait: { oneOf: ['bookkeep', 'kernel', 'none'] }, window: { oneOf: ['spread', 'engine'] },
};

/** Parameters the scenario cannot run together. */
export const STRESS_REVOKE_RULES: ParamRules<StressRevokeParams> = [
  enginesFedRule(),
  { params: ['jobPages', 'pages'], holds: (p) => p.jobPages <= p.pages, expected: 'jobPages ≤ pages (a job covers pages of the buffer)' },
  { params: ['reap', 'depth'], holds: (p) => p.depth % p.reap === 0, expected: 'reap a divisor of depth (an importer reaps its depth jobs reap at a time)' },
];

/** Which of jobs and rounds a scheduled run still has to set: `jobs`, `rounds` or `both jobs and rounds`. */
function unsetEnds(p: StressRevokeParams): string {
  if (p.jobs <= 0 && p.rounds <= 0) return 'both jobs and rounds';
  return p.jobs <= 0 ? 'jobs as well' : 'rounds as well';
}

/** What makes a trial end under the executors that schedule every step (scheduledRules). */
const STRESS_REVOKE_SCHEDULED_RULES: ParamRules<StressRevokeParams> = [
  {
    params: ['jobs', 'rounds'], holds: (p) => p.jobs > 0 && p.rounds > 0,
    expected: (p) => `jobs > 0 and rounds > 0 under the inline and controlled executors: set ${unsetEnds(p)} (the actors run until the stress executor stops them, or the importers end after jobs jobs and the exporter after rounds revokes: either alone leaves PCT free to starve the other side)`,
  },
];

export const stressRevoke = defineScenario<StressRevokeParams, Env>({
  name: 'stress-revoke', module: import.meta.url, expect: 'clean',
  // 2: jobs follow their fences' usage (READ jobs read; before, every job wrote).
  // 3: actors put their dma-buf references; the last put's release takes memory_lock (the
  //    device is never closed here), a scheduling point revision 2 schedules lack.
  // 4: the revoke's dma_resv_wait_timeout walks the live fence list, with a scheduling point
  //    between two slot reads.
  revision: 4,
  description: 'VFIO revokes and un-revokes every T ms under N importers × M engines of DMA (final knobs)',
  params: STRESS_REVOKE_DEFAULTS, paramRanges: STRESS_REVOKE_RANGES, paramRules: STRESS_REVOKE_RULES, scheduledRules: STRESS_REVOKE_SCHEDULED_RULES,
  geometry: GEOMETRY,
  modules: [VFIO_PCI_CORE, DMA_ENGINE],
  setup: (t, p) => {
    const { db, vp, vdev } = vfioExport(t, 'stress-revoke', p.pages, { ...VFIO_FINAL, revokeWait: p.revokeWait as VfioKnobs['revokeWait'] });
    dmabufRefsFor(t, db, p.importers);
    const { engines, ctxs } = createEngines(t, p.importers, p.engines);
    const vms = Array.from({ length: p.importers }, () => dma_resv_init(t));
    const devs = Array.from({ length: p.importers }, () => device_add(t));
    const started = kzalloc_words(t, 1, GFP_KERNEL, 'stress_revoke_setup');
    init_completion(t, started);
    return { db, vp, vdev, engines, ctxs, vms, devs, started };
  },
  actors: (p) => {
    const list: ActorDef<Env>[] = [{ name: 'vfio', run: (t, e) => withDmaBufRef(t, e.db, exporter(t, e, p)) }];
    for (let i = 0; i < p.importers; i++) list.push({ name: `importer${i}`, run: (t, e) => withDmaBufRef(t, e.db, importer(t, e, p, i)) });
    return [...list, ...engineActors<Env>(p.engines, { speculative: false, burst: p.burst })];
  },
});
