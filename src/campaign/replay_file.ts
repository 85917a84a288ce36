/**
 * Replay files: what a finding hands over. A versioned JSON document naming the harness version,
 * the arena layout it was recorded against (shm/layout_digest.ts), the scenario (id, revision, and
 * its source file when it is not built in), the parameters, the executor and strategy, the seed,
 * the finding's kind and title, the schedule in the compact decision codec, and for a lockdep
 * finding the lock dependencies and irq usage it rests on (kernel/lockdep_carry.ts), for a stress
 * finding the plan its trial ran with and the stalls that ended in it (information only:
 * stress_plan.ts). Reading validates every field (zod) and refuses a file from another harness
 * version, arena layout or scenario revision with one line naming the file, the field and what
 * was expected.
 */
import { z } from 'zod';
import { HarnessError } from '../errno/errors.js';
import { decodeDecisions, encodeDecisions } from '../sched/codec.js';
import type { Decision } from '../exec/result.js';
import type { AnyScenario, Params } from '../exec/scenario.js';
import { LAYOUT_DIGEST_FORM, layoutDigest } from '../shm/layout_digest.js';
import { TITLES_REVISION } from '../kernel/former_titles.js';
import type { LockdepDep, LockdepUsage } from '../trace/lockdep_info.js';
import type { StallRecord, StressPlan } from '../exec/stress_stalls.js';
import { STALL_ENDS } from '../trace/ops.js';
import { parseJson, readJsonFile } from './json_input.js';
import { HARNESS_VERSION } from './version.js';

export const REPLAY_FORMAT = 'dmabuf-harness-replay';

const int = z.number().int();
const ClassRefSchema = z.object({ key: int.refine((k) => k !== 0, 'a class key is never 0'), named: z.boolean(), flags: int.min(0) }).strict();
const LockdepDepSchema = z.object({
  from: ClassRefSchema, to: ClassRefSchema, actor: int.min(0), trial: int.min(0), step: int.min(0), fromRef: int, toRef: int,
}).strict();
const LockdepUsageSchema = z.object({
  class: ClassRefSchema, usage: z.enum(['IN-HARDIRQ-W', 'HARDIRQ-ON-W']), actor: int.min(-1).max(254), trial: int.min(1),
}).strict();

const StallPointSchema = z.object({ step: int.min(0), runAhead: int.min(0), budgetMs: z.number().min(0) }).strict();
const StressPlanSchema = z.object({
  delayChance: z.number().min(0).max(1), maxDelaySpins: int.min(0), stalls: z.array(z.array(StallPointSchema)),
}).strict();
const StallRecordSchema = z.object({
  actor: int.min(0), step: int.min(0), held: int.min(0), end: z.enum(STALL_ENDS),
}).strict();

/** What any version's replay file has: read first, so another version is refused for its version
 *  whatever shape its other fields have. */
const VersionSchema = z.object({ format: z.literal(REPLAY_FORMAT), harness: z.string() });

const ReplaySchema = z.object({
  format: z.literal(REPLAY_FORMAT),
  harness: z.string(),
  /** The layout digest of the build that recorded it. Absent in files recorded before replay files
   *  named it: readReplayFile refuses a missing, malformed (LAYOUT_DIGEST_FORM) or other digest in
   *  one place, naming this build's. */
  layout: z.string().optional(),
  scenario: z.object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    revision: z.number().int().min(1),
    /** Absent for the built-in catalog; the scenario file's absolute path otherwise. */
    source: z.string().min(1).optional(),
  }).strict(),
  params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  executor: z.enum(['inline', 'controlled', 'stress']),
  strategy: z.string().min(1),
  seed: z.number().int(),
  finding: z.object({ kind: z.string().min(1), title: z.string().min(1), code: z.string() }).strict(),
  /** The title revision (kernel/warn.ts TITLES_REVISION) the finding's title was given under.
   *  Absent in files recorded before files named it: those may name a former title. */
  titles: z.number().int().min(1).optional(),
  schedule: z.object({ steps: z.number().int().min(0), decisions: z.string() }).strict(),
  /** A lockdep finding's dependencies (a circular-locking finding's existing chain, an irq-safety
   *  finding's chains: kernel/lockdep_carry.ts), primed before the replay. */
  lockdep: z.array(LockdepDepSchema).optional(),
  /** The irq usage earlier trials set that a lockdep finding's report may rest on, primed before
   *  the replay. Absent in files recorded before files carried it, and when there is none. */
  lockdepUsage: z.array(LockdepUsageSchema).optional(),
  /** A stress finding's plan (stress_plan.ts): information on how its trial was disturbed, never
   *  read back (a replay follows the schedule under controlled). Absent for other executors and in
   *  files recorded before files carried it. */
  stressPlan: StressPlanSchema.optional(),
  /** The stalls that ended in a stress finding's trial (HuntFinding.stressStalls), information
   *  like the plan. Absent when none ended, for other executors, and in files recorded before
   *  files carried them. */
  stressStalls: z.array(StallRecordSchema).optional(),
}).strict();

export type ReplayFile = z.infer<typeof ReplaySchema>;

