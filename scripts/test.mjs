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
import { vendorFflate, vendorUplot } from './build-dist.mjs';

ensureNodeModules();
buildWasm();
// web/vendor/ (git-ignored): the page's modules import the chart and zip libraries from there, and the
// Node tests import those modules (the browser tests' server maps the same paths into node_modules)
vendorUplot(join(root, 'web'));
vendorFflate(join(root, 'web'));
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
// Most test files wait on the page's own pace (lessons at their steps per second, watchdogs, timers)
// far more than they compute, so two run at a time (GRADLAB_TEST_JOBS). These read the clock of a
// quiet machine (long tasks, the workers' CPU shares, the pace after a hidden tab returns, the heaps
// over a timed soak) and run alone, after the others.
const ALONE = ['tests/browser/load.test.mjs', 'tests/browser/many-embeds.test.mjs', 'tests/browser/soak.test.mjs', 'tests/browser/visibility.test.mjs'];
const jobs = Math.max(1, Number(process.env.GRADLAB_TEST_JOBS ?? 2) | 0);
const run = (list, concurrency) => spawnSync(process.execPath, ['--test', `--test-concurrency=${concurrency}`, ...list], { stdio: 'inherit', cwd: root }).status ?? 1;
const shared = run(files.filter((f) => !ALONE.includes(f)), jobs);
const alone = run(files.filter((f) => ALONE.includes(f)), 1);
process.exit(shared || alone);
