/** Messages between the main thread and actor threads (structured-cloned by piscina). */
import type { DeviceMemoryShare } from '../shm/devmem.js';
import type { Unlisted } from './modules.js';
import type { Params } from './scenario.js';
import type { StressStatsShared } from './stress-stats.js';
import type { StallPoint } from './stress_stalls.js';

export interface ActorTaskMsg {
  readonly kind: 'controlled' | 'stress';
  /** Unique per arena in the main process: lets a worker keep its attachment across trials. */
  readonly arenaId: number;
  readonly sab: SharedArrayBuffer;
  readonly module: string;
  readonly scenario: string;
  readonly params: Params;
  /** Per scenario module in load order, the symbols its load resolved on the main thread: the
   *  actor thread re-links its modules' tables from them (it does not parse sources). */
  readonly resolved: readonly (readonly string[])[];
  readonly env: unknown;
  readonly actor: number;
  readonly strategy: string;
  /** Stress only: the actor's PRNG seed, timing, injection and the trial's wall-clock origin. */
  readonly seed: number;
  readonly delayChance: number;
  readonly maxDelaySpins: number;
  readonly injectChance: number;
  readonly originMs: number;
  /** Stress only: the actor's stall points this trial (stress_stalls.ts); absent: none. */
  readonly stalls?: readonly StallPoint[];
  /** Device memory (shared WebAssembly.Memory), when modelled. */
  readonly devmem?: DeviceMemoryShare;
  /** Controlled, when asked (ControlledOptions.pinCpus): the pool's turn counter for pinning each
   *  actor thread to a CPU of its own (affinity.ts pinInTurn). */
  readonly pinSeq?: SharedArrayBuffer;
  /** Stress only: where the actor records phase latencies and counters (absent: no recording). */
  readonly stats?: StressStatsShared;
}

export interface ActorTaskResult {
  readonly actor: number;
  readonly crash?: string;
  /** The actor ran code of a module the scenario does not list (the trial is ended; the main
   *  thread refuses the scenario: modules.ts unlistedRefusal). */
  readonly unlisted?: Unlisted;
  /** Call-site names this worker has seen (warn.ts siteEntries), for finding titles. */
  readonly sites: readonly (readonly [number, string])[];
}
