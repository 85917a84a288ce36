/**
 * `node dist/bench/profile_summary.js DIR... [--top N] [--all]`: a text summary of CPU profiles,
 * so reading one needs no Chrome DevTools. Finds, under each DIR (recursively), V8 `.cpuprofile`
 * files (from `node --cpu-prof`: one per thread, `CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile`,
 * thread 0 being the main thread) and clinic flame sample files (`*.clinic-flame-samples`). By
 * default only the newest process's profiles are shown (profiles accumulate in the directory);
 * `--all` shows every one. For each profile: wall time covered, the share spent idle, in GC and
 * in V8 itself ("(program)"), then the top N functions by self time and by total (inclusive) time.
 * Function locations are compiled files under dist/ (lines are the .js lines, 1-based).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { plural } from '../src/campaign/stress_format.js';

interface CallFrame { readonly functionName: string; readonly url: string; readonly lineNumber: number }
interface ProfileNode { readonly id: number; readonly callFrame: CallFrame; readonly children?: readonly number[] }
interface CpuProfile { readonly nodes: readonly ProfileNode[]; readonly startTime: number; readonly endTime: number; readonly samples: readonly number[]; readonly timeDeltas: readonly number[] }
interface FlameFrame { readonly name: string; readonly type: string }

/** Per-function self and total time (µs, or samples for clinic flame) of one profile. */
interface Summary {
  readonly label: string;
  readonly file: string;
  readonly unit: 'ms' | 'samples';
  readonly total: number;
  readonly self: Map<string, number>;
  readonly inclusive: Map<string, number>;
  /** clinic flame only: native (C++, shared library) leaf frames. */
  readonly native?: Map<string, number>;
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);
const cwd = process.cwd();
/** `path` relative to the working directory when inside it, else as is. */
const shown = (path: string): string => (relative(cwd, path).startsWith('..') ? path : relative(cwd, path));

function location(f: CallFrame): string {
  const name = f.functionName === '' ? '(anonymous)' : f.functionName;
  if (f.url === '' || SPECIAL.has(name)) return name;
  const url = f.url.startsWith('file://') ? shown(new URL(f.url).pathname) : f.url;
  return `${name}  ${url}:${f.lineNumber + 1}`;
}

function cpuProfile(file: string, label: string): Summary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Sample i lasts until sample i+1 (timeDeltas[i+1]); the last one until endTime.
  const perNode = new Map<number, number>();
  let t = p.startTime;
  const times: number[] = [];
  for (const d of p.timeDeltas) { t += d; times.push(t); }
  for (let i = 0; i < p.samples.length; i++) {
    const dur = (i + 1 < times.length ? times[i + 1]! : p.endTime) - times[i]!;
    perNode.set(p.samples[i]!, (perNode.get(p.samples[i]!) ?? 0) + Math.max(0, dur));
  }
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, us] of perNode) {
    const key = location(byId.get(id)!.callFrame);
    self.set(key, (self.get(key) ?? 0) + us);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = location(byId.get(cur)!.callFrame);
      if (seen.has(k)) continue; // recursion: count a function once per sample
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    }
  }
  return { label, file, unit: 'ms', total: p.endTime - p.startTime, self, inclusive };
}

/**
 * clinic flame (0x) samples: one stack per tick, root first. 0x runs node with `--prof` and
 * `--print-opt-source`, whose log writes land in the samples as native leaves (`__write`), so self
 * time is charged to the innermost JS frame; the native leaves are listed on their own.
 */
function flameSamples(file: string, label: string): Summary {
  const stacks = JSON.parse(readFileSync(file, 'utf8')) as FlameFrame[][];
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const native = new Map<string, number>();
  for (const st of stacks) {
    const js = st.filter((f) => f.type === 'JS');
    const leaf = js.length === 0 ? '(no JS frame)' : flameName(js[js.length - 1]!);
    self.set(leaf, (self.get(leaf) ?? 0) + 1);
    for (const k of new Set(js.map(flameName))) inclusive.set(k, (inclusive.get(k) ?? 0) + 1);
    const last = st[st.length - 1];
    if (last !== undefined && last.type !== 'JS') native.set(last.name, (native.get(last.name) ?? 0) + 1);
  }
  return { label, file, unit: 'samples', total: stacks.length, self, inclusive, native };
}

/** `name file:///abs/path.js:L:C` → `name  rel/path.js:L`; `name node:x:L:C` → `name  node:x:L`. */
function flameName(f: FlameFrame): string {
  const m = /^(.*?) ?((?:file:\/\/|node:)\S+?)(?::(\d+))?(?::\d+)?$/.exec(f.name);
  if (m === null) return f.name;
  const where = m[2]!.startsWith('file://') ? shown(new URL(m[2]!).pathname) : m[2]!;
  return `${m[1] === '' ? '(anonymous)' : m[1]}  ${where}${m[3] === undefined ? '' : `:${m[3]}`}`;
}

