import { describe, expect, it } from 'vitest';
import {
  mod_strncmp, modpost_verify_module_namespace, verify_module_namespace,
} from '../../../../src/kernel/module/namespace.js';

describe('verify_module_namespace (kernel/module/main.c)', () => {
  it('M5: "module:kvm,kvm-*" matches kvm, kvm_intel, kvm-amd, kvm-; not kvmfoo or kv', () => {
    const ns = 'module:kvm,kvm-*';
    for (const m of ['kvm', 'kvm_intel', 'kvm-intel', 'kvm-amd', 'kvm_amd', 'kvm-', 'kvm_']) {
      expect([m, verify_module_namespace(ns, m)]).toEqual([m, true]);
    }
    for (const m of ['kvmfoo', 'kv', 'kvm2', 'xkvm', 'KVM']) {
      expect([m, verify_module_namespace(ns, m)]).toEqual([m, false]);
    }
  });

  it('needs the module: prefix; exact match without a glob; tail glob only', () => {
    expect(verify_module_namespace('DMA_BUF', 'DMA_BUF')).toBe(false);
    expect(verify_module_namespace('module:ib_uverbs', 'ib_uverbs')).toBe(true);
    expect(verify_module_namespace('module:ib_uverbs', 'ib-uverbs')).toBe(true);
    expect(verify_module_namespace('module:ib_uverbs', 'ib_uverbs2')).toBe(false);
    expect(verify_module_namespace('module:ib_uverbs', 'ib')).toBe(false);
    expect(verify_module_namespace('module:*', 'anything')).toBe(true);
    expect(verify_module_namespace('module:k*m', 'kvm')).toBe(false);
    expect(verify_module_namespace('module:', 'kvm')).toBe(false);
    expect(verify_module_namespace('module:a,,kvm', 'kvm')).toBe(true);
    expect(verify_module_namespace('module:kvm,', 'kvm')).toBe(true);
  });

  it('modpost compares raw names: "-" and "_" differ', () => {
    expect(modpost_verify_module_namespace('module:kvm,kvm-*', 'kvm-amd')).toBe(true);
    expect(modpost_verify_module_namespace('module:kvm,kvm-*', 'kvm_intel')).toBe(false);
    expect(modpost_verify_module_namespace('module:ib_uverbs', 'ib_uverbs')).toBe(true);
  });

  it('mod_strncmp treats - and _ as equal and stops at the end of either string', () => {
    expect(mod_strncmp('kvm-amd', 'kvm_amd', 7)).toBe(0);
    expect(mod_strncmp('kvm', 'kvmfoo', 3)).toBe(0);
    expect(mod_strncmp('kvm', 'kv', 3)).toBeGreaterThan(0);
    expect(mod_strncmp('abc', 'abd', 2)).toBe(0);
    expect(mod_strncmp('abc', 'abd', 3)).toBeLessThan(0);
  });
});
