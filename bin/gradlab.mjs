#!/usr/bin/env node
// gradlab.mjs: the command line, `npx gradlab <command> [flags]` (see docs/cli.md).
import { loadGradlab } from '../web/lib/gradlab.js';
import { main } from './cli/main.mjs';

let labPromise;
const io = {
  stdout: process.stdout,
  stderr: process.stderr,
  // GRADLAB_SIMD=0 forces the scalar wasm build
  lab: () => (labPromise ??= loadGradlab(process.env.GRADLAB_SIMD === '0' ? { simd: false } : {})),
};
process.exitCode = await main(process.argv.slice(2), io);
