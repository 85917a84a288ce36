import { describe, expect, it } from 'vitest';
import { CIRCULAR_HEADER, circularLockingReport, type CircularLockingInfo, type LockdepEdgeInfo } from '../../../src/check/lockdep_report.js';

const edge = (from: string, to: string, actor: string | null, trial = 1, step = 3): LockdepEdgeInfo => ({
  from, to, actor, trial, step, fromLock: actor === null ? '' : 'lock#0', toLock: actor === null ? '' : 'lock#1',
});

describe('circular locking report text', () => {
  it('has the kernel header, the chain in reverse order and the two-column scenario (direct cycle)', () => {
    const info: CircularLockingInfo = {
      task: 'completion', fn: 'ww_mutex_lock', acquiring: 'reservation_ww_class_mutex', acquiringLock: 'lock#0',
      holding: 'dma_fence_map', holdingLock: '', holdingRead: true,
      chain: [edge('reservation_ww_class_mutex', 'dma_fence_map', null, 0, 0)],
      added: edge('dma_fence_map', 'reservation_ww_class_mutex', 'completion', 4, 7),
    };
    const lines = circularLockingReport(info).split('\n');
    expect(lines[1]).toBe(CIRCULAR_HEADER);
    expect(lines).toContain('completion is trying to acquire lock:');
    expect(lines).toContain(' (reservation_ww_class_mutex) lock#0, at: ww_mutex_lock');
    expect(lines).toContain('the existing dependency chain (in reverse order) is:');
    const i1 = lines.indexOf('-> #1 (dma_fence_map):');
    const i0 = lines.indexOf('-> #0 (reservation_ww_class_mutex):');
    expect(i1).toBeGreaterThan(0);
    expect(i0).toBeGreaterThan(i1);
    expect(lines[i1 + 1]).toContain('primed at boot by dma_resv_lockdep()');
    expect(lines[i0 + 1]).toContain('first seen in completion, trial 4, step 7');
    expect(lines).not.toContain('Chain exists of:');
    const t = lines.indexOf(' Possible unsafe locking scenario:');
    expect(lines.slice(t + 2, t + 8)).toEqual([
      '       CPU0                    CPU1',
      '       ----                    ----',
      '  rlock(dma_fence_map);',
      '                               lock(reservation_ww_class_mutex);',
      '                               lock(dma_fence_map);',
      '  lock(reservation_ww_class_mutex);',
    ]);
    expect(lines).toContain(' *** DEADLOCK ***');
  });

  it('names the chain when the cycle is longer than two classes', () => {
    const info: CircularLockingInfo = {
      task: 'T', fn: 'mutex_lock', acquiring: 'A', acquiringLock: 'lock#0', holding: 'C', holdingLock: 'lock#2',
      holdingRead: false, chain: [edge('A', 'B', 'T', 1), edge('B', 'C', 'T', 2)], added: edge('C', 'A', 'T', 3),
    };
    const lines = circularLockingReport(info).split('\n');
    expect(lines.indexOf('-> #2 (C):')).toBeLessThan(lines.indexOf('-> #1 (B):'));
    expect(lines.indexOf('-> #1 (B):')).toBeLessThan(lines.indexOf('-> #0 (A):'));
    const c = lines.indexOf('Chain exists of:');
    expect(lines[c + 1]).toBe('  A --> B --> C');
    const t = lines.indexOf(' Possible unsafe locking scenario:');
    expect(lines.slice(t + 4, t + 8)).toEqual([
      '  lock(C);', '                               lock(B);', '                               lock(C);', '  lock(A);',
    ]);
  });
});
