/**
 * The revoke scenarios' parameter bounds (revokeRanges) and the rules for what the arena holds of
 * them together (revokeRules): actors, DMA job rows, IOMMU entries, driver-private words.
 */
import type { ParamRanges } from '../../src/exec/param_ranges.js';
import type { ParamRule, ParamRules } from '../../src/exec/param_rules.js';
import { MAX_SCENARIO_ACTORS } from '../../src/exec/scenario.js';
import { DEFAULT_GEOMETRY } from '../../src/shm/layout.js';
import { DMA_ENGINE_CONTEXT_WORDS, DMA_ENGINE_WORDS } from '../../src/drivers/dma_engine.js';
import { GPU_IMPORTER_WORDS } from '../../src/drivers/gpu_importer.js';
import { PREEMPT_FENCE_WORDS } from '../../src/drivers/preempt_fence.js';
import { IOPT_PAGES_WORDS } from '../../src/drivers/iommufd_pages.js';
import { IOPT_TRACK_MAX } from '../../src/drivers/iommufd_tracker.js';
import { IOMMU_DOMAIN_WORDS } from '../../src/kernel/iommu_domain.js';
import { LEGACY_IMPORTER_WORDS } from '../../src/drivers/legacy_importer.js';
import { RDMA_PINNED_MR_WORDS } from '../../src/drivers/rdma_importer.js';
import { VFIO_DMABUF_WORDS } from '../../src/drivers/vfio_dmabuf.js';
import { VFIO_DEVICE_WORDS } from '../../src/drivers/vfio_device.js';
import { enginesFedRule, MAX_ENGINES } from './engines.js';
import { engineDomainRules, iommufdRules } from './revoke_iommufd.js';
import { USAGE_NAMES } from './usage.js';
import { vfioPagesLimit } from './vfio_export.js';
import type { ImporterKind, RevokeParams } from './revoke.js';

/** Importers each kind can run beside the exporter and one engine within a scenario's
 *  MAX_SCENARIO_ACTORS actors (the `actors` rule bounds them with more engines); an iommufd
 *  importer takes one of the arena's 8 devices (VFIO has another). Their range is further bounded
 *  by their private words with the fewest pages (revokeRules). */
const BESIDE_EXPORTER_AND_ENGINE = MAX_SCENARIO_ACTORS - 2;
const MAX_ACTOR_IMPORTERS: Readonly<Record<ImporterKind, number>> = {
  gpu: BESIDE_EXPORTER_AND_ENGINE, legacy: BESIDE_EXPORTER_AND_ENGINE, rdma: BESIDE_EXPORTER_AND_ENGINE, iommufd: 7,
};

/** DMA job rows: an engine job keeps its row for the whole trial, so every job of every importer
 *  that submits to the engine (all kinds but iommufd) takes one. */
const MAX_ENGINE_JOBS = DEFAULT_GEOMETRY.jobs;

/** Driver-private words each importer takes, as its drivers allocate them: the engine context
 *  setup makes for it (every kind has one) and the importer's own state (an iommufd importer's
 *  with one domain: each further domain takes IOMMU_DOMAIN_WORDS more). */
const IMPORTER_WORDS: Readonly<Record<ImporterKind, number>> = {
  gpu: DMA_ENGINE_CONTEXT_WORDS + GPU_IMPORTER_WORDS, legacy: DMA_ENGINE_CONTEXT_WORDS + LEGACY_IMPORTER_WORDS,
  rdma: DMA_ENGINE_CONTEXT_WORDS + RDMA_PINNED_MR_WORDS,
  iommufd: DMA_ENGINE_CONTEXT_WORDS + IOPT_PAGES_WORDS + IOMMU_DOMAIN_WORDS,
};
/** Private words left for the importers and the pages: the VFIO device's, its buffer's (besides
 *  its pages) and the engine's taken. (The modules' reference counts are not driver words: they live in the
 *  arena's module table, as the kernel keeps them in struct module.) */
function privWordsFree(): number {
  return DEFAULT_GEOMETRY.privWords - VFIO_DEVICE_WORDS - VFIO_DMABUF_WORDS - DMA_ENGINE_WORDS;
}

/** The most importers of `kind` any buffer allows: the actors, and the private words with one page. */
function maxImporters(kind: ImporterKind): number {
  return Math.min(MAX_ACTOR_IMPORTERS[kind], Math.floor((privWordsFree() - 1) / IMPORTER_WORDS[kind]));
}

/** What the revoke scenarios' parameters may be set to, for importers of `kind` (revokeRules: what
 *  they may be set to together; `domains` is 1 for other kinds than iommufd by a rule, so that a
 *  refusal says why). */
export function revokeRanges(kind: ImporterKind): ParamRanges<RevokeParams> {
  return {
    importers: { min: 1, max: maxImporters(kind) }, pages: { min: 1, max: vfioPagesLimit(DEFAULT_GEOMETRY.pages) },
    jobs: { min: 1, max: MAX_ENGINE_JOBS }, delay: { min: 0, max: 1000 }, usage: { oneOf: USAGE_NAMES },
    domains: { min: 1, max: IOPT_TRACK_MAX }, detach: { min: 0, max: 1 },
    engines: { min: 1, max: MAX_ENGINES }, jobPages: { min: 0, max: vfioPagesLimit(DEFAULT_GEOMETRY.pages) },
  };
}

