// test.mjs: `npm test`: installs and builds what is missing, runs the C tests with ctest, then the
// JavaScript tests (Node API against both wasm builds, and the browser tests in Debian's Chromium)
// with node's test runner.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildNative, buildWasm, root } from './build.mjs';
import { ensureNodeModules } from './deps.mjs';
import { ensureChromium, ensureNumpy } from './toolchain.mjs';
import { buildSanitized, ctestSanitized, fuzz } from './sanitize.mjs';

ensureNodeModules();
buildWasm();
const native = buildNative();
execFileSync('ctest', ['--output-on-failure', '-j2'], { stdio: 'inherit', cwd: native });
// the same C tests under ASan+UBSan, then the C API fuzzed for a bounded time (GRADLAB_FUZZ_SECONDS)
buildSanitized();
ctestSanitized();
fuzz(Number(process.env.GRADLAB_FUZZ_SECONDS ?? 40));

ensureChromium();
ensureNumpy();
const files = [];
for (const dir of ['tests/js', 'tests/browser']) {
  try {
    for (const f of readdirSync(join(root, dir)).sort()) if (f.endsWith('.test.mjs')) files.push(join(dir, f));
  } catch { /* folder not there yet */ }
}
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], { stdio: 'inherit', cwd: root });
process.exit(result.status ?? 1);
