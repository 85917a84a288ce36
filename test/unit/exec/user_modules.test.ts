/**
 * Importing user files in one thread: the hooks API is the one this Node offers (registerHooks
 * from Node 22.15 / 23.5 on, else register), the harness's hooks are in the thread's chain once
 * however many user files (TypeScript or JavaScript) it imports, and a `.cts` file is refused.
 * Run by `npm test` (Node 20: register) and by `npm run test:node` (22 and 24: registerHooks).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HOOK_DEPTH } from '../../../src/exec/user_module_hooks.js';
import { hooksApi, importUserModule, typeScriptLoads, typeScriptPreloaded } from '../../../src/exec/user_modules.js';
import { tempDir } from '../../support/cli.js';
import { writeUserScenario } from '../../support/user_scenario.js';

/** Whether Node `version` (process.version) has module.registerHooks. */
function hasRegisterHooks(version: string): boolean {
  const [major = 0, minor = 0] = version.slice(1).split('.').map(Number);
  return major >= 23 ? major > 23 || minor >= 5 : major === 22 && minor >= 15;
}

describe('user modules', () => {
  it('register hooks through registerHooks where node:module has it, else register', () => {
    expect(hooksApi({ registerHooks: () => undefined, register: () => undefined })).toBe('registerHooks');
    expect(hooksApi({ register: () => undefined })).toBe('register');
    expect(hooksApi()).toBe(hasRegisterHooks(process.version) ? 'registerHooks' : 'register');
  });

  it('put the harness hooks in the thread chain once, however many files it imports', async () => {
    const files = [writeUserScenario(tempDir(), { name: 'user-one' }), writeUserScenario(tempDir(), { name: 'user-two' })];
    const js = join(tempDir(), 'user.mjs');
    writeFileSync(js, "export const answer = 42;\n");
    for (const f of files) expect(Object.keys(await importUserModule(pathToFileURL(f).href))).toEqual(['userScenario']);
    expect(await importUserModule(pathToFileURL(js).href)).toMatchObject({ answer: 42 });
    expect(import.meta.resolve(HOOK_DEPTH)).toBe('data:text/plain,1');
  });

  it.each([
    ['20.20.2', 'register', true], ['22.15.0', 'registerHooks', false], ['22.22.2', 'registerHooks', false],
    ['22.22.3', 'registerHooks', true], ['22.23.3', 'registerHooks', true], ['23.5.0', 'registerHooks', false],
    ['24.11.0', 'registerHooks', false], ['24.11.1', 'registerHooks', true], ['25.0.0', 'registerHooks', false],
    ['25.1.0', 'registerHooks', true], ['27.0.0', 'registerHooks', true],
  ] as const)('load TypeScript on Node %s with %s only where tsx takes the same API: %s', (version, api, loads) => {
    expect(typeScriptLoads(version, api, false)).toBe(loads);
  });

  it.each([
    ['NODE_OPTIONS', '--import ./setup.ts', [], true],
    ['NODE_OPTIONS', '--max-old-space-size=512 --import=file:///w/setup.mts?x=1', [], true],
    ['NODE_OPTIONS', '--import tsx', [], false],
    ['NODE_OPTIONS', '--require ./setup.ts --import ./setup.mjs', [], false],
    ['the command line', '', ['--import', './setup.ts', '--import', 'tsx'], true],
    ['the command line', '', ['--import=./setup.cts', '--import=tsx/esm'], true],
    ['the command line', '', ['--import', 'tsx', '--import', './setup.ts'], false],
    ['the command line', '', ['--import', './setup.ts'], false],
  ] as const)('see a TypeScript module preloaded with --import in %s (%s %j): %s', (_where, nodeOptions, execArgv, preloaded) => {
    expect(typeScriptPreloaded(nodeOptions, execArgv)).toBe(preloaded);
  });

  it.each([
    ['22.22.3', 'registerHooks', false], ['24.11.1', 'registerHooks', false], ['20.20.2', 'register', true],
  ] as const)('load TypeScript beside a preloaded TypeScript module on Node %s with %s only where tsx takes the same API (register): %s', (version, api, loads) => {
    expect(typeScriptLoads(version, api, true)).toBe(loads);
  });

  it('refuse a .cts file with ERR_SCENARIO', async () => {
    const file = join(tempDir(), 'user.cts');
    writeFileSync(file, 'export const answer = 42;\n');
    await expect(importUserModule(pathToFileURL(file).href)).rejects.toMatchObject({ code: 'ERR_SCENARIO' });
  });
});
