// docs-outputs.mjs: rewrites the ```text output block after every ```sh run block of docs/cli.md and
// every ```js run block of docs/api.md with what the example prints now (the SIMD build). Run it
// after a change that moves printed digits (a kernel's summation order, a formula rearranged);
// tests/js/docs.test.mjs then checks the examples against these outputs. `--check` only reports.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { blocks } from '../tests/js/doc-blocks.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const check = process.argv.includes('--check');
const site = mkdtempSync(join(tmpdir(), 'gradlab-docs-'));
mkdirSync(join(site, 'node_modules'));
symlinkSync(root, join(site, 'node_modules', 'gradlab'), 'dir');
writeFileSync(join(site, 'package.json'), JSON.stringify({ type: 'module', private: true }));

function output(info, code) {
  if (info === 'sh run') {
    const args = code.trim().split(/\s+/).slice(1);
    return execFileSync(process.execPath, [join(root, 'bin', 'gradlab.mjs'), ...args], { cwd: site, encoding: 'utf8', maxBuffer: 16 << 20 });
  }
  const file = join(site, 'example.mjs');
  writeFileSync(file, code);
  return execFileSync(process.execPath, [file], { cwd: site, encoding: 'utf8', maxBuffer: 16 << 20 });
}

let changed = 0;
try {
  for (const name of ['cli.md', 'api.md']) {
    const path = join(root, 'docs', name);
    let text = readFileSync(path, 'utf8');
    // run in order (a later example may read what an earlier one saved), then rewrite from the end,
    // so earlier offsets stay valid
    const runs = blocks(text).filter((x) => x.output !== undefined);
    const outputs = runs.map((b) => output(b.info, b.code).replace(/\s+$/gm, '').trim() + '\n');
    for (const [i, b] of [...runs.entries()].reverse()) {
      const now = outputs[i];
      const start = text.indexOf('```text output\n', b.end - 10) + '```text output\n'.length;
      if (text.slice(start, start + b.output.length) !== b.output) throw new Error(`${name}:${b.line}: output block not found`);
      if (now.trim() === b.output.replace(/\s+$/gm, '').trim()) continue;
      changed++;
      console.log(`${name}:${b.line}: output changed`);
      text = text.slice(0, start) + now + text.slice(start + b.output.length);
    }
    if (!check) writeFileSync(path, text);
  }
} finally {
  rmSync(site, { recursive: true, force: true });
}
console.log(`${changed} output block(s) ${check ? 'differ' : 'rewritten'}`);
if (check && changed) process.exit(1);
