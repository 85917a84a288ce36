// kmalloc_size_roundup (mm/slab_common.c, SLUB, x86_64 defaults): the size index up to 192 bytes
// (with the 96- and 192-byte caches), powers of two up to KMALLOC_MAX_CACHE_SIZE (8 KiB), whole
// page orders beyond; 0 stays 0.
import { describe, expect, it } from 'vitest';
import { get_order, kmalloc_size_roundup } from '../../../src/kernel/kmalloc.js';

describe('kmalloc_size_roundup', () => {
  it.each([
    [0, 0], [1, 8], [8, 8], [9, 16], [17, 32], [33, 64], [56, 64], [64, 64], [65, 96], [88, 96], [96, 96],
    [97, 128], [104, 128], [129, 192], [152, 192], [192, 192], [193, 256], [232, 256], [257, 512],
    [4096, 4096], [4097, 8192], [8192, 8192], [8193, 16384], [16384, 16384], [16385, 32768],
  ])('%i bytes come from a %i-byte object', (size, bucket) => {
    expect(kmalloc_size_roundup(size)).toBe(bucket);
  });

  it.each([[1, 0], [4096, 0], [4097, 1], [8192, 1], [8193, 2], [16385, 3]])('get_order(%i) = %i', (size, order) => {
    expect(get_order(size)).toBe(order);
  });
});