interface Found { readonly file: string; readonly group: string; readonly label: string; readonly order: number; readonly mtime: number }

/** Profiles under `dir`, each with its process group (pid) and thread label. */
function find(dir: string, out: Found[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, e.name);
    if (e.isDirectory()) { find(file, out); continue; }
    const mtime = statSync(file).mtimeMs;
    const cpu = /^CPU\.(\d+\.\d+)\.(\d+)\.(\d+)\.(\d+)\.cpuprofile$/.exec(e.name);
    if (cpu !== null) {
      const thread = Number(cpu[3]);
      out.push({ file, group: `node --cpu-prof, pid ${cpu[2]}`, label: thread === 0 ? 'main thread' : `worker thread ${thread}`, order: thread, mtime });
    } else if (e.name.endsWith('.cpuprofile')) {
      out.push({ file, group: file, label: basename(file), order: 0, mtime });
    } else if (e.name.endsWith('.clinic-flame-samples')) {
      out.push({ file, group: `clinic flame pid ${e.name.split('.')[0]}`, label: 'main thread (clinic flame)', order: 0, mtime });
    }
  }
}

function fmt(s: Summary, x: number): string {
  return s.unit === 'ms' ? `${(x / 1000).toFixed(1).padStart(8)} ms` : `${String(x).padStart(8)} sm`;
}

function printSummary(s: Summary, top: number): void {
  const share = (x: number): string => `${((100 * x) / Math.max(1, s.total)).toFixed(1).padStart(5)} %`;
  const idle = s.self.get('(idle)') ?? 0;
  const gc = s.self.get('(garbage collector)') ?? 0;
  const program = s.self.get('(program)') ?? 0;
  console.log(`\n== ${s.label}: ${shown(s.file)}`);
  console.log(s.unit === 'ms'
    ? `   ${(s.total / 1000).toFixed(0)} ms profiled; idle ${share(idle).trim()}, GC ${share(gc).trim()}, V8/native "(program)" ${share(program).trim()}, JS ${share(s.total - idle - gc - program).trim()}`
    : `   ${s.total} samples (~1 ms each); self time is charged to the innermost JS frame`);
  const rank = (m: Map<string, number>, skip: boolean): [string, number][] =>
    [...m].filter(([k]) => !(skip && SPECIAL.has(k))).sort((a, b) => b[1] - a[1]).slice(0, top);
  console.log(`   top ${top} by self time:`);
  for (const [k, v] of rank(s.self, false)) console.log(`   ${fmt(s, v)} ${share(v)}  ${k}`);
  if (s.native !== undefined) {
    const leaves = rank(s.native, false).slice(0, 5).map(([k, v]) => `${k} ${share(v).trim()}`);
    console.log(`   native leaf frames (profiler log writes show as __write): ${leaves.join(', ')}`);
  }
  console.log(`   top ${top} by total time (self + callees), excluding the root:`);
  for (const [k, v] of rank(s.inclusive, true)) console.log(`   ${fmt(s, v)} ${share(v)}  ${k}`);
}

function main(): number {
  const args = process.argv.slice(2);
  let top = 15;
  let all = false;
  const dirs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--top') top = Number(args[++i]);
    else if (args[i] === '--all') all = true;
    else dirs.push(args[i]!);
  }
  if (dirs.length === 0 || !Number.isInteger(top) || top <= 0) {
    console.error('usage: node dist/bench/profile_summary.js DIR... [--top N] [--all]');
    return 2;
  }
  const found: Found[] = [];
  for (const d of dirs) {
    if (statSync(d, { throwIfNoEntry: false })?.isDirectory() !== true) { console.error(`${d}: not a directory`); return 2; }
    find(d, found);
  }
  if (found.length === 0) { console.error(`no .cpuprofile or .clinic-flame-samples under ${dirs.join(', ')}`); return 1; }
  const groups = new Map<string, Found[]>();
  for (const f of found) groups.set(f.group, [...(groups.get(f.group) ?? []), f]);
  const newest = (g: Found[]): number => Math.max(...g.map((f) => f.mtime));
  const ordered = [...groups].sort((a, b) => newest(a[1]) - newest(b[1]));
  for (const [group, files] of all ? ordered : ordered.slice(-1)) {
    console.log(`# ${group}: ${plural(files.length, 'profile')}${!all && ordered.length > 1 ? ` (newest of ${ordered.length} runs; --all for every run)` : ''}`);
    for (const f of files.sort((a, b) => a.order - b.order)) {
      printSummary(f.file.endsWith('.cpuprofile') ? cpuProfile(f.file, f.label) : flameSamples(f.file, f.label), top);
    }
  }
  return 0;
}

process.exitCode = main();
