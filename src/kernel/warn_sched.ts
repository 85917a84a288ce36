/**
 * The WARN/BUG table's (warn.ts) scheduling rows: sleeping or scheduling in atomic context, a sleep
 * range inverted, and the soft-lockup watchdog.
 */
export const SCHED_SPECS = [
  // Titled after the function that may sleep (the might_sleep call site), not might_sleep itself.
  ['SLEEP_IN_ATOMIC', 'assertion', 'might_sleep', 'BUG: sleeping function called from invalid context: a function that may sleep called where the task is not preemptible (in_atomic(): a spinlock held — inside a fence callback, under the fence lock —, hardirq context; or irqs_disabled())'],
  // Titled after the call that schedules (msleep, usleep_range): schedule_debug.ts.
  ['SCHEDULE_WHILE_ATOMIC', 'assertion', 'schedule', 'BUG: scheduling while atomic: a call that schedules without might_sleep (msleep, usleep_range) made while the task holds a spinlock or runs in hardirq context (preempt_count only: interrupts disabled alone are no report)'],
  ['USLEEP_RANGE_INVERTED', 'assertion', 'usleep_range_state', 'WARN_ON_ONCE(max < min): maximum sleep below the minimum (the sleep lasts min, without slack)'],
  // The watchdog's report names the function the CPU is stuck in (syzbot: "BUG: soft lockup in
  // <fn>"): the looping caller is the site, so each stuck loop is its own finding.
  ['SOFT_LOCKUP', 'hang', 'watchdog_timer_fn', 'BUG: soft lockup: a retry or busy-wait loop whose exit condition never comes (a writer or a DMA burst that never finishes)'],
] as const;
