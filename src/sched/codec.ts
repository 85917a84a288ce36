/**
 * A compact text codec for a decision list (the schedule a replay follows).
 *
 * Text: the version char `CODEC_VERSION`, then the payload bytes in unpadded base64url.
 * Payload: unsigned LEB128 varints —
 *   count                       number of decisions
 *   then runs, until `count` decisions are covered:
 *     actor, length - 1         a maximal run of consecutive decisions by one actor
 *     per decision of the run:  0, rotl8(op)  an op not seen before (appended to the dictionary)
 *                               i + 1       dictionary entry i (ops in order of first appearance)
 * A literal op is stored rotated left by 8 bits, so a packed op (code in bits 24..30, a small
 * object id below) costs 2 bytes instead of 4–5. A schedule with few context switches and an op
 * vocabulary under 127 ops costs about one byte per decision (≈1.34 chars).
 * The encoding is canonical: the decoder accepts only what the encoder produces (minimal
 * varints, maximal runs, no repeated literal, no trailing bits or bytes), so
 * `encodeDecisions(decodeDecisions(s)) === s` for every accepted `s`.
 */

export interface Decision {
  /** Actor index, integer in [0, 2^31). */
  readonly actor: number;
  /** Packed op (see shm/layout `packOp`), integer in [0, 2^31). */
  readonly op: number;
}

export const CODEC_VERSION = '1';
const MAX_VALUE = 0x7fffffff;
const MAX_UINT32 = 0xffffffff;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) DIGIT[ALPHABET.charCodeAt(i)] = i;

function pushVarint(out: number[], v: number): void {
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
}

function checkValue(v: number, what: string, i: number): void {
  if (!Number.isInteger(v) || v < 0 || v > MAX_VALUE) {
    throw new RangeError(`decision ${i}: ${what} ${v} is not an integer in [0, 2^31)`);
  }
}

/** Encodes `list`. Pre: every actor and op is an integer in [0, 2^31) (else RangeError). */
export function encodeDecisions(list: readonly Decision[]): string {
  const out: number[] = [];
  const dict = new Map<number, number>();
  pushVarint(out, list.length);
  for (let i = 0; i < list.length; ) {
    const actor = list[i]!.actor;
    let end = i;
    while (end < list.length && list[end]!.actor === actor) end++;
    checkValue(actor, 'actor', i);
    pushVarint(out, actor);
    pushVarint(out, end - i - 1);
    for (; i < end; i++) {
      const op = list[i]!.op;
      checkValue(op, 'op', i);
      const at = dict.get(op);
      if (at !== undefined) {
        pushVarint(out, at + 1);
      } else {
        dict.set(op, dict.size);
        out.push(0);
        pushVarint(out, ((op << 8) | (op >>> 24)) >>> 0);
      }
    }
  }
  return CODEC_VERSION + toBase64url(out);
}

function toBase64url(bytes: readonly number[]): string {
  let s = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    s += ALPHABET[v >>> 18]! + ALPHABET[(v >>> 12) & 63]! + ALPHABET[(v >>> 6) & 63]!
      + ALPHABET[v & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const v = bytes[i]!;
    s += ALPHABET[v >>> 2]! + ALPHABET[(v & 3) << 4]!;
  } else if (rest === 2) {
    const v = (bytes[i]! << 8) | bytes[i + 1]!;
    s += ALPHABET[v >>> 10]! + ALPHABET[(v >>> 4) & 63]! + ALPHABET[(v & 15) << 2]!;
  }
  return s;
}

function fail(message: string): never {
  throw new Error(`bad schedule encoding: ${message}`);
}

/** Strict base64url decode of `s` from char `from`; errors name the char position in `s`. */
function fromBase64url(s: string, from: number): Uint8Array {
  const chars = s.length - from;
  if (chars % 4 === 1) {
    fail(`base64url length ${chars} is impossible (ends at position ${s.length})`);
  }
  const out = new Uint8Array(Math.floor((chars * 6) / 8));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let p = from; p < s.length; p++) {
    const c = s.charCodeAt(p);
    const d = c < 128 ? DIGIT[c]! : -1;
    if (d < 0) fail(`invalid base64url character ${JSON.stringify(s[p])} at position ${p}`);
    acc = ((acc << 6) | d) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) {
    fail(`non-zero padding bits in the last character at position ${s.length - 1}`);
  }
  return out;
}

/** A cursor over payload bytes reading canonical varints; errors name the byte offset. */
class Reader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  get left(): number {
    return this.bytes.length - this.pos;
  }

  /** A varint in [0, max]; pre: max < 2^35. */
  varint(what: string, max = MAX_VALUE): number {
    const start = this.pos;
    let v = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (this.pos >= this.bytes.length) fail(`truncated ${what} at byte ${start}`);
      const b = this.bytes[this.pos++]!;
      v += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) {
        if (b === 0 && shift > 0) fail(`overlong varint for ${what} at byte ${start}`);
        if (v > max) fail(`${what} ${v} exceeds ${max} at byte ${start}`);
        return v;
      }
    }
    return fail(`varint for ${what} longer than 5 bytes at byte ${start}`);
  }
}

/**
 * Decodes a string made by `encodeDecisions`.
 * Throws Error("bad schedule encoding: … at position|byte N") on any malformed or non-canonical
 * input: positions count chars of `s`, bytes count the decoded payload.
 */
export function decodeDecisions(s: string): Decision[] {
  if (s.length === 0) fail('empty string (expected a version char)');
  if (s[0] !== CODEC_VERSION) {
    fail(`unknown version ${JSON.stringify(s[0])} at position 0 (expected "${CODEC_VERSION}")`);
  }
  const r = new Reader(fromBase64url(s, 1));
  const count = r.varint('decision count');
  if (count > r.left) {
    fail(`decision count ${count} exceeds the ${r.left} payload bytes left at byte ${r.pos}`);
  }
  const list: Decision[] = [];
  const dict: number[] = [];
  const seen = new Set<number>();
  let prevActor = -1;
  while (list.length < count) {
    const at = r.pos;
    const actor = r.varint('actor');
    if (actor === prevActor) {
      fail(`run at byte ${at} repeats actor ${actor} (runs must be maximal)`);
    }
    const len = r.varint('run length') + 1;
    if (len > count - list.length) {
      fail(`run of ${len} at byte ${at} overruns the ${count} declared decisions`);
    }
    for (let i = 0; i < len; i++) list.push({ actor, op: readOp(r, dict, seen) });
    prevActor = actor;
  }
  if (r.left !== 0) fail(`${r.left} trailing bytes at byte ${r.pos}`);
  return list;
}

function readOp(r: Reader, dict: number[], seen: Set<number>): number {
  const at = r.pos;
  const code = r.varint('op code');
  if (code === 0) {
    const rotated = r.varint('op literal', MAX_UINT32);
    const op = ((rotated >>> 8) | (rotated << 24)) >>> 0;
    if (op > MAX_VALUE) fail(`op literal ${op} at byte ${at} exceeds 2^31-1`);
    if (seen.has(op)) fail(`op ${op} at byte ${at} is already in the dictionary`);
    seen.add(op);
    dict.push(op);
    return op;
  }
  const op = dict[code - 1];
  if (op === undefined) {
    fail(`op reference ${code - 1} at byte ${at} is outside the dictionary of ${dict.length}`);
  }
  return op;
}
