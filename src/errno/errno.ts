/**
 * Linux errno numbers used by the model. Model functions return `0` or `-E*`; names are kept
 * so reports and traces print `-EDEADLK` rather than `-35`.
 */
export const EPERM = 1;
export const ENOENT = 2;
export const EINTR = 4;
export const ENOEXEC = 8;
export const EBADF = 9;
export const EAGAIN = 11;
export const ENOMEM = 12;
export const EFAULT = 14;
export const EBUSY = 16;
export const EEXIST = 17;
export const ENODEV = 19;
export const EINVAL = 22;
export const EDEADLK = 35;
export const ETIME = 62;
export const EOVERFLOW = 75;
export const EOPNOTSUPP = 95;
export const ETIMEDOUT = 110;
export const EALREADY = 114;
/** Kernel-internal: a signal interrupted an interruptible sleep. */
export const ERESTARTSYS = 512;

const NAMES: ReadonlyMap<number, string> = new Map([
  [EPERM, 'EPERM'], [ENOENT, 'ENOENT'], [EINTR, 'EINTR'], [ENOEXEC, 'ENOEXEC'],
  [EBADF, 'EBADF'], [EAGAIN, 'EAGAIN'], [ENOMEM, 'ENOMEM'], [EFAULT, 'EFAULT'], [EBUSY, 'EBUSY'], [EEXIST, 'EEXIST'],
  [ENODEV, 'ENODEV'], [EINVAL, 'EINVAL'], [EDEADLK, 'EDEADLK'], [ETIME, 'ETIME'],
  [EOVERFLOW, 'EOVERFLOW'], [EOPNOTSUPP, 'EOPNOTSUPP'], [ETIMEDOUT, 'ETIMEDOUT'],
  [EALREADY, 'EALREADY'], [ERESTARTSYS, 'ERESTARTSYS'],
]);

/** `-35` → `"-EDEADLK"`; non-negative values and unknown codes print as numbers. */
export function errname(ret: number): string {
  if (ret >= 0) return String(ret);
  const n = NAMES.get(-ret);
  return n === undefined ? String(ret) : `-${n}`;
}
