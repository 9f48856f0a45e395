// sanitize.mjs: the native C tests under AddressSanitizer + UndefinedBehaviorSanitizer, and a
// time-bounded libFuzzer run of tests/fuzz/fuzz_api.c, both built with clang into build/sanitize.
// Used by scripts/test.mjs; alone: `node scripts/sanitize.mjs [fuzz seconds]`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { root } from './build.mjs';
import { ensure, ensureBy, ensureNativeTools } from './toolchain.mjs';

const dir = join(root, 'build', 'sanitize');

/** clang with its sanitizer and libFuzzer runtimes (Debian: clang, libclang-rt-14-dev) */
function ensureClangRuntimes() {
  ensure(['clang'], ['clang', 'libclang-rt-14-dev'], 'for the sanitizer and fuzz builds');
  mkdirSync(dir, { recursive: true });
  const probe = join(dir, 'probe.c');
  writeFileSync(probe, 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return d && n; }\n');
  const compile = () => spawnSync('clang', ['-fsanitize=fuzzer,address,undefined', probe, '-o', join(dir, 'probe')],
    { stdio: 'ignore' }).status === 0;
  ensureBy(compile, ['libclang-rt-14-dev'], 'for clang -fsanitize=fuzzer,address,undefined');
}

export function buildSanitized() {
  ensureNativeTools();
  ensureClangRuntimes();
  if (!existsSync(join(dir, 'CMakeCache.txt'))) {
    execFileSync('cmake', ['-S', '.', '-B', dir, '-DCMAKE_BUILD_TYPE=RelWithDebInfo', '-DCMAKE_C_COMPILER=clang',
      '-DGRADLAB_SANITIZE=ON', '-DGRADLAB_FUZZ=ON'], { stdio: 'inherit', cwd: root });
  }
  execFileSync('cmake', ['--build', dir, '-j2'], { stdio: 'inherit', cwd: root });
  return dir;
}

const sanitizerEnv = {
  ...process.env,
  ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=1:strict_string_checks=1',
  UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1',
};

/** ctest in build/sanitize: the C tests with ASan+UBSan; throws when one fails */
export function ctestSanitized() {
  console.log('gradlab: C tests under AddressSanitizer + UndefinedBehaviorSanitizer');
  execFileSync('ctest', ['--output-on-failure', '-j2'], { stdio: 'inherit', cwd: dir, env: sanitizerEnv });
}

/**
 * Runs the fuzzer for `seconds` over tests/fuzz/corpus (read) and build/sanitize/fuzz-new (written),
 * prints executions and crashes, and returns { runs, seconds, crashes }; a crash fails the run.
 */
export function fuzz(seconds) {
  const fresh = join(dir, 'fuzz-new');
  const artifacts = join(dir, 'fuzz-artifacts');
  mkdirSync(fresh, { recursive: true });
  mkdirSync(artifacts, { recursive: true });
  const corpus = join(root, 'tests', 'fuzz', 'corpus');
  console.log(`gradlab: fuzzing the C API for ${seconds} s (libFuzzer, ASan+UBSan) from ${readdirSync(corpus).length} corpus inputs`);
  const run = spawnSync(join(dir, 'fuzz_api'), [fresh, corpus, `-max_total_time=${seconds}`, '-timeout=10',
    '-rss_limit_mb=2048', `-artifact_prefix=${artifacts}/`, '-print_final_stats=1'],
  { cwd: root, env: { ...sanitizerEnv, FUZZ_STATS: '1' }, encoding: 'utf8', maxBuffer: 1 << 28 });
  const log = `${run.stdout}${run.stderr}`;
  const done = log.match(/Done (\d+) runs in (\d+) second/);
  const stats = log.match(/fuzz_api: .*/);
  const crashes = readdirSync(artifacts).filter((f) => /^(crash|leak|timeout|oom)-/.test(f));
  const runs = done ? Number(done[1]) : 0;
  console.log(`gradlab: fuzz: ${runs} executions in ${done ? done[2] : '?'} s, ${crashes.length} crashes` +
    `${stats ? `; ${stats[0].replace('fuzz_api: ', '')}` : ''}`);
  if (run.status !== 0 || crashes.length || !done) {
    console.error(log.split('\n').slice(-60).join('\n'));
    throw new Error(`fuzzing failed (exit ${run.status}); inputs in ${artifacts}`);
  }
  return { runs, seconds: Number(done[2]), crashes: crashes.length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  buildSanitized();
  ctestSanitized();
  fuzz(Number(process.argv[2] ?? 45));
}
