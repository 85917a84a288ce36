/**
 * The WARN/BUG table's (warn.ts) kref rows: refcount_t's reports on a bare kref.
 */
export const KREF_SPECS = [
  ['KREF_GET_ZERO', 'refcount-underflow', 'kref_get', 'refcount_t: addition on 0; use-after-free'],
  ['KREF_PUT_UNDERFLOW', 'refcount-underflow', 'kref_put', 'refcount_t: underflow; use-after-free'],
  ['KREF_GET_SATURATED', 'leak', 'kref_get', 'refcount_t: saturated; leaking memory (get on a count an earlier misuse saturated)'],
] as const;
