#!/usr/bin/env node
/** The `dmabuf-harness` binary: the command line (program.ts) on this process's arguments, streams
 *  and signals. */
import { exitOnClosedPipe, processIo } from './io.js';
import { main } from './program.js';

exitOnClosedPipe(process.stdout, process.exit);
exitOnClosedPipe(process.stderr, process.exit);
process.exitCode = await main(process.argv.slice(2), processIo());
