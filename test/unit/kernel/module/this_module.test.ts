import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../../../src/errno/errors.js';
import { moduleRef, moduleSlot, symbols } from '../../../../src/kernel/module/this_module.js';
import { bootTask } from './support.js';

describe('THIS_MODULE references', () => {
  it('give one slot per module name, with - and _ the same name', () => {
    const a = moduleRef('this-module-test');
    expect(moduleRef('this_module_test').slot).toBe(a.slot);
    expect(moduleSlot('this_module_test_2')).not.toBe(a.slot);
  });

  it('return the task\'s table of that module, and refuse a module that is not loaded with ERR_SCENARIO', () => {
    const ref = moduleRef<{ f: () => number }>('this_module_loaded');
    const t = bootTask();
    const table = Object.freeze({ f: () => 7 });
    const tabs: (typeof table | undefined)[] = [];
    tabs[ref.slot] = table;
    t.symtabs = tabs;
    expect(symbols(t, ref)).toBe(table);
    let code = '';
    try {
      symbols(t, moduleRef('this_module_unloaded'));
    } catch (e) {
      code = e instanceof HarnessError ? e.code : 'other';
    }
    expect(code).toBe('ERR_SCENARIO');
  });
});
