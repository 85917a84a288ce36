/** The built-in scenario catalog (DESIGN §6): every buggy variant with its fixed twin. */
import type { Scenario } from '../src/exec/scenario.js';
import { abbaNoCtx } from './abba-no-ctx.js';
import { abbaWwBackoff } from './abba-ww-backoff.js';
import { recursiveResvLock } from './recursive-resv-lock.js';
import { resvLockOnce } from './resv-lock-once.js';

export interface CatalogEntry {
  /** Reference id of kernel-semantics §6. */
  readonly ref: string;
  readonly scenario: Scenario;
}

export const CATALOG: readonly CatalogEntry[] = [
  { ref: 'S16', scenario: abbaNoCtx as Scenario },
  { ref: 'S16', scenario: abbaWwBackoff as Scenario },
  { ref: 'S17', scenario: recursiveResvLock as Scenario },
  { ref: 'S17', scenario: resvLockOnce as Scenario },
];
