/**
 * The arena: one SharedArrayBuffer holding every piece of model, scheduler and trace state, so
 * that any thread attached to it sees the same world. Record accessors return the base index of
 * a record; field offsets come from layout.ts.
 */
import { HarnessError } from '../errno/errors.js';
import {
  ACTOR_WORDS, ARENA_MAGIC, ATTACH_WORDS, DEVICE_WORDS, DMABUF_WORDS, IOVA_WORDS, JOB_WORDS, VMA_ROWS, VMA_WORDS, PAGE_WORDS, CB_WORDS, CLASS_WORDS, CTX_WORDS, C_MODE, C_NACTORS, C_REPLAY_LEN,
  C_AWAKE, C_KERNEL, C_QUIRKS, C_SPIN_CORES, C_STATE, C_STEP_LIMIT, C_TRIAL, C_WAIT_POLICY, DECISION_WORDS, DEFAULT_GEOMETRY, EVENT_WORDS,
  FENCE_WORDS, FINDING_WORDS, GEOMETRY_KEYS, HANDLE_BITS, H_GEOMETRY, H_MAGIC, H_VERSION, H_WORDS,
  LAYOUT_VERSION, MAX_ACTORS, MAX_OBJECTS, MUTEX_WORDS, SCHED_PERSIST, SCHED_WORDS, TRIAL_RUNNING,
  computeLayout, cursorTables, type CursorTable, type Geometry, type Layout,
} from './layout.js';
import { giveBuffer, takeBuffer } from './arena_pool.js';

/** Settings a trial reset writes into the control record. */
export interface TrialSettings {
  readonly actors: number;
  readonly mode: number;
  readonly stepLimit: number;
  readonly waitPolicy: number;
  /** WAIT_ADAPT: the cores actors may spin on (C_SPIN_CORES); C_AWAKE starts at `actors`. */
  readonly spinCores?: number;
  /** Decisions preloaded in the log to be followed (replay); 0 otherwise. */
  readonly replayLen: number;
  /** KERNEL_FINAL or KERNEL_V3. */
  readonly kernel?: number;
  /** QUIRK_* bits: historical kernel behaviours. */
  readonly quirks?: number;
}

export class Arena {
  readonly sab: SharedArrayBuffer;
  readonly i32: Int32Array;
  readonly layout: Layout;
  /** Masks of the row bits of fence and DMA address handles, and of the generation bits above
   *  them (a DMA address leaves one bit for its mapping handle's + 1). */
  readonly fenceRowMask: number;
  readonly iovaRowMask: number;
  readonly fenceGenMask: number;
  readonly iovaGenMask: number;
  private readonly cursorTables: readonly CursorTable[];

  private constructor(sab: SharedArrayBuffer, layout: Layout) {
    this.sab = sab;
    this.i32 = new Int32Array(sab);
    this.layout = layout;
    this.fenceRowMask = (1 << layout.fenceRowBits) - 1;
    this.iovaRowMask = (1 << layout.iovaRowBits) - 1;
    this.cursorTables = cursorTables(layout);
    this.fenceGenMask = (1 << (HANDLE_BITS - layout.fenceRowBits)) - 1;
    this.iovaGenMask = (1 << (HANDLE_BITS - 1 - layout.iovaRowBits)) - 1;
  }

  /** A new zeroed arena with a validated header. */
  static create(partial: Partial<Geometry> = {}): Arena {
    const g = { ...DEFAULT_GEOMETRY, ...partial };
    validateGeometry(g);
    const layout = computeLayout(g);
    const arena = new Arena(takeBuffer(layout.words * 4), layout);
    const h = arena.i32;
    h[H_MAGIC] = ARENA_MAGIC;
    h[H_VERSION] = LAYOUT_VERSION;
    h[H_WORDS] = layout.words;
    GEOMETRY_KEYS.forEach((k, i) => { h[H_GEOMETRY + i] = g[k]; });
    return arena;
  }

  /**
   * Give this arena's buffer back for reuse by a later `create`. Precondition: this object and
   * every attachment to the buffer are no longer used (an inline executor after its last trial).
   */
  release(): void {
    giveBuffer(this.sab);
  }

  /** Attach to an arena made by another thread; refuses another layout version. */
  static attach(sab: SharedArrayBuffer): Arena {
    const h = new Int32Array(sab);
    if (h[H_MAGIC] !== ARENA_MAGIC || h[H_VERSION] !== LAYOUT_VERSION) {
      throw new HarnessError('ERR_ARENA_VERSION',
        `arena: expected magic ${ARENA_MAGIC.toString(16)} version ${LAYOUT_VERSION}, ` +
        `found ${(h[H_MAGIC] ?? 0).toString(16)} version ${h[H_VERSION]}`);
    }
    const g = {} as Record<keyof Geometry, number>;
    GEOMETRY_KEYS.forEach((k, i) => { g[k] = h[H_GEOMETRY + i] ?? 0; });
    return new Arena(sab, computeLayout(g));
  }

  get geometry(): Geometry { return this.layout.geometry; }

