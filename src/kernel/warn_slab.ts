/**
 * The WARN/BUG table's (warn.ts) slab rows: KASAN's reports on kzalloc'd private words
 * (kernel/priv_kasan.ts), each titled after the function that made the access or the free; each
 * carries the block's record (who allocated and freed it: kernel/priv_record.ts) as aux words.
 * The explanations carry no "BUG: KASAN:" head: the report's first line is that (exec/report.ts).
 */
export const SLAB_SPECS = [
  ['PRIV_USE_AFTER_FREE', 'use-after-free', 'priv_load', 'read or write of kzalloc\'d words after kfree gave them back'],
  ['PRIV_DOUBLE_FREE', 'use-after-free', 'kfree', 'kfree of words already given back (whatever length it names)'],
  ['PRIV_INVALID_FREE', 'use-after-free', 'kfree', 'kfree of words that are not the start of a kzalloc\'d block, or with a length other than the live block\'s'],
] as const;
