// Lock-dependency validator (kernel/lockdep.ts hooks): its own sub-layout lives in
// src/kernel/lockdep_layout.ts; this file only sizes the region. It is NOT reset between trials.

import type { Geometry } from './header.js';

/** Words reserved for the validator: header, per-actor held-lock stacks (64 words), the class
 *  table (7 words a class), the dependency matrix as bits and its first-seen details (6 words an
 *  edge). Must equal kernel/lockdep_layout.ts lockdepWordsNeeded. */
export function lockdepSize(g: Geometry): number {
  return 64 + g.actors * 64 + g.lockClasses * 7 + g.lockClasses * ((g.lockClasses + 31) >>> 5) +
    g.lockClasses * g.lockClasses * 6;
}
