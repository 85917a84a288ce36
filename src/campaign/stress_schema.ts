/**
 * The stress results document (`dmabuf-harness stress --out results.json`): its zod schema, the
 * JSON Schema derived from it (`stress --schema`, docs/stress-results.schema.json), and reading a
 * results file back with validation (`stress --compare`). Times are integer-ish nanoseconds
 * (`…Ns`) or milliseconds (`…Ms`); rates are per second of the run's wall time.
 *
 * Version 2 added `warmupMs`, version 3 the wake-ups per actor (`locks.perActor[].wakes`,
 * `wakeMs`), version 4 the actor threads' CPU times (`threads`), version 5 the scenario's
 * revision (`scenarioRevision`). Older files still read back (StoredStressResults), without
 * those fields. A finding may name its artifact files (`reportFile`, `stressTraceFile`: optional,
 * so files written before them still read as version 5).
 */
import { z } from 'zod';
import { parseJson, readJsonFile } from './json_input.js';
import { PHASE_NAMES } from '../kernel/phases.js';

export const STRESS_RESULTS_FORMAT = 'dmabuf-harness-stress-results';
export const STRESS_RESULTS_VERSION = 5;

const count = z.number().int().min(0);
const nonneg = z.number().min(0);

/** One operation's latency: exact count/min/mean/max, percentiles from the histogram, and its
 *  non-empty buckets as [index, count] (hdr.ts bucketIndex with `histogram.subBucketBits`). */
export const LatencySchema = z.object({
  count, minNs: nonneg, meanNs: nonneg, p50Ns: nonneg, p90Ns: nonneg, p99Ns: nonneg, p999Ns: nonneg, maxNs: nonneg,
  buckets: z.array(z.tuple([count, count])),
}).strict();

const EngineSchema = z.object({ actor: z.string(), bytes: nonneg, bytesPerSec: nonneg, jobs: count }).strict();

const ActorLocksSchema = z.object({
  actor: z.string(), acquisitions: count, contended: count, backoffs: count,
  blockedLockMs: nonneg, blockedFenceMs: nonneg, blockedEventMs: nonneg, sleepMs: nonneg,
  wakes: count.describe('sleeping threads this actor woke (fence signals, unlocks, wake_up)'),
  wakeMs: nonneg.describe('wall time this actor spent in its wake calls (ms)'),
}).strict();

const ActorThreadSchema = z.object({
  actor: z.string(),
  cpuMs: nonneg.describe('time the actor thread ran on a CPU (ms)'),
  runqMs: nonneg.describe('time it was runnable but waited for a CPU (ms)'),
  slices: count.describe('times it was put on a CPU'),
}).strict();

const ThreadsSchema = z.object({
  source: z.literal('schedstat').describe('Linux /proc/thread-self/schedstat of the thread running each actor, from the start to the end of each trial'),
  perActor: z.array(ActorThreadSchema),
}).strict();

const FindingSchema = z.object({
  kind: z.string(), title: z.string(), message: z.string(), seed: z.number().int(),
  reportFile: z.string().optional().describe('the finding\'s kernel-style report, as the run wrote it (absent with --no-artifacts)'),
  stressTraceFile: z.string().optional().describe('the Perfetto trace of the stress run that found it (absent when its trace rings were left unread)'),
}).strict();

const operations = Object.fromEntries(PHASE_NAMES.map((n) => [n, LatencySchema])) as Record<string, typeof LatencySchema>;