  actor(i: number): number { return this.layout.actors + i * ACTOR_WORDS; }
  mutex(m: number): number { return this.layout.mutexes + m * MUTEX_WORDS; }
  wwClass(c: number): number { return this.layout.classes + c * CLASS_WORDS; }
  ctx(x: number): number { return this.layout.ctxs + x * CTX_WORDS; }
  /** Record of fence handle `f` (its generation bits are dropped; see layout HANDLE_BITS). */
  fence(f: number): number { return this.layout.fences + (f & this.fenceRowMask) * FENCE_WORDS; }
  cb(b: number): number { return this.layout.callbacks + b * CB_WORDS; }
  resv(r: number): number { return this.layout.resvs + r * this.layout.resvWords; }
  finding(n: number): number { return this.layout.findings + n * FINDING_WORDS; }
  dmabuf(d: number): number { return this.layout.dmabufs + d * DMABUF_WORDS; }
  attachment(x: number): number { return this.layout.attachments + x * ATTACH_WORDS; }
  page(p: number): number { return this.layout.pages + p * PAGE_WORDS; }
  /** IOMMU entry of DMA address `x` (its generation bits are dropped). */
  iova(x: number): number { return this.layout.iovas + (x & this.iovaRowMask) * IOVA_WORDS; }
  device(d: number): number { return this.layout.devices + d * DEVICE_WORDS; }
  job(j: number): number { return this.layout.jobs + j * JOB_WORDS; }
  /** Row of vma `v` (shm/layout/vmas.ts); a handle outside 0 .. VMA_ROWS - 1 (an -errno taken
   *  for a vma) is the model's bug: ERR_MODEL, before any word of another region is touched. */
  vma(v: number): number {
    if (!Number.isInteger(v) || v < 0 || v >= VMA_ROWS) throw new HarnessError('ERR_MODEL', `vma ${v}: not a vma handle (0..${VMA_ROWS - 1})`);
    return this.layout.vmas + v * VMA_WORDS;
  }
  decision(n: number): number { return this.layout.decisions + n * DECISION_WORDS; }
  event(actor: number, n: number): number {
    const g = this.layout.geometry;
    return this.layout.trace + (actor * g.traceEvents + (n % g.traceEvents)) * EVENT_WORDS;
  }

  /**
   * Start a new trial in place: zero every per-trial table (control, actors, model objects,
   * findings, per-trial scheduler words), keep learned scheduler words, the decision log (it may
   * hold a replay) and the trace rings (their heads are reset), then mark the trial RUNNING.
   * Cursor tables (layout.ts cursorTables) are zeroed over the prefix of rows taken only (up to
   * their cursor, or their first row with a zero key): the rows past it were never written. The
   * free lists go with the control record: a trial starts with none. Never reallocates. Call only
   * while no actor of the previous trial runs.
   */
  resetTrial(s: TrialSettings): void {
    const { control, sched, resetEnd } = this.layout;
    const h = this.i32;
    const trial = h[control + C_TRIAL] ?? 0;
    let from = sched + SCHED_WORDS;
    for (const c of this.cursorTables) {
      const end = c.base + this.rowsTaken(c) * c.stride;
      if (end > from) h.fill(0, from, end); // most ranges are empty: a fill call costs ~15 ns even then
      from = c.base + c.rows * c.stride;
    }
    if (resetEnd > from) h.fill(0, from, resetEnd);
    h.fill(0, control, sched + SCHED_PERSIST);
    h[control + C_TRIAL] = trial + 1;
    h[control + C_NACTORS] = s.actors;
    h[control + C_MODE] = s.mode;
    h[control + C_STEP_LIMIT] = s.stepLimit;
    h[control + C_WAIT_POLICY] = s.waitPolicy;
    h[control + C_SPIN_CORES] = s.spinCores ?? 0;
    h[control + C_AWAKE] = s.actors;
    h[control + C_REPLAY_LEN] = s.replayLen;
    h[control + C_KERNEL] = s.kernel ?? 0;
    h[control + C_QUIRKS] = s.quirks ?? 0;
    Atomics.store(h, control + C_STATE, TRIAL_RUNNING);
  }

  /** Rows of cursor table `c` taken this trial: a prefix of the table (cursor_tables.ts). */
  private rowsTaken(c: CursorTable): number {
    const h = this.i32;
    if (c.cursor >= 0) return Math.min(h[this.layout.control + c.cursor]!, c.rows);
    let n = 0;
    while (n < c.rows && h[c.base + n * c.stride + c.key] !== 0) n++;
    return n;
  }

  /** Control-record word `field` (a C_* constant). */
  ctl(field: number): number { return this.i32[this.layout.control + field] ?? 0; }
  setCtl(field: number, value: number): void { this.i32[this.layout.control + field] = value; }
}

function validateGeometry(g: Geometry): void {
  for (const k of GEOMETRY_KEYS) {
    const v = g[k];
    if (!Number.isInteger(v) || v < 1 || v >= MAX_OBJECTS) {
      throw new HarnessError('ERR_BAD_OPTION', `geometry.${k}: expected an integer in 1..${MAX_OBJECTS - 1}, got ${v}`);
    }
  }
  if (g.actors > MAX_ACTORS) {
    throw new HarnessError('ERR_BAD_OPTION', `geometry.actors: expected at most ${MAX_ACTORS}, got ${g.actors}`);
  }
  // Reclaimed rows' handles keep a generation above the row bits (HANDLE_BITS; DMA addresses keep
  // one more bit clear): at least MIN_GEN_BITS of it, or a stale handle would pass for current.
  for (const [k, spare] of [['fences', 0], ['iovas', 1]] as const) {
    const max = 2 ** (HANDLE_BITS - spare - MIN_GEN_BITS);
    if (g[k] > max) {
      throw new HarnessError('ERR_BAD_OPTION', `geometry.${k}: expected at most ${max} (handles are ${HANDLE_BITS} bits with at least ${MIN_GEN_BITS} of generation), got ${g[k]}`);
    }
  }
}

/** Fewest generation bits a reclaimed table's handles keep. */
const MIN_GEN_BITS = 4;
