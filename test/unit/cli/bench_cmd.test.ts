/** `dmabuf-harness bench` runs the compiled suite as a child process and returns its exit code. */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../../src/errno/errors.js';
import { BENCH_SCRIPT, benchCommand } from '../../../src/cli/bench_cmd.js';
import { processIo } from '../../../src/cli/io.js';
import { tempDir } from '../../support/cli.js';

describe('bench command', () => {
  it('finds the compiled suite next to the CLI', () => {
    expect(BENCH_SCRIPT.endsWith(join('dist', 'bench', 'run.js'))).toBe(true);
    expect(existsSync(BENCH_SCRIPT)).toBe(true);
  });

  it('returns the exit code of the script it runs', async () => {
    const script = join(tempDir(), 'exit3.mjs');
    writeFileSync(script, 'process.exitCode = 3;\n');
    expect(await benchCommand(processIo(), script)).toBe(3);
  });

  it('passes its arguments to the script', async () => {
    const script = join(tempDir(), 'args.mjs');
    writeFileSync(script, "process.exitCode = process.argv.slice(2).join(' ') === '--write x.md' ? 4 : 5;\n");
    expect(await benchCommand(processIo(), script, ['--write', 'x.md'])).toBe(4);
  });

  it('refuses a missing suite with a HarnessError', async () => {
    await expect(benchCommand(processIo(), join(tempDir(), 'missing.js'))).rejects.toThrow(HarnessError);
  });
});
