/**
 * Titles the WARN/BUG table (warn.ts) gave its checks in earlier versions, which replay files may
 * still name, and the revision that tells a file's titles apart from this build's.
 */
import { bareTitle, warnSpecNamed, warnTitle } from './warn.js';
import type { WarnName } from './warn.js';

/**
 * Titles a check was reported under by earlier versions, which replay files may still name:
 * REUSE_BEFORE_UNMAP was titled after phys_free (PAGE_BAD_FREE's function) until it was named
 * after the VFIO reset path where it fires (now the call site VFIO names). SPIN_RECURSION on a
 * fence's lock was titled after spin_lock until it was titled after spin_lock_irqsave, the call
 * its LOCK_RECURSIVE names. A check with a condition (CONDITIONS) was titled by kind and function
 * alone before.
 */
const FORMER_TITLES: Readonly<Partial<Record<WarnName, readonly string[]>>> = {
  REUSE_BEFORE_UNMAP: ['use-after-free in phys_free'],
  SPIN_RECURSION: ['assertion in spin_lock (recursion)'],
};

/**
 * Checks a ww_mutex_trylock through a context makes: titled after ww_mutex_trylock (their site)
 * since that is where the kernel's WARN comes from, after their own function, ww_mutex_lock,
 * before; a trylock's finding still answers to that title.
 */
const TRYLOCK_RETITLED: ReadonlySet<string> = new Set<WarnName>([
  'WW_CTX_STILL_SET', 'WW_LOCK_AFTER_DONE', 'WW_WRONG_LOCK_AFTER_EDEADLK', 'WW_HOLDING_AFTER_EDEADLK', 'WW_CLASS_MISMATCH', 'WW_CTX_STALE',
]);

/**
 * The revision of the titles this table gives: raised whenever a check's title changes (its former
 * title then goes into FORMER_TITLES, TRYLOCK_RETITLED or CONDITIONS' bare form). A replay file
 * records it; one recorded under an earlier revision (or before files recorded it) may name a
 * former title, and only such a file's finding is matched with formerTitle: a former title may be
 * another finding's current one (a trylock's ww checks were titled after ww_mutex_lock).
 * The rule for a title change shipped together with a layout bump (LAYOUT_VERSION): it needs no
 * former-title mapping, since every replay file of the older titles has the older layout's
 * digest and is refused before titles are compared; the revision is raised all the same.
 * 2: the trylock's ww checks titled after ww_mutex_trylock.
 * 3 (layout 22, so no mapping): a hang titled after the blocked call (wait_site.ts), after its
 *   wait's primitive before; a SOFT_LOCKUP titled with its condition, `(soft lockup)`.
 * 4: SPIN_ALREADY_UNLOCKED titled with its condition, `(already unlocked)`, apart from
 *   SPIN_WRONG_OWNER's `(wrong owner)` (its bare former title: CONDITIONS).
 * 5: SPIN_RECURSION on a fence's lock titled after spin_lock_irqsave, after spin_lock before.
 */
export const TITLES_REVISION = 5;

/**
 * Whether a finding of check `name`, titled `current` now, answers to a title recorded by an
 * earlier version. Only for a title read from a replay file of an earlier TITLES_REVISION: a live
 * finding's title is matched exactly.
 */
export function formerTitle(name: string, title: string): boolean {
  if (FORMER_TITLES[name as WarnName]?.includes(title) === true) return true;
  const spec = warnSpecNamed(name);
  if (spec !== undefined && TRYLOCK_RETITLED.has(name) && title === warnTitle(spec)) return true;
  return spec?.cond !== undefined && title === bareTitle(spec, spec.fn);
}