export interface ReplayInput {
  readonly scenario: AnyScenario;
  readonly source?: string | undefined;
  readonly params: Params;
  readonly executor: ReplayFile['executor'];
  readonly strategy: string;
  readonly seed: number;
  readonly finding: { readonly kind: string; readonly title: string; readonly code: string };
  readonly decisions: readonly Decision[];
  /** The finding's lock dependencies and irq usage, when it is a lockdep finding (Finding.lockdep,
   *  Finding.lockdepUsage). */
  readonly lockdep?: readonly LockdepDep[] | undefined;
  readonly lockdepUsage?: readonly LockdepUsage[] | undefined;
  /** A stress finding's plan and the stalls that ended (HuntFinding.stressPlan, .stressStalls). */
  readonly stressPlan?: StressPlan | undefined;
  readonly stressStalls?: readonly StallRecord[] | undefined;
}

/** The replay document for a finding. */
export function replayFile(i: ReplayInput): ReplayFile {
  return {
    format: REPLAY_FORMAT, harness: HARNESS_VERSION, layout: layoutDigest(),
    scenario: { id: i.scenario.name, revision: i.scenario.revision ?? 1, ...(i.source === undefined ? {} : { source: i.source }) },
    params: { ...i.params }, executor: i.executor, strategy: i.strategy, seed: i.seed,
    finding: { kind: i.finding.kind, title: i.finding.title, code: i.finding.code }, titles: TITLES_REVISION,
    schedule: { steps: i.decisions.length, decisions: encodeDecisions(i.decisions) },
    ...(i.lockdep === undefined || i.lockdep.length === 0 ? {} : { lockdep: i.lockdep.map((d) => ({ ...d, from: { ...d.from }, to: { ...d.to } })) }),
    ...(i.lockdepUsage === undefined || i.lockdepUsage.length === 0 ? {} : { lockdepUsage: i.lockdepUsage.map((u) => ({ ...u, class: { ...u.class } })) }),
    ...(i.stressPlan === undefined ? {} : { stressPlan: { ...i.stressPlan, stalls: i.stressPlan.stalls.map((s) => s.map((p) => ({ ...p }))) } }),
    ...(i.stressStalls === undefined || i.stressStalls.length === 0 ? {} : { stressStalls: i.stressStalls.map((s) => ({ ...s })) }),
  };
}

/**
 * Read and validate the replay file at `path`: a file recorded by another harness version, or
 * against another arena layout than this build's (layoutDigest) — or naming none, or a malformed
 * one — is refused (ERR_REPLAY_FILE, one line naming the file and the field), before anything
 * runs; the format and harness version are checked first, so a file of another version is
 * refused for it whatever its other fields hold. The scenario's id and revision are checked once
 * it is found (checkReplayFor).
 */
export function readReplayFile(path: string): ReplayFile {
  const raw = readJsonFile(path, 'ERR_REPLAY_FILE');
  const { harness } = parseJson(VersionSchema, raw, path, 'ERR_REPLAY_FILE');
  if (harness !== HARNESS_VERSION) {
    throw new HarnessError('ERR_REPLAY_FILE', `${path}: harness: recorded by dmabuf-harness ${harness}, this is ${HARNESS_VERSION}`);
  }
  const f = parseJson(ReplaySchema, raw, path, 'ERR_REPLAY_FILE');
  checkLayout(path, f.layout);
  return f;
}

/** Refuse a file's `layout` field (ERR_REPLAY_FILE) when missing, malformed or not this build's
 *  digest. */
function checkLayout(path: string, recorded: string | undefined): void {
  const layout = layoutDigest();
  if (recorded === undefined) {
    throw new HarnessError('ERR_REPLAY_FILE', `${path}: layout: missing (recorded before replay files named their arena layout), this build has ${layout}: record the finding again`);
  }
  if (!LAYOUT_DIGEST_FORM.test(recorded)) {
    throw new HarnessError('ERR_REPLAY_FILE', `${path}: layout: expected a layout digest, <LAYOUT_VERSION>:<16 hex digits>, got ${JSON.stringify(recorded)}`);
  }
  if (recorded !== layout) {
    throw new HarnessError('ERR_REPLAY_FILE', `${path}: layout: recorded against layout ${recorded}, this build has ${layout}: record the finding again`);
  }
}

/** The schedule of `f`; throws ERR_REPLAY_FILE when it does not decode or its length is wrong. */
export function replayDecisions(path: string, f: ReplayFile): Decision[] {
  let d: Decision[];
  try {
    d = decodeDecisions(f.schedule.decisions);
  } catch (err) {
    throw new HarnessError('ERR_REPLAY_FILE', `${path}: schedule.decisions: ${(err as Error).message}`);
  }
  if (d.length !== f.schedule.steps) {
    throw new HarnessError('ERR_REPLAY_FILE', `${path}: schedule.steps: says ${f.schedule.steps}, the schedule has ${d.length}`);
  }
  return d;
}

/** Whether `f`'s finding title may be one its check had before (reproduce.ts sameFinding
 *  `former`): the file was recorded under an earlier title revision, or before files named one. */
export function formerTitles(f: ReplayFile): boolean {
  return (f.titles ?? 0) < TITLES_REVISION;
}

/** Refuse `f` for scenario `s` when ids or revisions differ. */
export function checkReplayFor(path: string, f: ReplayFile, s: AnyScenario): void {
  if (f.scenario.id !== s.name) throw new HarnessError('ERR_REPLAY_FILE', `${path}: scenario.id: recorded for ${f.scenario.id}, not ${s.name}`);
  const rev = s.revision ?? 1;
  if (f.scenario.revision !== rev) {
    throw new HarnessError('ERR_REPLAY_FILE', `${path}: scenario.revision: recorded against revision ${f.scenario.revision} of ${s.name}, which is now at revision ${rev}`);
  }
}
