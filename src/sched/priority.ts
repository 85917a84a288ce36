/** Priority-based strategies (PCT, POS) keep one priority word per actor in their state. */

/**
 * The actor in `runnable` (non-empty) whose priority `s[base + actor]` is highest; the lowest
 * such actor on a tie. Priorities are non-negative.
 */
export function topPriority(s: Int32Array, base: number, runnable: number): number {
  let m = runnable;
  let best = -1;
  let bestPrio = -1;
  while (m !== 0) {
    const low = m & -m;
    const a = 31 - Math.clz32(low);
    const p = s[base + a]!;
    if (p > bestPrio) {
      bestPrio = p;
      best = a;
    }
    m ^= low;
  }
  return best;
}
