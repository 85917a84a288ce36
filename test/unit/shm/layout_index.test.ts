// The layout index (src/shm/layout.ts) re-declares every name of every region file by hand: none
// may be missing, renamed or bound to another value, and it exports nothing else.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as L from '../../../src/shm/layout.js';
import * as actors from '../../../src/shm/layout/actors.js';
import * as arenaMap from '../../../src/shm/layout/arena_map.js';
import * as attachments from '../../../src/shm/layout/attachments.js';
import * as control from '../../../src/shm/layout/control.js';
import * as cursorTables from '../../../src/shm/layout/cursor_tables.js';
import * as decisions from '../../../src/shm/layout/decisions.js';
import * as devices from '../../../src/shm/layout/devices.js';
import * as dmaBufs from '../../../src/shm/layout/dma_bufs.js';
import * as fenceCallbacks from '../../../src/shm/layout/fence_callbacks.js';
import * as fences from '../../../src/shm/layout/fences.js';
import * as findings from '../../../src/shm/layout/findings.js';
import * as handles from '../../../src/shm/layout/handles.js';
import * as header from '../../../src/shm/layout/header.js';
import * as iovas from '../../../src/shm/layout/iovas.js';
import * as jobs from '../../../src/shm/layout/jobs.js';
import * as lockdep from '../../../src/shm/layout/lockdep.js';
import * as modules from '../../../src/shm/layout/modules.js';
import * as mutexes from '../../../src/shm/layout/mutexes.js';
import * as packedOp from '../../../src/shm/layout/packed_op.js';
import * as pages from '../../../src/shm/layout/pages.js';
import * as privBlocks from '../../../src/shm/layout/priv_blocks.js';
import * as privShadow from '../../../src/shm/layout/priv_shadow.js';
import * as resvs from '../../../src/shm/layout/resvs.js';
import * as sched from '../../../src/shm/layout/sched.js';
import * as traceRings from '../../../src/shm/layout/trace_rings.js';
import * as vmas from '../../../src/shm/layout/vmas.js';
import * as wordsFit from '../../../src/shm/layout/words_fit.js';
import * as wwClasses from '../../../src/shm/layout/ww_classes.js';
import * as wwCtxs from '../../../src/shm/layout/ww_ctxs.js';

const REGION_FILES: Record<string, object> = {
  actors, arenaMap, attachments, control, cursorTables, decisions, devices, dmaBufs, fenceCallbacks, fences,
  findings, handles, header, iovas, jobs, lockdep, modules, mutexes, packedOp, pages, privBlocks, privShadow, resvs, sched, traceRings,
  vmas, wordsFit,
  wwClasses, wwCtxs,
};

describe('layout index', () => {
  it('lists every file of the layout directory', () => {
    const camel = (file: string): string => file.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    const files = readdirSync(join(import.meta.dirname, '../../../src/shm/layout')).filter((f) => f.endsWith('.js'));
    expect(files.map((f) => camel(f.slice(0, -3))).sort()).toEqual(Object.keys(REGION_FILES).sort());
  });

  it.each(Object.entries(REGION_FILES))('exports every name of the %s file, bound to the same value', (_file, mod) => {
    const index = L as Record<string, unknown>;
    const missing = Object.keys(mod).filter((k) => !(k in index));
    expect(missing).toEqual([]);
    for (const [k, v] of Object.entries(mod)) expect(index[k], k).toBe(v);
  });

  it('exports no name that no region file defines', () => {
    const defined = new Set(Object.values(REGION_FILES).flatMap((m) => Object.keys(m)));
    expect(Object.keys(L).filter((k) => !defined.has(k))).toEqual([]);
  });
});