/**
 * What the arena holds of the revoke scenarios' importers together: every importer's mapping of
 * the whole buffer at once in the IOMMU table (a map that does not fit fails -ENOMEM and its job
 * is dropped); their private words; and, for importers that submit to the engine, their jobs —
 * the rules `iommu-entries`, `private-words` and `job-rows` (ParamRule.name). With `preempt`
 * (gpu only) each importer also has its preempt fence words and, per job at most, one marker job
 * row (a preempt fence is made only by a re-arm before a job and is enabled at most once).
 */
export function revokeRules(kind: ImporterKind, preempt: boolean): ParamRules<RevokeParams> {
  const { iovas, privWords } = DEFAULT_GEOMETRY;
  const words = IMPORTER_WORDS[kind] + (preempt ? PREEMPT_FENCE_WORDS : 0);
  const free = privWordsFree();
  const mappings: ParamRule<RevokeParams> = {
    name: 'iommu-entries', params: ['importers', 'pages'], holds: (p) => p.importers * p.pages <= iovas,
    expected: `importers × pages ≤ ${iovas} (every importer maps the whole buffer at once; the arena has ${iovas} IOMMU entries)`,
  };
  const perImporter = preempt ? `${IMPORTER_WORDS[kind]} + ${PREEMPT_FENCE_WORDS} (its preempt fence)` : `${words}`;
  const priv: ParamRule<RevokeParams> = {
    name: 'private-words', params: ['importers', 'pages', 'engines'],
    holds: (p) => words * p.importers + p.pages + DMA_ENGINE_WORDS * (p.engines - 1) <= free,
    expected: `${words} × importers + pages + ${DMA_ENGINE_WORDS} × (engines − 1) ≤ ${free} (the arena's ${privWords} driver-private words: ${perImporter} per ${kind} importer, ${VFIO_DEVICE_WORDS} for the VFIO device, ${VFIO_DMABUF_WORDS} + pages for its buffer, ${DMA_ENGINE_WORDS} per engine)`,
  };
  const rows = preempt ? 2 : 1;
  const jobs: ParamRule<RevokeParams> = {
    name: 'job-rows', params: ['jobs', 'importers'], holds: (p) => p.importers * rows * p.jobs <= MAX_ENGINE_JOBS,
    expected: preempt
      ? `importers × 2 × jobs ≤ ${MAX_ENGINE_JOBS} (the arena's DMA job rows: a job, and a preempt fence's marker, keeps its row for the trial; one marker per job at most)`
      : `importers × jobs ≤ ${MAX_ENGINE_JOBS} (the arena's DMA job rows: a job keeps its row for the trial)`,
  };
  return kind === 'iommufd'
    ? [...iommufdRules<RevokeParams>(words, free), ...engineRules(kind, preempt)]
    : [...engineDomainRules<RevokeParams>(kind), ...engineRules(kind, preempt), jobs, mappings, priv];
}

/**
 * The engines and the job size: every engine has an importer to feed it (`engines-fed`: an engine
 * without a context would exit at once), the actors fit the arena (`actors`: the exporter, the
 * importers and the engines), and a job covers pages of the buffer (`job-pages`), which only GPU
 * importers size. iommufd importers reach the buffer through their own IOMMU domains and give the
 * engine no work: one engine (`engines-one`).
 */
function engineRules(kind: ImporterKind, preempt: boolean): ParamRules<RevokeParams> {
  const fed = enginesFedRule<RevokeParams>();
  const workers = preempt ? 2 : 1;
  const actors: ParamRule<RevokeParams> = {
    name: 'actors', params: ['engines', 'importers'], holds: (p) => 1 + workers * p.importers + p.engines <= MAX_SCENARIO_ACTORS,
    expected: preempt
      ? `1 + 2 × importers + engines ≤ ${MAX_SCENARIO_ACTORS} (the exporter, the importers, their preempt fence workers and the engines are the scenario's actors)`
      : `1 + importers + engines ≤ ${MAX_SCENARIO_ACTORS} (the exporter, the importers and the engines are the scenario's actors)`,
  };
  const jobPages: ParamRule<RevokeParams> = kind === 'gpu'
    ? { name: 'job-pages', params: ['jobPages', 'pages'], holds: (p) => p.jobPages <= p.pages, expected: 'jobPages ≤ pages (a job covers pages of the buffer; 0: all of them)' }
    : { name: 'job-pages', params: ['jobPages'], holds: (p) => p.jobPages === 0, expected: `jobPages = 0 (jobPages applies to gpu importers only: a ${kind} job covers the whole buffer)` };
  if (kind !== 'iommufd') return [fed, actors, jobPages];
  const one: ParamRule<RevokeParams> = {
    name: 'engines-one', params: ['engines'], holds: (p) => p.engines === 1,
    expected: 'engines = 1 (engines applies to importers that submit to an engine: iommufd importers reach the buffer through their own domains)',
  };
  return [one, jobPages];
}
