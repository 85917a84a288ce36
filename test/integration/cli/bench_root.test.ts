/** A bench's `--root DIR` runs DIR's build (an A/B against another checkout): that build's own
 *  copy of the script, in a process of its own, since one thread loads one copy of the harness.
 *  The other checkout here is a copy of this build (its dist/ and package.json, node_modules
 *  linked). */
import { spawnSync } from 'node:child_process';
import { cpSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../../support/cli.js';

/** A checkout at a new path holding a copy of this build. */
function copiedBuild(): string {
  const root = tempDir();
  cpSync(join(ROOT, 'dist'), join(root, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(root, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
  return root;
}

describe('bench --root', () => {
  it('hunt_rate --root DIR measures DIR\'s build and names it', { timeout: 60_000 }, () => {
    const other = copiedBuild();
    const r = spawnSync(process.execPath, [join(ROOT, 'dist/bench/hunt_rate.js'), '--seconds', '0.2', '--root', other, 'double-drain'],
      { cwd: ROOT, encoding: 'utf8', timeout: 50_000, killSignal: 'SIGKILL' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${other.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}  double-drain  \\d+ trials/s\\n$`));
  });
});
