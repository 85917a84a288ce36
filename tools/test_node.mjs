// `npm run test:node [-- VERSION...]`: the user-file tests (test/integration/cli/user_*,
// test/unit/exec/user_*) under other Node versions, default the LTS lines 22 and 24. A VERSION
// is what npm's `node@VERSION` takes (22, 24.11, 22.15.0). Each is fetched from the npm registry
// (the `node` package) once into node_modules/.cache/dmabuf-harness-node/<exact version>/, and
// vitest runs under that binary: its test processes and the CLI runs they start
// (process.execPath) then run on it too. Opt-in: `npm test` and .ci/run never download a Node.
// Exit 0 when every version passed; 1 when a version cannot be fetched (one line, nothing
// skipped) or its tests failed; 2 for a VERSION npm's node@ cannot take.
/* global process, console, URL */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE = join(ROOT, 'node_modules', '.cache', 'dmabuf-harness-node');
const VITEST = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const FILES = ['dist/test/integration/cli/user_', 'dist/test/unit/exec/user_'];
const DEFAULT_VERSIONS = ['22', '24'];

/** Print `line` on stderr and exit with `code`. */
function fail(code, line) {
  console.error(`test:node: ${line}`);
  process.exit(code);
}

/** Run npm with `args`; its stdout, or exit 1 with `what` and npm's first error line. */
function npm(args, what) {
  const r = spawnSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd: ROOT, encoding: 'utf8' });
  const err = (r.stderr ?? '').split('\n').find((l) => /ERR|error/i.test(l)) ?? r.error?.message ?? `exit ${r.status}`;
  if (r.status !== 0) fail(1, `cannot fetch ${what} from the npm registry: ${err.trim()}`);
  return r.stdout;
}

/** Whether version `a` (x.y.z) is below `b`. */
function below(a, b) {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  const i = x.findIndex((n, k) => n !== y[k]);
  return i >= 0 && x[i] < y[i];
}

/** The newest published version of the `node` package that `spec` names. */
function exactVersion(spec) {
  const out = npm(['view', `node@${spec}`, 'version', '--json'], `node@${spec}`).trim();
  const versions = out === '' ? [] : [JSON.parse(out)].flat();
  if (versions.length === 0) fail(1, `cannot fetch node@${spec} from the npm registry: no such version`);
  return versions.reduce((best, v) => (below(best, v) ? v : best));
}

/** The Node binary of `version` (x.y.z), fetched into the cache unless there already. */
function nodeBinary(version) {
  const dir = join(CACHE, version);
  const bin = join(dir, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(bin)) {
    rmSync(dir, { recursive: true, force: true });
    npm(['install', '--no-save', '--no-package-lock', '--prefix', dir, `node@${version}`], `node@${version}`);
  }
  const v = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (v.stdout?.trim() !== `v${version}`) {
    rmSync(dir, { recursive: true, force: true });
    fail(1, `cannot fetch node@${version} from the npm registry: ${bin} is not Node v${version} (removed; run again)`);
  }
  return bin;
}

const specs = process.argv.slice(2);
for (const s of specs) {
  if (!/^\d+(\.\d+){0,2}$/.test(s)) fail(2, `VERSION ${JSON.stringify(s)}: expected a Node version npm's node@ takes (22, 24.11, 22.15.0)`);
}
const binaries = (specs.length > 0 ? specs : DEFAULT_VERSIONS).map((s) => [s, nodeBinary(exactVersion(s))]);
const results = binaries.map(([spec, bin]) => {
  console.log(`\ntest:node: Node ${spec} (${bin})`);
  const r = spawnSync(bin, [VITEST, 'run', '--project', 'default', ...FILES], { cwd: ROOT, stdio: 'inherit' });
  return [spec, r.status === 0];
});
for (const [spec, ok] of results) console.log(`test:node: Node ${spec}: ${ok ? 'passed' : 'FAILED'}`);
process.exit(results.every(([, ok]) => ok) ? 0 : 1);
