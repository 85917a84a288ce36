/**
 * `--trial-timeout`: a user's model whose trial legitimately runs for a while (here an actor that
 * computes for 300 ms without a scheduling point) is clean under each executor's default timeout,
 * and a hang in the watchdog under a shorter one; `replay` and `shrink` take the option too, so a
 * hang found under a short timeout comes back only under a timeout that is shorter than the trial;
 * so does `stress`, where it is how long a trial may go without progress.
 *
 * The stress watchdog does not count time the actor thread waited for a CPU, and the inline one
 * runs a trial again when its thread ran on a CPU for less than the timeout (exec/starved_rerun.ts;
 * a rerun that then runs the timeout of CPU is stopped under the timeout's watch once more),
 * so under stress and inline the actor computes for 300 ms of its own thread's CPU time (wall time
 * where the OS does not report it): 300 ms of wall time at a third of a CPU is 100 ms of CPU, no
 * hang under a 100 ms timeout. Controlled times whole trials on the wall clock, and there it
 * computes for 300 ms of wall time. Either way the outcome does not depend on how loaded the machine is. It
 * reads its clock between stretches that allocate nothing: time a thread spends parked in a
 * garbage collection, waiting for V8's helper threads to get a CPU, is counted (it is not a wait
 * for a CPU of its own), and at a load of 25 on 2 cores it doubled the counted time of a loop
 * that read the clock at every turn.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStressResults } from '../../../src/campaign/stress_schema.js';
import { ROOT_URL, cli, cliInProcess, cliRuns, tempDir } from '../../support/cli.js';
import { expectRefusal } from '../../support/refusal.js';

/** How long the slow actor computes without yielding (ms): above the short timeouts used below,
 *  well under every default (2 s inline, 10 s controlled, 1 s stress without progress). */
const SLOW_MS = 300;

/** What the slow actor's computation lasts: wall time, or its own thread's CPU time. */
type SlowClock = 'wall' | 'thread-cpu';

function writeSlow(dir: string, clock: SlowClock = 'wall'): string {
  const lib = `${ROOT_URL.href}dist/src`;
  const p = join(dir, 'slow.ts');
  const elapsed = clock === 'wall' ? '() => performance.now()' : `() => { const c = readThreadCpu(); return c === undefined ? performance.now() : c.runNs / 1e6; }`;
  writeFileSync(p, `import { defineScenario } from '${lib}/index.js';
import { cond_resched, type KGen, type Task } from '${lib}/kernel/index.js';
import { readThreadCpu } from '${lib}/exec/thread_cpu.js';

const elapsed = ${elapsed};

/** A stretch of computation that allocates nothing: reading the clock allocates (a file read),
 *  and a garbage collection parks the thread while V8's helper threads wait for a CPU. */
let sink = 0;
function crunch(): void {
  for (let i = 0; i < 20_000; i++) sink = (sink * 1103515245 + 12345) | 0;
}

export const slow = defineScenario({
  name: 'user-slow', module: import.meta.url, params: {}, expect: 'clean',
  setup: () => ({}),
  actors: () => [
    { name: 'cruncher', run: function* (t: Task): KGen<void> {
      yield* cond_resched(t);
      const end = elapsed() + ${SLOW_MS};
      while (elapsed() < end) crunch();
      yield* cond_resched(t);
    } },
    { name: 'bystander', run: function* (t: Task): KGen<void> { yield* cond_resched(t); } },
  ],
});
`);
  return p;
}

interface Row { ok: boolean; findings: { title: string; replayFile: string | null }[] }

function hunt(file: string, ...extra: string[]): { code: number | null; row: Row; stderr: string } {
  const r = cli('hunt', file, '--trials', '2', '--json', ...extra);
  const rows = r.code === 2 ? [] : JSON.parse(r.stdout) as Row[];
  return { code: r.code, row: rows[0]!, stderr: r.stderr };
}

describe('--trial-timeout', () => {
  it.each(['inline', 'controlled', 'stress'])('lets a slow trial finish by default and reports it as a hang below its length (%s)', { timeout: cliRuns(2) }, (executor) => {
    const file = writeSlow(tempDir(), executor === 'controlled' ? 'wall' : 'thread-cpu');
    const ok = hunt(file, '--executor', executor, '--no-artifacts');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.row.findings).toEqual([]);
    const short = hunt(file, '--executor', executor, '--no-artifacts', '--trial-timeout', '100ms');
    expect(short.code, short.stderr).toBe(1);
    expect(short.row.findings.map((f) => f.title)).toEqual(['hang in watchdog']);
  });

  it('is taken by replay and shrink: the hang reproduces only under a timeout shorter than the trial', { timeout: cliRuns(5) }, () => {
    const dir = tempDir();
    const file = writeSlow(dir, 'thread-cpu'); // inline, the default executor
    const found = hunt(file, '--trial-timeout', '100ms', '--out', join(dir, 'out'));
    const replayFile = found.row.findings[0]!.replayFile!;
    expect(cli('replay', replayFile, '--trial-timeout', '100ms').code).toBe(0);
    expect(cli('replay', replayFile).code).toBe(1);
    expect(cli('shrink', replayFile, '--trial-timeout', '100ms', '--out', join(dir, 's.json')).code).toBe(0);
    expect(cli('shrink', replayFile, '--out', join(dir, 't.json')).code).toBe(1);
  });

  it('is taken by stress: a slow trial is clean by default and a hang with less time without progress', { timeout: cliRuns(2) }, () => {
    const file = writeSlow(tempDir(), 'thread-cpu');
    const stress = (...extra: string[]): { code: number | null; findings: { kind: string; title: string }[]; stderr: string } => {
      const r = cli('stress', file, '--duration', '400ms', '--warmup', '200ms', '--json', '--no-artifacts', ...extra);
      return { code: r.code, stderr: r.stderr, findings: r.code === 2 ? [] : parseStressResults('stdout', JSON.parse(r.stdout)).findings };
    };
    const ok = stress();
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.findings).toEqual([]);
    const short = stress('--trial-timeout', '100ms');
    expect(short.code, short.stderr).toBe(1);
    expect(short.findings.map((f) => [f.kind, f.title])).toEqual([['hang', 'hang in watchdog']]);
  });

  it.each(['0', '-1s', 'soon', '1w', '10'])('refuses %s as a duration under hunt and stress (exit 2, one line)', { timeout: cliRuns(2) }, async (v) => {
    for (const run of [['hunt', 'resv-lock-once'], ['stress', 'stress-revoke', '--duration', '1s']]) {
      expectRefusal(await cliInProcess(...run, '--trial-timeout', v), 'ERR_BAD_OPTION', ['--trial-timeout', v]);
    }
  });

  it('takes 1s', { timeout: cliRuns(1) }, () => {
    const ok = cli('hunt', 'resv-lock-once', '--trial-timeout', '1s', '--trials', '1', '--no-artifacts');
    expect(ok.code, ok.stderr).toBe(0);
  });
});
