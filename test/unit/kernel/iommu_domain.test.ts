// A device burst through an IOMMU domain with a translation installed is judged page by page: a
// page within the translation goes through the device-access check (its IOMMU entry, its shadow
// state), and a page past the translation's end has no entry in the domain — an IOMMU fault the
// domain's owner handles, as through an empty domain: nothing read from it, nothing reported,
// whatever the IOMMU table holds after the translation's rows (never used, or another mapping).
import { describe, expect, it } from 'vitest';
import { dmaBuffer, pageOffset } from '../../../src/shm/devmem.js';
import { C_NFINDINGS, G_CODE } from '../../../src/shm/layout.js';
import { device_add, dma_map_sg, dma_unmap_sg, phys_alloc } from '../../../src/kernel/index.js';
import { iommu_domain_alloc, iommu_domain_dma, iommu_domain_install } from '../../../src/kernel/iommu_domain.js';
import type { Task } from '../../../src/kernel/task.js';
import { WARNINGS, warnTitle } from '../../../src/kernel/warn.js';
import { devmemTask } from '../../support/devmem_task.js';

const PAGE_BYTES = 64;

interface Rig { readonly t: Task; readonly dev: number; readonly pages: readonly number[]; readonly domain: number }

/** Three pages with distinct bytes; the first two mapped (one handle) and installed in a domain. */
function rig(): Rig & { readonly handle: number } {
  const t = devmemTask(16, PAGE_BYTES, 'device');
  const dev = device_add(t);
  const pages = [phys_alloc(t, -1), phys_alloc(t, -1), phys_alloc(t, -1)];
  const handle = dma_map_sg(t, dev, -1, pages.slice(0, 2));
  const domain = iommu_domain_alloc(t);
  iommu_domain_install(t, domain, handle, 2);
  return { t, dev, pages, domain, handle };
}

/** [check, title] of every finding recorded. */
const findings = (t: Task): [string, string][] => Array.from({ length: t.arena.ctl(C_NFINDINGS) }, (_, i) => {
  const spec = WARNINGS[t.i32[t.arena.finding(i) + G_CODE]! - 1]!;
  return [spec.name, warnTitle(spec)];
});

/** Which of the rig's pages the device's DMA buffer holds (the last one a read copied), or -1. */
function lastRead(r: Rig): number {
  const m = r.t.devmem!;
  const buf = m.bytes.subarray(dmaBuffer(m, r.t.id), dmaBuffer(m, r.t.id) + PAGE_BYTES);
  return r.pages.findIndex((p) => Buffer.from(buf).equals(Buffer.from(m.bytes.subarray(pageOffset(m, p), pageOffset(m, p) + PAGE_BYTES))));
}

type Setup = (r: Rig & { readonly handle: number }) => void;

/** What the IOMMU table holds besides the translation's two rows, or what became of them. */
const SETUPS: Readonly<Record<string, Setup>> = {
  'nothing else mapped': () => undefined,
  'another mapping right after it': (r) => { dma_map_sg(r.t, r.dev, -1, [r.pages[2]!]); },
  'its second entry unmapped': (r) => { dma_unmap_sg(r.t, r.dev, r.handle + 1, 1); },
};

const UNMAPPED: [string, string][] = [['DMA_AFTER_UNMAP', 'dma-after-unmap in dma_engine_access']];

describe('iommu_domain_dma through an installed two-page translation', () => {
  it.each([
    // [burst, IOMMU table, first page, pages, went through, findings, rig page the device read last]
    ['within it', 'nothing else mapped', 0, 2, true, [], 1],
    ['within it', 'another mapping right after it', 0, 2, true, [], 1],
    ['across its end (the page past it faults)', 'nothing else mapped', 1, 2, false, [], 1],
    ['across its end (the page past it faults)', 'another mapping right after it', 1, 2, false, [], 1],
    ['wholly past its end', 'another mapping right after it', 2, 1, false, [], -1],
    ['across an entry unmapped under it (dma-after-unmap)', 'its second entry unmapped', 0, 2, true, UNMAPPED, 0],
  ] as const)('reads %s, %s: first %i, %i pages', (_name, setup, first, n, through, found, last) => {
    const r = rig();
    SETUPS[setup]!(r);
    expect(iommu_domain_dma(r.t, r.domain, first, n, false, false)).toBe(through);
    expect(findings(r.t)).toEqual(found);
    expect(lastRead(r)).toBe(last);
  });
});
