/**
 * The WARN/BUG table's (warn.ts) dma_fence rows: contexts, errors, references, signalling,
 * callbacks (adding, removing and freeing a node) and the fence containers (array, chain).
 */
export const FENCE_SPECS = [
  ['FENCE_CONTEXT_ALLOC_ZERO', 'assertion', 'dma_fence_context_alloc', 'WARN_ON(!num): zero fence contexts allocated (the returned context is the next caller\'s too)'],
  ['FENCE_ERROR_SIGNALED', 'assertion', 'dma_fence_set_error', 'error set on an already signaled fence'],
  ['FENCE_ERROR_RANGE', 'assertion', 'dma_fence_set_error', 'error is not a negative errno'],
  ['FENCE_RELEASE_PENDING', 'refcount-underflow', 'dma_fence_release', 'fence released with pending signals'],
  ['FENCE_LOCK_NOT_HELD', 'lock-not-held', 'dma_fence_signal_locked', 'lockdep_assert_held(fence->lock): signalling with the fence lock not held'],
  ['FENCE_PUT_UNDERFLOW', 'refcount-underflow', 'dma_fence_put', 'fence reference count below zero'],
  ['FENCE_GET_RELEASED', 'use-after-free', 'dma_fence_get', 'reference taken on a released fence'],
  ['FENCE_GET_SATURATED', 'leak', 'dma_fence_get', 'refcount_t: saturated; leaking memory (get on a fence whose count an earlier misuse saturated)'],
  ['FENCE_GET_RCU_SATURATED', 'leak', 'dma_fence_get_rcu', 'refcount_t: saturated; leaking memory (kref_get_unless_zero on a saturated count)'],
  ['FENCE_USE_AFTER_FREE', 'use-after-free', 'dma_fence_signal', 'fence used through a handle kept past its release'],
  ['FENCE_LATER_CONTEXT', 'assertion', 'dma_fence_is_later', 'WARN_ON(f1->context != f2->context): comparing fences of different contexts'],
  ['FENCE_WAIT_NEGATIVE', 'assertion', 'dma_fence_wait_timeout', 'negative timeout'],
  ['FENCE_CB_NO_FENCE', 'assertion', 'dma_fence_add_callback', 'WARN_ON(!fence): callback added to a NULL fence'],
  ['FENCE_CB_NULL', 'assertion', 'dma_fence_add_callback', 'WARN_ON(!func): callback function is NULL (no entry in the callback table)'],
  ['FENCE_CB_PENDING', 'assertion', 'dma_fence_add_callback', 'callback node still pending on a fence (registered on two fences, or twice)'],
  // Not a check the kernel makes: its dma_fence_remove_callback tests the node alone and
  // list_del_init's it from whatever list it is on, under the passed fence's lock — a data race on
  // the other fence's list that KCSAN (or DEBUG_LIST, once it corrupts the list) would report.
  ['FENCE_CB_REMOVE_OTHER', 'assertion', 'dma_fence_remove_callback', 'callback removed through a fence it is not armed on: the node is unlinked from the other fence\'s list under the wrong fence\'s lock'],
  // dma_fence_cb_free (the kfree of a driver's or the core's struct dma_fence_cb) of a node still
  // pending on a fence: the fence's list would later run or unlink freed memory.
  ['FENCE_CB_FREE_PENDING', 'use-after-free', 'kfree', 'dma_fence_cb freed while still armed on a fence (its callback list still links it)'],
  ['FENCE_ARRAY_EMPTY', 'assertion', 'dma_fence_array_init', 'WARN_ON(!num_fences || !fences): a fence array of no fences'],
  ['FENCE_ARRAY_CONTAINER', 'assertion', 'dma_fence_array_init', 'WARN_ON(dma_fence_is_container()): a container inside a fence array (flatten it first)'],
  ['FENCE_CHAIN_NESTED', 'assertion', 'dma_fence_chain_init', 'WARN_ON(dma_fence_is_chain(fence)): a chain node as the fence of another node (chain through prev, or flatten into an array)'],
] as const;
