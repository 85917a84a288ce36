/**
 * `dmabuf-harness stress` end to end on real worker threads: a short run of the canonical revoke
 * scenario (free-running) writes a results JSON that validates against the schema, with revoke
 * percentiles and per-engine DMA throughput; the SVG is well-formed with the expected series;
 * --compare prints ratios; a buggy exporter knob is still reported (exit 1); bad input is one
 * line and exit 2, with nothing written.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHASE_NAMES } from '../../../src/kernel/phases.js';
import { parseStressResults, type StressResults } from '../../../src/campaign/stress_schema.js';
import { cli, cliInProcess, cliRuns, freshScenarioName, tempDir } from '../../support/cli.js';
import { expectRefusal, expectRefusedWritingNothing } from '../../support/refusal.js';
import { checkSvg } from '../../support/svg.js';
import { writeUserScenario } from '../../support/user_scenario.js';

/** Why a stress run expected clean was not: its stderr, then what its stdout (the summary or the
 *  results JSON) says from its findings on — a false report under load then says what it was. */
const notClean = (r: { stdout: string; stderr: string }): string => `${r.stderr}\n${r.stdout.slice(Math.max(0, r.stdout.indexOf('findings'))).slice(0, 4000)}`;

describe('stress on the canonical revoke scenario', () => {
  let dir: string;
  let stdout: string;
  let code: number | null;
  let stderr: string;

  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dmabuf-stress-'));
    const r = cli('stress', 'stress-revoke', '--duration', '2s', '--out', join(dir, 'a.json'), '--svg', join(dir, 'a.svg'), '--json');
    ({ stdout, code, stderr } = r);
  });

  it('exits 0 with the results JSON on stdout and no status line', () => {
    expect(code, notClean({ stdout, stderr })).toBe(0);
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual(JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8')));
  });

  it('writes results that validate, with revoke p50/p99/max and DMA throughput per engine', () => {
    const r = parseStressResults('a.json', JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8')));
    const rev = r.operations.revoke!;
    expect(rev.count).toBeGreaterThan(10);
    expect(rev.p50Ns).toBeGreaterThan(0);
    expect(rev.p50Ns).toBeLessThanOrEqual(rev.p99Ns);
    expect(rev.p99Ns).toBeLessThanOrEqual(rev.maxNs);
    for (const op of ['invalidate', 'fence-wait', 'unmap-wait', 'map', 'dma-job']) expect(r.operations[op]!.count, op).toBeGreaterThan(0);
    expect(r.dma.engines.map((e) => e.actor)).toEqual(['engine0']);
    expect(r.dma.engines[0]!.bytesPerSec).toBeGreaterThan(0);
    expect(r.locks.acquisitions).toBeGreaterThan(0);
    for (const p of r.locks.perActor.filter((x) => x.actor.startsWith('importer'))) expect(p.acquisitions, p.actor).toBeGreaterThan(0);
    expect(r.findings).toEqual([]);
    expect(r.params).toMatchObject({ importers: 2, engines: 1 });
  });

  it('records every actor thread\'s CPU time over the measured run, no more than the run lasted', () => {
    const r = parseStressResults('a.json', JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8')));
    expect(r.threads?.perActor.map((p) => p.actor)).toEqual(['vfio', 'importer0', 'importer1', 'engine0']);
    const engine = r.threads!.perActor.find((p) => p.actor === 'engine0')!;
    expect(engine.cpuMs).toBeGreaterThan(0.02 * r.wallMs);
    expect(engine.slices).toBeGreaterThan(0);
    for (const p of r.threads!.perActor) expect(p.cpuMs + p.runqMs, p.actor).toBeLessThan(r.wallMs + 50);
  });

  it('draws a well-formed SVG with one series per operation and per engine', () => {
    const ids = checkSvg(readFileSync(join(dir, 'a.svg'), 'utf8'));
    for (const op of PHASE_NAMES) expect(ids.has(`lat-${op}`), op).toBe(true);
    expect(ids.get('lat-revoke')!.children).toBeGreaterThan(0);
    expect(ids.get('tput-engine0')!.children).toBe(1);
  });

  it('compares two runs side by side with ratios', { timeout: cliRuns(2) }, () => {
    const b = join(dir, 'b.json');
    const run = cli('stress', 'stress-revoke', '--duration', '1s', '--importers', '3', '--buffer-size', '4M', '--job-size', '1M', '--out', b);
    expect(run.code, notClean(run)).toBe(0);
    expect(run.stdout).toMatch(/^revoke\s+\d+/m);
    const cmp = cli('stress', '--compare', join(dir, 'a.json'), b);
    expect(cmp.code, cmp.stderr).toBe(0);
    expect(cmp.stdout).toContain('importers: 2 → 3');
    expect(cmp.stdout).toMatch(/^revoke p99\s+.+\s+\d+\.\d\d×$/m);
    expect(cmp.stdout).toMatch(/^dma engine0\s+.+B\/s\s+.+B\/s\s+\d+\.\d\d×$/m);
  });
});

describe('stress still reports findings', () => {
  it('an exporter that does not wait for fences is a finding: exit 1', () => {
    const r = cli('stress', 'stress-revoke', '--duration', '5s', '--param', 'revokeWait=none', '--json', '--no-artifacts');
    expect(r.code, r.stderr).toBe(1);
    const res: StressResults = parseStressResults('stdout', JSON.parse(r.stdout));
    expect(res.findings.length).toBeGreaterThan(0);
    expect(res.findings.map((f) => f.kind)).toEqual(expect.arrayContaining([expect.stringMatching(/use-after-revoke|assertion/)]));
  });
});

describe('stress refuses bad input', () => {
  const expectRefused = (needle: string, ...args: string[]): Promise<void> => expectRefusedWritingNothing('r.json', needle, ['stress', ...args]);

  it.each([
    ['--duration', ['stress-revoke', '--duration', 'soon']],
    ['--warmup', ['stress-revoke', '--warmup', '0s']],
    ['--duration', ['stress-revoke', '--duration', '1' + '0'.repeat(400) + 's']],
    ['--warmup', ['stress-revoke', '--duration', '1s', '--warmup', '100000h']],
    ['--buffer-size', ['stress-revoke', '--buffer-size', '1000']],
    ['--job-size', ['stress-revoke', '--buffer-size', '8M', '--job-size', '1100K']],
    ['--revoke-every', ['stress-revoke', '--revoke-every', '0.1ms']],
    ['--delay', ['stress-revoke', '--delay', '2']],
    ['--importers', ['stress-revoke', '--importers', '0']],
    ['--engines 3', ['stress-revoke', '--importers', '2', '--engines', '3']],
    ['--engines 2', ['abba-ww-backoff', '--engines', '2']],
    ['--engines 3', ['revoke-wait-bookkeep', '--engines', '3']],
    ['no-such-scenario', ['no-such-scenario']],
    ['expected a scenario', []],
  ] as const)('%s', async (needle, args) => {
    await expectRefused(needle, ...args);
  });

  const unwritable: [string, (plain: string) => string][] = [['under a regular file', (plain) => join(plain, 'r.json')]];
  // access(2) grants root a write to /proc that the file system then refuses.
  if (existsSync('/proc/self')) unwritable.push(['under /proc', () => '/proc/dmabuf-harness-r.json']);
  it.each(unwritable)('an --out %s: refused before any trial runs, naming --out and the path, nothing written', async (_where, outPath) => {
    const dir = tempDir();
    const log = join(dir, 'setups.log');
    const file = writeUserScenario(dir, { name: freshScenarioName(), setupLog: log });
    const plain = join(dir, 'plain');
    writeFileSync(plain, 'x');
    const before = readdirSync(dir).sort();
    const out = outPath(plain);
    expectRefusal(await cliInProcess('stress', file, '--duration', '1s', '--out', out), 'ERR_OUTPUT', [`--out ${out}`]);
    expect(existsSync(log)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(readFileSync(plain, 'utf8')).toBe('x');
    expect(existsSync(out)).toBe(false);
  });

  it('--svg naming the --out file', async () => {
    const out = join(tempDir(), 'r.json');
    const r = await cliInProcess('stress', 'stress-revoke', '--duration', '1s', '--out', out, '--svg', out);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--svg');
    expect(existsSync(out)).toBe(false);
  });

  it('--compare with a malformed, missing or directory results file, or one file', { timeout: cliRuns(4) }, async () => {
    const dir = tempDir();
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 'dmabuf-harness-stress-results', version: 1 }));
    for (const [needle, args] of [[bad, [bad, bad]], ['no such file', [join(dir, 'none.json'), bad]], ['expected two', [bad]], [dir, [dir, bad]]] as const) {
      const r = await cliInProcess('stress', '--compare', ...args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(needle);
    }
  });
});