export const StressResultsSchema = z.object({
  format: z.literal(STRESS_RESULTS_FORMAT),
  version: z.literal(STRESS_RESULTS_VERSION),
  harness: z.string(),
  scenario: z.string(),
  scenarioRevision: z.number().int().min(1).describe('the scenario\'s revision: runs of different revisions may measure different work under the same parameters'),
  params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  pageBytes: z.number().int().min(1).describe('device memory page size the run modelled (bytes)'),
  seed: z.number().int(),
  startedAt: z.string(),
  durationMs: nonneg.describe('requested run time (ms)'),
  warmupMs: nonneg.describe('the unmeasured warm-up trials that ran first (ms, all of them); 0 when a finding in one ended the run and its figures are the results'),
  wallMs: nonneg.describe('measured run time after the warm-up trials (ms); rates are per second of it'),
  trials: count.describe('trials run back to back (a trial ends at the duration or when its per-trial resources run out)'),
  end: z.string().describe('done, or the end state of the trial that stopped the run'),
  histogram: z.object({ unit: z.literal('ns'), subBucketBits: z.number().int().min(1) }).strict(),
  operations: z.object(operations).strict().describe('latency per operation (kernel/phases.ts), all actors merged'),
  dma: z.object({ bytes: nonneg, bytesPerSec: nonneg, engines: z.array(EngineSchema) }).strict(),
  locks: z.object({
    acquisitions: count, contended: count, backoffs: count, blockedLockMs: nonneg, perActor: z.array(ActorLocksSchema),
  }).strict(),
  series: z.object({
    slotMs: z.number().min(1),
    engines: z.array(z.object({ actor: z.string(), bytesPerSec: z.array(nonneg) }).strict()),
  }).strict().describe('DMA bytes per second per engine in consecutive slots of slotMs from the start of the run'),
  threads: ThreadsSchema.nullable().describe('CPU time per actor (its thread\'s); null where the OS does not report it'),
  findings: z.array(FindingSchema),
}).strict().describe('dmabuf-harness stress results');

export type StressResults = z.infer<typeof StressResultsSchema>;

/** Version 4: the same document without `scenarioRevision`. */
const StressResultsV4Schema = StressResultsSchema.omit({ scenarioRevision: true }).extend({ version: z.literal(4) }).strict();
/** Version 3: version 4 without `threads`. */
const StressResultsV3Schema = StressResultsV4Schema.omit({ threads: true }).extend({ version: z.literal(3) }).strict();
const LocksV2Schema = StressResultsSchema.shape.locks.extend({
  perActor: z.array(ActorLocksSchema.omit({ wakes: true, wakeMs: true }).strict()),
}).strict();
/** Version 2: version 3 without the wake-ups per actor. */
const StressResultsV2Schema = StressResultsV3Schema.extend({ version: z.literal(2), locks: LocksV2Schema }).strict();
/** Version 1: version 2 without `warmupMs`. */
const StressResultsV1Schema = StressResultsV2Schema.omit({ warmupMs: true }).extend({ version: z.literal(1) }).strict();

/** A results document as read back: the current version or an older one. */
export type StoredStressResults =
  StressResults | z.infer<typeof StressResultsV4Schema> | z.infer<typeof StressResultsV3Schema> | z.infer<typeof StressResultsV2Schema> | z.infer<typeof StressResultsV1Schema>;
export type LatencyStats = z.infer<typeof LatencySchema>;

/** The JSON Schema (draft 2020-12) of the results document. */
export function stressResultsJsonSchema(): object {
  return z.toJSONSchema(StressResultsSchema);
}

const EXPECTED = ' (expected a stress results file)';

/** Validate `raw` as a results document of the current version; `where` names it in the
 *  one-line error. */
export function parseStressResults(where: string, raw: unknown): StressResults {
  return parseJson(StressResultsSchema, raw, where, 'ERR_BAD_OPTION', EXPECTED);
}

/** Read and validate the results file at `path`, of any version this harness reads. */
export function readStressResults(path: string): StoredStressResults {
  const raw = readJsonFile(path, 'ERR_BAD_OPTION', EXPECTED);
  // Dispatch on the version rather than try each: a bad field is then named against one schema.
  switch (typeof raw === 'object' && raw !== null ? (raw as { version?: unknown }).version : undefined) {
    case 1: return parseJson(StressResultsV1Schema, raw, path, 'ERR_BAD_OPTION', EXPECTED);
    case 2: return parseJson(StressResultsV2Schema, raw, path, 'ERR_BAD_OPTION', EXPECTED);
    case 3: return parseJson(StressResultsV3Schema, raw, path, 'ERR_BAD_OPTION', EXPECTED);
    case 4: return parseJson(StressResultsV4Schema, raw, path, 'ERR_BAD_OPTION', EXPECTED);
    default: return parseStressResults(path, raw);
  }
}
