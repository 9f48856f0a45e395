// rundir.mjs: a saved run (web/lib/runfile.js) as a folder: every file of the run under its own
// path, so NumPy, a spreadsheet or a text editor opens each piece directly.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { runFiles } from '../../web/lib/runfile.js';
import { UsageError } from './flags.mjs';

const MAX_FILES = 10000;

/** The files under dir as { 'sub/path': Uint8Array }. */
export function readRunDir(dir) {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`'${dir}' is not a folder holding a saved run`);
  const files = {};
  let count = 0;
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) { walk(path); continue; }
      if (++count > MAX_FILES) throw new UsageError(`'${dir}' holds more than ${MAX_FILES} files; a saved run has a few dozen`);
      files[relative(dir, path).split(sep).join('/')] = new Uint8Array(readFileSync(path));
    }
  };
  walk(dir);
  return files;
}

/**
 * Writes the run of net on data into dir: a new or empty folder, or one that holds a saved run (whose
 * files are replaced). Returns how many files were written.
 */
export function writeRunDir(dir, net, data, options) {
  const files = runFiles(net, data, options);
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new UsageError(`--save '${dir}' is a file, not a folder`);
    const present = readdirSync(dir);
    if (present.length && !present.includes('run.json')) {
      throw new UsageError(`--save '${dir}' is a folder that holds other files and no saved run; give a new or empty folder`);
    }
    if (present.includes('run.json')) {
      // the files the old run listed go, so no stale tensor of another network stays behind
      let old = [];
      try { old = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).files ?? []; } catch { /* an unreadable run.json is replaced below */ }
      for (const f of old) if (typeof f === 'string' && !f.includes('..')) rmSync(join(dir, f), { force: true });
    }
  }
  for (const [path, bytes] of Object.entries(files)) {
    const target = join(dir, ...path.split('/'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes);
  }
  return Object.keys(files).length;
}
