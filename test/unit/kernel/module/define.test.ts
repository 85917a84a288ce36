import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../../../src/errno/errors.js';
import { defineModule, moduleSymbols, type ModuleSpec } from '../../../../src/kernel/module/define.js';

const src = import.meta.url;
const f = () => 0;

function err(spec: unknown): string {
  try {
    defineModule(spec as ModuleSpec);
  } catch (e) {
    if (e instanceof HarnessError && e.code === 'ERR_SCENARIO') return e.message;
    throw e;
  }
  return '';
}

describe('defineModule', () => {
  it('returns a frozen definition with the default namespace applied to its exports', () => {
    const m = defineModule({
      name: 'kvm-amd', license: 'GPL', importNs: ['DMA_BUF'], defaultNamespace: 'KVM', source: src,
      exports: [{ macro: 'EXPORT_SYMBOL', name: 'kvm_amd_hook', impl: f }],
    });
    expect(Object.isFrozen(m)).toBe(true);
    expect(Object.isFrozen(m.importNs)).toBe(true);
    expect(m.sourcePath.endsWith('define.test.js')).toBe(true);
    expect(moduleSymbols(m)).toEqual([{ name: 'kvm_amd_hook', impl: f, gplOnly: false, ns: 'KVM', owner: 'kvm-amd' }]);
  });

  it('keeps the weak references, frozen; none is an empty list', () => {
    const m = defineModule({ name: 'w', license: 'GPL', source: src, weak: ['dma_buf_move_notify'] });
    expect(m.weak).toEqual(['dma_buf_move_notify']);
    expect(Object.isFrozen(m.weak)).toBe(true);
    expect(defineModule({ name: 'w2', license: 'GPL', source: src }).weak).toEqual([]);
  });

  it.each([
    [{ weak: 'dma_buf_move_notify' }, 'module m: weak must be an array of symbol names'],
    [{ weak: ['ok_name', 'not an identifier'] }, 'module m: weak[1] must be a C identifier'],
    [{ weak: [3] }, 'module m: weak[0] must be a C identifier'],
  ])('rejects a malformed weak list %j', (extra, msg) => {
    expect(err({ name: 'm', license: 'GPL', source: src, ...extra })).toBe(msg);
  });

  it('rejects malformed definitions with one line naming the module and the field', () => {
    expect(err({ name: 'bad name', license: 'GPL', source: src })).toMatch(/^module bad name: name /);
    expect(err({ name: 'x'.repeat(56), license: 'GPL', source: src })).toMatch(/: name must be/);
    expect(err({ name: 'm', license: '', source: src })).toMatch(/^module m: license /);
    expect(err({ name: 'm', license: 'GPL', source: src, importNs: ['A', 3] })).toBe('module m: importNs[1] must be a non-empty string');
    expect(err({ name: 'm', license: 'GPL', source: src, defaultNamespace: 1 })).toBe('module m: defaultNamespace must be a string');
    expect(err({ name: 'm', license: 'GPL', source: 'rel/path.js' })).toMatch(/^module m: source /);
    expect(err({ name: 'm', license: 'GPL', source: src, exports: [{ macro: 'EXPORT_SYMBOL_NS', name: 's', impl: f }] }))
      .toBe('module m: exports[0].ns must be a non-empty string');
    expect(err({ name: 'm', license: 'GPL', source: src, exports: [{ macro: 'EXPORT_SYMBOL', name: 's', impl: f, ns: 'X' }] }))
      .toMatch(/^module m: exports\[0\]\.ns is only for/);
    expect(err({ name: 'm', license: 'GPL', source: src, exports: [{ macro: 'EXPORT', name: 's', impl: f }] }))
      .toMatch(/^module m: exports\[0\]\.macro /);
    expect(err({
      name: 'm', license: 'GPL', source: src,
      exports: [{ macro: 'EXPORT_SYMBOL', name: 's', impl: f }, { macro: 'EXPORT_SYMBOL_GPL', name: 's', impl: f }],
    })).toBe("module m: exports[1].name 's' exported twice");
    expect(err({ name: 'm', license: 'GPL', source: src, objects: src })).toMatch(/^module m: objects /);
    expect(err({ name: 'm', license: 'GPL', source: src, objects: [src, 'rel.js'] })).toMatch(/^module m: objects\[1\] /);
  });

  it('lists every source file of a multi-file module, the defining one first (objects)', () => {
    const other = new URL('./load.test.js', src).href;
    const m = defineModule({ name: 'multi', license: 'GPL', source: src, objects: [other] });
    expect(m.sourcePaths.map((p) => p.split('/').pop())).toEqual(['define.test.js', 'load.test.js']);
    expect(Object.isFrozen(m.sourcePaths)).toBe(true);
    expect(defineModule({ name: 'single', license: 'GPL', source: src }).sourcePaths).toEqual([m.sourcePath]);
  });
});
