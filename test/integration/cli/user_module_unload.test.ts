/**
 * A user's scenario file can model a module-unload race with the module API the package exports
 * (`dmabuf-harness/module`: __symbol_get / __symbol_put, sys_delete_module): a task that put its
 * module's entry, kept the pointer and calls it after rmmod runs freed module text — reported as
 * MODULE_TEXT_FREED titled after the user's module, as for the harness's own fixtures. The fixed
 * twin calls the entry only while it holds it. The file imports the harness by package name.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliRuns, tempDir } from '../../support/cli.js';
import { installHarness } from '../../support/user_scenario.js';

interface Row { scenario: string; ok: boolean; findings: { kind: string; title: string }[] }

const SCENARIO = `import { defineModule, defineScenario, moduleRef, symbols, type KernelApi } from 'dmabuf-harness';
import { wait_event, wake_up_word, type KGen, type Task } from 'dmabuf-harness/kernel';
import { __symbol_get, __symbol_put, sys_delete_module } from 'dmabuf-harness/module';

const THIS_MODULE = moduleRef<KernelApi>('user_text');
export function user_text_entry(t: Task): number { symbols(t, THIS_MODULE); return 1; }
const USER_TEXT = defineModule({
  name: 'user_text', license: 'GPL', source: import.meta.url,
  exports: [{ macro: 'EXPORT_SYMBOL_GPL', name: 'user_text_entry', impl: user_text_entry }],
});

const PUT = 0, DELETED = 1;
function* awaitWord(t: Task, w: number): KGen<void> { yield* wait_event(t, t.arena.layout.user + w, 0); }
function post(t: Task, w: number): void { t.store(w, 1); wake_up_word(t, t.arena.layout.user + w); }

const pair = (name: string, expect: 'use-after-free' | 'clean', stale: boolean) => defineScenario({
  name, module: import.meta.url, params: {}, expect, modules: [USER_TEXT], setup: () => ({}),
  actors: () => [
    { name: 'user', *run(t: Task): KGen<void> {
      const entry = __symbol_get<(t: Task) => number>(t, 'user_text_entry');
      if (entry === null) return;
      if (!stale) entry(t);
      __symbol_put(t, 'user_text_entry');
      post(t, PUT);
      yield* awaitWord(t, DELETED);
      if (stale) entry(t);
    } },
    { name: 'rmmod', *run(t: Task): KGen<void> {
      yield* awaitWord(t, PUT);
      sys_delete_module(t, 'user_text');
      post(t, DELETED);
    } },
  ],
});

export const stalePointer = pair('user-stale-pointer', 'use-after-free', true);
export const callThenPut = pair('user-call-then-put', 'clean', false);
`;

describe('a user scenario file modelling a module unload', () => {
  it.each(['inline', 'controlled'])('finds code run after rmmod and keeps the fixed twin clean (%s)', (executor) => {
    const dir = tempDir();
    installHarness(dir, 'linked');
    const file = join(dir, 'unload.ts');
    writeFileSync(file, SCENARIO);
    const r = cli('hunt', file, '--executor', executor, '--trials', '50', '--no-artifacts', '--json');
    expect(r.code, r.stderr).toBe(0);
    const rows = new Map((JSON.parse(r.stdout) as Row[]).map((x) => [x.scenario, x]));
    expect(rows.get('user-stale-pointer')?.findings.map((f) => f.title)).toEqual(['use-after-free in user_text']);
    expect(rows.get('user-call-then-put')?.findings).toEqual([]);
    expect([...rows.values()].map((x) => x.ok)).toEqual([true, true]);
  }, cliRuns(1));
});
