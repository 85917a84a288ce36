#!/usr/bin/env node
/** The `dmabuf-harness` binary: the command line (program.ts) on this process's arguments, streams and signals. */
import { processIo } from './io.js';
import { main } from './program.js';

process.exitCode = await main(process.argv.slice(2), processIo());
